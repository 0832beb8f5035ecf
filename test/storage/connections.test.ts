import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretKeyChangedError } from '../../src/storage/index.ts';
import {
  createTestDatabase,
  DIALECTS,
  describeDialect,
  isAvailable,
  seedProjectAndStory,
  testCaseContent,
  type TestDatabase,
} from './storage-setup.ts';

const SECRET = 'testrail-api-key-0123456789';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('connections and pushed cases', dialect), () => {
    let testDatabase: TestDatabase;
    beforeEach(async () => {
      testDatabase = await createTestDatabase(dialect);
    });
    afterEach(async () => testDatabase.dispose());

    it('stores the secret encrypted: the row holds neither the secret nor anything that reveals it', async () => {
      const { storage, database } = await testDatabase.open();
      const saved = await storage.connections.save({
        name: 'team-testrail',
        kind: 'testrail',
        baseUrl: 'https://example.testrail.io',
        settings: { user: 'qa@example.com', projectId: '1' },
        secret: SECRET,
      });
      expect(saved).toMatchObject({ hasSecret: true, secretMasked: '…6789' });
      expect(JSON.stringify(saved)).not.toContain(SECRET);
      const row = await database.selectFrom('connections').selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(SECRET);
      expect((await storage.connections.getWithSecret('team-testrail'))?.secret).toBe(SECRET);
      // Saving again without a secret keeps it.
      await storage.connections.save({
        name: 'team-testrail',
        kind: 'testrail',
        baseUrl: 'https://other.testrail.io',
      });
      expect((await storage.connections.getWithSecret('team-testrail'))?.secret).toBe(SECRET);

      const other = await testDatabase.open({ secretKey: Buffer.alloc(32, 9) });
      await expect(other.storage.connections.getWithSecret('team-testrail')).rejects.toBeInstanceOf(
        SecretKeyChangedError,
      );
    });

    it('records creates before they are sent and the pushed version after; a deleted case takes its rows along', async () => {
      const { storage } = await testDatabase.open();
      const { project, story } = await seedProjectAndStory(storage);
      const [testCase] = await storage.testCases.insertMany([
        { projectId: project.id, storyId: story.id, ...testCaseContent('Pay') },
      ]);
      const id = testCase!.id;
      await storage.pushedCases.markCreating('testrail x', [{ testCaseId: id, version: 1 }]);
      await storage.pushedCases.setBatch('testrail x', [{ testCaseId: id, batchId: 'job#0' }]);
      expect((await storage.pushedCases.listByTarget('testrail x', [id]))[0]).toMatchObject({
        state: 'creating',
        batchId: 'job#0',
      });
      await storage.pushedCases.recordPushed('testrail x', {
        testCaseId: id,
        externalId: '42',
        externalKey: 'C42',
        version: 1,
      });
      expect((await storage.pushedCases.listByTarget('testrail x', [id]))[0]).toMatchObject({
        state: 'pushed',
        externalId: '42',
        pushedVersion: 1,
        batchId: null,
      });
      expect(await storage.pushedCases.listByTarget('xray other', [id])).toEqual([]);
      await storage.testCases.remove(id);
      expect(await storage.pushedCases.listByTarget('testrail x', [id])).toEqual([]);
    });
  });
}
