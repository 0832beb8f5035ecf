/**
 * Reading a test case's history: its earlier versions (each with who made it) and who made the
 * current version and last reviewed it. Versions are written by `updateContent` in test-cases.ts.
 */
import type { Kysely } from 'kysely';
import type {
  TestCaseAuthorship,
  TestCaseContent,
  TestCaseStatus,
  TestCaseVersion,
} from '../../core/repositories.ts';
import { fromJson } from '../context.ts';
import type { DatabaseSchema } from '../schema.ts';

/** Earlier versions, oldest first. */
export async function readHistory(database: Kysely<DatabaseSchema>, id: string): Promise<TestCaseVersion[]> {
  const rows = await database
    .selectFrom('test_case_versions')
    .selectAll()
    .where('test_case_id', '=', id)
    .orderBy('version')
    .execute();
  return rows.map((row): TestCaseVersion => ({
    testCaseId: row.test_case_id,
    version: row.version,
    content: fromJson<TestCaseContent>(row.content, {} as TestCaseContent),
    editedAt: row.edited_at,
    note: row.note,
    actor: row.actor,
    status: row.status as TestCaseStatus | null,
  }));
}

export async function readAuthorship(
  database: Kysely<DatabaseSchema>,
  id: string,
): Promise<TestCaseAuthorship | undefined> {
  const row = await database
    .selectFrom('test_cases')
    .select(['actor', 'status_actor', 'status_changed_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { actor: row.actor, statusActor: row.status_actor, statusChangedAt: row.status_changed_at };
}
