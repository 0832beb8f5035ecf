/** Xray Server/DC for the shared push suite, run once per dialect by xray-server-push.test.ts and xray-server-push.postgres.test.ts. */
import { expect } from 'vitest';
import { startFakeXrayServer, type FakeXrayServer } from '../support/fake-xray-server.ts';
import type { PushTargetHarness } from './push-target-suite.ts';

export const USER = 'qa';
export const PASSWORD = 'xray-server-password-0123';
export const TOKEN = 'xray-server-personal-token-0123';

export function environment(xray: FakeXrayServer, secret = PASSWORD, user: string | undefined = USER) {
  return {
    REQASE_XRAY_SERVER_URL: xray.url,
    ...(user ? { REQASE_XRAY_SERVER_USER: user } : {}),
    REQASE_XRAY_SERVER_TOKEN: secret,
    REQASE_XRAY_SERVER_PROJECT_KEY: 'QA',
  };
}

export const start = () =>
  startFakeXrayServer({ user: USER, password: PASSWORD, personalAccessToken: TOKEN });

/** The shared push suite's view of Xray Server/DC and its fake (xray-server-push*.test.ts). */
export const xrayServerHarness: PushTargetHarness<FakeXrayServer> = {
  name: 'Xray Server/DC',
  target: 'xray-server',
  start,
  environment: (xray, wrongSecret) => environment(xray, wrongSecret),
  titles: (xray) => [...xray.tests.values()].map((test) => test.summary),
  counts: (xray) => ({ creates: xray.counts.createIssue, updates: xray.counts.updateIssue }),
  isCreate: (url, init) => init?.method === 'POST' && url.endsWith('/rest/api/2/issue'),
  faults: [
    {
      match: /^POST \/rest\/api\/2\/issue\?/,
      count: 3,
      response: {
        status: 429,
        headers: { 'Retry-After': '7' },
        body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
      },
    },
    {
      match: /^POST \/rest\/api\/2\/issue\?/,
      count: 2,
      response: { status: 502, body: { errorMessages: ['Bad gateway'], errors: {} } },
    },
    {
      match: /^PUT \/rest\/raven\/1\.0\/api\/test\/.*\/step/,
      count: 2,
      response: { status: 503, body: 'Service unavailable', text: true },
    },
  ],
  retryAfter: { milliseconds: 7000, waits: 3 },
  credentialFix: /Jira user qa and its password or token/,
  checkFullPush(xray) {
    const sample = [...xray.tests.values()].find((test) => test.summary.startsWith('Story 7 case 2:'));
    expect(sample).toMatchObject({
      testType: 'Manual',
      labels: ['SHOP-7', 'reqase'],
      priority: 'Medium',
      description: 'A cart with one item',
      links: [{ type: 'Tests', key: 'SHOP-7' }],
      steps: [
        { step: 'Open the cart', data: '', result: 'The cart shows one item' },
        { step: 'Pay with a valid card', data: '4111 1111 1111 1111', result: 'The order is confirmed' },
      ],
    });
  },
  checkEveryCaseWhole(xray) {
    expect([...xray.tests.values()].every((test) => test.steps.length === 2)).toBe(true);
  },
  checkEditedCases(xray) {
    const edited = [...xray.tests.values()].filter((test) => test.summary.endsWith('(edited)'));
    expect(edited.map((test) => test.steps.length)).toEqual([1, 1, 1]);
  },
};
