import type { Kysely } from 'kysely';

/**
 * Browser sessions in the database, so that revoking a token from any process ends them, a
 * restart keeps them and several server instances share them; only a hash of the session id is
 * stored. Providers get their extra headers encrypted (the plain column keeps masked values) and
 * a first-class header for the API key.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(database: Kysely<any>): Promise<void> {
  await database.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (column) => column.primaryKey())
    .addColumn('token_id', 'text', (column) =>
      column.notNull().references('api_tokens.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('expires_at', 'text', (column) => column.notNull())
    .execute();
  await database.schema.createIndex('sessions_token_index').on('sessions').column('token_id').execute();

  // Null: the header values in `extra_headers` are still in clear (saved before this migration).
  await database.schema.alterTable('providers').addColumn('extra_headers_encrypted', 'text').execute();
  // Null: decided by the base URL (Azure OpenAI wants `api-key`, everything else Bearer).
  await database.schema.alterTable('providers').addColumn('api_key_header', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  await database.schema.alterTable('providers').dropColumn('api_key_header').execute();
  await database.schema.alterTable('providers').dropColumn('extra_headers_encrypted').execute();
  await database.schema.dropTable('sessions').execute();
}
