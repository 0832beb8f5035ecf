/**
 * Heartbeat leases: a worker killed mid-job leaves its stories leased; once the short lease ends
 * (nobody renews it), the other worker, still running, takes them and finishes the job, every
 * story generated exactly once. On PostgreSQL the workers are pg-boss workers (as `reqase worker`
 * there), on SQLite table workers. Waits on the workers' events and exits, never on a clock.
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createJob,
  createPgBossQueue,
  DEFAULT_LEASE_MILLISECONDS,
  type PgBossJobQueue,
} from '../../src/jobs/index.ts';
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

it('recovers a killed worker’s stories within 15 s by default: a 10 s lease, renewed every 2 s', () => {
  // A pg-boss worker sweeps every half lease: a dead worker's story waits at most 1.5 leases.
  expect(DEFAULT_LEASE_MILLISECONDS * 1.5).toBeLessThanOrEqual(15_000);
  expect(Math.min(DEFAULT_LEASE_MILLISECONDS / 3, 2000)).toBe(2000);
});

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('heartbeat leases', dialect), () => {
    let testDatabase: TestDatabase;
    let storage: Storage;
    let connection: Record<string, unknown>;
    let queue: PgBossJobQueue | undefined;
    const bossSchema = `pgboss_lease_${randomBytes(5).toString('hex')}`;

    beforeEach(async () => {
      testDatabase = await createTestDatabase(dialect);
      const opened = await testDatabase.open();
      storage = opened.storage;
      connection =
        dialect === 'sqlite'
          ? { dataDirectory: dirname(testDatabase.sqliteFile!) }
          : {
              url: POSTGRES_URL,
              postgresSchema: await currentSchema(opened.database),
              mode: 'pg-boss',
              bossSchema,
            };
      if (dialect === 'postgres') {
        queue = await createPgBossQueue({ connectionString: POSTGRES_URL, schema: bossSchema });
      }
    });
    afterEach(async () => {
      killWorkerProcesses();
      await queue?.close().catch(() => undefined);
      await testDatabase.dispose();
      if (dialect === 'postgres') {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${bossSchema}" cascade`);
        } finally {
          await client.end();
        }
      }
    });

    it('a worker killed with SIGKILL mid-job: the other takes its stories once their lease ends', async () => {
      const { projectId, stories, storyIds } = await seedBacklog(storage, 12);
      const job = await createJob(storage, { projectId, storyIds }, queue ? { queue } : {});
      const common = {
        ...connection,
        jobId: job.id,
        concurrency: 2,
        leaseMilliseconds: 1500,
        waitForGo: true,
      };
      // The doomed worker's stories take long, so it is killed while it holds them.
      const doomed = startWorkerProcess({ ...common, workerId: 'doomed', delayMilliseconds: 4000 });
      const survivor = startWorkerProcess({ ...common, workerId: 'survivor', delayMilliseconds: 30 });
      await Promise.all([doomed, survivor].map((worker) => worker.waitFor((line) => line.kind === 'ready')));
      doomed.child.stdin!.write('go\n');
      await doomed.waitFor((line) => line.kind === 'task-start');
      doomed.child.kill('SIGKILL');
      expect((await doomed.exited).signal).toBe('SIGKILL');
      const held = (await storage.jobs.listTasks(job.id)).filter(
        (task) => task.status === 'running' && task.lockedBy === 'doomed',
      );
      expect(held.length).toBeGreaterThan(0);

      survivor.child.stdin!.write('go\n');
      expect((await survivor.exited).code).toBe(0);

      const final = await storage.jobs.get(job.id);
      expect(final?.status).toBe('completed');
      expect(final?.progress).toMatchObject({ done: 12, pending: 0, running: 0, failed: 0 });
      // The survivor generated the stories the killed worker held, after their lease ended.
      const endedBySurvivor = new Set(
        survivor.lines.filter((line) => line.kind === 'task-end').map((line) => line.taskId as string),
      );
      for (const task of held) expect(endedBySurvivor.has(task.id), task.id).toBe(true);
      const tasks = await storage.jobs.listTasks(job.id);
      for (const task of held) expect(tasks.find((each) => each.id === task.id)?.attempts).toBe(2);
      // Every story exactly once: one generation, its whole set of cases.
      for (const story of stories) {
        const generations = await storage.generations.listByStory(story.id);
        expect(generations, story.key).toHaveLength(1);
        const testCases = await storage.testCases.list({ storyId: story.id });
        expect(testCases.map((testCase) => testCase.title)).toEqual(
          Array.from({ length: expectedCaseCount(story) }, (_, index) => `${story.key} case ${index + 1}`),
        );
      }
    });
  });
}

/** The PostgreSQL schema the test database lives in, for the child processes to open. */
async function currentSchema(database: Kysely<DatabaseSchema>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database);
  return rows[0]!.schema;
}
