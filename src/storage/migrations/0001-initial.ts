import type { Kysely } from 'kysely';

/**
 * The first schema. Written once for both dialects with portable types only (text, integer,
 * double precision); see `../schema.ts` for the conventions.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// One function per migration, kept as written: a migration is history, not code to refactor.
// eslint-disable-next-line @typescript-eslint/no-explicit-any, max-lines-per-function -- a frozen migration (ARCHITECTURE.md, "Size exceptions")
export async function up(database: Kysely<any>): Promise<void> {
  await database.schema
    .createTable('providers')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .addColumn('base_url', 'text', (column) => column.notNull())
    .addColumn('model', 'text', (column) => column.notNull())
    .addColumn('temperature', 'double precision')
    .addColumn('max_tokens', 'integer')
    .addColumn('timeout_ms', 'integer')
    .addColumn('extra_headers', 'text', (column) => column.notNull().defaultTo('{}'))
    .addColumn('limits', 'text', (column) => column.notNull().defaultTo('{}'))
    .addColumn('api_key_encrypted', 'text')
    .addColumn('api_key_masked', 'text', (column) => column.notNull())
    .addColumn('structured_output_mode', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  await database.schema
    .createTable('projects')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .addColumn('default_format', 'text', (column) => column.notNull())
    .addColumn('test_case_rules', 'text', (column) => column.notNull().defaultTo(''))
    .addColumn('default_provider_id', 'text', (column) =>
      column.references('providers.id').onDelete('set null'),
    )
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  await database.schema
    .createTable('stories')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) =>
      column.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('key', 'text', (column) => column.notNull())
    .addColumn('summary', 'text', (column) => column.notNull())
    .addColumn('description', 'text', (column) => column.notNull())
    .addColumn('acceptance_criteria', 'text', (column) => column.notNull())
    .addColumn('out_of_scope', 'text', (column) => column.notNull())
    .addColumn('notes', 'text', (column) => column.notNull())
    .addColumn('source', 'text', (column) => column.notNull())
    .addColumn('content_hash', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addUniqueConstraint('stories_project_key_unique', ['project_id', 'key'])
    .execute();

  await database.schema
    .createTable('generations')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) =>
      column.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('story_id', 'text', (column) => column.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('engine', 'text', (column) => column.notNull())
    .addColumn('provider_name', 'text')
    .addColumn('model', 'text')
    .addColumn('response_mode', 'text')
    .addColumn('prompt', 'text', (column) => column.notNull())
    .addColumn('raw_answer', 'text')
    .addColumn('usage', 'text')
    .addColumn('latency_ms', 'integer')
    .addColumn('warnings', 'text', (column) => column.notNull())
    .addColumn('idempotency_key', 'text', (column) => column.unique())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
  await database.schema.createIndex('generations_story_index').on('generations').column('story_id').execute();

  await database.schema
    .createTable('test_cases')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) =>
      column.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('story_id', 'text', (column) => column.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('generation_id', 'text', (column) => column.references('generations.id').onDelete('set null'))
    .addColumn('case_number', 'integer', (column) => column.notNull())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('priority', 'text', (column) => column.notNull())
    .addColumn('preconditions', 'text', (column) => column.notNull())
    .addColumn('steps', 'text', (column) => column.notNull())
    .addColumn('gherkin', 'text')
    .addColumn('covers', 'text', (column) => column.notNull())
    .addColumn('engine', 'text', (column) => column.notNull())
    .addColumn('warnings', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('needs_review', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('needs_review_reason', 'text')
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addUniqueConstraint('test_cases_story_case_number_unique', ['story_id', 'case_number'])
    .execute();
  await database.schema
    .createIndex('test_cases_project_status_index')
    .on('test_cases')
    .columns(['project_id', 'status'])
    .execute();

  await database.schema
    .createTable('test_case_versions')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('test_case_id', 'text', (column) =>
      column.notNull().references('test_cases.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('content', 'text', (column) => column.notNull())
    .addColumn('edited_at', 'text', (column) => column.notNull())
    .addColumn('note', 'text')
    .addUniqueConstraint('test_case_versions_case_version_unique', ['test_case_id', 'version'])
    .execute();

  await database.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('token_hash', 'text', (column) => column.notNull().unique())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('last_used_at', 'text')
    .execute();

  await database.schema
    .createTable('jobs')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) =>
      column.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('options', 'text', (column) => column.notNull())
    .addColumn('budget', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  await database.schema
    .createTable('job_tasks')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('job_id', 'text', (column) => column.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('story_id', 'text', (column) => column.notNull().references('stories.id').onDelete('cascade'))
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('available_at', 'text')
    .addColumn('generation_id', 'text', (column) => column.references('generations.id').onDelete('set null'))
    .addColumn('test_case_count', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('tokens_used', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addUniqueConstraint('job_tasks_job_story_unique', ['job_id', 'story_id'])
    .execute();
  await database.schema
    .createIndex('job_tasks_job_status_index')
    .on('job_tasks')
    .columns(['job_id', 'status'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  for (const table of [
    'job_tasks',
    'jobs',
    'api_tokens',
    'test_case_versions',
    'test_cases',
    'generations',
    'stories',
    'projects',
    'providers',
  ]) {
    await database.schema.dropTable(table).execute();
  }
}
