/**
 * The history API over real HTTP on SQLite and PostgreSQL: a change made with an API token records
 * the token's name as its actor, one without a token on the loopback server records "local";
 * restore makes a new version (409 when the case moved past `expectedVersion`); the generation
 * audit of an offline case says no prompt was sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceTokens } from '../../src/app/workspace/index.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import { CHECKOUT_STORIES } from '../workspace/workspace-support.ts';
import { startWorkspaceServer, type WorkspaceServer } from './workspace-server.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('case history API', dialect), () => {
    let served: WorkspaceServer;
    let caseId: string;
    let token: string;

    beforeEach(async () => {
      served = await startWorkspaceServer(dialect);
      const { workspace } = served;
      await workspace.projects.create({ name: 'Shop', defaultFormat: 'manual' });
      await workspace.stories.importStories('Shop', { content: CHECKOUT_STORIES, fileName: 'checkout.md' });
      const generated = await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', {
        offline: true,
      });
      caseId = generated.testCases[0]!.id;
      token = (await workspaceTokens(workspace).create('ci-bot')).token;
    });
    afterEach(async () => served.dispose());

    function withToken(method: string, path: string, body: unknown): Promise<Response> {
      return fetch(`${served.server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    }

    it('records the token name or "local" as the actor, restores a version and guards it', async () => {
      expect((await withToken('PATCH', `/api/test-cases/${caseId}`, { title: 'Pay with Visa' })).status).toBe(
        200,
      );
      expect(
        (await served.call('PATCH', `/api/test-cases/${caseId}`, { title: 'Pay with Mastercard' })).status,
      ).toBe(200);
      expect((await withToken('POST', '/api/test-cases/accept', { ids: [caseId] })).status).toBe(200);

      const history = (await (await served.call('GET', `/api/test-cases/${caseId}/history`)).json()) as {
        entries: Array<{
          version: number;
          action: string;
          actor: string;
          current: boolean;
          content: { title: string };
        }>;
        review: { status: string; actor: string } | null;
      };
      expect(history.entries.map((entry) => [entry.version, entry.action, entry.actor])).toEqual([
        [1, 'generated', 'unknown'],
        [2, 'edited', 'ci-bot'],
        [3, 'edited', 'local'],
      ]);
      expect(history.review).toMatchObject({ status: 'accepted', actor: 'ci-bot' });

      const conflict = await withToken('POST', `/api/test-cases/${caseId}/restore`, {
        version: 2,
        expectedVersion: 2,
      });
      expect(conflict.status).toBe(409);
      const restored = await withToken('POST', `/api/test-cases/${caseId}/restore`, {
        version: 2,
        expectedVersion: 3,
      });
      expect(restored.status).toBe(200);
      expect(await restored.json()).toMatchObject({ version: 4, title: 'Pay with Visa' });
      const after = (await (
        await served.call('GET', `/api/test-cases/${caseId}/history`)
      ).json()) as typeof history;
      expect(after.entries.at(-1)).toMatchObject({
        version: 4,
        action: 'restored',
        actor: 'ci-bot',
        current: true,
      });

      expect((await served.call('POST', `/api/test-cases/${caseId}/restore`, { version: 99 })).status).toBe(
        404,
      );
      expect((await served.call('POST', `/api/test-cases/${caseId}/restore`, { version: 0 })).status).toBe(
        400,
      );
    });

    it('answers the generation audit of an offline case, and 404 for an unknown case', async () => {
      const audit = await served.call('GET', `/api/test-cases/${caseId}/generation`);
      expect(audit.status).toBe(200);
      const body = (await audit.json()) as {
        engine: string;
        summary: string;
        generation: { messages: unknown[] };
      };
      expect(body.engine).toBe('rules');
      expect(body.summary).toMatch(/no prompt was sent/);
      expect(body.generation.messages).toEqual([]);
      expect((await served.call('GET', '/api/test-cases/nope/generation')).status).toBe(404);
    });
  });
}
