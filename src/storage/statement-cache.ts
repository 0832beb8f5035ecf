/**
 * Reuses better-sqlite3's prepared statements. Kysely's SQLite driver prepares every query it
 * runs, and compiling the SQL is a good part of a small query's time; the same few dozen SQL
 * texts come back on every request, so the compiled statement of each is kept (least recently
 * used first out). SQLite recompiles a kept statement by itself when the schema changes.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Statements kept: more than the distinct SQL texts of the routes, few enough to stay small. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely's `SqliteDialect` takes it, with `prepare` answering from the cache.
 * A kept statement that is busy (a stream still reading its rows) is not shared: that query gets
 * a fresh statement of its own.
 *
 * @example
 * new Kysely({ dialect: new SqliteDialect({ database: cachedStatements(new BetterSqlite3(path)) }) });
 */
export function cachedStatements(sqlite: Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare: (text: string): SqliteStatement => {
      const kept = statements.get(text);
      if (kept) {
        if (kept.busy) return sqlite.prepare(text);
        // Map order is insertion order: moved to the end, it is the most recently used.
        statements.delete(text);
        statements.set(text, kept);
        return kept;
      }
      const statement = sqlite.prepare(text);
      statements.set(text, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
