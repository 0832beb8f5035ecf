import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Two things that make the read routes cheap:
 *
 * - an index on `test_cases (project_id, needs_review)`, so counting a project's cases marked for
 *   review reads the index alone instead of every case of the project;
 * - `projects.revision`, a counter that database triggers raise whenever anything a project's pages
 *   show changes: its stories, its test cases (content, review status, coverage), the project row
 *   itself, or the name of its default provider. A cache keyed by it is never stale, with any
 *   number of servers on one database, and no repository has to remember to raise it.
 *
 * SQLite has only row triggers (one writer at a time); PostgreSQL raises the counter at commit,
 * once per transaction and project, so a bulk insert of a thousand cases costs one update of the
 * project row, and the row is locked only while the transaction commits.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(database: Kysely<any>): Promise<void> {
  await database.schema
    .createIndex('test_cases_project_needs_review_index')
    .on('test_cases')
    .columns(['project_id', 'needs_review'])
    .execute();
  await database.schema
    .alterTable('projects')
    .addColumn('revision', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();
  const statements = isPostgres(database) ? postgresTriggers() : sqliteTriggers();
  for (const statement of statements) await sql.raw(statement).execute(database);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  const postgres = isPostgres(database);
  for (const name of TRIGGER_NAMES) {
    await sql
      .raw(`drop trigger if exists ${name}${postgres ? ` on ${tableOf(name)}` : ''}`)
      .execute(database);
  }
  if (postgres) {
    await sql.raw('drop function if exists reqase_raise_project_revision()').execute(database);
    await sql.raw('drop function if exists reqase_raise_own_revision()').execute(database);
    await sql.raw('drop function if exists reqase_raise_provider_projects_revision()').execute(database);
  }
  await database.schema.alterTable('projects').dropColumn('revision').execute();
  await database.schema.dropIndex('test_cases_project_needs_review_index').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function isPostgres(database: Kysely<any>): boolean {
  return database.getExecutor().adapter instanceof PostgresAdapter;
}

const CHILD_TABLES = ['stories', 'test_cases'] as const;
const EVENTS = ['insert', 'update', 'delete'] as const;
const TRIGGER_NAMES = [
  ...CHILD_TABLES.flatMap((table) => EVENTS.map((event) => `${table}_${event}_revision`)),
  'projects_update_revision',
  'providers_update_revision',
];

function tableOf(triggerName: string): string {
  return triggerName.replace(/_(insert|update|delete)_revision$/, '');
}

/** Row triggers; an update of the counter does not count as a change of the project. */
function sqliteTriggers(): string[] {
  const raise = (projectIds: string) =>
    `update projects set revision = revision + 1 where id in (${projectIds});`;
  const rows = {
    insert: 'new.project_id',
    update: 'old.project_id, new.project_id',
    delete: 'old.project_id',
  };
  return [
    ...CHILD_TABLES.flatMap((table) =>
      EVENTS.map(
        (event) =>
          `create trigger ${table}_${event}_revision after ${event} on ${table} for each row ` +
          `begin ${raise(rows[event])} end`,
      ),
    ),
    'create trigger projects_update_revision after update on projects for each row ' +
      `when new.revision = old.revision begin ${raise('new.id')} end`,
    'create trigger providers_update_revision after update of name on providers for each row ' +
      'begin update projects set revision = revision + 1 where default_provider_id = new.id; end',
  ];
}

/**
 * Deferred row triggers (constraint triggers, run at commit) that raise each touched project's
 * counter once per transaction. At commit, so the project row is always the last lock a writer
 * takes and holds it only for the commit: immediate triggers would lock it at the first write and
 * deadlock with a writer that locks story or case rows first (rescoring, review actions).
 */
function postgresTriggers(): string[] {
  return [
    `create or replace function reqase_raise_project_revision() returns trigger language plpgsql as $$
declare
  touched text;
  marker text;
begin
  foreach touched in array (case tg_op when 'INSERT' then array[new.project_id]
      when 'DELETE' then array[old.project_id] else array[old.project_id, new.project_id] end) loop
    marker := 'reqase.revision_' || md5(touched);
    if coalesce(current_setting(marker, true), '') <> txid_current()::text then
      perform set_config(marker, txid_current()::text, true);
      update projects set revision = revision + 1 where id = touched;
    end if;
  end loop;
  return null;
end $$`,
    ...CHILD_TABLES.flatMap((table) =>
      EVENTS.map(
        (event) =>
          `create constraint trigger ${table}_${event}_revision after ${event} on ${table} ` +
          'deferrable initially deferred for each row execute function reqase_raise_project_revision()',
      ),
    ),
    `create or replace function reqase_raise_own_revision() returns trigger language plpgsql as $$
begin
  if new.revision = old.revision then new.revision := old.revision + 1; end if;
  return new;
end $$`,
    'create trigger projects_update_revision before update on projects for each row ' +
      'execute function reqase_raise_own_revision()',
    `create or replace function reqase_raise_provider_projects_revision() returns trigger language plpgsql as $$
begin
  update projects set revision = revision + 1 where default_provider_id = new.id;
  return null;
end $$`,
    'create trigger providers_update_revision after update of name on providers for each row ' +
      'execute function reqase_raise_provider_projects_revision()',
  ];
}
