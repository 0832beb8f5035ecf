import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedStatements } from './statement-cache.ts';

describe('cachedStatements', () => {
  const opened: BetterSqlite3.Database[] = [];
  afterEach(() => {
    for (const sqlite of opened.splice(0)) if (sqlite.open) sqlite.close();
  });
  function open() {
    const sqlite = new BetterSqlite3(':memory:');
    opened.push(sqlite);
    sqlite.exec('create table items (n integer)');
    sqlite.exec('insert into items values (1), (2), (3)');
    return sqlite;
  }

  it('prepares a SQL text once and answers it again from the cache', () => {
    const database = cachedStatements(open());
    const first = database.prepare('select n from items order by n');
    expect(database.prepare('select n from items order by n')).toBe(first);
    expect(database.prepare('select n from items order by n desc')).not.toBe(first);
    expect(first.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('gives a fresh statement while the kept one is still reading rows', () => {
    const database = cachedStatements(open());
    const reading = database.prepare('select n from items order by n');
    const rows = reading.iterate([]);
    expect(rows.next().value).toEqual({ n: 1 });
    const meanwhile = database.prepare('select n from items order by n');
    expect(meanwhile).not.toBe(reading);
    expect(meanwhile.all([])).toHaveLength(3);
    expect([...rows]).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('keeps at most the given number of statements, the least recently used going first', () => {
    const database = cachedStatements(open(), 2);
    const one = database.prepare('select 1');
    const two = database.prepare('select 2');
    expect(database.prepare('select 1')).toBe(one); // now the most recently used
    database.prepare('select 3'); // pushes out "select 2"
    expect(database.prepare('select 1')).toBe(one);
    expect(database.prepare('select 2')).not.toBe(two);
  });

  it('reads the rows better-sqlite3 itself reads: names in order, the later of two alike winning, every type', () => {
    const sqlite = open();
    sqlite.exec('create table other (n integer, label text, data blob, ratio real)');
    sqlite.exec("insert into other values (1, 'one', x'0102', 0.5), (3, null, null, null)");
    const text =
      'select items.n, other.* , items.n * 10 as tenfold from items left join other on other.n = items.n order by items.n';
    const database = cachedStatements(sqlite);
    const read = database.prepare(text).all([]);
    expect(read).toEqual(sqlite.prepare(text).all());
    expect(Object.keys(read[0] as object)).toEqual(Object.keys(sqlite.prepare(text).get() as object));
    expect(read[0]).toEqual({ n: 1, label: 'one', data: Buffer.from([1, 2]), ratio: 0.5, tenfold: 10 });
  });

  it('iterates objects after reading arrays, and reads after iterating, with one kept statement', () => {
    const database = cachedStatements(open());
    const statement = database.prepare('select n from items where n > ? order by n');
    expect(statement.all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect([...statement.iterate([1])]).toEqual([{ n: 2 }, { n: 3 }]);
    expect(statement.all([2])).toEqual([{ n: 3 }]);
    const insert = database.prepare('insert into items values (?) returning n');
    expect(insert.reader).toBe(true);
    expect(insert.all([4])).toEqual([{ n: 4 }]);
    expect(database.prepare('insert into items values (?)').run([5])).toMatchObject({ changes: 1 });
  });

  it('closes the database', () => {
    const sqlite = open();
    cachedStatements(sqlite).close();
    expect(sqlite.open).toBe(false);
  });
});
