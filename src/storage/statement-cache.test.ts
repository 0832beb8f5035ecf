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

  it('closes the database', () => {
    const sqlite = open();
    cachedStatements(sqlite).close();
    expect(sqlite.open).toBe(false);
  });
});
