import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * SQLite: new test cases raise their project's revision from the one place that inserts them
 * (`insertTestCases` in repositories/test-case-inserts.ts), one update per project and statement,
 * instead of from a row trigger that updated the project row once per case (19 updates for a
 * generation of 19 cases, about a quarter of the insert's time). The counter rises by the same
 * amount as before, the number of new cases. Updates and deletes of cases keep their triggers
 * (0010); so does PostgreSQL, whose deferred trigger already raises it once per transaction.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(database: Kysely<any>): Promise<void> {
  if (isPostgres(database)) return;
  await sql.raw('drop trigger if exists test_cases_insert_revision').execute(database);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  if (isPostgres(database)) return;
  await sql
    .raw(
      'create trigger test_cases_insert_revision after insert on test_cases for each row ' +
        'begin update projects set revision = revision + 1 where id in (new.project_id); end',
    )
    .execute(database);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function isPostgres(database: Kysely<any>): boolean {
  return database.getExecutor().adapter instanceof PostgresAdapter;
}
