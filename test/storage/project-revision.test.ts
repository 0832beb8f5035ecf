/**
 * Migration 0010: the triggers that raise a project's revision on every change its pages show,
 * and the index that counts the cases marked for review without reading every case.
 */
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/index.ts';
import type { DatabaseSchema } from '../../src/storage/schema.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  seedProjectAndStory,
  testCaseContent,
  type TestDatabase,
} from './storage-setup.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('project revision', dialect), () => {
    let testDatabase: TestDatabase;
    let storage: Storage;
    let database: Kysely<DatabaseSchema>;

    beforeEach(async () => {
      testDatabase = await createTestDatabase(dialect);
      ({ storage, database } = await testDatabase.open());
    });
    afterEach(async () => {
      await testDatabase.dispose();
    });

    const revision = async (name = 'Shop') => (await storage.projects.revisionByName(name))?.revision;

    /** Runs the change and says whether the project's revision rose. */
    async function raises(change: () => Promise<unknown>, name = 'Shop'): Promise<boolean> {
      const before = await revision(name);
      await change();
      return (await revision(name))! > before!;
    }

    it('rises on every change to the project, its stories and its test cases, and only its own', async () => {
      const { project, story } = await seedProjectAndStory(storage, 'SHOP-1');
      const other = await storage.projects.create({ name: 'Other' });
      expect(await storage.projects.revisionByName('Nowhere')).toBeUndefined();
      expect((await storage.projects.revisionByName('Shop'))?.id).toBe(project.id);

      let ids: string[] = [];
      expect(
        await raises(async () => {
          const cases = await storage.testCases.insertMany([
            { projectId: project.id, storyId: story.id, ...testCaseContent('a') },
            { projectId: project.id, storyId: story.id, ...testCaseContent('b') },
          ]);
          ids = cases.map((testCase) => testCase.id);
        }),
      ).toBe(true);
      expect(await raises(() => storage.testCases.setStatus(ids[0]!, 'accepted'))).toBe(true);
      expect(await raises(() => storage.testCases.markNeedsReview(story.id, ['AC-1'], 'changed'))).toBe(true);
      expect(await raises(() => storage.testCases.remove(ids[1]!))).toBe(true);
      expect(await raises(() => seedProjectAndStory(storage, 'SHOP-2'))).toBe(true);
      expect(await raises(() => storage.projects.update(project.id, { defaultFormat: 'bdd' }))).toBe(true);
      expect(await raises(() => storage.stories.remove(story.id))).toBe(true);

      const untouched = await revision('Other');
      await seedProjectAndStory(storage, 'SHOP-3');
      expect(await revision('Other')).toBe(untouched);
      expect(await raises(() => storage.projects.update(other.id, { name: 'Other' }), 'Other')).toBe(true);
    });

    it('rises when the default provider goes (the project shows its name)', async () => {
      const provider = await storage.providers.save({
        name: 'local',
        baseUrl: 'http://127.0.0.1:1/v1',
        model: 'm',
      });
      await storage.projects.create({ name: 'Shop', defaultProviderId: provider.id });
      expect(await raises(() => storage.providers.remove('local'))).toBe(true);
    });

    it('counts the cases marked for review from the (project_id, needs_review) index', async () => {
      await seedProjectAndStory(storage, 'SHOP-1');
      const plan = await explainMarkedCount(database, dialect);
      expect(plan).toContain('test_cases_project_needs_review_index');
    });
  });
}

/** The plan of the count `caseCounts` runs (PostgreSQL told not to read the table in order). */
async function explainMarkedCount(database: Kysely<DatabaseSchema>, dialect: string): Promise<string> {
  const count = sql`select count(*) from test_cases where project_id = ${'x'} and needs_review = ${1}`;
  if (dialect === 'sqlite') {
    const rows = await sql<{ detail: string }>`explain query plan ${count}`.execute(database);
    return rows.rows.map((row) => row.detail).join('\n');
  }
  return database.connection().execute(async (connection) => {
    await sql`set enable_seqscan = off`.execute(connection);
    const rows = await sql<{ 'QUERY PLAN': string }>`explain ${count}`.execute(connection);
    await sql`reset enable_seqscan`.execute(connection);
    return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}
