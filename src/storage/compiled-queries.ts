/**
 * SQL texts compiled once for the write path's fixed-shape queries. Kysely parses and compiles a
 * query's builder on every call: for a generation's 19 test cases (some 475 values) that is about
 * 0.2 ms of a 1.4 ms store, more than some of the statements themselves. A query whose text
 * depends only on the dialect and on how many rows or values it carries is compiled by Kysely the
 * first time and its text reused afterwards with each call's own parameters; better-sqlite3's
 * prepared statement of that text is kept by the statement cache (statement-cache.ts).
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Dialect } from './context.ts';
import type { DatabaseSchema } from './schema.ts';

/** Texts kept: a few shapes per query (the row counts seen), far fewer than this. */
const TEXTS_KEPT = 512;

const texts = new Map<string, string>();

/**
 * Runs the query `build` makes, with `parameters` (the values Kysely would bind, in its order).
 * The first call of a `shape` (per dialect) compiles the builder and keeps its text only when
 * Kysely's parameters are exactly `parameters`: a query whose values Kysely would write into the
 * text, or order differently, is never reused, only compiled every time as before.
 *
 * @example
 * await executeCompiled(transaction, 'sqlite', `highest ${ids.length}`, ids, () =>
 *   transaction.selectFrom('stories').select('id').where('id', 'in', ids));
 */
export async function executeCompiled<Row>(
  database: Kysely<DatabaseSchema>,
  dialect: Dialect,
  shape: string,
  parameters: unknown[],
  build: () => Compilable<Row>,
): Promise<QueryResult<Row>> {
  const key = `${dialect} ${shape}`;
  const text = texts.get(key);
  if (text !== undefined) return database.executeQuery<Row>(CompiledQuery.raw(text, parameters));
  const compiled = build().compile();
  if (sameValues(compiled.parameters, parameters)) {
    if (texts.size >= TEXTS_KEPT) texts.delete(texts.keys().next().value!);
    texts.set(key, compiled.sql);
  }
  return database.executeQuery(compiled);
}

function sameValues(compiled: readonly unknown[], given: readonly unknown[]): boolean {
  if (compiled.length !== given.length) return false;
  for (let index = 0; index < given.length; index += 1) {
    if (!Object.is(compiled[index], given[index])) return false;
  }
  return true;
}
