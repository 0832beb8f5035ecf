import type { Kysely } from 'kysely';

/**
 * Providers remember their last connection check (verdict, one-line summary, when) and may carry
 * prices (US dollars per million tokens) for cost estimates.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(database: Kysely<any>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one column at a time.
  const columns: [string, 'text' | 'double precision'][] = [
    ['last_check_verdict', 'text'],
    ['last_check_summary', 'text'],
    ['last_checked_at', 'text'],
    ['input_price_per_million_tokens', 'double precision'],
    ['output_price_per_million_tokens', 'double precision'],
  ];
  for (const [name, type] of columns) {
    await database.schema.alterTable('providers').addColumn(name, type).execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  for (const name of [
    'output_price_per_million_tokens',
    'input_price_per_million_tokens',
    'last_checked_at',
    'last_check_summary',
    'last_check_verdict',
  ]) {
    await database.schema.alterTable('providers').dropColumn(name).execute();
  }
}
