import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { executeCompiled } from './compiled-queries.ts';
import type { DatabaseSchema } from './schema.ts';

describe('executeCompiled', () => {
  const opened: Kysely<DatabaseSchema>[] = [];
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.destroy();
  });
  async function open(): Promise<Kysely<DatabaseSchema>> {
    const sqlite = new BetterSqlite3(':memory:');
    sqlite.exec('create table stories (id text primary key, key text)');
    const database = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
    opened.push(database);
    return database;
  }

  it('compiles a shape once and runs its text again with each call’s parameters', async () => {
    const database = await open();
    const insert = (id: string, key: string) =>
      executeCompiled(database, 'sqlite', 'test insert story', [id, key], build);
    const build = vi.fn(() => database.insertInto('stories').values({ id: 'a', key: 'A-1' } as never));
    await insert('a', 'A-1');
    await insert('b', 'B-2');
    expect(build).toHaveBeenCalledTimes(1);
    const select = (ids: string[]) =>
      executeCompiled(database, 'sqlite', `test select ${ids.length}`, ids, () =>
        database.selectFrom('stories').select(['id', 'key']).where('id', 'in', ids).orderBy('id'),
      );
    await select(['a']);
    expect((await select(['b'])).rows).toEqual([{ id: 'b', key: 'B-2' }]);
    expect((await select(['a', 'b'])).rows).toHaveLength(2);
  });

  it('keeps no text when Kysely binds other values than the ones given, and compiles every time', async () => {
    const database = await open();
    const build = vi.fn(() => database.selectFrom('stories').select('id').where('id', '=', 'a'));
    expect((await executeCompiled(database, 'sqlite', 'test mismatch', ['b'], build)).rows).toEqual([]);
    await executeCompiled(database, 'sqlite', 'test mismatch', ['b'], build);
    expect(build).toHaveBeenCalledTimes(2);
  });
});
