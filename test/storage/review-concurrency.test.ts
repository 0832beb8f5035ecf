/**
 * Concurrent review: 30 concurrent edits of one case, then rounds of 40 concurrent accepts and
 * rejects of two cases named in either order. PostgreSQL answered some with "deadlock detected"
 * (a 500 from the API); every one must now succeed, on SQLite and PostgreSQL, and the versions
 * must count every edit once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace } from '../../src/app/workspace/index.ts';
import { describeStorageSuite, seedProjectAndStory, testCaseContent } from './storage-setup.ts';

describeStorageSuite(
  'concurrent review',
  (suite) => {
    let workspace: Workspace;
    let directory: string;
    let caseIds: string[];

    beforeEach(async () => {
      directory = mkdtempSync(join(tmpdir(), 'reqase-review-'));
      workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory }, directory), {
        storage: suite.storage,
      });
      const { project, story } = await seedProjectAndStory(suite.storage);
      const inserted = await suite.storage.testCases.insertMany([
        { ...testCaseContent('Pay by card'), projectId: project.id, storyId: story.id },
        { ...testCaseContent('Declined card', ['AC-2']), projectId: project.id, storyId: story.id },
      ]);
      caseIds = inserted.map((testCase) => testCase.id);
    });
    afterEach(async () => {
      await workspace.close();
      rmSync(directory, { recursive: true, force: true });
    });

    it('30 concurrent edits of one case, then 3 × 40 concurrent accepts and rejects of two cases, all succeed', async () => {
      const [first, second] = caseIds as [string, string];
      const edits = await Promise.allSettled(
        Array.from({ length: 30 }, (_, index) =>
          workspace.testCases.edit(first, { title: `Pay by card, take ${index + 1}` }),
        ),
      );
      expect(edits.filter((result) => result.status === 'rejected')).toEqual([]);
      expect((await suite.storage.testCases.get(first))?.version).toBe(31);
      expect(await suite.storage.testCases.history(first)).toHaveLength(30);

      for (let round = 0; round < 3; round++) {
        const reviews = await Promise.allSettled(
          Array.from({ length: 40 }, (_, index) => {
            const references = index % 2 === 0 ? [first, second] : [second, first];
            return index % 4 < 2
              ? workspace.testCases.accept({ references })
              : workspace.testCases.reject({ references });
          }),
        );
        const failures = reviews.flatMap((result) =>
          result.status === 'rejected' ? [String((result.reason as Error).message)] : [],
        );
        expect(failures).toEqual([]);
      }
      const statuses = [
        await suite.storage.testCases.get(first),
        await suite.storage.testCases.get(second),
      ].map((testCase) => testCase?.status);
      for (const status of statuses) expect(['accepted', 'rejected']).toContain(status);
    }, 120_000);
  },
  { maxConnections: 10 },
);
