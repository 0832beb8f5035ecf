import { CompiledQuery, type Kysely } from 'kysely';
import { ConflictError } from './errors.ts';
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
  /**
   * True when `database` is an open transaction (repositories handed out by
   * `Storage.transaction`): their writes join it instead of starting their own.
   */
  inTransaction?: boolean;
}

/** How many times a transaction the database aborted (deadlock, serialisation failure) is run again. */
export const TRANSACTION_RETRIES = 5;

/** SQLite's transaction statements, compiled once (a `sql` template is built again every call). */
const BEGIN_IMMEDIATE = CompiledQuery.raw('begin immediate');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

/**
 * Runs `work` in one write transaction. On SQLite it begins with `BEGIN IMMEDIATE`: the write
 * lock is taken up front (waiting up to the busy timeout) instead of failing with SQLITE_BUSY
 * when a read inside the transaction later upgrades to a write while another connection wrote.
 */
export async function writeTransaction<Value>(
  context: StorageContext,
  work: (database: Kysely<DatabaseSchema>) => Promise<Value>,
): Promise<Value> {
  if (context.inTransaction) return work(context.database);
  if (context.dialect === 'postgres') {
    return retryAbortedTransaction(() => context.database.transaction().execute(work));
  }
  return context.database.connection().execute(async (connection) => {
    await connection.executeQuery(BEGIN_IMMEDIATE);
    try {
      const value = await work(connection);
      await connection.executeQuery(COMMIT);
      return value;
    } catch (error) {
      await connection.executeQuery(ROLLBACK).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Runs `attempt` again when PostgreSQL aborted it to resolve a deadlock (40P01) or a
 * serialisation failure (40001): the transaction was rolled back whole, so running it again is
 * safe, and the waiting grows a little each time so the contenders fall out of step. A bounded
 * number of times; after that a `ConflictError` (409 from the API) says to try again.
 */
export async function retryAbortedTransaction<Value>(attempt: () => Promise<Value>): Promise<Value> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransactionAborted(error)) throw error;
      if (retry >= TRANSACTION_RETRIES) {
        throw new ConflictError(
          `Concurrent changes to the same data kept clashing; the change was not saved (tried ${retry + 1} times).`,
          { fix: 'Try again.', cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (retry + 1)));
    }
  }
}

/** True for a PostgreSQL deadlock or serialisation failure: the transaction may simply run again. */
export function isTransactionAborted(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
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
