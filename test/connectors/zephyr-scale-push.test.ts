import { describe, expect, it } from 'vitest';
import { createZephyrScaleClient } from '../../src/connectors/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import { startFakeZephyrScale, type FakeZephyrScale } from '../support/fake-zephyr-scale.ts';
import { createConnectorWorkspace, seedAcceptedCases } from './connectors-support.ts';
import { describePushTarget } from './push-target-suite.ts';

const TOKEN = 'zephyr-scale-token-0123456789';

function environment(zephyr: FakeZephyrScale, token = TOKEN) {
  return {
    REQASE_ZEPHYR_SCALE_URL: zephyr.url,
    REQASE_ZEPHYR_SCALE_TOKEN: token,
    REQASE_ZEPHYR_SCALE_PROJECT_KEY: 'SHOP',
  };
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

describePushTarget<FakeZephyrScale>({
  name: 'Zephyr Scale Cloud',
  target: 'zephyr-scale',
  start: () => startFakeZephyrScale({ token: TOKEN }),
  environment: (zephyr, wrongSecret) => environment(zephyr, wrongSecret),
  titles: (zephyr) => [...zephyr.testCases.values()].map((testCase) => testCase.name),
  counts: (zephyr) => ({
    creates: zephyr.counts.createTestCase,
    updates: zephyr.counts.updateTestCase,
  }),
  isCreate: (url, init) => init?.method === 'POST' && /\/v2\/testcases$/.test(url),
  faults: [
    {
      match: /^POST \/v2\/testcases\?/,
      count: 3,
      response: {
        status: 429,
        headers: { 'Retry-After': '7' },
        body: { errorCode: 429, message: 'Too many requests.' },
      },
    },
    {
      match: /^POST \/v2\/testcases\?/,
      count: 2,
      response: { status: 502, body: { errorCode: 502, message: 'Bad gateway' } },
    },
    {
      match: /teststeps/,
      count: 2,
      response: { status: 503, body: { errorCode: 503, message: 'Service unavailable' } },
    },
    {
      match: /^GET \/v2\/folders/,
      count: 1,
      response: { status: 500, body: { errorCode: 500, message: 'Internal error' } },
    },
  ],
  retryAfter: { milliseconds: 7000, waits: 3 },
  credentialFix: /API access token/,
  prepareStories: (storage) => markImportedFromJira(storage, 99),
  checkFullPush(zephyr, result) {
    expect(zephyr.folders.size).toBe(100);
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
    // SHOP-100 was not imported from Jira: its cases are not linked, and the push says so.
    const unlinked = [...zephyr.testCases.values()].filter((testCase) => testCase.issueLinks.length === 0);
    expect(unlinked).toHaveLength(12);
    expect(unlinked.every((testCase) => testCase.labels.includes('SHOP-100'))).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/^SHOP-100 was not imported from Jira/)]);
  },
  checkEveryCaseWhole(zephyr) {
    expect([...zephyr.testCases.values()].every((testCase) => testCase.steps.length === 2)).toBe(true);
  },
  checkEditedCases(zephyr) {
    // The steps are overwritten, not appended to.
    const edited = [...zephyr.testCases.values()].filter((testCase) => testCase.name.endsWith('(edited)'));
    expect(edited.map((testCase) => testCase.steps.length)).toEqual([1, 1, 1]);
  },
});

describe('push to Zephyr Scale Cloud: BDD', () => {
  it('a BDD case goes out as a BDD test script, not as steps', async () => {
    const zephyr = await startFakeZephyrScale({ token: TOKEN });
    const context = await createConnectorWorkspace('sqlite', environment(zephyr));
    try {
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
      expect(zephyr.requests.some((request) => request.path === `/v2/testcases/${bdd?.key}/teststeps`)).toBe(
        false,
      );
    } finally {
      await context.dispose();
      await zephyr.close();
    }
  });
});

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
