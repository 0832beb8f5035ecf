/**
 * Two bulk runs on one project did the work twice. A story an active job still has to do is not
 * taken by a second job: creating (or resuming) one is refused with a conflict naming the active
 * job, atomically, so of many concurrent creators exactly one wins. On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobConflictError, type Storage } from '../../src/storage/index.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  seedProjectAndStory,
  type TestDatabase,
} from './storage-setup.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('jobs over the same stories', dialect), () => {
    let testDatabase: TestDatabase;
    let storage: Storage;
    let projectId: string;
    let storyIds: string[];

    beforeEach(async () => {
      testDatabase = await createTestDatabase(dialect);
      storage = (await testDatabase.open({ maxConnections: 10 })).storage;
      storyIds = [];
      for (const key of ['S-1', 'S-2', 'S-3']) {
        const seeded = await seedProjectAndStory(storage, key);
        projectId = seeded.project.id;
        storyIds.push(seeded.story.id);
      }
    });
    afterEach(async () => {
      await testDatabase.dispose();
    });

    it('refuses a job over a story an active job still has to do, naming that job; other stories are free', async () => {
      const [first, second, third] = storyIds as [string, string, string];
      const active = await storage.jobs.create({ projectId, storyIds: [first, second] });
      const refused = storage.jobs.create({ projectId, storyIds: [second, third] });
      await expect(refused).rejects.toBeInstanceOf(JobConflictError);
      await expect(refused).rejects.toMatchObject({
        code: 'conflict',
        jobId: active.id,
        message: expect.stringContaining(active.id),
        remedies: [
          { kind: 'run-action', action: 'show-job', job: active.id },
          { kind: 'run-action', action: 'cancel-job', job: active.id },
        ],
      });
      expect(await storage.jobs.list({ projectId })).toHaveLength(1);

      await expect(storage.jobs.create({ projectId, storyIds: [third] })).resolves.toMatchObject({
        status: 'queued',
      });
    });

    it('of ten concurrent jobs over every story, exactly one is created', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, () => storage.jobs.create({ projectId, storyIds })),
      );
      const created = attempts.filter((attempt) => attempt.status === 'fulfilled');
      const refused = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason] : []));
      expect(created).toHaveLength(1);
      expect(refused).toHaveLength(9);
      for (const reason of refused) expect(reason).toBeInstanceOf(JobConflictError);
      const jobs = await storage.jobs.list({ projectId });
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.progress.total).toBe(3);
    });

    it('frees the stories once the job is cancelled or final, and refuses to resume a job whose stories were taken meanwhile', async () => {
      const first = await storage.jobs.create({ projectId, storyIds });
      await storage.jobs.setStatus(first.id, 'cancelled');
      const second = await storage.jobs.create({ projectId, storyIds: storyIds.slice(0, 1) });

      const reopened = storage.jobs.reopen(first.id);
      await expect(reopened).rejects.toBeInstanceOf(JobConflictError);
      await expect(reopened).rejects.toMatchObject({ jobId: second.id });
      expect((await storage.jobs.get(first.id))?.status).toBe('cancelled');

      await storage.jobs.setStatus(second.id, 'completed');
      await storage.jobs.reopen(first.id);
      expect((await storage.jobs.get(first.id))?.status).toBe('running');
    });
  });
}
