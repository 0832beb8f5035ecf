import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from './schema.ts';
import type { SecretBox } from './secret-box.ts';

export type Dialect = 'sqlite' | 'postgres';

/** What every repository needs: the database, its dialect, the clock and the secret box. */
export interface StorageContext {
  database: Kysely<DatabaseSchema>;
  dialect: Dialect;
  /** The current time as an ISO 8601 string (injected clock). */
  now(): string;
  /** The current time in milliseconds (injected clock). */
  nowMilliseconds(): number;
  /** Resolved on first use, so a workspace without provider keys never needs a secret key. */
  secretBox(): Promise<SecretBox>;
}

/**
 * Runs `work` in one write transaction. On SQLite it begins with `BEGIN IMMEDIATE`: the write
 * lock is taken up front (waiting up to the busy timeout) instead of failing with SQLITE_BUSY
 * when a read inside the transaction later upgrades to a write while another connection wrote.
 */
export async function writeTransaction<Value>(
  context: StorageContext,
  work: (database: Kysely<DatabaseSchema>) => Promise<Value>,
): Promise<Value> {
  if (context.dialect === 'postgres') {
    return context.database.transaction().execute(work);
  }
  return context.database.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const value = await work(connection);
      await sql`commit`.execute(connection);
      return value;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}

/** True for a unique or primary key violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<Value>(text: string | null, fallback: Value): Value {
  if (text === null || text === '') return fallback;
  return JSON.parse(text) as Value;
}

/** PostgreSQL returns counts and sums as strings (bigint); SQLite as numbers. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return Number(value);
}
