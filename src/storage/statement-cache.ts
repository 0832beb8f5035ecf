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
 * A statement as Kysely's driver uses it, reading rows as arrays and making each row's object
 * itself. better-sqlite3 builds an object a row through V8's slow path (one named property at a
 * time on a fresh object); its arrays, filled into objects of one shape here, cost half as much
 * for a page of wide rows. Same objects: the columns' names in order, a later one of the same name
 * winning, as in better-sqlite3's own.
 */
class ArrayReadStatement implements SqliteStatement {
  readonly statement: Statement;
  #columnNames: string[] | undefined;

  constructor(statement: Statement) {
    this.statement = statement;
  }

  get reader(): boolean {
    return this.statement.reader;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    if (!this.statement.reader) return this.statement.all(parameters);
    const names = (this.#columnNames ??= this.statement.columns().map((column) => column.name));
    const rows = this.statement.raw(true).all(parameters) as unknown[][];
    const objects = new Array<Record<string, unknown>>(rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      const values = rows[index]!;
      const row: Record<string, unknown> = {};
      for (let column = 0; column < names.length; column += 1) row[names[column]!] = values[column];
      objects[index] = row;
    }
    return objects;
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.statement.run(parameters);
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    // Kept statements are shared: the mode is set on every call, never left to the last caller.
    return this.statement.raw(false).iterate(parameters);
  }
}

/**
 * The database as Kysely's `SqliteDialect` takes it, with `prepare` answering from the cache.
 * A kept statement that is busy (a stream still reading its rows) is not shared: that query gets
 * a fresh statement of its own.
 *
 * @example
 * new Kysely({ dialect: new SqliteDialect({ database: cachedStatements(new BetterSqlite3(path)) }) });
 */
export function cachedStatements(sqlite: Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, ArrayReadStatement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare: (text: string): SqliteStatement => {
      const kept = statements.get(text);
      if (kept) {
        if (kept.statement.busy) return new ArrayReadStatement(sqlite.prepare(text));
        // Map order is insertion order: moved to the end, it is the most recently used.
        statements.delete(text);
        statements.set(text, kept);
        return kept;
      }
      const statement = new ArrayReadStatement(sqlite.prepare(text));
      statements.set(text, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
