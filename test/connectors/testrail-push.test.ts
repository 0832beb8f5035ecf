import { describe, expect, it } from 'vitest';
import { startFakeTestRail } from '../support/fake-testrail.ts';
import { createConnectorWorkspace, seedAcceptedCases } from './connectors-support.ts';
import { describePushTarget } from './push-target-suite.ts';
import { API_KEY, environment, testRailHarness, USER } from './testrail-harness.ts';

// The PostgreSQL half is testrail-push.postgres.test.ts, so the two test workers share the suite.
describePushTarget(testRailHarness, ['sqlite']);

describe('push to TestRail: pacing', () => {
  it('paces to 180 requests a minute on one virtual clock: no 429, about 180 requests per virtual minute', async () => {
    let virtualTime = 0;
    const testrail = await startFakeTestRail({
      user: USER,
      apiKey: API_KEY,
      requestsPerMinute: 180,
      now: () => virtualTime,
    });
    const context = await createConnectorWorkspace('sqlite', environment(testrail), {
      now: () => virtualTime,
      sleep: async (milliseconds) => {
        virtualTime += milliseconds;
      },
    });
    try {
      await seedAcceptedCases(context.storage, 4, 100);
      const result = await context.workspace.push.push({ project: 'Shop', to: 'testrail' });
      expect(result.counts.created).toBe(400);
      expect(testrail.counts.rateLimited).toBe(0);
      const perMinute = result.requests / (virtualTime / 60_000);
      expect(perMinute).toBeGreaterThan(0.95 * 180);
      expect(perMinute).toBeLessThanOrEqual(181);
    } finally {
      await context.dispose();
      await testrail.close();
    }
  });
});
