/**
 * A case's history through the workspace on SQLite and PostgreSQL: every change records its actor
 * (generation, edit, accept, restore), the history lists each version with its content, action,
 * actor and time, restoring makes an earlier version current again (guarded against lost updates),
 * and an offline case's audit says that no prompt was sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/app/workspace/index.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import { CHECKOUT_STORIES, createTestWorkspace, type TestWorkspace } from './workspace-support.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('case history and actors', dialect), () => {
    let test: TestWorkspace;
    let workspace: Workspace;
    let caseId: string;

    beforeEach(async () => {
      test = await createTestWorkspace(dialect);
      workspace = test.workspace;
      await workspace.projects.create({ name: 'Shop', defaultFormat: 'manual' });
      await workspace.stories.importStories('Shop', { content: CHECKOUT_STORIES, fileName: 'checkout.md' });
      const generated = await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', {
        offline: true,
        actor: 'generator-bot',
      });
      caseId = generated.testCases[0]!.id;
    });
    afterEach(async () => test.dispose());

    it('records who made each version and who reviewed, and restores an earlier version', async () => {
      const original = await workspace.testCases.show(caseId);
      await workspace.testCases.edit(caseId, { title: 'Pay with a Visa card' }, { actor: 'alice' });
      await workspace.testCases.edit(
        caseId,
        { title: 'Pay with a Mastercard' },
        { actor: 'bob', note: 'card' },
      );
      await workspace.testCases.accept({ references: [caseId], actor: 'carol' });

      const history = await workspace.testCases.history(caseId);
      expect(
        history.entries.map((entry) => [entry.version, entry.action, entry.actor, entry.content.title]),
      ).toEqual([
        [1, 'generated', 'generator-bot', original.title],
        [2, 'edited', 'alice', 'Pay with a Visa card'],
        [3, 'edited', 'bob', 'Pay with a Mastercard'],
      ]);
      expect(history.entries[2]).toMatchObject({
        current: true,
        status: 'accepted',
        origin: 'edited by a person: card',
      });
      expect(history.entries[0]!.status).toBe('draft');
      expect(history.entries[0]!.content.steps).toEqual(original.steps);
      expect(history.review).toMatchObject({ status: 'accepted', actor: 'carol' });

      // A restore guarded by a version the case has moved past is refused and changes nothing.
      await expect(
        workspace.testCases.restore(caseId, { version: 1, expectedVersion: 2, actor: 'dave' }),
      ).rejects.toMatchObject({ code: 'conflict' });
      const restored = await workspace.testCases.restore(caseId, {
        version: 1,
        expectedVersion: 3,
        actor: 'dave',
      });
      expect(restored).toMatchObject({ version: 4, title: original.title, steps: original.steps });
      const after = await workspace.testCases.history(caseId);
      expect(after.entries.at(-1)).toMatchObject({
        version: 4,
        action: 'restored',
        actor: 'dave',
        current: true,
      });
      expect(after.entries.at(-1)!.origin).toBe('restored version 1');

      await expect(workspace.testCases.restore(caseId, { version: 9 })).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(workspace.testCases.restore(caseId, { version: 4 })).rejects.toMatchObject({
        code: 'invalid_input',
      });
    });

    it('records who started a bulk job as the actor of the cases it stores', async () => {
      const started = await workspace.jobs.start({
        projectName: 'Shop',
        storyKeys: ['SHOP-2'],
        options: { offline: true, actor: 'bulk-bot' },
      });
      expect((await workspace.jobs.run(started.id)).job.status).toBe('completed');
      const stored = await workspace.testCases.list({ projectName: 'Shop', storyKey: 'SHOP-2' });
      expect(stored.testCases.length).toBeGreaterThan(0);
      const history = await workspace.testCases.history(stored.testCases[0]!.id);
      expect(history.entries.map((entry) => entry.actor)).toEqual(['bulk-bot']);
    });

    it('shows "unknown" for changes without an actor, and says an offline case sent no prompt', async () => {
      await workspace.testCases.edit(caseId, { title: 'Pay by card without an actor' });
      const history = await workspace.testCases.history(caseId);
      expect(history.entries.map((entry) => entry.actor)).toEqual(['generator-bot', 'unknown']);
      expect(history.review).toBeNull();

      const audit = await workspace.testCases.generation(caseId);
      expect(audit.engine).toBe('rules');
      expect(audit.summary).toMatch(/offline rules engine: no prompt was sent/);
      expect(audit.generation?.messages).toEqual([]);
    });
  });
}
