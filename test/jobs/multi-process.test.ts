import { dirname } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryRecord } from '../../src/core/repositories.ts';
import { createJob } from '../../src/jobs/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import type { DatabaseSchema } from '../../src/storage/schema.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  POSTGRES_URL,
  type TestDatabase,
} from '../storage/storage-setup.ts';
import { expectedCaseCount, seedBacklog } from './support/stories.ts';
import { killWorkerProcesses, startWorkerProcess } from './support/worker-processes.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('job workers in separate processes', dialect),
    () => {
      let testDatabase: TestDatabase;
      let storage: Storage;
      let connection: Record<string, unknown>;

      beforeEach(async () => {
        testDatabase = await createTestDatabase(dialect);
        const opened = await testDatabase.open();
        storage = opened.storage;
        connection =
          dialect === 'sqlite'
            ? { dataDirectory: dirname(testDatabase.sqliteFile!) }
            : { url: POSTGRES_URL, postgresSchema: await currentSchema(opened.database) };
      });
      afterEach(async () => {
        killWorkerProcesses();
        await testDatabase.dispose();
      });

      async function expectExactlyOnce(jobId: string, stories: StoryRecord[]) {
        const job = await storage.jobs.get(jobId);
        expect(job?.status).toBe('completed');
        expect(job?.progress).toMatchObject({ done: stories.length, pending: 0, running: 0, failed: 0 });
        for (const story of stories) {
          const generations = await storage.generations.listByStory(story.id);
          expect(generations, story.key).toHaveLength(1);
          const testCases = await storage.testCases.list({ storyId: story.id });
          // The whole set, once: no duplicate, none lost, no partial set.
          expect(
            testCases.map((testCase) => testCase.title),
            story.key,
          ).toEqual(
            Array.from({ length: expectedCaseCount(story) }, (_, index) => `${story.key} case ${index + 1}`),
          );
          expect(testCases.every((testCase) => testCase.generationId === generations[0]!.id)).toBe(true);
        }
      }

      it('two worker processes share one job; every story is generated exactly once', async () => {
        const { projectId, stories, storyIds } = await seedBacklog(storage, 24);
        const job = await createJob(storage, { projectId, storyIds });
        const workers = ['worker-a', 'worker-b'].map((workerId) =>
          startWorkerProcess({
            ...connection,
            jobId: job.id,
            workerId,
            concurrency: 2,
            leaseMilliseconds: 5_000,
            delayMilliseconds: 30,
            waitForGo: true,
          }),
        );
        // Both start together, so both get a share whatever their start-up time.
        await Promise.all(workers.map((worker) => worker.waitFor((line) => line.kind === 'ready')));
        for (const worker of workers) worker.child.stdin!.write('go\n');
        const exits = await Promise.all(workers.map((worker) => worker.exited));
        expect(exits.map((exit) => exit.code)).toEqual([0, 0]);

        const completedBy = workers.map(
          (worker) => worker.lines.filter((line) => line.kind === 'task-end').length,
        );
        expect(completedBy[0]! + completedBy[1]!).toBe(24);
        expect(completedBy.every((count) => count > 0)).toBe(true);
        await expectExactlyOnce(job.id, stories);
      });

      it('CRASH: a worker killed with SIGKILL at random points and restarted finishes the job exactly once', async () => {
        const { projectId, stories, storyIds } = await seedBacklog(storage, 24);
        const job = await createJob(storage, { projectId, storyIds });
        const workerOptions = {
          ...connection,
          jobId: job.id,
          concurrency: 2,
          leaseMilliseconds: 300,
          delayMilliseconds: 30,
        };
        let kills = 0;
        for (let round = 1; round <= 4; round++) {
          const worker = startWorkerProcess({ ...workerOptions, workerId: `crashing-${round}` });
          // Kill once it is working: after a random number of stored stories, at a random moment.
          const endsBeforeKill = Math.floor(Math.random() * 3);
          await worker
            .waitFor(
              (line) =>
                line.kind === 'task-start' &&
                worker.lines.filter((seen) => seen.kind === 'task-end').length >= endsBeforeKill,
            )
            .catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
          if (worker.child.exitCode === null) {
            worker.child.kill('SIGKILL');
            const exit = await worker.exited;
            if (exit.signal === 'SIGKILL') kills++;
          }
          const current = await storage.jobs.get(job.id);
          if (current?.status === 'completed') break;
        }
        expect(kills).toBeGreaterThanOrEqual(3);

        const last = startWorkerProcess({ ...workerOptions, workerId: 'survivor' });
        expect((await last.exited).code).toBe(0);
        await expectExactlyOnce(job.id, stories);
        // The kills did interrupt stories mid-way: some task was claimed more than once.
        const tasks = await storage.jobs.listTasks(job.id);
        expect(tasks.some((task) => task.attempts > 1)).toBe(true);
      });
    },
  );
}

/** The PostgreSQL schema the test database lives in, for the child processes to open. */
async function currentSchema(database: Kysely<DatabaseSchema>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database);
  return rows[0]!.schema;
}
