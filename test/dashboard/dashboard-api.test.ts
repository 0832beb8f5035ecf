/**
 * GET /api/projects/{project}/dashboard over real HTTP, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectDashboardSchema } from '../../src/app/index.ts';
import { describeDialect, DIALECTS, isAvailable } from '../storage/storage-setup.ts';
import { startWorkspaceServer, type WorkspaceServer } from '../server/workspace-server.ts';
import { SEEDED_MATRIX, seedDashboardProject } from './dashboard-seed.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('dashboard API', dialect), () => {
    let served: WorkspaceServer;

    beforeAll(async () => {
      served = await startWorkspaceServer(dialect);
      await seedDashboardProject(await served.workspace.storage(), undefined, 'Shop & Co');
    });
    afterAll(async () => {
      await served?.dispose();
    });

    it('answers the figures of a project, its name escaped in the path', async () => {
      const response = await served.call('GET', `/api/projects/${encodeURIComponent('Shop & Co')}/dashboard`);
      expect(response.status).toBe(200);
      const dashboard = ProjectDashboardSchema.parse(await response.json());
      expect(dashboard.project).toBe('Shop & Co');
      expect(
        dashboard.coverage.stories.map((story) => ({
          key: story.key,
          cells: story.criteria.map(({ criterionId, state, accepted, draft }) => ({
            criterionId,
            state,
            accepted,
            draft,
          })),
        })),
      ).toEqual(SEEDED_MATRIX);
      // Seeded with the real clock: summed over the days (the seeding may cross midnight).
      const progress = { created: 0, accepted: 0, rejected: 0, edited: 0 };
      for (const day of dashboard.reviewProgress) {
        expect(day.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        for (const field of Object.keys(progress) as (keyof typeof progress)[]) progress[field] += day[field];
      }
      expect(progress).toEqual({ created: 5, accepted: 1, rejected: 1, edited: 1 });
      expect(dashboard.quality.scoredCases).toBe(4);
      // No provider stores a price yet: only the offline engine has a cost (nothing).
      expect(
        dashboard.tokens.providers.map(({ provider, totalTokens, priced, costUsd }) => ({
          provider,
          totalTokens,
          priced,
          costUsd,
        })),
      ).toEqual([
        { provider: 'openai', totalTokens: 3000, priced: false, costUsd: null },
        { provider: 'team-vllm', totalTokens: 2250, priced: false, costUsd: null },
        { provider: null, totalTokens: 0, priced: true, costUsd: 0 },
      ]);
    });

    it('answers 404 with what to do for an unknown project', async () => {
      const response = await served.call('GET', '/api/projects/Nope/dashboard');
      expect(response.status).toBe(404);
      const body = (await response.json()) as { error: { code: string; message: string; fix?: string } };
      expect(body.error.message).toBe('There is no project named "Nope".');
      expect(body.error.fix).toBeTruthy();
    });
  });
}
