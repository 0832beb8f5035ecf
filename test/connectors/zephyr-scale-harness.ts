/** Zephyr Scale Cloud for the shared push suite, run once per dialect by zephyr-scale-push.test.ts and zephyr-scale-push.postgres.test.ts. */
import { expect } from 'vitest';
import type { Storage } from '../../src/storage/index.ts';
import { startFakeZephyrScale, type FakeZephyrScale } from '../support/fake-zephyr-scale.ts';
import type { PushTargetHarness } from './push-target-suite.ts';

export const TOKEN = 'zephyr-scale-token-0123456789';

export function environment(zephyr: FakeZephyrScale, token = TOKEN) {
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

/** The shared push suite's view of Zephyr Scale Cloud and its fake (zephyr-scale-push*.test.ts). */
export const zephyrScaleHarness: PushTargetHarness<FakeZephyrScale> = {
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
};
