import type { Kysely } from 'kysely';

/**
 * Two indexes for the read routes that a team's load hits most:
 *
 * - `test_cases (story_id, status, case_number)`, unique like `(story_id, case_number)`: a page of
 *   the project's cases with one status (the review list's "accepted" or "draft" tab) walks each
 *   story's cases of that status in case order from the index, and skips an `offset` in the index
 *   without reading the rows it skips. Before, every case of every story up to the page was read.
 * - `test_cases (story_id, status, needs_review, covers)`: the coverage of a page of stories (their
 *   draft and accepted cases grouped by the criteria they cover) is read from this index alone, in
 *   group order, instead of from every case row through a temporary sort.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(database: Kysely<any>): Promise<void> {
  await database.schema
    .createIndex('test_cases_story_status_number_index')
    .unique()
    .on('test_cases')
    .columns(['story_id', 'status', 'case_number'])
    .execute();
  await database.schema
    .createIndex('test_cases_story_coverage_index')
    .on('test_cases')
    .columns(['story_id', 'status', 'needs_review', 'covers'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  await database.schema.dropIndex('test_cases_story_coverage_index').execute();
  await database.schema.dropIndex('test_cases_story_status_number_index').execute();
}
