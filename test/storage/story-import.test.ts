/**
 * A story import is one transaction: a failure anywhere leaves the project as it was, and
 * concurrent imports of the same stories report exactly what each wrote (the `created` of all of
 * them add up to what is stored). On SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace } from '../../src/app/workspace/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import type { DatabaseSchema } from '../../src/storage/schema.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  type TestDatabase,
  type TestDialect,
} from './storage-setup.ts';

/** A JSON story file: one story per key, its criterion text varied by `variant`. */
function storyFile(keys: string[], variant = 'works'): string {
  return JSON.stringify(
    keys.map((key) => ({
      key,
      summary: `Story ${key}`,
      description: 'As a shopper I want to pay.',
      acceptanceCriteria: [`Payment ${variant}`, 'A receipt is shown'],
    })),
  );
}

function keys(count: number, prefix = 'S'): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${String(index + 1).padStart(4, '0')}`);
}

/** Makes the database refuse to insert the story `ZZ-FAIL`, as a failing disk or constraint would. */
async function refuseKeyOnInsert(database: Kysely<DatabaseSchema>, dialect: TestDialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`create trigger refuse_fail_key before insert on stories when new.key = 'ZZ-FAIL'
      begin select raise(abort, 'refused by the test'); end`.execute(database);
    return;
  }
  await sql`create function refuse_fail_key() returns trigger language plpgsql as $$
    begin if new.key = 'ZZ-FAIL' then raise exception 'refused by the test'; end if; return new; end $$`.execute(
    database,
  );
  await sql`create trigger refuse_fail_key before insert on stories
    for each row execute function refuse_fail_key()`.execute(database);
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('story import', dialect), () => {
    let testDatabase: TestDatabase;
    let storage: Storage;
    let database: Kysely<DatabaseSchema>;
    let workspace: Workspace;
    let directory: string;

    beforeEach(async () => {
      testDatabase = await createTestDatabase(dialect);
      ({ storage, database } = await testDatabase.open());
      directory = mkdtempSync(join(tmpdir(), 'reqase-import-'));
      workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory }, directory), { storage });
      await workspace.projects.create({ name: 'P' });
    });
    afterEach(async () => {
      await workspace.close();
      await testDatabase.dispose();
      rmSync(directory, { recursive: true, force: true });
    });

    it('stores nothing when the database refuses a story part-way (earlier chunks and updates roll back)', async () => {
      await workspace.stories.importStories('P', { content: storyFile(['A-0001']), fileName: 'first.json' });
      await refuseKeyOnInsert(database, dialect);

      // 600 stories are written in several chunks; ZZ-FAIL sorts last, and A-0001 is changed.
      const failing = storyFile([...keys(600, 'A'), 'ZZ-FAIL'], 'is refused');
      await expect(
        workspace.stories.importStories('P', { content: failing, fileName: 'stories.json' }),
      ).rejects.toThrow(/refused by the test/);

      const { stories, total } = await workspace.stories.list('P');
      expect(total).toBe(1);
      expect(stories[0]?.acceptanceCriteria[0]?.text).toBe('Payment works');
    });

    it('three concurrent imports of the same stories report created, changed and unchanged adding up to what is stored', async () => {
      const content = storyFile(keys(600));
      const results = await Promise.all(
        [1, 2, 3].map(() => workspace.stories.importStories('P', { content, fileName: 'stories.json' })),
      );
      const created = results.map(
        (result) => result.stories.filter((story) => story.status === 'created').length,
      );
      expect(created.reduce((sum, count) => sum + count, 0)).toBe(600);
      for (const result of results) {
        expect(result.summary.created + result.summary.changed + result.summary.unchanged).toBe(600);
        expect(result.summary.created).toBe(
          result.stories.filter((story) => story.status === 'created').length,
        );
        // Identical content: what this import did not create it found unchanged.
        expect(result.summary.changed).toBe(0);
      }
      expect(await storage.stories.count((await storage.projects.findByName('P'))!.id)).toBe(600);
    });

    it('a re-import that changes some stories reports them as changed, the rest unchanged', async () => {
      await workspace.stories.importStories('P', { content: storyFile(keys(300)), fileName: 'a.json' });
      const changedKeys = keys(300).slice(0, 100);
      const mixed = JSON.parse(storyFile(keys(300))) as Array<{ acceptanceCriteria: string[] }>;
      for (const story of mixed.slice(0, 100)) story.acceptanceCriteria[0] = 'Payment is declined politely';
      const result = await workspace.stories.importStories('P', {
        content: JSON.stringify(mixed),
        fileName: 'b.json',
      });
      expect(result.summary).toEqual({ created: 0, changed: 100, unchanged: 200 });
      expect(result.stories.filter((story) => story.status === 'changed').map((story) => story.key)).toEqual(
        changedKeys,
      );
    });
  });
}
