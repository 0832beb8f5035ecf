import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DATABASE_FILE_NAME,
  WAL_SIZE_LIMIT_BYTES,
  openDatabaseWithHandle,
} from '../../src/storage/database.ts';

const directories: string[] = [];
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function walBytes(path: string): Promise<number> {
  return (await stat(path + '-wal').catch(() => ({ size: 0 }))).size;
}

describe('SQLite checkpoints off the writer', () => {
  it('the writer does not checkpoint, the worker keeps the WAL small, close leaves a whole database', async () => {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'reqase-checkpoint-'));
    directories.push(dataDirectory);
    const path = join(dataDirectory, DATABASE_FILE_NAME);
    const { storage, database } = await openDatabaseWithHandle({ dataDirectory });
    // The worker starts after the database has been open a while, then the writer stops checkpointing.
    await vi.waitFor(
      async () => {
        const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
          database,
        );
        expect(rows[0]?.wal_autocheckpoint).toBe(0);
      },
      { timeout: 20_000, interval: 50 },
    );

    for (let index = 0; index < 1500; index += 1) await storage.projects.create({ name: `Project ${index}` });
    // Each commit appends frames; only checkpoints let the writer start the WAL again from its beginning.
    let more = 0;
    await vi.waitFor(
      async () => {
        await storage.projects.create({ name: `One more ${(more += 1)}` });
        expect(await walBytes(path)).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
      },
      { timeout: 20_000, interval: 100 },
    );

    await storage.close();
    expect(await walBytes(path)).toBe(0);
    const reopened = new BetterSqlite3(path, { readonly: true });
    try {
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
      const count = reopened.prepare('select count(*) as count from projects').get() as { count: number };
      expect(count.count).toBeGreaterThanOrEqual(1501);
    } finally {
      reopened.close();
    }
  }, 60_000);

  it('a database open only for a moment starts no worker and keeps checkpointing itself', async () => {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'reqase-checkpoint-'));
    directories.push(dataDirectory);
    const path = join(dataDirectory, DATABASE_FILE_NAME);
    const { storage, database } = await openDatabaseWithHandle({ dataDirectory });
    await storage.projects.create({ name: 'Quick' });
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database);
    expect(rows[0]?.wal_autocheckpoint).toBe(1000);
    await storage.close();
    // SQLite checkpoints and removes the log when its last connection closes.
    expect(await walBytes(path)).toBe(0);
  });
});
