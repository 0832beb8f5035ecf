import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryRecord } from '../../src/core/repositories.ts';
import { cancelJob, createJob, getJobProgress, runJobWorker, type JobEvent } from '../../src/jobs/index.ts';
import type { JobWorkerOptions } from '../../src/jobs/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  type TestDatabase,
} from '../storage/storage-setup.ts';
import { completionFor, expectedCaseCount, seedBacklog } from './support/stories.ts';

/** Errors shaped like src/llm's (duck-typed by the jobs layer). */
function connectionRefused(): Error {
  return Object.assign(new Error('Cannot reach http://127.0.0.1:9/v1: connection refused'), {
    code: 'llm_unreachable',
    retryable: true,
  });
}
function rateLimited(retryAfterMilliseconds: number): Error {
  return Object.assign(new Error('The endpoint answered 429 Too Many Requests'), {
    code: 'llm_rate_limited',
    retryable: true,
    retryAfterMilliseconds,
  });
}
function unauthorized(): Error {
  return Object.assign(new Error('The endpoint refused the API key (401)'), {
    code: 'llm_authentication',
    retryable: false,
  });
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('job worker', dialect), () => {
    let testDatabase: TestDatabase;
    let storage: Storage;
    let now: number;
    const clock = () => new Date(now);
    /** Moves the fake clock instead of waiting: retries and polls take no real time. */
    const sleep = async (milliseconds: number) => {
      now += milliseconds;
    };
    let events: JobEvent[];

    beforeEach(async () => {
      now = Date.parse('2026-03-01T10:00:00.000Z');
      events = [];
      testDatabase = await createTestDatabase(dialect);
      storage = (await testDatabase.open({ clock })).storage;
    });
    afterEach(async () => {
      await testDatabase.dispose();
    });

    function worker(options: Partial<JobWorkerOptions> & Pick<JobWorkerOptions, 'generateForStory'>) {
      return runJobWorker({
        storage,
        workerId: 'test-worker',
        clock,
        sleep,
        random: () => 0.5,
        backoff: { initialDelayMilliseconds: 1000, multiplier: 2, maxDelayMilliseconds: 8000, jitter: 0.5 },
        heartbeatIntervalMilliseconds: 20,
        onEvent: (event) => events.push(event),
        ...options,
      });
    }

    async function storedCounts(stories: StoryRecord[]) {
      const counts: Record<string, { generations: number; testCases: number }> = {};
      for (const story of stories) {
        counts[story.key] = {
          generations: (await storage.generations.listByStory(story.id)).length,
          testCases: await storage.testCases.count({ storyId: story.id }),
        };
      }
      return counts;
    }

    it('generates every story once, never running more than `concurrency` at a time', async () => {
      const { projectId, stories, storyIds } = await seedBacklog(storage, 7);
      const job = await createJob(storage, { projectId, storyIds, options: { format: 'manual' } });
      let running = 0;
      let mostRunning = 0;
      let startedCalls = 0;
      let releaseFirstThree: () => void = () => undefined;
      const firstThree = new Promise<void>((resolve) => (releaseFirstThree = resolve));
      const result = await worker({
        jobId: job.id,
        concurrency: 3,
        generateForStory: async (story, context) => {
          expect(context.job.id).toBe(job.id);
          expect(context.attempt).toBe(1);
          running++;
          mostRunning = Math.max(mostRunning, running);
          // The first three wait for each other, so the limit is reached whatever the timing;
          // a fourth start while they wait would break it.
          if (++startedCalls === 3) releaseFirstThree();
          if (startedCalls <= 3) await firstThree;
          await new Promise((resolve) => setTimeout(resolve, 5));
          running--;
          return completionFor(story);
        },
      });
      expect(mostRunning).toBe(3);
      expect(result).toMatchObject({ reason: 'finished', completed: 7, failed: 0, retried: 0 });
      expect(result.job).toMatchObject({ status: 'completed', error: null, finishedAt: expect.any(String) });
      const counts = await storedCounts(stories);
      for (const story of stories) {
        expect(counts[story.key]).toEqual({ generations: 1, testCases: expectedCaseCount(story) });
      }
      const generation = (await storage.generations.listByStory(stories[0]!.id))[0]!;
      const tasks = await storage.jobs.listTasks(job.id);
      expect(generation.idempotencyKey).toBe(
        `job-task:${tasks.find((task) => task.storyId === stories[0]!.id)!.id}`,
      );

      expect(events[0]).toMatchObject({
        kind: 'job-start',
        jobId: job.id,
        progress: { total: 7, remaining: 7 },
      });
      expect(events.at(-1)).toMatchObject({
        kind: 'job-end',
        status: 'completed',
        progress: { done: 7, remaining: 0 },
      });
      expect(events.filter((event) => event.kind === 'task-end')).toHaveLength(7);
      const lastProgress = events.filter((event) => event.kind === 'job-progress').at(-1);
      expect(lastProgress).toMatchObject({ done: 7, failed: 0, remaining: 0, tokens: 700 });
      expect((await getJobProgress(storage, job.id)).progress).toMatchObject({
        done: 7,
        remaining: 0,
        tokens: 700,
      });
    });

    it('retries a refused connection with growing, capped backoff, then succeeds', async () => {
      const { projectId, stories, storyIds } = await seedBacklog(storage, 2);
      const job = await createJob(storage, { projectId, storyIds: [storyIds[0]!] });
      const callTimes: number[] = [];
      const result = await worker({
        jobId: job.id,
        maxAttempts: 5,
        generateForStory: async (story, { attempt }) => {
          callTimes.push(now);
          if (attempt < 4) throw connectionRefused();
          return completionFor(story);
        },
      });
      expect(result).toMatchObject({ reason: 'finished', completed: 1, retried: 3 });
      const retries = events.filter((event) => event.kind === 'task-retry');
      // Equal jitter with random 0.5: 75% of 1000, 2000, 4000.
      expect(retries.map((event) => event.delayMilliseconds)).toEqual([750, 1500, 3000]);
      expect(retries[0]).toMatchObject({ attempt: 1, error: expect.stringContaining('connection refused') });
      // No attempt came before its backoff had passed.
      for (let index = 1; index < callTimes.length; index++) {
        expect(callTimes[index]! - callTimes[index - 1]!).toBeGreaterThanOrEqual(
          retries[index - 1]!.delayMilliseconds,
        );
      }
      expect(await storedCounts([stories[0]!])).toEqual({
        'B-1': { generations: 1, testCases: expectedCaseCount(stories[0]!) },
      });
      const [task] = await storage.jobs.listTasks(job.id);
      expect(task).toMatchObject({ status: 'done', attempts: 4, lastError: null });
    });

    it('waits as long as a 429 asks (retryAfterMilliseconds), then retries', async () => {
      const { projectId, storyIds } = await seedBacklog(storage, 1);
      const job = await createJob(storage, { projectId, storyIds });
      const callTimes: number[] = [];
      const result = await worker({
        jobId: job.id,
        generateForStory: async (story, { attempt }) => {
          callTimes.push(now);
          if (attempt === 1) throw rateLimited(7_000);
          return completionFor(story);
        },
      });
      expect(result.job?.status).toBe('completed');
      expect(events.find((event) => event.kind === 'task-retry')).toMatchObject({ delayMilliseconds: 7_000 });
      expect(callTimes[1]! - callTimes[0]!).toBeGreaterThanOrEqual(7_000);
    });

    it('fails a story on a non-retryable error at once and goes on with the others', async () => {
      const { projectId, stories, storyIds } = await seedBacklog(storage, 4);
      const job = await createJob(storage, { projectId, storyIds });
      const calls: Record<string, number> = {};
      const result = await worker({
        jobId: job.id,
        concurrency: 2,
        generateForStory: async (story) => {
          calls[story.key] = (calls[story.key] ?? 0) + 1;
          if (story.key === 'B-2') throw unauthorized();
          return completionFor(story);
        },
      });
      expect(calls['B-2']).toBe(1);
      expect(result).toMatchObject({ completed: 3, failed: 1, retried: 0 });
      expect(result.job).toMatchObject({
        status: 'completed',
        error: "1 of 4 stories failed; see each task's last error.",
      });
      expect(events.find((event) => event.kind === 'task-fail')).toMatchObject({
        storyId: stories[1]!.id,
        error: 'The endpoint refused the API key (401)',
      });
      const failedTask = (await storage.jobs.listTasks(job.id)).find(
        (task) => task.storyId === stories[1]!.id,
      );
      expect(failedTask).toMatchObject({ status: 'failed', attempts: 1, generationId: null });
      const counts = await storedCounts(stories);
      expect(counts['B-2']).toEqual({ generations: 0, testCases: 0 });
      expect(counts['B-4']).toEqual({ generations: 1, testCases: expectedCaseCount(stories[3]!) });
    });

    it('follows an endpoint that changes behaviour between retries, and gives up after maxAttempts', async () => {
      const { projectId, stories, storyIds } = await seedBacklog(storage, 2);
      const job = await createJob(storage, { projectId, storyIds });
      const result = await worker({
        jobId: job.id,
        concurrency: 1,
        maxAttempts: 3,
        generateForStory: async (story, { attempt }) => {
          if (story.key === 'B-1') {
            // 503, then 429 with Retry-After, then a good answer.
            if (attempt === 1) throw Object.assign(new Error('HTTP 503'), { retryable: true });
            if (attempt === 2) throw rateLimited(2_000);
            return completionFor(story);
          }
          // Always a reset connection (a Node error without a retryable flag).
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        },
      });
      expect(result).toMatchObject({ completed: 1, failed: 1, retried: 4 });
      const tasks = await storage.jobs.listTasks(job.id);
      expect(tasks.find((task) => task.storyId === stories[0]!.id)).toMatchObject({
        status: 'done',
        attempts: 3,
      });
      expect(tasks.find((task) => task.storyId === stories[1]!.id)).toMatchObject({
        status: 'failed',
        attempts: 3,
        lastError: 'socket hang up',
      });
      expect(result.job?.status).toBe('completed');
    });

    it('spaces request starts to honour requestsPerMinute', async () => {
      const { projectId, storyIds } = await seedBacklog(storage, 3);
      const job = await createJob(storage, { projectId, storyIds });
      const callTimes: number[] = [];
      await worker({
        jobId: job.id,
        concurrency: 3,
        requestsPerMinute: 60,
        generateForStory: async (story) => {
          callTimes.push(now);
          return completionFor(story);
        },
      });
      callTimes.sort((left, right) => left - right);
      expect(callTimes).toHaveLength(3);
      expect(callTimes[1]! - callTimes[0]!).toBeGreaterThanOrEqual(1000);
      expect(callTimes[2]! - callTimes[1]!).toBeGreaterThanOrEqual(1000);
    });

    it('marks the job failed when every story failed', async () => {
      const { projectId, storyIds } = await seedBacklog(storage, 2);
      const job = await createJob(storage, { projectId, storyIds });
      const result = await worker({
        jobId: job.id,
        generateForStory: async () => {
          throw new TypeError('bug');
        },
      });
      expect(result.job).toMatchObject({
        status: 'failed',
        error: "All 2 stories failed; see each task's last error.",
      });
    });

    it('stops cleanly when the test case budget is reached', async () => {
      // Two cases per story; at most 4 → stops after the second story.
      const { projectId, stories, storyIds } = await seedBacklog(storage, 6);
      const job = await createJob(storage, { projectId, storyIds, budget: { maxTestCases: 4 } });
      const result = await worker({
        jobId: job.id,
        concurrency: 1,
        generateForStory: async (story) => {
          const completion = completionFor(story);
          return { ...completion, testCases: [completion.testCases[0]!, completion.testCases[0]!] };
        },
      });
      expect(result.job).toMatchObject({
        status: 'budget-exhausted',
        error: expect.stringContaining('4 test cases of at most 4'),
      });
      expect(result.job?.progress).toMatchObject({ done: 2, pending: 4, running: 0, testCases: 4 });
      expect(events.at(-1)).toMatchObject({ kind: 'job-end', status: 'budget-exhausted' });
      const counts = await storedCounts(stories);
      expect(Object.values(counts).filter((count) => count.generations === 1)).toHaveLength(2);
      expect(await storage.testCases.count({ projectId })).toBe(4);
    });

    it('stops on the token budget, giving back the tasks in flight without storing them', async () => {
      const { projectId, stories, storyIds } = await seedBacklog(storage, 6);
      const job = await createJob(storage, { projectId, storyIds, budget: { maxTokens: 150 } });
      const aborted: string[] = [];
      let calls = 0;
      let slowStarted: () => void = () => undefined;
      const aSlowStoryIsRunning = new Promise<void>((resolve) => (slowStarted = resolve));
      const result = await worker({
        jobId: job.id,
        concurrency: 3,
        generateForStory: async (story, { signal }) => {
          // The first two answers use up the budget (200 tokens of 150), once a third story is in
          // flight, so that there is always one to give back.
          if (++calls <= 2) {
            await aSlowStoryIsRunning;
            return completionFor(story, 100);
          }
          // Later ones are slow and honour the signal.
          slowStarted();
          await new Promise((resolve, reject) => {
            const timer = setTimeout(resolve, 5_000);
            signal.addEventListener('abort', () => {
              clearTimeout(timer);
              aborted.push(story.key);
              reject(new Error('aborted'));
            });
          });
          return completionFor(story, 100);
        },
      });
      expect(result.job?.status).toBe('budget-exhausted');
      expect(aborted.length).toBeGreaterThanOrEqual(1);
      // Every aborted story was given back; a task claimed just as the budget ran out is given
      // back before its story even started, so it is released without being aborted.
      expect(result.released).toBeGreaterThanOrEqual(aborted.length);
      expect(result.released).toBeLessThanOrEqual(4);
      const tasks = await storage.jobs.listTasks(job.id);
      expect(tasks.filter((task) => task.status === 'done')).toHaveLength(2);
      expect(tasks.filter((task) => task.status === 'running')).toHaveLength(0);
      // Every story is either complete or untouched: no half-written set.
      for (const story of stories) {
        const count = (await storedCounts([story]))[story.key]!;
        expect([0, expectedCaseCount(story)]).toContain(count.testCases);
        expect(count.generations).toBe(count.testCases === 0 ? 0 : 1);
      }
    });

    it('cancels: running tasks are aborted and given back, nothing is stored', async () => {
      const { projectId, stories, storyIds } = await seedBacklog(storage, 5);
      const job = await createJob(storage, { projectId, storyIds });
      let started = 0;
      let onStarted: () => void = () => undefined;
      const twoStarted = new Promise<void>((resolve) => (onStarted = resolve));
      const running = worker({
        jobId: job.id,
        concurrency: 2,
        generateForStory: (story, { signal }) =>
          new Promise((resolve, reject) => {
            if (++started === 2) onStarted();
            // Answers only after the job was cancelled, as a slow endpoint would.
            signal.addEventListener('abort', () => {
              setTimeout(() => resolve(completionFor(story)), 5);
            });
            void reject;
          }),
      });
      await twoStarted;
      const cancelled = await cancelJob(storage, job.id);
      expect(cancelled.status).toBe('cancelled');
      const result = await running;
      expect(result).toMatchObject({ reason: 'finished', completed: 0, released: 2 });
      expect(result.job).toMatchObject({ status: 'cancelled', error: 'cancelled by user' });
      expect(result.job?.progress).toMatchObject({ done: 0, running: 0, pending: 5 });
      expect(Object.values(await storedCounts(stories)).every((count) => count.testCases === 0)).toBe(true);
      expect(events.filter((event) => event.kind === 'task-release')).toHaveLength(2);
      // Cancelling a finished job changes nothing.
      expect((await cancelJob(storage, job.id)).status).toBe('cancelled');
    });

    it('a stopped worker gives its tasks back; the next run finishes the job', async () => {
      const { projectId, stories, storyIds } = await seedBacklog(storage, 4);
      const job = await createJob(storage, { projectId, storyIds });
      const controller = new AbortController();
      let started = 0;
      const first = await worker({
        jobId: job.id,
        concurrency: 2,
        signal: controller.signal,
        generateForStory: (_story, { signal }) =>
          new Promise((_resolve, reject) => {
            if (++started === 2) controller.abort();
            signal.addEventListener('abort', () => reject(new Error('aborted')));
          }),
      });
      expect(first).toMatchObject({ reason: 'stopped', completed: 0, released: 2 });
      expect(first.job?.status).toBe('running');
      expect(first.job?.progress).toMatchObject({ pending: 4, running: 0 });

      const second = await worker({ jobId: job.id, generateForStory: async (story) => completionFor(story) });
      expect(second.job?.status).toBe('completed');
      for (const [key, count] of Object.entries(await storedCounts(stories))) {
        expect(count, key).toEqual({ generations: 1, testCases: expectedCaseCount({ key }) });
      }
    });

    it('without a job id serves every active job until idle', async () => {
      const { projectId, storyIds } = await seedBacklog(storage, 4);
      const first = await createJob(storage, { projectId, storyIds: storyIds.slice(0, 2) });
      const second = await createJob(storage, { projectId, storyIds: storyIds.slice(2) });
      const result = await worker({
        stopWhenIdle: true,
        generateForStory: async (story) => completionFor(story),
      });
      expect(result).toMatchObject({ reason: 'idle', completed: 4 });
      expect((await storage.jobs.get(first.id))?.status).toBe('completed');
      expect((await storage.jobs.get(second.id))?.status).toBe('completed');
    });

    it('rejects an empty job and a bad budget with a fix', async () => {
      const { projectId, storyIds } = await seedBacklog(storage, 1);
      await expect(createJob(storage, { projectId, storyIds: [] })).rejects.toMatchObject({
        code: 'invalid_input',
        fix: 'Import stories first, or name existing ones.',
        remedies: [
          { kind: 'run-action', action: 'import-stories' },
          { kind: 'change-value', field: 'stories', example: 'KEY1,KEY2' },
        ],
      });
      await expect(
        createJob(storage, { projectId, storyIds, budget: { maxTokens: -1 } }),
      ).rejects.toMatchObject({
        code: 'invalid_input',
      });
    });
  });
}
