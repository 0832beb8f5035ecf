import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, createZephyrScaleClient } from '../../src/connectors/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import { startFakeZephyrScale, type FakeZephyrScale } from '../support/fake-zephyr-scale.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import {
  createConnectorWorkspace,
  seedAcceptedCases,
  type ConnectorTestWorkspace,
} from './connectors-support.ts';

const TOKEN = 'zephyr-scale-token-0123456789';

function environment(zephyr: FakeZephyrScale, token = TOKEN) {
  return {
    REQASE_ZEPHYR_SCALE_URL: zephyr.url,
    REQASE_ZEPHYR_SCALE_TOKEN: token,
    REQASE_ZEPHYR_SCALE_PROJECT_KEY: 'SHOP',
  };
}

/** The names the fake holds, with how often each appears. */
function nameCounts(zephyr: FakeZephyrScale): Map<string, number> {
  const counts = new Map<string, number>();
  for (const testCase of zephyr.testCases.values())
    counts.set(testCase.name, (counts.get(testCase.name) ?? 0) + 1);
  return counts;
}

/** Stories SHOP-1 … SHOP-`count` as imported from Jira, issue id 10000 + their number. */
async function markImportedFromJira(storage: Storage, count: number) {
  const stories = await storage.stories.list((await storage.projects.findByName('Shop'))!.id);
  await storage.storyIssues.saveMany(
    stories
      .filter((story) => Number(story.key.slice('SHOP-'.length)) <= count)
      .map((story) => ({
        storyId: story.id,
        issueId: String(10_000 + Number(story.key.slice('SHOP-'.length))),
        issueKey: story.key,
        siteUrl: 'https://example.atlassian.net',
      })),
  );
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('push to Zephyr Scale Cloud', dialect),
    { timeout: 180_000 },
    () => {
      let zephyr: FakeZephyrScale;
      let context: ConnectorTestWorkspace;
      beforeEach(async () => {
        zephyr = await startFakeZephyrScale({ token: TOKEN });
        context = await createConnectorWorkspace(dialect, environment(zephyr));
      });
      afterEach(async () => {
        await context.dispose();
        await zephyr.close();
      });

      it('pushes 1,200 cases: a folder per story, steps, labels, the Jira issue linked; a story not from Jira is not linked, with a warning', async () => {
        await seedAcceptedCases(context.storage, 100, 12);
        await markImportedFromJira(context.storage, 99);
        const preview = await context.workspace.push.push({
          project: 'Shop',
          to: 'zephyr-scale',
          dryRun: true,
        });
        expect(preview.counts.total).toBe(1200);
        expect(zephyr.requests).toHaveLength(0);

        const result = await context.workspace.push.push({ project: 'Shop', to: 'zephyr-scale' });
        expect(result.counts).toEqual({ total: 1200, created: 1200, updated: 0, unchanged: 0, failed: 0 });
        expect(zephyr.testCases.size).toBe(1200);
        expect(zephyr.folders.size).toBe(100);
        expect([...nameCounts(zephyr).values()].every((count) => count === 1)).toBe(true);
        const sample = [...zephyr.testCases.values()].find((testCase) =>
          testCase.name.startsWith('Story 7 case 2:'),
        );
        expect(sample).toMatchObject({
          labels: ['SHOP-7', 'reqase'],
          priorityName: 'Normal',
          statusName: 'Approved',
          precondition: 'A cart with one item',
          issueLinks: [10_007],
          steps: [
            { description: 'Open the cart', expectedResult: 'The cart shows one item' },
            {
              description: 'Pay with a valid card',
              testData: '4111 1111 1111 1111',
              expectedResult: 'The order is confirmed',
            },
          ],
        });
        expect(zephyr.folders.get(sample?.folderId ?? 0)?.name).toBe('SHOP-7: Checkout 7');
        const unlinked = [...zephyr.testCases.values()].filter(
          (testCase) => testCase.issueLinks.length === 0,
        );
        expect(unlinked).toHaveLength(12);
        expect(unlinked.every((testCase) => testCase.labels.includes('SHOP-100'))).toBe(true);
        expect(result.warnings).toEqual([expect.stringMatching(/^SHOP-100 was not imported from Jira/)]);
      });

      it('a second push with 3 edited cases updates those 3 and creates nothing', async () => {
        await seedAcceptedCases(context.storage, 100, 12);
        await context.workspace.push.push({ project: 'Shop', to: 'zephyr-scale' });
        const cases = await context.storage.testCases.list({ status: 'accepted' });
        const edited = [cases[5], cases[500], cases[1199]].map((testCase) => testCase!);
        for (const testCase of edited) {
          await context.storage.testCases.updateContent(testCase.id, {
            title: `${testCase.title} (edited)`,
            kind: testCase.kind,
            priority: testCase.priority,
            preconditions: testCase.preconditions,
            steps: testCase.steps.slice(0, 1),
            covers: testCase.covers,
            engine: testCase.engine,
            warnings: testCase.warnings,
          });
        }
        const before = await context.workspace.push.status({ project: 'Shop', to: 'zephyr-scale' });
        expect(before.cases.filter((testCase) => testCase.state === 'out-of-date')).toHaveLength(3);
        const createsBefore = zephyr.counts.createTestCase;

        const again = await context.workspace.push.push({ project: 'Shop', to: 'zephyr-scale' });
        expect(again.counts).toEqual({ total: 1200, created: 0, updated: 3, unchanged: 1197, failed: 0 });
        expect(zephyr.counts.createTestCase).toBe(createsBefore);
        expect(zephyr.counts.updateTestCase).toBe(3);
        expect(zephyr.testCases.size).toBe(1200);
        const updated = [...zephyr.testCases.values()].filter((testCase) =>
          testCase.name.endsWith('(edited)'),
        );
        expect(updated).toHaveLength(3);
        // The steps are overwritten, not appended to.
        expect(updated.every((testCase) => testCase.steps.length === 1)).toBe(true);
        const after = await context.workspace.push.status({ project: 'Shop', to: 'zephyr-scale' });
        expect(after.cases.every((testCase) => testCase.state === 'up-to-date')).toBe(true);
      });

      it('a push that crashes mid-way resumes with every case created exactly once, steps included', async () => {
        await seedAcceptedCases(context.storage, 100, 12);
        // The crash: Zephyr Scale makes the 500th test case, but its answer never reaches the push.
        let creates = 0;
        const crashing = context.reopen({
          fetch: async (input, init) => {
            const response = await fetch(input, init);
            if (init?.method === 'POST' && /\/v2\/testcases$/.test(String(input)) && ++creates === 500)
              throw new TypeError('fetch failed: socket hang up');
            return response;
          },
        });
        const error = await crashing.push
          .push({ project: 'Shop', to: 'zephyr-scale' })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConnectorError);
        expect(zephyr.testCases.size).toBe(500);
        const [failedJob] = await context.workspace.push.listJobs('Shop');
        expect(failedJob?.status).toBe('failed');

        const resumed = await context.workspace.push.resume(failedJob!.id);
        expect(resumed.jobId).toBe(failedJob!.id);
        expect(resumed.counts.created + resumed.counts.unchanged).toBe(1200);
        expect(resumed.counts.failed).toBe(0);
        expect(zephyr.testCases.size).toBe(1200);
        expect(zephyr.counts.createTestCase).toBe(1200);
        expect([...nameCounts(zephyr).values()].every((count) => count === 1)).toBe(true);
        expect([...zephyr.testCases.values()].every((testCase) => testCase.steps.length === 2)).toBe(true);
        const status = await context.workspace.push.status({ project: 'Shop', to: 'zephyr-scale' });
        expect(status.cases.every((testCase) => testCase.state === 'up-to-date')).toBe(true);
        expect(new Set(status.cases.map((testCase) => testCase.externalKey)).size).toBe(1200);
      });

      it('429 with Retry-After and 5xx mid-push are retried and nothing is duplicated', async () => {
        await seedAcceptedCases(context.storage, 5, 12);
        zephyr.injectFault({
          match: /^POST \/v2\/testcases\?/,
          count: 3,
          response: {
            status: 429,
            headers: { 'Retry-After': '7' },
            body: { errorCode: 429, message: 'Too many requests.' },
          },
        });
        zephyr.injectFault({
          match: /^POST \/v2\/testcases\?/,
          count: 2,
          response: { status: 502, body: { errorCode: 502, message: 'Bad gateway' } },
        });
        zephyr.injectFault({
          match: /teststeps/,
          count: 2,
          response: { status: 503, body: { errorCode: 503, message: 'Service unavailable' } },
        });
        zephyr.injectFault({
          match: /^GET \/v2\/folders/,
          count: 1,
          response: { status: 500, body: { errorCode: 500, message: 'Internal error' } },
        });
        const result = await context.workspace.push.push({ project: 'Shop', to: 'zephyr-scale' });
        expect(result.counts.created).toBe(60);
        expect(zephyr.testCases.size).toBe(60);
        expect(zephyr.folders.size).toBe(5);
        expect([...nameCounts(zephyr).values()].every((count) => count === 1)).toBe(true);
        expect([...zephyr.testCases.values()].every((testCase) => testCase.steps.length === 2)).toBe(true);
        expect(context.sleeps.filter((milliseconds) => milliseconds === 7000)).toHaveLength(3);
      });

      it('a BDD case goes out as a BDD test script, not as steps', async () => {
        const project = await seedAcceptedCases(context.storage, 1, 1);
        const [story] = await context.storage.stories.list(project.id);
        const gherkin = [
          'Scenario: Pay with a valid card',
          '  Given a cart with one item',
          '  When the shopper pays with card 4111 1111 1111 1111',
          '  Then the order is confirmed',
        ].join('\n');
        await context.storage.testCases.insertMany([
          {
            projectId: project.id,
            storyId: story!.id,
            title: 'Pay with a valid card (BDD)',
            kind: 'positive',
            priority: 'high',
            preconditions: [],
            steps: [],
            gherkin,
            covers: ['AC-1'],
            engine: 'rules',
            warnings: [],
            status: 'accepted',
          },
        ]);
        const result = await context.workspace.push.push({ project: 'Shop', to: 'zephyr-scale' });
        expect(result.counts.created).toBe(2);
        const bdd = [...zephyr.testCases.values()].find((testCase) => testCase.name.endsWith('(BDD)'));
        expect(bdd).toMatchObject({
          script: { type: 'bdd', text: gherkin },
          steps: [],
          priorityName: 'High',
        });
        expect(
          zephyr.requests.some((request) => request.path === `/v2/testcases/${bdd?.key}/teststeps`),
        ).toBe(false);
      });

      it('wrong credentials: a named error with a fix, nothing written here or there', async () => {
        const wrong = await createConnectorWorkspace(dialect, environment(zephyr, 'wrong-token-000000000'));
        try {
          await seedAcceptedCases(wrong.storage, 2, 3);
          const error = await wrong.workspace.push
            .push({ project: 'Shop', to: 'zephyr-scale' })
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(ConnectorError);
          expect((error as ConnectorError).code).toBe('connector_authentication');
          expect((error as ConnectorError).fix).toMatch(/API access token/);
          expect((error as ConnectorError).message).not.toContain('wrong-token-000000000');
          expect(zephyr.testCases.size).toBe(0);
          expect(zephyr.folders.size).toBe(0);
          expect(await wrong.workspace.push.listJobs('Shop')).toHaveLength(0);
          const status = await wrong.workspace.push.status({ project: 'Shop', to: 'zephyr-scale' });
          expect(status.cases.every((testCase) => testCase.state === 'not-pushed')).toBe(true);
        } finally {
          await wrong.dispose();
        }
      });
    },
  );
}

describe('Zephyr Scale client: steps', () => {
  it('sends 150 steps as one OVERWRITE of 100 and one APPEND of 50, and an empty OVERWRITE clears them', async () => {
    const zephyr = await startFakeZephyrScale({ token: TOKEN });
    try {
      const client = createZephyrScaleClient({ baseUrl: zephyr.url, token: TOKEN });
      const created = await client.createTestCase({ projectKey: 'SHOP', name: 'Many steps' });
      const steps = Array.from({ length: 150 }, (_, index) => ({ description: `Step ${index + 1}` }));
      await client.setSteps(created.key, steps);
      const sent = zephyr.requests.filter((request) => request.path.endsWith('/teststeps'));
      expect(
        sent.map((request) => [
          (request.body as { mode: string }).mode,
          (request.body as { items: unknown[] }).items.length,
        ]),
      ).toEqual([
        ['OVERWRITE', 100],
        ['APPEND', 50],
      ]);
      expect(zephyr.testCases.get(created.key)?.steps.map((step) => step.description)).toEqual(
        steps.map((step) => step.description),
      );
      await client.setSteps(created.key, []);
      expect(zephyr.testCases.get(created.key)?.steps).toEqual([]);
    } finally {
      await zephyr.close();
    }
  });
});
