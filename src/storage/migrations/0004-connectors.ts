import type { Kysely } from 'kysely';

/**
 * Connectors: stored connections to Jira, Xray and TestRail (secrets encrypted), the Jira issue
 * each story came from, what was pushed where (for idempotent re-pushes and resumes), and push jobs.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(database: Kysely<any>): Promise<void> {
  await database.schema
    .createTable('connections')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('base_url', 'text', (column) => column.notNull())
    .addColumn('settings', 'text', (column) => column.notNull().defaultTo('{}'))
    .addColumn('secret_encrypted', 'text')
    .addColumn('secret_masked', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  await database.schema
    .createTable('story_issues')
    .addColumn('story_id', 'text', (column) =>
      column.primaryKey().references('stories.id').onDelete('cascade'),
    )
    .addColumn('issue_id', 'text', (column) => column.notNull())
    .addColumn('issue_key', 'text', (column) => column.notNull())
    .addColumn('site_url', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  await database.schema
    .createTable('pushed_cases')
    .addColumn('test_case_id', 'text', (column) =>
      column.notNull().references('test_cases.id').onDelete('cascade'),
    )
    .addColumn('target', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('external_id', 'text')
    .addColumn('external_key', 'text')
    .addColumn('pushed_version', 'integer', (column) => column.notNull())
    .addColumn('batch_id', 'text')
    .addColumn('pushed_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('pushed_cases_primary_key', ['test_case_id', 'target'])
    .execute();

  await database.schema
    .createTable('push_jobs')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) =>
      column.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('target', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('options', 'text', (column) => column.notNull())
    .addColumn('counts', 'text', (column) => column.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await database.schema.createIndex('push_jobs_project_index').on('push_jobs').column('project_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  for (const table of ['push_jobs', 'pushed_cases', 'story_issues', 'connections']) {
    await database.schema.dropTable(table).execute();
  }
}
