import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/app/workspace/index.ts';
import { createJob, runJobWorker } from '../../src/jobs/index.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import { CHECKOUT_STORIES, createTestWorkspace, type TestWorkspace } from './workspace-support.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('workspace generation in a bulk job', dialect),
    () => {
      let test: TestWorkspace;
      let workspace: Workspace;

      beforeEach(async () => {
        test = await createTestWorkspace(dialect);
        workspace = test.workspace;
        await workspace.projects.create({ name: 'Shop', defaultFormat: 'bdd' });
        await workspace.stories.importStories('Shop', { content: CHECKOUT_STORIES });
      });
      afterEach(async () => test.dispose());

      it('plugs straight into the job worker: every story generated once with the job options', async () => {
        const storage = await workspace.storage();
        const project = await storage.projects.findByName('Shop');
        const stories = await storage.stories.list(project?.id as string);
        const job = await createJob(storage, {
          projectId: project?.id as string,
          storyIds: stories.map((story) => story.id),
          options: { offline: true, format: 'manual', kinds: 'positive' },
        });
        const result = await runJobWorker({
          storage,
          jobId: job.id,
          generateForStory: workspace.generation.generateForStoryRecord,
          concurrency: 1,
          pollIntervalMilliseconds: 10,
        });
        expect(result.job?.status).toBe('completed');
        expect(result.completed).toBe(2);
        const cases = await workspace.testCases.list({ projectName: 'Shop' });
        expect(cases.total).toBe(5);
        expect(cases.testCases.every((testCase) => testCase.kind === 'positive' && !testCase.gherkin)).toBe(
          true,
        );
        const generations = await storage.generations.listByStory(stories[0]?.id as string);
        expect(generations).toHaveLength(1);
        expect(generations[0]?.idempotencyKey).not.toBeNull();
      });
    },
  );
}
