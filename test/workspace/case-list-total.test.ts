/**
 * The case list's `total` is counted once per project revision (src/app/workspace/case-list.ts):
 * a page after the first reuses the count, and any change to the project's cases, from this
 * workspace or from another server on the same database, gives the next page a fresh count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/app/workspace/index.ts';
import { resolveSettings } from '../../src/app/settings.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import { CHECKOUT_STORIES, createTestWorkspace, type TestWorkspace } from './workspace-support.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('case list total', dialect), () => {
    let test: TestWorkspace;
    let workspace: Workspace;

    beforeEach(async () => {
      test = await createTestWorkspace(dialect);
      workspace = test.workspace;
      await workspace.projects.create({ name: 'Shop', defaultFormat: 'manual' });
      await workspace.stories.importStories('Shop', { content: CHECKOUT_STORIES, fileName: 'checkout.md' });
      await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', { offline: true });
    });
    afterEach(async () => test.dispose());

    /** The draft count as the second page (by cursor) reports it. */
    async function draftTotalOnSecondPage(on: Workspace = workspace): Promise<number> {
      const first = await on.testCases.list({ projectName: 'Shop', status: 'draft', limit: 1 });
      const second = await on.testCases.list({
        projectName: 'Shop',
        status: 'draft',
        limit: 1,
        cursor: first.nextCursor as string,
      });
      expect(second.total).toBe(first.total);
      return second.total;
    }

    it('counts again after a change in this workspace, and after one made by another server', async () => {
      const drafts = await draftTotalOnSecondPage();
      expect(drafts).toBeGreaterThan(2);

      const [firstCase] = (await workspace.testCases.list({ projectName: 'Shop', limit: 1 })).testCases;
      await workspace.testCases.accept({ references: [firstCase!.id] });
      expect(await draftTotalOnSecondPage()).toBe(drafts - 1);

      // A second server on the same database adds cases: the first one's next page sees them.
      const { storage } = await test.database.open();
      const other = openWorkspace(resolveSettings({ REQASE_DATA_DIR: test.directory }, test.directory), {
        storage,
      });
      try {
        const added = await other.generation.generateForStoredStory('Shop', 'SHOP-2', { offline: true });
        const addedCount = added.testCases.length;
        expect(addedCount).toBeGreaterThan(0);
        expect(await draftTotalOnSecondPage()).toBe(drafts - 1 + addedCount);
        expect(await draftTotalOnSecondPage(other)).toBe(drafts - 1 + addedCount);
      } finally {
        await other.close();
      }
    });
  });
}
