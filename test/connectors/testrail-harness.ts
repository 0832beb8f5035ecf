/** TestRail for the shared push suite, run once per dialect by testrail-push.test.ts and testrail-push.postgres.test.ts. */
import { expect } from 'vitest';
import { startFakeTestRail, type FakeTestRail } from '../support/fake-testrail.ts';
import type { PushTargetHarness } from './push-target-suite.ts';

export const USER = 'qa@example.com';
export const API_KEY = 'testrail-api-key-0123456789';

export function environment(testrail: FakeTestRail, apiKey = API_KEY) {
  return {
    REQASE_TESTRAIL_URL: testrail.url,
    REQASE_TESTRAIL_USER: USER,
    REQASE_TESTRAIL_API_KEY: apiKey,
    REQASE_TESTRAIL_PROJECT_ID: '1',
  };
}

/** The shared push suite's view of TestRail and its fake (testrail-push*.test.ts). */
export const testRailHarness: PushTargetHarness<FakeTestRail> = {
  name: 'TestRail',
  target: 'testrail',
  // The window is real time and the client's pacing sleeps are recorded, not waited: lift the
  // limit here; the pacing test (testrail-push.test.ts) runs both on one virtual clock.
  start: () => startFakeTestRail({ user: USER, apiKey: API_KEY, requestsPerMinute: 1_000_000 }),
  environment: (testrail, wrongSecret) => environment(testrail, wrongSecret),
  titles: (testrail) => [...testrail.cases.values()].map((testCase) => testCase.title),
  counts: (testrail) => ({ creates: testrail.counts.addCase, updates: testrail.counts.updateCase }),
  isCreate: (url) => url.includes('add_case/'),
  faults: [
    {
      match: /add_case/,
      count: 3,
      // Longer than any pacing wait of this push (about 70 requests × 335 ms, recorded not
      // waited), so the recorded 37 s waits are the Retry-After ones and nothing else.
      response: { status: 429, headers: { 'Retry-After': '37' }, body: { error: 'API Rate Limit Exceeded' } },
    },
    { match: /add_case/, count: 2, response: { status: 503, body: { error: 'Service unavailable' } } },
    {
      match: /get_sections/,
      count: 1,
      response: { status: 409, body: { error: 'TestRail is undergoing daily maintenance.' } },
    },
  ],
  retryAfter: { milliseconds: 37_000, waits: 3 },
  credentialFix: /API key/,
  checkFullPush(testrail) {
    expect(testrail.sections.size).toBe(100);
    const sample = [...testrail.cases.values()].find((testCase) =>
      testCase.title.startsWith('Story 7 case 2:'),
    );
    expect(sample).toMatchObject({
      refs: 'SHOP-7',
      template_id: 2,
      type_id: 6,
      priority_id: 2,
      custom_preconds: 'A cart with one item',
      custom_steps_separated: [
        { content: 'Open the cart', expected: 'The cart shows one item' },
        {
          content: 'Pay with a valid card',
          expected: 'The order is confirmed',
          additional_info: '4111 1111 1111 1111',
        },
      ],
    });
    expect(testrail.sections.get(sample?.section_id ?? 0)?.name).toBe('SHOP-7: Checkout 7');
  },
  checkEveryCaseWhole(testrail) {
    expect(
      [...testrail.cases.values()].every((testCase) => testCase.custom_steps_separated?.length === 2),
    ).toBe(true);
  },
  checkEditedCases(testrail) {
    const edited = [...testrail.cases.values()].filter((testCase) => testCase.title.endsWith('(edited)'));
    expect(edited.map((testCase) => testCase.custom_steps_separated?.length)).toEqual([1, 1, 1]);
  },
};
