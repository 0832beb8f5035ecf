import type { Kysely } from 'kysely';

/**
 * Who changed a test case. `test_case_versions.actor` is who made that version and `status` the
 * case's review status when the version was replaced; `test_cases.actor` is who made the current
 * version, `status_actor` and `status_changed_at` who last accepted or rejected it and when.
 * Rows from before this migration keep null: their actor is unknown.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(database: Kysely<any>): Promise<void> {
  await database.schema.alterTable('test_case_versions').addColumn('actor', 'text').execute();
  await database.schema.alterTable('test_case_versions').addColumn('status', 'text').execute();
  await database.schema.alterTable('test_cases').addColumn('actor', 'text').execute();
  await database.schema.alterTable('test_cases').addColumn('status_actor', 'text').execute();
  await database.schema.alterTable('test_cases').addColumn('status_changed_at', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  for (const column of ['status_changed_at', 'status_actor', 'actor']) {
    await database.schema.alterTable('test_cases').dropColumn(column).execute();
  }
  for (const column of ['status', 'actor']) {
    await database.schema.alterTable('test_case_versions').dropColumn(column).execute();
  }
}
