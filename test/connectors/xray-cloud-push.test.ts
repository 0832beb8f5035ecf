import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connectors/index.ts';
import { startFakeXrayCloud, type FakeXrayCloud } from '../support/fake-xray-cloud.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import {
  createConnectorWorkspace,
  seedAcceptedCases,
  type ConnectorTestWorkspace,
} from './connectors-support.ts';

const CLIENT_ID = 'xray-client-id';
const CLIENT_SECRET = 'xray-client-secret-0123456789';

function environment(xray: FakeXrayCloud, secret = CLIENT_SECRET) {
  return {
    REQASE_XRAY_URL: xray.url,
    REQASE_XRAY_CLIENT_ID: CLIENT_ID,
    REQASE_XRAY_CLIENT_SECRET: secret,
    REQASE_XRAY_PROJECT_KEY: 'QA',
  };
}

function imports(xray: FakeXrayCloud) {
  return xray.requests.filter(
    (request) => request.method === 'POST' && request.path === '/api/v2/import/test/bulk',
  );
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('push to Xray Cloud', dialect),
    { timeout: 180_000 },
    () => {
      let xray: FakeXrayCloud;
      let context: ConnectorTestWorkspace;
      beforeEach(async () => {
        xray = await startFakeXrayCloud({
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          pollsBeforeDone: 2,
        });
        context = await createConnectorWorkspace(dialect, environment(xray));
      });
      afterEach(async () => {
        await context.dispose();
        await xray.close();
      });

      it('pushes 1,200 cases in two bulk imports of at most 1,000, linked to their story, in a folder per story', async () => {
        await seedAcceptedCases(context.storage, 100, 12);
        const result = await context.workspace.push.push({ project: 'Shop', to: 'xray-cloud' });
        expect(result.counts).toEqual({ total: 1200, created: 1200, updated: 0, unchanged: 0, failed: 0 });
        expect(imports(xray).map((request) => (request.body as unknown[]).length)).toEqual([1000, 200]);
        expect(xray.tests.size).toBe(1200);
        const sample = [...xray.tests.values()].find(
          (test) => test.summary === 'Story 7 case 2: pay with a valid card',
        );
        expect(sample).toMatchObject({
          testtype: 'Manual',
          folder: '/SHOP-7',
          links: [{ type: 'Test', key: 'SHOP-7' }],
          steps: [
            { action: 'Open the cart', data: '', result: 'The cart shows one item' },
            {
              action: 'Pay with a valid card',
              data: '4111 1111 1111 1111',
              result: 'The order is confirmed',
            },
          ],
        });
        const keys = result.cases.map((testCase) => testCase.externalKey);
        expect(new Set(keys).size).toBe(1200);
      });

      it('a second push with 3 edited cases sends one import of 3 updates and creates nothing', async () => {
        await seedAcceptedCases(context.storage, 100, 12);
        await context.workspace.push.push({ project: 'Shop', to: 'xray-cloud' });
        const cases = await context.storage.testCases.list({ status: 'accepted' });
        for (const testCase of [cases[0], cases[600], cases[1100]].map((item) => item!)) {
          await context.storage.testCases.updateContent(testCase.id, {
            title: `${testCase.title} (edited)`,
            kind: testCase.kind,
            priority: testCase.priority,
            preconditions: testCase.preconditions,
            steps: testCase.steps,
            covers: testCase.covers,
            engine: testCase.engine,
            warnings: testCase.warnings,
          });
        }
        const again = await context.workspace.push.push({ project: 'Shop', to: 'xray-cloud' });
        expect(again.counts).toEqual({ total: 1200, created: 0, updated: 3, unchanged: 1197, failed: 0 });
        const last = imports(xray).at(-1)?.body as Array<{ update_key?: string }>;
        expect(last).toHaveLength(3);
        expect(last.every((test) => test.update_key !== undefined)).toBe(true);
        expect(xray.counts.created).toBe(1200);
        expect(xray.counts.updated).toBe(3);
        expect([...xray.tests.values()].filter((test) => test.summary.endsWith('(edited)'))).toHaveLength(3);
      });

      it('a push that stops while a bulk job runs resumes by following that job: every case created once', async () => {
        await seedAcceptedCases(context.storage, 100, 12);
        // The crash: the second import is queued by Xray, then every status poll fails until the
        // push gives up, so its 200 tests are created there but not recorded here.
        let importsSent = 0;
        const crashing = context.reopen({
          fetch: async (input, init) => {
            const url = String(input);
            if (url.endsWith('/api/v2/import/test/bulk') && init?.method === 'POST') importsSent += 1;
            if (importsSent === 2 && url.endsWith('/status'))
              throw new TypeError('fetch failed: connection reset');
            return fetch(input, init);
          },
        });
        const error = await crashing.push
          .push({ project: 'Shop', to: 'xray-cloud' })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ConnectorError);
        const [failedJob] = await context.workspace.push.listJobs('Shop');
        expect(failedJob?.status).toBe('failed');

        const resumed = await context.workspace.push.resume(failedJob!.id);
        expect(resumed.counts.failed).toBe(0);
        expect(imports(xray)).toHaveLength(2);
        expect(xray.counts.created).toBe(1200);
        expect(xray.tests.size).toBe(1200);
        const status = await context.workspace.push.status({ project: 'Shop', to: 'xray-cloud' });
        expect(status.cases.every((testCase) => testCase.state === 'up-to-date')).toBe(true);
        expect(new Set(status.cases.map((testCase) => testCase.externalKey)).size).toBe(1200);
      });

      it('429 and 5xx mid-push are retried and nothing is duplicated', async () => {
        await seedAcceptedCases(context.storage, 3, 10);
        xray.injectFault({
          match: /POST \/api\/v2\/import\/test\/bulk/,
          count: 2,
          response: { status: 429, headers: { 'Retry-After': '5' }, body: { error: 'Too many requests.' } },
        });
        xray.injectFault({
          match: /\/status/,
          count: 2,
          response: { status: 502, body: { error: 'Bad gateway' } },
        });
        const result = await context.workspace.push.push({ project: 'Shop', to: 'xray-cloud' });
        expect(result.counts.created).toBe(30);
        expect(xray.counts.imports).toBe(1);
        expect(xray.tests.size).toBe(30);
        expect(context.sleeps.filter((milliseconds) => milliseconds === 5000)).toHaveLength(2);
      });

      it('wrong credentials: a named error with a fix, nothing written here or there', async () => {
        const wrong = await createConnectorWorkspace(dialect, environment(xray, 'wrong-secret-000000'));
        try {
          await seedAcceptedCases(wrong.storage, 2, 3);
          const error = await wrong.workspace.push
            .push({ project: 'Shop', to: 'xray-cloud' })
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(ConnectorError);
          expect((error as ConnectorError).code).toBe('connector_authentication');
          expect((error as ConnectorError).fix).toMatch(/client id and client secret/);
          expect((error as ConnectorError).message).not.toContain('wrong-secret-000000');
          expect(xray.tests.size).toBe(0);
          expect(await wrong.workspace.push.listJobs('Shop')).toHaveLength(0);
        } finally {
          await wrong.dispose();
        }
      });
    },
  );
}
