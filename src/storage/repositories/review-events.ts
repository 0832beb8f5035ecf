/**
 * The review log: one row per review action on a case (accept, reject, reset to draft, edit,
 * restore, regenerate), written by the repository method that makes the change, inside its
 * transaction, so a change and its log entry are stored together or not at all.
 */
import type { Kysely } from 'kysely';
import type { ReviewAction, ReviewEventRecord } from '../../core/index.ts';
import { newId } from '../../shared/ids.ts';
import type { DatabaseSchema } from '../schema.ts';

/** Records `action` on each case, all at `createdAt`. */
export async function recordReviewEvents(
  transaction: Kysely<DatabaseSchema>,
  cases: ReadonlyArray<{ id: string; project_id: string }>,
  event: { action: ReviewAction; actor: string | null; createdAt: string },
): Promise<void> {
  // 6 parameters a row: 500 rows stay far below both dialects' parameter limits.
  for (let start = 0; start < cases.length; start += 500) {
    await transaction
      .insertInto('review_events')
      .values(
        cases.slice(start, start + 500).map((testCase) => ({
          id: newId(),
          project_id: testCase.project_id,
          test_case_id: testCase.id,
          action: event.action,
          actor: event.actor,
          created_at: event.createdAt,
        })),
      )
      .execute();
  }
}

/** A case's review log, oldest first. */
export async function readReviewEvents(
  database: Kysely<DatabaseSchema>,
  testCaseId: string,
): Promise<ReviewEventRecord[]> {
  const rows = await database
    .selectFrom('review_events')
    .selectAll()
    .where('test_case_id', '=', testCaseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    testCaseId: row.test_case_id,
    projectId: row.project_id,
    action: row.action as ReviewAction,
    actor: row.actor,
    createdAt: row.created_at,
  }));
}
