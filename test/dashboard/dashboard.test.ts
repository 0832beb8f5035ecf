/**
 * The project dashboard's figures on SQLite and PostgreSQL, from a project with known history:
 * the exact matrix, per-day counts and token sums, and the quality cache reading only changed stories.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDashboardService, storedPriceOf } from '../../src/app/index.ts';
import type { ProviderRecord } from '../../src/core/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  testCaseContent,
  type TestDatabase,
} from '../storage/storage-setup.ts';
import { SEEDED_MATRIX, seedDashboardProject } from './dashboard-seed.ts';

const PRICES = { 'team-vllm': { input: 0.2, output: 0.6 } } as Record<
  string,
  { input: number; output: number }
>;
const priceOf = (name: string) => PRICES[name];

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('project dashboard', dialect), () => {
    let testDatabase: TestDatabase;
    let storage: Storage;
    let listCalls: { storyIds: readonly string[] | undefined }[];
    let seeded: Awaited<ReturnType<typeof seedDashboardProject>>;

    beforeEach(async () => {
      let now = new Date('2026-11-20T09:00:00.000Z');
      testDatabase = await createTestDatabase(dialect);
      storage = (await testDatabase.open({ clock: () => now })).storage;
      seeded = await seedDashboardProject(storage, (day) => (now = new Date(`${day}T09:00:00.000Z`)));
      now = new Date('2026-11-23T09:00:00.000Z');
      listCalls = [];
      const list = storage.testCases.list.bind(storage.testCases);
      storage.testCases.list = (filter) => {
        listCalls.push({ storyIds: filter?.storyIds });
        return list(filter);
      };
    });
    afterEach(async () => {
      await testDatabase.dispose();
    });

    const dashboardService = () => createDashboardService({ storage: async () => storage });

    it('draws the coverage matrix: accepted, draft-only or none per criterion', async () => {
      const dashboard = await dashboardService().projectDashboard({ projectName: 'Shop' });
      expect(dashboard.project).toBe('Shop');
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
      expect(dashboard.coverage.totals).toEqual({ accepted: 1, draft: 3, none: 2 });
      expect(dashboard.coverage.stories[0]!.criteria[0]!.text).toBe('Pay by card: the main path works');
    });

    it('counts review progress per day from creation, status and version timestamps', async () => {
      const dashboard = await dashboardService().projectDashboard({ projectName: 'Shop' });
      expect(dashboard.reviewProgress).toEqual([
        { day: '2026-11-20', created: 4, accepted: 0, rejected: 0, edited: 0 },
        { day: '2026-11-21', created: 1, accepted: 1, rejected: 1, edited: 1 },
      ]);
    });

    it('sums tokens per day and provider, with a cost where a price is set', async () => {
      const { tokens } = await dashboardService().projectDashboard({ projectName: 'Shop', priceOf });
      expect(tokens.days.map(({ costUsd: _cost, ...day }) => day)).toEqual([
        {
          day: '2026-11-20',
          provider: 'team-vllm',
          priced: true,
          generations: 1,
          promptTokens: 1000,
          completionTokens: 500,
          totalTokens: 1500,
        },
        {
          day: '2026-11-20',
          provider: null,
          priced: true,
          generations: 1,
          promptTokens: 0,
          completionTokens: 0,
          totalTokens: 0,
        },
        {
          day: '2026-11-21',
          provider: 'openai',
          priced: false,
          generations: 1,
          promptTokens: 2000,
          completionTokens: 1000,
          totalTokens: 3000,
        },
        {
          day: '2026-11-22',
          provider: 'team-vllm',
          priced: true,
          generations: 1,
          promptTokens: 500,
          completionTokens: 250,
          totalTokens: 750,
        },
      ]);
      expect(tokens.days.map((day) => day.costUsd)).toEqual([
        expect.closeTo(0.0005, 10),
        0,
        null,
        expect.closeTo(0.00025, 10),
      ]);
      expect(
        tokens.providers.map(({ provider, totalTokens, costUsd, priced }) => ({
          provider,
          totalTokens,
          costUsd,
          priced,
        })),
      ).toEqual([
        { provider: 'openai', totalTokens: 3000, costUsd: null, priced: false },
        { provider: 'team-vllm', totalTokens: 2250, costUsd: expect.closeTo(0.00075, 10), priced: true },
        { provider: null, totalTokens: 0, costUsd: 0, priced: true },
      ]);
    });

    it('scores draft and accepted cases into ten buckets and counts findings by rule', async () => {
      const { quality, findingsByRule } = await dashboardService().projectDashboard({ projectName: 'Shop' });
      expect(quality.buckets.map((bucket) => [bucket.from, bucket.to])).toEqual(
        Array.from({ length: 10 }, (_, index) => [index * 10, index === 9 ? 100 : index * 10 + 9]),
      );
      // TC-1 accepted, TC-3 edited draft, and the two SHOP-2 drafts; the rejected TC-2 is left out.
      expect(quality.scoredCases).toBe(4);
      expect(quality.pendingStories).toBe(0);
      expect(quality.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(4);
      expect(quality.averageScore).toBeGreaterThanOrEqual(0);
      for (const entry of findingsByRule) expect(entry.count).toBeGreaterThan(0);
      const counts = findingsByRule.map((entry) => entry.count);
      expect(counts).toEqual([...counts].sort((left, right) => right - left));
    });

    it('reads case content again only for the stories that changed', async () => {
      const service = dashboardService();
      const first = await service.projectDashboard({ projectName: 'Shop' });
      expect(listCalls).toHaveLength(1);
      expect([...(listCalls[0]!.storyIds ?? [])].sort()).toEqual(
        [seeded.stories.payment.id, seeded.stories.discount.id].sort(),
      );

      listCalls = [];
      expect(await service.projectDashboard({ projectName: 'Shop' })).toEqual(first);
      expect(listCalls).toHaveLength(0);

      await storage.testCases.insertMany([
        {
          projectId: seeded.project.id,
          storyId: seeded.stories.discount.id,
          ...testCaseContent('Code for AC-2', ['AC-2']),
        },
      ]);
      const changed = await service.projectDashboard({ projectName: 'Shop' });
      expect(listCalls).toEqual([{ storyIds: [seeded.stories.discount.id] }]);
      expect(changed.quality.scoredCases).toBe(5);
      expect(changed.coverage.totals).toEqual({ accepted: 1, draft: 4, none: 1 });
    });

    it('scores a large project over several reads, saying how many stories are pending', async () => {
      const service = createDashboardService(
        { storage: async () => storage },
        { maxStoriesScoredPerRead: 1 },
      );
      const first = await service.projectDashboard({ projectName: 'Shop' });
      // Each story has two draft or accepted cases.
      expect(first.quality).toMatchObject({ scoredCases: 2, pendingStories: 1 });
      const second = await service.projectDashboard({ projectName: 'Shop' });
      expect(second.quality).toMatchObject({ scoredCases: 4, pendingStories: 0 });
    });

    it('says what to do for an unknown project', async () => {
      await expect(dashboardService().projectDashboard({ projectName: 'Nope' })).rejects.toThrow(
        'There is no project named "Nope".',
      );
    });
  });
}

describe('stored provider prices', () => {
  const provider = (name: string, prices: object) => ({ name, ...prices }) as unknown as ProviderRecord;

  it('prices a provider that stores both prices, and no other', () => {
    const priceOfStored = storedPriceOf([
      provider('team-vllm', { inputPricePerMillionTokens: 0.2, outputPricePerMillionTokens: 0.6 }),
      provider('half', { inputPricePerMillionTokens: 1, outputPricePerMillionTokens: null }),
      provider('none', {}),
    ]);
    expect(priceOfStored('team-vllm')).toEqual({ input: 0.2, output: 0.6 });
    expect(priceOfStored('half')).toBeUndefined();
    expect(priceOfStored('none')).toBeUndefined();
    expect(priceOfStored('unknown')).toBeUndefined();
  });
});
