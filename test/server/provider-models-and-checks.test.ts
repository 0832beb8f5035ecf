/**
 * Over HTTP, on SQLite and PostgreSQL: a stored provider's served models (asked server-side with
 * its key, which never reaches the client), its prices, and the last check recorded on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { describeDialect, DIALECTS, isAvailable } from '../storage/storage-setup.ts';
import { startWorkspaceServer, type WorkspaceServer } from './workspace-server.ts';

const apiKey = 'sk-test-models-0123456789abcdef';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('provider models, prices and checks', dialect),
    () => {
      let endpoint: FakeLlmEndpoint;
      let running: WorkspaceServer;

      beforeAll(async () => {
        endpoint = await startFakeLlmEndpoint({
          apiKey,
          models: ['zeta-model', 'fake-model', 'alpha-model'],
          rejectUnknownModels: true,
        });
        running = await startWorkspaceServer(dialect);
      }, 60_000);

      afterAll(async () => {
        await running?.dispose();
        await endpoint?.close();
      });

      it('stores prices, lists the served models with the stored key, and records each check', async () => {
        const saved = await running.call('POST', '/api/providers', {
          name: 'team',
          baseUrl: endpoint.url,
          model: 'fake-model',
          apiKey,
          inputPricePerMillionTokens: 0.15,
          outputPricePerMillionTokens: 0.6,
        });
        expect(saved.status).toBe(200);
        const { provider } = (await saved.json()) as { provider: Record<string, unknown> };
        expect(provider).toMatchObject({
          inputPricePerMillionTokens: 0.15,
          outputPricePerMillionTokens: 0.6,
          lastCheck: null,
        });

        const listed = await running.call('GET', '/api/providers/team/models');
        expect(listed.status).toBe(200);
        const text = await listed.text();
        expect(JSON.parse(text)).toEqual({
          models: [
            { id: 'alpha-model', ownedBy: 'fake' },
            { id: 'fake-model', ownedBy: 'fake' },
            { id: 'zeta-model', ownedBy: 'fake' },
          ],
        });
        expect(text).not.toContain(apiKey);
        const modelsRequest = endpoint.requests.filter((request) => request.path.endsWith('/models')).at(-1);
        expect(modelsRequest?.headers.authorization).toBe(`Bearer ${apiKey}`);

        const checked = await running.call('POST', '/api/providers/team/check', {});
        expect(checked.status).toBe(200);
        const report = (await checked.json()) as {
          compatible: boolean;
          checks: { id: string; servedModels?: string[] }[];
        };
        expect(report.compatible).toBe(true);
        expect(report.checks.find((check) => check.id === 'models')?.servedModels).toContain('alpha-model');
        const shown = (await (await running.call('GET', '/api/providers/team')).json()) as {
          lastCheck: { verdict: string; summary: string; checkedAt: string };
        };
        expect(shown.lastCheck).toMatchObject({
          verdict: 'compatible',
          summary: expect.stringContaining('fake-model'),
        });
        expect(Number.isNaN(Date.parse(shown.lastCheck.checkedAt))).toBe(false);

        // A model the endpoint does not serve: not compatible, and the card's summary names the cause.
        await running.call('POST', '/api/providers', { name: 'team', model: 'fake-modle' });
        await running.call('POST', '/api/providers/team/check', {});
        const failed = (await (await running.call('GET', '/api/providers/team')).json()) as {
          lastCheck: { verdict: string; summary: string };
          inputPricePerMillionTokens: number;
        };
        expect(failed.lastCheck.verdict).toBe('not-compatible');
        expect(failed.inputPricePerMillionTokens).toBe(0.15);
      }, 120_000);

      it('answers 404 for the models of an unknown provider, and 400 for a negative price', async () => {
        expect((await running.call('GET', '/api/providers/absent/models')).status).toBe(404);
        const negative = await running.call('POST', '/api/providers', {
          name: 'cheap',
          baseUrl: endpoint.url,
          model: 'fake-model',
          inputPricePerMillionTokens: -1,
        });
        expect(negative.status).toBe(400);
      });
    },
  );
}
