import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace } from '../../src/app/workspace/index.ts';
import type { JobEvent } from '../../src/jobs/index.ts';
import { backlogAnswer, checkoutBacklog, promptOf, storyKeyIn } from '../support/backlog.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import {
  createTestDatabase,
  DIALECTS,
  describeDialect,
  isAvailable,
  POSTGRES_URL,
  type TestDialect,
} from '../storage/storage-setup.ts';

const apiKey = 'sk-test-jobs-service-0123456789abcdef';
const STORY_KEYS = ['SHOP-1', 'SHOP-2', 'SHOP-3', 'SHOP-4', 'SHOP-5'];

interface TestWorkspace {
  workspace: Workspace;
  dispose(): Promise<void>;
}

/**
 * A workspace over a private test database with the real clock: retry times (now + backoff) are
 * compared with the database's now, which a frozen clock would never reach.
 */
async function createTestWorkspace(
  dialect: TestDialect,
  env: Record<string, string> = {},
): Promise<TestWorkspace> {
  const database = await createTestDatabase(dialect);
  const directory = await mkdtemp(join(tmpdir(), 'reqase-jobs-'));
  const { storage } = await database.open();
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory, ...env }, directory), {
    storage,
  });
  return {
    workspace,
    async dispose() {
      await workspace.close();
      await database.dispose();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

let endpoint: FakeLlmEndpoint;
beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({ apiKey });
});
afterAll(async () => endpoint.close());

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('workspace.jobs', dialect), () => {
    let test: TestWorkspace;
    let workspace: Workspace;
    const bossSchema = `pgboss_jobs_${randomBytes(5).toString('hex')}`;

    beforeEach(async () => {
      endpoint.setScenario({
        default: ({ request }) => ({ kind: 'answer', text: backlogAnswer(storyKeyIn(promptOf(request))) }),
      });
      test = await createTestWorkspace(
        dialect,
        dialect === 'postgres' ? { DATABASE_URL: POSTGRES_URL, REQASE_PGBOSS_SCHEMA: bossSchema } : {},
      );
      workspace = test.workspace;
      await workspace.projects.create({ name: 'Shop', defaultFormat: 'manual' });
      await workspace.stories.importStories('Shop', {
        content: checkoutBacklog(STORY_KEYS),
        fileName: 'backlog.md',
      });
    });
    afterEach(async () => {
      await test.dispose();
      if (dialect === 'postgres') {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`drop schema if exists "${bossSchema}" cascade`).finally(() => client.end());
      }
    });

    async function generationsPerStory(): Promise<Record<string, number>> {
      const storage = await workspace.storage();
      const project = await storage.projects.findByName('Shop');
      const counts: Record<string, number> = {};
      for (const story of await storage.stories.list(project!.id)) {
        counts[story.key] = (await storage.generations.listByStory(story.id)).length;
      }
      return counts;
    }

    it('starts a job over every story, runs it here, and shows it with each story', async () => {
      const started = await workspace.jobs.start({
        projectName: 'Shop',
        all: true,
        options: { offline: true },
      });
      expect(started).toMatchObject({ project: 'Shop', status: 'queued', engine: { kind: 'rules' } });
      expect(started.progress).toMatchObject({ total: 5, remaining: 5, done: 0 });

      const events: JobEvent[] = [];
      const result = await workspace.jobs.run(started.id, { onEvent: (event) => events.push(event) });
      expect(result.reason).toBe('finished');
      expect(result.job.status).toBe('completed');
      expect(result.job.progress).toMatchObject({
        total: 5,
        done: 5,
        failed: 0,
        remaining: 0,
        testCases: 10,
      });
      expect(events.filter((event) => event.kind === 'task-end')).toHaveLength(5);
      expect(await generationsPerStory()).toEqual(Object.fromEntries(STORY_KEYS.map((key) => [key, 1])));

      const details = await workspace.jobs.show(started.id);
      expect(details.tasks.map((task) => task.storyKey).sort()).toEqual(STORY_KEYS);
      expect(details.tasks.every((task) => task.status === 'done' && task.testCaseCount === 2)).toBe(true);
      expect((await workspace.jobs.list('Shop')).map((job) => job.id)).toEqual([started.id]);
      expect(await workspace.jobs.list()).toHaveLength(1);
      // Running a finished job again stores nothing more.
      expect((await workspace.jobs.run(started.id)).completed).toBe(0);
      expect(await generationsPerStory()).toEqual(Object.fromEntries(STORY_KEYS.map((key) => [key, 1])));
    });

    it('skips stories already covered when the backlog runs again, unless asked to generate again', async () => {
      const storage = await workspace.storage();
      const project = await storage.projects.findByName('Shop');
      const count = () => storage.testCases.count({ projectId: project!.id });
      const first = await workspace.jobs.start({
        projectName: 'Shop',
        all: true,
        options: { offline: true },
      });
      await workspace.jobs.run(first.id);
      expect(await count()).toBe(10);

      const again = await workspace.jobs.start({
        projectName: 'Shop',
        all: true,
        options: { offline: true },
      });
      expect((await workspace.jobs.run(again.id)).job.progress).toMatchObject({ done: 5, testCases: 0 });
      expect(await count()).toBe(10);

      const regenerate = await workspace.jobs.start({
        projectName: 'Shop',
        all: true,
        options: { offline: true, onlyChanged: false },
      });
      expect((await workspace.jobs.run(regenerate.id)).job.progress).toMatchObject({
        done: 5,
        testCases: 10,
      });
      expect(await count()).toBe(20);
    });

    it('refuses a job without stories, with an unknown story, or with a wrong option before creating it', async () => {
      await expect(workspace.jobs.start({ projectName: 'Shop' })).rejects.toThrow(/Name the stories/);
      await expect(workspace.jobs.start({ projectName: 'Shop', storyKeys: ['SHOP-99'] })).rejects.toThrow(
        /no story SHOP-99/,
      );
      await expect(
        workspace.jobs.start({ projectName: 'Shop', all: true, options: { count: 'lots' } }),
      ).rejects.toThrow(/count must be a number or a range/);
      await expect(
        workspace.jobs.start({ projectName: 'Shop', all: true, options: { provider: 'nobody' } }),
      ).rejects.toThrow(/no provider named "nobody"/);
      await expect(workspace.jobs.start({ projectName: 'Nope', all: true })).rejects.toThrow(/no project/);
      expect(await workspace.jobs.list()).toEqual([]);
    });

    it('stops cleanly when the budget is reached: whole stories only, status budget-exhausted', async () => {
      const started = await workspace.jobs.start({
        projectName: 'Shop',
        storyKeys: ['SHOP-1', 'SHOP-2', 'SHOP-3', 'SHOP-4'],
        options: { offline: true },
        budget: { maxTestCases: 3 },
      });
      const result = await workspace.jobs.run(started.id, { concurrency: 1 });
      expect(result.job.status).toBe('budget-exhausted');
      expect(result.job.error).toMatch(/Budget reached/);
      expect(result.job.progress.done).toBe(2);
      expect(result.job.progress.testCases).toBe(4);
      const counts = await generationsPerStory();
      expect(Object.values(counts).filter((count) => count === 1)).toHaveLength(2);
      expect(Object.values(counts).every((count) => count <= 1)).toBe(true);
      await expect(workspace.jobs.resume(started.id)).rejects.toThrow(
        /budget-exhausted; there is nothing to resume/,
      );
    });

    it('goes through a 429 storm and one story the model refuses: each story has exactly one generation', async () => {
      await workspace.providers.add({
        name: 'team-llm',
        baseUrl: endpoint.url,
        model: 'fake-model',
        apiKey,
        limits: { concurrency: 2, maxRetries: 1 },
      });
      await workspace.providers.setDefault('Shop', 'team-llm');
      let rateLimited = 0;
      endpoint.setScenario({
        default: ({ request }) => {
          const prompt = promptOf(request);
          if (prompt.includes('SHOP-3')) {
            return {
              kind: 'error',
              status: 400,
              body: {
                error: { message: 'The input is too long for this model.', type: 'invalid_request_error' },
              },
            };
          }
          if (rateLimited < 8) {
            rateLimited++;
            return { kind: 'error', status: 429, retryAfterMilliseconds: 20 };
          }
          return { kind: 'answer', text: backlogAnswer(storyKeyIn(prompt)) };
        },
      });
      const started = await workspace.jobs.start({
        projectName: 'Shop',
        all: true,
        options: { fillGaps: false },
      });
      expect(started.engine.kind).toBe('llm');
      const events: JobEvent[] = [];
      const result = await workspace.jobs.run(started.id, {
        onEvent: (event) => events.push(event),
        pollIntervalMilliseconds: 20,
      });
      expect(result.job.status).toBe('completed');
      expect(result.job.progress).toMatchObject({ done: 4, failed: 1, remaining: 0, testCases: 8 });
      expect(result.job.error).toMatch(/1 of 5 stories failed/);
      expect(rateLimited).toBe(8);
      expect(events.some((event) => event.kind === 'task-retry')).toBe(true);
      // The provider's concurrency limit held across the job.
      expect(endpoint.concurrency().highest).toBeLessThanOrEqual(2);

      const counts = await generationsPerStory();
      expect(counts).toEqual({ 'SHOP-1': 1, 'SHOP-2': 1, 'SHOP-3': 0, 'SHOP-4': 1, 'SHOP-5': 1 });
      const details = await workspace.jobs.show(started.id);
      const refused = details.tasks.find((task) => task.storyKey === 'SHOP-3');
      expect(refused).toMatchObject({ status: 'failed', attempts: 1 });
      expect(refused?.lastError).toMatch(/too long/);
      const cases = await workspace.testCases.list({ projectName: 'Shop' });
      expect(cases.total).toBe(8);
      expect(new Set(cases.testCases.map((testCase) => testCase.title)).size).toBe(8);
    });

    it('cancels a running job at once; resuming finishes it with each story once', async () => {
      await workspace.providers.add({ name: 'slow-llm', baseUrl: endpoint.url, model: 'fake-model', apiKey });
      endpoint.setScenario({
        default: ({ request }) => ({
          kind: 'answer',
          text: backlogAnswer(storyKeyIn(promptOf(request))),
          latency: { timeToFirstTokenMilliseconds: 400 },
        }),
      });
      const started = await workspace.jobs.start({
        projectName: 'Shop',
        all: true,
        options: { provider: 'slow-llm', fillGaps: false },
      });
      let taskStarted!: () => void;
      const firstTask = new Promise<void>((resolve) => (taskStarted = resolve));
      const unsubscribe = workspace.jobs.subscribe(started.id, (event) => {
        if (event.kind === 'task-start') taskStarted();
      });
      const background = workspace.jobs.runInBackground(started.id, { concurrency: 2 });
      expect(workspace.jobs.isRunningHere(started.id)).toBe(true);
      await firstTask;
      unsubscribe();
      const cancelled = await workspace.jobs.cancel(started.id);
      expect(cancelled.status).toBe('cancelled');
      expect(workspace.jobs.isRunningHere(started.id)).toBe(false);
      expect((await background).job.status).toBe('cancelled');
      const afterCancel = await workspace.jobs.show(started.id);
      expect(afterCancel.tasks.some((task) => task.status === 'running')).toBe(false);
      expect(afterCancel.progress.done).toBeLessThan(5);

      endpoint.setScenario({
        default: ({ request }) => ({ kind: 'answer', text: backlogAnswer(storyKeyIn(promptOf(request))) }),
      });
      const resumed = await workspace.jobs.resume(started.id, { pollIntervalMilliseconds: 20 });
      expect(resumed.job.status).toBe('completed');
      expect(resumed.job.progress).toMatchObject({ done: 5, failed: 0 });
      expect(await generationsPerStory()).toEqual(Object.fromEntries(STORY_KEYS.map((key) => [key, 1])));
    });

    it(`runs every story of a job with the model asked for, also in a worker (${dialect === 'postgres' ? 'pg-boss' : 'job tables'})`, async () => {
      await workspace.providers.add({ name: 'team-llm', baseUrl: endpoint.url, model: 'fake-model', apiKey });
      await workspace.providers.add({
        name: 'other-llm',
        baseUrl: endpoint.url,
        model: 'other-model',
        apiKey,
      });
      await workspace.providers.setDefault('Shop', 'other-llm');
      const started = await workspace.jobs.start({
        projectName: 'Shop',
        storyKeys: ['SHOP-1', 'SHOP-2', 'SHOP-3'],
        options: { provider: 'team-llm', model: ' fake-model-large ', fillGaps: false },
      });
      expect(started).toMatchObject({ provider: 'team-llm', model: 'fake-model-large' });
      expect(started.engine.description).toMatch(/^fake-model-large at .*\(team-llm, /);
      // Stored with the job: what a worker of another process reads.
      const storage = await workspace.storage();
      expect((await storage.jobs.get(started.id))?.options).toMatchObject({
        provider: 'team-llm',
        model: 'fake-model-large',
      });

      const before = endpoint.completionRequests().length;
      const controller = new AbortController();
      await workspace.jobs.work({
        signal: controller.signal,
        concurrency: 2,
        pollIntervalMilliseconds: 50,
        onEvent: (event) => {
          if (event.kind === 'job-end') controller.abort();
        },
      });
      const details = await workspace.jobs.show(started.id);
      expect(details).toMatchObject({ status: 'completed', provider: 'team-llm', model: 'fake-model-large' });
      const sent = endpoint.completionRequests().slice(before);
      expect(sent.length).toBeGreaterThanOrEqual(3);
      expect(new Set(sent.map((request) => (request.body as { model?: unknown }).model))).toEqual(
        new Set(['fake-model-large']),
      );
      for (const task of details.tasks) {
        const generation = await storage.generations.get(task.generationId!);
        expect(generation).toMatchObject({
          engine: 'llm',
          providerName: 'team-llm',
          model: 'fake-model-large',
        });
      }
    });

    it('stores the named provider’s own model with a job that names no model', async () => {
      await workspace.providers.add({ name: 'team-llm', baseUrl: endpoint.url, model: 'fake-model', apiKey });
      const started = await workspace.jobs.start({
        projectName: 'Shop',
        storyKeys: ['SHOP-1'],
        options: { provider: 'team-llm', fillGaps: false },
      });
      expect(started).toMatchObject({ provider: 'team-llm', model: 'fake-model' });
      // The provider's model changes before the job runs: the job keeps the one it started with.
      await workspace.providers.add({
        name: 'team-llm',
        baseUrl: endpoint.url,
        model: 'fake-model-2',
        apiKey,
      });
      const before = endpoint.completionRequests().length;
      expect((await workspace.jobs.run(started.id)).job.status).toBe('completed');
      const sent = endpoint.completionRequests().slice(before);
      expect(sent.map((request) => (request.body as { model?: unknown }).model)).toEqual(
        sent.map(() => 'fake-model'),
      );
      const offline = await workspace.jobs.start({
        projectName: 'Shop',
        storyKeys: ['SHOP-2'],
        options: { offline: true },
      });
      expect(offline).toMatchObject({ provider: null, model: null });
    });

    it('refuses an unknown provider naming the stored ones, and a blank model, before creating the job', async () => {
      await expect(
        workspace.jobs.start({ projectName: 'Shop', all: true, options: { provider: 'nobody' } }),
      ).rejects.toThrow(
        /no provider named "nobody" \(the provider asked for\)\. No provider is stored yet\./,
      );
      await workspace.providers.add({ name: 'team-llm', baseUrl: endpoint.url, model: 'fake-model', apiKey });
      await workspace.providers.add({
        name: 'other-llm',
        baseUrl: endpoint.url,
        model: 'fake-model',
        apiKey,
      });
      await expect(
        workspace.jobs.start({ projectName: 'Shop', all: true, options: { provider: 'nobody', model: 'x' } }),
      ).rejects.toThrow(/The stored providers are "other-llm", "team-llm"\./);
      await expect(
        workspace.jobs.start({
          projectName: 'Shop',
          all: true,
          options: { provider: 'team-llm', model: '  ' },
        }),
      ).rejects.toThrow(/model/);
      expect(await workspace.jobs.list()).toEqual([]);
    });

    it(`serves created jobs as a worker (${dialect === 'postgres' ? 'pg-boss' : 'job tables'}) until stopped`, async () => {
      const started = await workspace.jobs.start({
        projectName: 'Shop',
        storyKeys: ['SHOP-2', 'SHOP-4'],
        options: { offline: true },
      });
      const controller = new AbortController();
      const working = workspace.jobs.work({
        signal: controller.signal,
        concurrency: 2,
        pollIntervalMilliseconds: 50,
        onEvent: (event) => {
          if (event.kind === 'job-end') controller.abort();
        },
      });
      const result = await working;
      expect(result.queue).toBe(dialect === 'postgres' ? 'pg-boss' : 'table');
      expect(result.completed).toBe(2);
      expect((await workspace.jobs.get(started.id)).status).toBe('completed');
      expect(await generationsPerStory()).toMatchObject({ 'SHOP-2': 1, 'SHOP-4': 1, 'SHOP-1': 0 });
    });
  });
}
