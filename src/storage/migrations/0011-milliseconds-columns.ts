import type { Kysely } from 'kysely';

/**
 * One unit suffix for milliseconds (issue 15): `providers.timeout_ms` and `generations.latency_ms`
 * become `timeout_milliseconds` and `latency_milliseconds`, and the keys `deadlineMs` and
 * `maxRetryAfterMs` in each provider's `limits` JSON become `deadlineMilliseconds` and
 * `maxRetryAfterMilliseconds` (the limits schema would otherwise drop the old keys unread).
 * `RENAME COLUMN` keeps the values, and works on SQLite (3.25+) and PostgreSQL alike.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(database: Kysely<any>): Promise<void> {
  await database.schema.alterTable('providers').renameColumn('timeout_ms', 'timeout_milliseconds').execute();
  await database.schema
    .alterTable('generations')
    .renameColumn('latency_ms', 'latency_milliseconds')
    .execute();
  await renameLimitKeys(database, LIMIT_KEYS);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  await renameLimitKeys(
    database,
    LIMIT_KEYS.map(([before, after]) => [after, before]),
  );
  await database.schema
    .alterTable('generations')
    .renameColumn('latency_milliseconds', 'latency_ms')
    .execute();
  await database.schema.alterTable('providers').renameColumn('timeout_milliseconds', 'timeout_ms').execute();
}

/** The keys before and after this migration. */
const LIMIT_KEYS: [string, string][] = [
  ['deadlineMs', 'deadlineMilliseconds'],
  ['maxRetryAfterMs', 'maxRetryAfterMilliseconds'],
];

/** Rewrites the limits JSON of the providers holding an old key (few rows: one per provider). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function renameLimitKeys(database: Kysely<any>, keys: [string, string][]): Promise<void> {
  const rows: { id: string; limits: string }[] = await database
    .selectFrom('providers')
    .select(['id', 'limits'])
    .execute();
  for (const row of rows) {
    let limits: Record<string, unknown>;
    try {
      limits = JSON.parse(row.limits) as Record<string, unknown>;
    } catch {
      continue; // Not JSON: the repository reads it as no limits, as before.
    }
    if (!limits || typeof limits !== 'object') continue;
    let changed = false;
    for (const [before, after] of keys) {
      if (!(before in limits)) continue;
      if (!(after in limits)) limits[after] = limits[before];
      delete limits[before];
      changed = true;
    }
    if (changed) {
      await database
        .updateTable('providers')
        .set({ limits: JSON.stringify(limits) })
        .where('id', '=', row.id)
        .execute();
    }
  }
}
