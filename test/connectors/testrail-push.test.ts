import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connectors/index.ts';
import { startFakeTestRail, type FakeTestRail } from '../support/fake-testrail.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import {
  createConnectorWorkspace,
  seedAcceptedCases,
  type ConnectorTestWorkspace,
} from './connectors-support.ts';

const USER = 'qa@example.com';
const API_KEY = 'testrail-api-key-0123456789';

function environment(testrail: FakeTestRail, apiKey = API_KEY) {
  return {
    REQASE_TESTRAIL_URL: testrail.url,
    REQASE_TESTRAIL_USER: USER,
    REQASE_TESTRAIL_API_KEY: apiKey,
    REQASE_TESTRAIL_PROJECT_ID: '1',
  };
}

/** The titles the fake holds, with how often each appears. */
function titleCounts(testrail: FakeTestRail): Map<string, number> {
  const counts = new Map<string, number>();
  for (const testCase of testrail.cases.values())
    counts.set(testCase.title, (counts.get(testCase.title) ?? 0) + 1);
  return counts;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('push to TestRail', dialect),
    { timeout: 180_000 },
    () => {
      let testrail: FakeTestRail;
      let context: ConnectorTestWorkspace;
      beforeEach(async () => {
        // The window is real time and the client's pacing sleeps are recorded, not waited: lift the
        // limit here; the pacing test below runs both on one virtual clock.
        testrail = await startFakeTestRail({ user: USER, apiKey: API_KEY, requestsPerMinute: 1_000_000 });
        context = await createConnectorWorkspace(dialect, environment(testrail));
      });
      afterEach(async () => {
        await context.dispose();
        await testrail.close();
      });

      it('pushes 1,200 cases: a section per story, steps separated, the story key as refs; a dry run sends nothing', async () => {
        await seedAcceptedCases(context.storage, 100, 12);
        const preview = await context.workspace.push.push({ project: 'Shop', to: 'testrail', dryRun: true });
        expect(preview.counts.total).toBe(1200);
        expect(preview.cases.every((testCase) => testCase.outcome === 'would-create')).toBe(true);
        expect(testrail.requests).toHaveLength(0);

        const result = await context.workspace.push.push({ project: 'Shop', to: 'testrail' });
        expect(result.counts).toEqual({ total: 1200, created: 1200, updated: 0, unchanged: 0, failed: 0 });
        expect(testrail.cases.size).toBe(1200);
        expect(testrail.sections.size).toBe(100);
        expect([...titleCounts(testrail).values()].every((count) => count === 1)).toBe(true);
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
        const jobs = await context.workspace.push.listJobs('Shop');
        expect(jobs[0]).toMatchObject({ id: result.jobId, status: 'completed' });
      });

      it('a second push with 3 edited cases updates those 3 and creates nothing; edited cases are out of date until pushed', async () => {
        await seedAcceptedCases(context.storage, 100, 12);
        await context.workspace.push.push({ project: 'Shop', to: 'testrail' });
        const cases = await context.storage.testCases.list({ status: 'accepted' });
        const edited = [cases[5], cases[500], cases[1199]].map((testCase) => testCase!);
        for (const testCase of edited) {
          const {
            id,
            projectId: _p,
            storyId: _s,
            generationId: _g,
            caseNumber: _c,
            displayId: _d,
            status: _st,
            needsReview: _n,
            needsReviewReason: _r,
            version: _v,
            createdAt: _ca,
            updatedAt: _u,
            ...content
          } = testCase;
          await context.storage.testCases.updateContent(id, {
            ...content,
            title: `${content.title} (edited)`,
          });
        }
        const before = await context.workspace.push.status({ project: 'Shop', to: 'testrail' });
        expect(
          before.cases
            .filter((testCase) => testCase.state === 'out-of-date')
            .map((testCase) => testCase.testCaseId)
            .sort(),
        ).toEqual(edited.map((testCase) => testCase.id).sort());
        const addsBefore = testrail.counts.addCase;

        const again = await context.workspace.push.push({ project: 'Shop', to: 'testrail' });
        expect(again.counts).toEqual({ total: 1200, created: 0, updated: 3, unchanged: 1197, failed: 0 });
        expect(testrail.counts.addCase).toBe(addsBefore);
        expect(testrail.counts.updateCase).toBe(3);
        expect(testrail.cases.size).toBe(1200);
        expect(
          [...testrail.cases.values()].filter((testCase) => testCase.title.endsWith('(edited)')),
        ).toHaveLength(3);
        const after = await context.workspace.push.status({ project: 'Shop', to: 'testrail' });
        expect(after.cases.every((testCase) => testCase.state === 'up-to-date')).toBe(true);
      });

      it('a push that crashes mid-way resumes with every case created exactly once', async () => {
        await seedAcceptedCases(context.storage, 100, 12);
        // The crash: the 500th create is made by TestRail, but its answer never reaches the push
        // (the connection breaks), so the case was created and not recorded.
        let creates = 0;
        const crashing = context.reopen({
          fetch: async (input, init) => {
            const response = await fetch(input, init);
            if (String(input).includes('add_case/') && ++creates === 500)
              throw new TypeError('fetch failed: socket hang up');
            return response;
          },
        });
        const error = await crashing.push
          .push({ project: 'Shop', to: 'testrail' })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConnectorError);
        expect(testrail.cases.size).toBe(500);
        const [failedJob] = await context.workspace.push.listJobs('Shop');
        expect(failedJob?.status).toBe('failed');

        const resumed = await context.workspace.push.resume(failedJob!.id);
        expect(resumed.jobId).toBe(failedJob!.id);
        expect(resumed.counts.created + resumed.counts.unchanged).toBe(1200);
        expect(resumed.counts.failed).toBe(0);
        expect(testrail.cases.size).toBe(1200);
        expect(testrail.counts.addCase).toBe(1200);
        expect([...titleCounts(testrail).values()].every((count) => count === 1)).toBe(true);
        const status = await context.workspace.push.status({ project: 'Shop', to: 'testrail' });
        expect(status.cases.every((testCase) => testCase.state === 'up-to-date')).toBe(true);
        expect(new Set(status.cases.map((testCase) => testCase.externalKey)).size).toBe(1200);
      });

      it('429 with Retry-After, 409 maintenance and 5xx mid-push are retried and nothing is duplicated', async () => {
        await seedAcceptedCases(context.storage, 5, 12);
        testrail.injectFault({
          match: /add_case/,
          count: 3,
          response: {
            status: 429,
            // Longer than any pacing wait of this push (about 70 requests × 335 ms, recorded
            // not waited), so the recorded 37 s waits are the Retry-After ones and nothing else.
            headers: { 'Retry-After': '37' },
            body: { error: 'API Rate Limit Exceeded' },
          },
        });
        testrail.injectFault({
          match: /add_case/,
          count: 2,
          response: { status: 503, body: { error: 'Service unavailable' } },
        });
        testrail.injectFault({
          match: /get_sections/,
          count: 1,
          response: { status: 409, body: { error: 'TestRail is undergoing daily maintenance.' } },
        });
        const result = await context.workspace.push.push({ project: 'Shop', to: 'testrail' });
        expect(result.counts.created).toBe(60);
        expect(testrail.cases.size).toBe(60);
        expect([...titleCounts(testrail).values()].every((count) => count === 1)).toBe(true);
        expect(Math.max(...context.sleeps.filter((milliseconds) => milliseconds !== 37_000))).toBeLessThan(
          37_000,
        );
        expect(context.sleeps.filter((milliseconds) => milliseconds === 37_000)).toHaveLength(3);
      });

      it('wrong credentials: a named error with a fix, nothing written here or there', async () => {
        await seedAcceptedCases(context.storage, 2, 3);
        const wrong = await createConnectorWorkspace(dialect, environment(testrail, 'wrong-key-000000000'));
        try {
          await seedAcceptedCases(wrong.storage, 2, 3);
          const error = await wrong.workspace.push
            .push({ project: 'Shop', to: 'testrail' })
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(ConnectorError);
          expect((error as ConnectorError).code).toBe('connector_authentication');
          expect((error as ConnectorError).fix).toMatch(/API key/);
          expect((error as ConnectorError).message).not.toContain('wrong-key-000000000');
          expect(testrail.cases.size).toBe(0);
          expect(testrail.sections.size).toBe(0);
          expect(await wrong.workspace.push.listJobs('Shop')).toHaveLength(0);
          const status = await wrong.workspace.push.status({ project: 'Shop', to: 'testrail' });
          expect(status.cases.every((testCase) => testCase.state === 'not-pushed')).toBe(true);
        } finally {
          await wrong.dispose();
        }
      });
    },
  );
}

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
