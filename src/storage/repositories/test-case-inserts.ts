/**
 * Inserting test cases: numbering, one multi-row statement per 200 rows on both dialects, and a
 * clash with an existing case number named before anything is written.
 */
import type { Kysely, Selectable } from 'kysely';
import type { NewTestCase, TestCaseRecord } from '../../core/repositories.ts';
import { executeCompiled } from '../compiled-queries.ts';
import { isUniqueViolation, toNumber, type Dialect, type StorageContext } from '../context.ts';
import { ConflictError } from '../errors.ts';
import type { DatabaseSchema, TestCaseTable } from '../schema.ts';
import { contentColumns, toTestCaseRecord } from './test-case-rows.ts';
import { timeOrderedId } from './time-ordered-id.ts';

/** Rows per insert statement: about 25 parameters each, far below either database's limit. */
const ROWS_PER_INSERT = 200;

/** Stories per query when reading their highest case numbers or their taken ones. */
const STORIES_PER_QUERY = 500;

/**
 * Inserts test cases inside the caller's transaction, numbering those without a case number
 * after the story's highest. Shared by `insertMany` and generation saving.
 *
 * New rows carry no stored quality (`quality_scorer` null), which alone makes their story stale:
 * its next quality read (`refreshStaleQuality`) scores the whole story again, the other cases'
 * near-duplicate findings included, so storing a generation scores nothing and marks nothing.
 */
export async function insertTestCases(
  transaction: Kysely<DatabaseSchema>,
  context: StorageContext,
  testCases: NewTestCase[],
): Promise<TestCaseRecord[]> {
  const now = context.now();
  const numbered = testCases.every((testCase) => testCase.caseNumber === undefined);
  const highest = await highestCaseNumbers(
    transaction,
    context.dialect,
    testCases.filter((testCase) => testCase.caseNumber === undefined).map((testCase) => testCase.storyId),
  );
  const nextNumberByStory = new Map<string, number>();
  const rows: Selectable<TestCaseTable>[] = [];
  for (const testCase of testCases) {
    const caseNumber =
      testCase.caseNumber ??
      nextNumberByStory.get(testCase.storyId) ??
      (highest.get(testCase.storyId) ?? 0) + 1;
    nextNumberByStory.set(
      testCase.storyId,
      Math.max(caseNumber + 1, nextNumberByStory.get(testCase.storyId) ?? 0),
    );
    rows.push(newRow(testCase, caseNumber, now));
  }
  if (!numbered) await refuseTakenNumbers(transaction, rows);
  await insertRows(transaction, context.dialect, rows, numbered);
  await raiseProjectRevisions(transaction, context.dialect, rows);
  return rows.map(toTestCaseRecord);
}

/**
 * SQLite: raises each project's revision by its number of new cases, one update per project, as
 * the row trigger that migration 0013 dropped did one case at a time. This is the only place that
 * inserts test cases; an insert anywhere else must raise the revision too. PostgreSQL's deferred
 * trigger raises it at commit.
 */
async function raiseProjectRevisions(
  transaction: Kysely<DatabaseSchema>,
  dialect: Dialect,
  rows: readonly Selectable<TestCaseTable>[],
): Promise<void> {
  if (dialect !== 'sqlite') return;
  const added = new Map<string, number>();
  for (const row of rows) added.set(row.project_id, (added.get(row.project_id) ?? 0) + 1);
  for (const [projectId, count] of added) {
    await executeCompiled(transaction, dialect, 'raise project revision', [count, projectId], () =>
      transaction
        .updateTable('projects')
        .set((expression) => ({ revision: expression('revision', '+', count) }))
        .where('id', '=', projectId),
    );
  }
}

function newRow(testCase: NewTestCase, caseNumber: number, now: string): Selectable<TestCaseTable> {
  return {
    id: timeOrderedId(),
    project_id: testCase.projectId,
    story_id: testCase.storyId,
    generation_id: testCase.generationId ?? null,
    case_number: caseNumber,
    ...contentColumns(testCase),
    status: testCase.status ?? 'draft',
    needs_review: 0,
    needs_review_reason: null,
    version: 1,
    created_at: now,
    updated_at: now,
    actor: testCase.actor ?? null,
    status_actor: null,
    status_changed_at: null,
    quality_score: null,
    quality_findings: null,
    quality_finding_count: null,
    quality_scorer: null,
  };
}

/**
 * The highest case number of each story (absent: none yet), one query per 500 stories. A
 * subquery per story, not `group by`: both databases then read each maximum off the end of the
 * (story, case number) index instead of scanning every case of the story.
 */
async function highestCaseNumbers(
  transaction: Kysely<DatabaseSchema>,
  dialect: Dialect,
  storyIds: readonly string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(storyIds)];
  const highest = new Map<string, number>();
  for (let start = 0; start < unique.length; start += STORIES_PER_QUERY) {
    const ids = unique.slice(start, start + STORIES_PER_QUERY);
    const { rows } = await executeCompiled(
      transaction,
      dialect,
      `highest case numbers ${ids.length}`,
      ids,
      () =>
        transaction
          .selectFrom('stories')
          .select((expression) => [
            'stories.id',
            expression
              .selectFrom('test_cases')
              .select((inner) => inner.fn.max('test_cases.case_number').as('highest'))
              .whereRef('test_cases.story_id', '=', 'stories.id')
              .as('highest'),
          ])
          .where('stories.id', 'in', ids),
    );
    for (const row of rows) highest.set(row.id, toNumber(row.highest));
  }
  return highest;
}

/**
 * Case numbers given by the caller: the first one that is taken (by a stored case or an earlier
 * row of the same call) is refused by name before anything is written, so the rows can go in
 * one statement and a clash still names its case.
 */
async function refuseTakenNumbers(
  transaction: Kysely<DatabaseSchema>,
  rows: readonly Selectable<TestCaseTable>[],
): Promise<void> {
  const taken = new Set<string>();
  const storyIds = [...new Set(rows.map((row) => row.story_id))];
  for (let start = 0; start < storyIds.length; start += STORIES_PER_QUERY) {
    const stored = await transaction
      .selectFrom('test_cases')
      .select(['story_id', 'case_number'])
      .where('story_id', 'in', storyIds.slice(start, start + STORIES_PER_QUERY))
      .where('case_number', 'in', [...new Set(rows.map((row) => row.case_number))])
      .execute();
    for (const row of stored) taken.add(`${row.story_id} ${row.case_number}`);
  }
  for (const row of rows) {
    const key = `${row.story_id} ${row.case_number}`;
    if (taken.has(key)) throw caseNumberTaken(row.case_number);
    taken.add(key);
  }
}

function caseNumberTaken(caseNumber: number, cause?: unknown): ConflictError {
  return new ConflictError(`The story already has a test case TC-${caseNumber}; nothing was saved.`, {
    fix: 'Leave the case number out to number new cases after the existing ones.',
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * One statement per 200 rows, its text compiled once per row count (every row has `newRow`'s
 * columns in its order). A clash left after the checks means another transaction stored the same
 * numbers meanwhile (PostgreSQL; SQLite holds the write lock from the start).
 */
async function insertRows(
  transaction: Kysely<DatabaseSchema>,
  dialect: Dialect,
  rows: Selectable<TestCaseTable>[],
  numberedHere: boolean,
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const values = chunk.flatMap((row) => Object.values(row));
    try {
      await executeCompiled(transaction, dialect, `insert test cases ${chunk.length}`, values, () =>
        transaction.insertInto('test_cases').values(chunk),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (!numberedHere && chunk.length === 1) throw caseNumberTaken(chunk[0]!.case_number, error);
      const numbers = chunk.map((row) => `TC-${row.case_number}`);
      throw new ConflictError(
        `Another save numbered test cases of the story at the same time (${numbers[0]} to ${numbers.at(-1)}); nothing was saved.`,
        { fix: 'Try again.', cause: error },
      );
    }
  }
}
