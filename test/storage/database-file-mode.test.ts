/**
 * The SQLite database and its -wal and -shm files hold stories, test cases and encrypted keys:
 * only their owner may read them (issue 11, item 12). SQLite only: PostgreSQL keeps no file here.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, openDatabase } from '../../src/storage/index.ts';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('SQLite file permissions', () => {
  let temporary: string;
  let previousUmask: number;
  beforeEach(() => {
    temporary = mkdtempSync(join(tmpdir(), 'reqase-file-mode-'));
    // The usual umask: without a chosen mode, files come out 0644.
    previousUmask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(previousUmask);
    rmSync(temporary, { recursive: true, force: true });
  });

  async function openAndWrite(dataDirectory: string): Promise<string[]> {
    const storage = await openDatabase({ dataDirectory });
    try {
      await storage.projects.create({ name: 'Shop' });
      // Checked while open: SQLite removes -wal and -shm on the last close.
      const files = ['', '-wal', '-shm'].map((suffix) => join(dataDirectory, DATABASE_FILE_NAME + suffix));
      for (const file of files) expect(existsSync(file), file).toBe(true);
      return files.map((file) => `${file.slice(dataDirectory.length + 1)} ${modeOf(file).toString(8)}`);
    } finally {
      await storage.close();
    }
  }

  it('creates reqase.db, -wal and -shm with mode 0600 in a new data directory (itself 0700)', async () => {
    const dataDirectory = join(temporary, 'new', 'data');
    expect(await openAndWrite(dataDirectory)).toEqual([
      'reqase.db 600',
      'reqase.db-wal 600',
      'reqase.db-shm 600',
    ]);
    expect(modeOf(dataDirectory)).toBe(0o700);
  });

  it('creates them with mode 0600 in an existing data directory of mode 0755', async () => {
    const dataDirectory = join(temporary, 'existing');
    mkdirSync(dataDirectory);
    chmodSync(dataDirectory, 0o755);
    expect(await openAndWrite(dataDirectory)).toEqual([
      'reqase.db 600',
      'reqase.db-wal 600',
      'reqase.db-shm 600',
    ]);
  });

  it('tightens a database file an older version left readable by others', async () => {
    const dataDirectory = join(temporary, 'older');
    mkdirSync(dataDirectory);
    const first = await openDatabase({ dataDirectory });
    await first.close();
    chmodSync(join(dataDirectory, DATABASE_FILE_NAME), 0o644);
    expect(await openAndWrite(dataDirectory)).toEqual([
      'reqase.db 600',
      'reqase.db-wal 600',
      'reqase.db-shm 600',
    ]);
  });
});
