import { beforeEach, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/index.ts';
import { describeStorageSuite, seedProjectAndStory, testCaseContent } from './storage-setup.ts';

/** The storage's clock, set by each test: lease expiry is tested without waiting. */
let now: number;
const clock = () => new Date(now);

const usage = { promptTokens: 100, completionTokens: 50, totalTokens: 150, estimated: false };

describeStorageSuite(
  'jobs',
  (suite) => {
    let projectId: string;
    let storyIds: string[];

    beforeEach(async () => {
      now = Date.parse('2026-03-01T10:00:00.000Z');
      storyIds = [];
      for (const key of ['S-1', 'S-2', 'S-3']) {
        const seeded = await seedProjectAndStory(suite.storage, key);
        projectId = seeded.project.id;
        storyIds.push(seeded.story.id);
      }
    });

    it('creates a queued job with one pending task per story and reports progress', async () => {
      const job = await suite.storage.jobs.create({
        projectId,
        storyIds: [...storyIds, storyIds[0]!],
        options: { format: 'bdd' },
        budget: { maxTestCases: 10 },
      });
      expect(job).toMatchObject({
        status: 'queued',
        options: { format: 'bdd' },
        budget: { maxTestCases: 10 },
      });
      expect(job.progress).toMatchObject({ total: 3, pending: 3, done: 0 });
      expect(await suite.storage.jobs.get(job.id)).toEqual(job);
      expect((await suite.storage.jobs.listTasks(job.id)).map((task) => task.storyId).sort()).toEqual(
        [...storyIds].sort(),
      );
      expect(await suite.storage.jobs.list({ projectId, status: 'queued' })).toHaveLength(1);
      expect(await suite.storage.jobs.list({ status: ['completed'] })).toHaveLength(0);
    });

    it('hands out each task once, then nothing; a completed task stores its cases once', async () => {
      const job = await suite.storage.jobs.create({ projectId, storyIds });
      const claimed = [];
      for (let index = 0; index < 3; index++)
        claimed.push(await suite.storage.jobs.claimNextTask(job.id, 'worker-a', 60_000));
      expect(new Set(claimed.map((task) => task!.id)).size).toBe(3);
      expect(claimed[0]).toMatchObject({ status: 'running', attempts: 1, lockedBy: 'worker-a' });
      expect(claimed[0]!.lockedUntil).toBe('2026-03-01T10:01:00.000Z');
      expect(await suite.storage.jobs.claimNextTask(job.id, 'worker-b', 60_000)).toBeUndefined();

      const task = claimed[0]!;
      const completion = {
        generation: { engine: 'llm' as const, model: 'm', usage },
        testCases: [testCaseContent('one'), testCaseContent('two')],
      };
      const first = await suite.storage.jobs.completeTask(task.id, completion);
      expect(first.alreadyDone).toBe(false);
      expect(first.task).toMatchObject({ status: 'done', testCaseCount: 2, tokensUsed: 150, lockedBy: null });
      expect(first.saved.generation).toMatchObject({
        storyId: task.storyId,
        projectId,
        idempotencyKey: `job-task:${task.id}`,
      });

      // A retried completion (crash after commit, pg-boss redelivery) stores nothing new.
      const again = await suite.storage.jobs.completeTask(task.id, completion);
      expect(again.alreadyDone).toBe(true);
      expect(again.saved.generation.id).toBe(first.saved.generation.id);
      expect(await suite.storage.testCases.count({ storyId: task.storyId })).toBe(2);

      expect(await suite.storage.jobs.progress(job.id)).toEqual({
        total: 3,
        pending: 0,
        running: 2,
        done: 1,
        failed: 0,
        testCases: 2,
        tokens: 150,
      });
    });

    it('completes a task that was never claimed (a pg-boss worker) exactly once', async () => {
      const job = await suite.storage.jobs.create({ projectId, storyIds: [storyIds[0]!] });
      const [task] = await suite.storage.jobs.listTasks(job.id);
      const completion = { generation: { engine: 'rules' as const }, testCases: [testCaseContent('rule')] };
      // Two connections on PostgreSQL (two worker processes). On SQLite one process keeps one
      // connection per file: better-sqlite3 waits for a lock synchronously, so a second
      // connection in the same process would block the very event loop that must release it.
      const second =
        suite.dialect === 'postgres' ? (await suite.testDatabase.open({ clock })).storage : suite.storage;
      const results = await Promise.all([
        suite.storage.jobs.completeTask(task!.id, completion),
        second.jobs.completeTask(task!.id, completion),
      ]);
      expect(results.map((result) => result.alreadyDone).sort()).toEqual([false, true]);
      expect(await suite.storage.testCases.count({ storyId: storyIds[0]! })).toBe(1);
    });

    it('leaves the task unfinished and stores nothing when saving its cases fails', async () => {
      const job = await suite.storage.jobs.create({ projectId, storyIds: [storyIds[0]!] });
      const task = (await suite.storage.jobs.claimNextTask(job.id, 'worker-a', 60_000))!;
      await expect(
        suite.storage.jobs.completeTask(task.id, {
          generation: { engine: 'llm' },
          testCases: [
            { ...testCaseContent('a'), caseNumber: 1 },
            { ...testCaseContent('b'), caseNumber: 1 },
          ],
        }),
      ).rejects.toMatchObject({ code: 'conflict' });
      expect(await suite.storage.jobs.getTask(task.id)).toMatchObject({
        status: 'running',
        generationId: null,
      });
      expect(await suite.storage.generations.listByStory(storyIds[0]!)).toEqual([]);
      expect(await suite.storage.testCases.count({ storyId: storyIds[0]! })).toBe(0);
    });

    it('retries a failed task after its backoff, and fails it for good when attempts run out', async () => {
      const job = await suite.storage.jobs.create({ projectId, storyIds: [storyIds[0]!] });
      const task = (await suite.storage.jobs.claimNextTask(job.id, 'worker-a', 60_000))!;
      const retried = await suite.storage.jobs.failTask(task.id, 'HTTP 429', {
        maxAttempts: 2,
        retryAt: new Date(now + 30_000),
      });
      expect(retried).toMatchObject({ status: 'pending', lastError: 'HTTP 429', lockedBy: null });
      expect(await suite.storage.jobs.claimNextTask(job.id, 'worker-a', 60_000)).toBeUndefined();

      now += 30_000;
      const second = (await suite.storage.jobs.claimNextTask(job.id, 'worker-b', 60_000))!;
      expect(second).toMatchObject({ id: task.id, attempts: 2, lockedBy: 'worker-b' });
      const failed = await suite.storage.jobs.failTask(task.id, 'HTTP 429 again', { maxAttempts: 2 });
      expect(failed).toMatchObject({ status: 'failed', lastError: 'HTTP 429 again' });
      expect(await suite.storage.jobs.claimNextTask(job.id, 'worker-b', 60_000)).toBeUndefined();
      expect((await suite.storage.jobs.progress(job.id)).failed).toBe(1);

      const other = await suite.storage.jobs.create({ projectId, storyIds: [storyIds[1]!] });
      const otherTask = (await suite.storage.jobs.claimNextTask(other.id, 'worker-a', 60_000))!;
      expect(
        await suite.storage.jobs.failTask(otherTask.id, 'invalid key', { retryable: false }),
      ).toMatchObject({
        status: 'failed',
      });
    });

    it('gives a task whose lease expired to another worker, and the late first worker duplicates nothing', async () => {
      const job = await suite.storage.jobs.create({ projectId, storyIds: [storyIds[0]!] });
      const task = (await suite.storage.jobs.claimNextTask(job.id, 'crashed', 1_000))!;
      expect(await suite.storage.jobs.claimNextTask(job.id, 'worker-b', 1_000)).toBeUndefined();
      expect(await suite.storage.jobs.renewLease(task.id, 'crashed', 1_000)).toBe(true);
      expect(await suite.storage.jobs.renewLease(task.id, 'worker-b', 1_000)).toBe(false);

      now += 5_000;
      const reclaimed = (await suite.storage.jobs.claimNextTask(job.id, 'worker-b', 60_000))!;
      expect(reclaimed).toMatchObject({ id: task.id, attempts: 2, lockedBy: 'worker-b' });
      expect(await suite.storage.jobs.renewLease(task.id, 'crashed', 1_000)).toBe(false);

      const completion = { generation: { engine: 'llm' as const }, testCases: [testCaseContent('x')] };
      expect((await suite.storage.jobs.completeTask(task.id, completion)).alreadyDone).toBe(false);
      expect((await suite.storage.jobs.completeTask(task.id, completion)).alreadyDone).toBe(true);
      expect(await suite.storage.testCases.count({ storyId: storyIds[0]! })).toBe(1);
    });

    it('recovers expired leases in bulk', async () => {
      const job = await suite.storage.jobs.create({ projectId, storyIds });
      await suite.storage.jobs.claimNextTask(job.id, 'w', 1_000);
      await suite.storage.jobs.claimNextTask(job.id, 'w', 10_000);
      now += 5_000;
      expect(await suite.storage.jobs.recoverExpiredLeases(job.id)).toBe(1);
      expect(await suite.storage.jobs.recoverExpiredLeases()).toBe(0);
      expect(await suite.storage.jobs.progress(job.id)).toMatchObject({ pending: 2, running: 1 });
    });

    it('hands out nothing from a cancelled job and records when it finished', async () => {
      const job = await suite.storage.jobs.create({ projectId, storyIds });
      await suite.storage.jobs.setStatus(job.id, 'running');
      expect(await suite.storage.jobs.claimNextTask(job.id, 'w', 1_000)).toBeDefined();
      await suite.storage.jobs.setStatus(job.id, 'cancelled', 'cancelled by user');
      expect(await suite.storage.jobs.claimNextTask(job.id, 'w', 1_000)).toBeUndefined();
      expect(await suite.storage.jobs.get(job.id)).toMatchObject({
        status: 'cancelled',
        error: 'cancelled by user',
        finishedAt: '2026-03-01T10:00:00.000Z',
      });
      await expect(suite.storage.jobs.setStatus('missing', 'failed')).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('never hands the same task to two workers on two connections', async () => {
      const many: string[] = [];
      for (let index = 0; index < 24; index++)
        many.push((await seedProjectAndStory(suite.storage, `BULK-${index}`)).story.id);
      const job = await suite.storage.jobs.create({ projectId, storyIds: many });
      const other = (await suite.testDatabase.open({ clock })).storage;

      async function work(connection: Storage, workerId: string): Promise<string[]> {
        const taken: string[] = [];
        for (;;) {
          const task = await connection.jobs.claimNextTask(job.id, workerId, 60_000);
          if (!task) return taken;
          taken.push(task.id);
        }
      }
      const results = await Promise.all([
        work(suite.storage, 'a1'),
        work(other, 'b1'),
        work(suite.storage, 'a2'),
        work(other, 'b2'),
      ]);
      const all = results.flat();
      expect(all).toHaveLength(24);
      expect(new Set(all).size).toBe(24);
      const tasks = await suite.storage.jobs.listTasks(job.id);
      expect(tasks.every((task) => task.status === 'running' && task.attempts === 1)).toBe(true);
    });
  },
  { clock },
);
