/**
 * The stored quality of test cases: each case's score, findings and finding rules, computed with
 * core's `scoreStoredCases` whenever a case or its story changes (inside the writing transaction)
 * and kept in `test_cases.quality_*` and `test_case_findings`, so the review list filters and
 * sorts by them in SQL. A case's score depends on its story's other cases (near-duplicates), so a
 * write scores the whole story again; only rows whose quality changed are written. Storing new
 * cases (a generation) scores nothing: a new row has no stored quality, which makes its story
 * stale, and the story's next quality read scores all of its cases.
 */
import type { Kysely } from 'kysely';
import {
  CASE_SCORER_FINGERPRINT,
  scoreStoredCases,
  type QualityFinding,
  type StoredCaseQuality,
  type TestCaseStatus,
} from '../../core/index.ts';
import { fromJson, toJson, writeTransaction, type StorageContext } from '../context.ts';
import type { DatabaseSchema } from '../schema.ts';
import { toStoryRecord } from './stories.ts';
import { toContent } from './test-cases.ts';

/** Stories scored per query when many must be (a refresh, the migration's backfill). */
const STORIES_PER_BATCH = 100;

/**
 * Scores the cases of `storyIds` again and stores what changed. Runs on the caller's database or
 * open transaction; cases of a removed story are simply absent. With `lock` (PostgreSQL, inside a
 * transaction) the stories' rows are locked first, so of two transactions changing cases of the
 * same story the later one waits and scores with the earlier one's committed content.
 *
 * @example
 * await rescoreStories(transaction, [testCase.storyId], { lock: context.dialect === 'postgres' });
 */
export async function rescoreStories(
  database: Kysely<DatabaseSchema>,
  storyIds: readonly string[],
  options: { lock?: boolean } = {},
): Promise<void> {
  const unique = [...new Set(storyIds)].sort();
  for (let start = 0; start < unique.length; start += STORIES_PER_BATCH) {
    await rescoreBatch(database, unique.slice(start, start + STORIES_PER_BATCH), options.lock ?? false);
  }
}

async function rescoreBatch(
  database: Kysely<DatabaseSchema>,
  storyIds: string[],
  lock: boolean,
): Promise<void> {
  let storyQuery = database.selectFrom('stories').selectAll().where('id', 'in', storyIds).orderBy('id');
  if (lock) storyQuery = storyQuery.forNoKeyUpdate();
  const stories = (await storyQuery.execute()).map(toStoryRecord);
  const rows = await database
    .selectFrom('test_cases')
    .selectAll()
    .where('story_id', 'in', storyIds)
    .orderBy('story_id')
    .orderBy('case_number')
    .execute();
  for (const story of stories) {
    const cases = rows.filter((row) => row.story_id === story.id);
    const scores = scoreStoredCases(
      story,
      cases.map((row) => ({
        id: row.id,
        status: row.status as TestCaseStatus,
        testCase: { id: `TC-${row.case_number}`, ...toContent(row) },
      })),
    );
    for (const row of cases) {
      const quality = scores.get(row.id)!;
      const findings = toJson(quality.findings);
      if (
        row.quality_scorer === CASE_SCORER_FINGERPRINT &&
        row.quality_score === quality.score &&
        row.quality_findings === findings
      )
        continue;
      await storeQuality(database, row, quality, findings);
    }
  }
}

async function storeQuality(
  database: Kysely<DatabaseSchema>,
  row: { id: string; project_id: string },
  quality: StoredCaseQuality,
  findings: string,
): Promise<void> {
  await database
    .updateTable('test_cases')
    .set({
      quality_score: quality.score,
      quality_findings: findings,
      quality_finding_count: quality.findings.length,
      quality_scorer: CASE_SCORER_FINGERPRINT,
    })
    .where('id', '=', row.id)
    .execute();
  await database.deleteFrom('test_case_findings').where('test_case_id', '=', row.id).execute();
  const rules = [...new Set(quality.findings.map((finding) => finding.rule))];
  if (rules.length > 0) {
    await database
      .insertInto('test_case_findings')
      .values(rules.map((rule) => ({ test_case_id: row.id, project_id: row.project_id, rule })))
      .execute();
  }
}

/**
 * Scores again, in batches, the stories whose cases have no stored score or one from another
 * scorer; returns how many stories it scored. `transact` runs each batch in one write
 * transaction, so a long refresh never holds the write lock for long.
 */
export async function refreshStaleQuality(
  context: StorageContext,
  scope: { projectId?: string; storyIds?: readonly string[] },
): Promise<number> {
  const { database } = context;
  if (scope.storyIds !== undefined && scope.storyIds.length === 0) return 0;
  const done = new Set<string>();
  for (;;) {
    let query = database
      .selectFrom('test_cases')
      .select('story_id')
      .distinct()
      .where((expression) =>
        expression.or([
          expression('quality_scorer', 'is', null),
          expression('quality_scorer', '!=', CASE_SCORER_FINGERPRINT),
        ]),
      );
    if (scope.projectId !== undefined) query = query.where('project_id', '=', scope.projectId);
    if (scope.storyIds !== undefined) query = query.where('story_id', 'in', [...scope.storyIds]);
    const stale = (await query.limit(STORIES_PER_BATCH).execute()).map((row) => row.story_id);
    // A story still stale after its scoring (removed meanwhile) ends the refresh instead of looping.
    if (stale.length === 0 || stale.some((storyId) => done.has(storyId))) return done.size;
    await writeTransaction(context, (transaction) =>
      rescoreStories(transaction, stale, { lock: context.dialect === 'postgres' }),
    );
    for (const storyId of stale) done.add(storyId);
  }
}

/** The stored quality of the cases among `ids` that have one. */
export async function readStoredQuality(
  database: Kysely<DatabaseSchema>,
  ids: readonly string[],
): Promise<Map<string, StoredCaseQuality>> {
  const result = new Map<string, StoredCaseQuality>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await database
      .selectFrom('test_cases')
      .select(['id', 'quality_score', 'quality_findings'])
      .where('id', 'in', unique.slice(start, start + 500))
      .execute();
    for (const row of rows) {
      if (row.quality_score === null) continue;
      result.set(row.id, {
        score: Number(row.quality_score),
        findings: fromJson<QualityFinding[]>(row.quality_findings, []),
      });
    }
  }
  return result;
}
