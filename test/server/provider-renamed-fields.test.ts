/**
 * Over HTTP, on SQLite and PostgreSQL: the provider fields renamed to the `Milliseconds` spelling
 * (issue 15). The new names are the documented ones; the former names are still accepted in a
 * request body, with a notice in the answer, and answers carry only the new names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDialect, DIALECTS, isAvailable } from '../storage/storage-setup.ts';
import { startWorkspaceServer, type WorkspaceServer } from './workspace-server.ts';

interface Saved {
  provider: Record<string, unknown> & { limits: Record<string, number> };
  notices: string[];
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('provider fields in milliseconds', dialect), () => {
    let running: WorkspaceServer;

    beforeAll(async () => {
      running = await startWorkspaceServer(dialect);
    }, 60_000);

    afterAll(async () => {
      await running?.dispose();
    });

    async function save(body: Record<string, unknown>): Promise<Saved> {
      const response = await running.call('POST', '/api/providers', {
        baseUrl: 'http://127.0.0.1:9/v1',
        model: 'm',
        ...body,
      });
      expect(response.status).toBe(200);
      return (await response.json()) as Saved;
    }

    it('stores the settings given under their new names, without a notice', async () => {
      const saved = await save({
        name: 'current',
        timeoutMilliseconds: 4000,
        limits: { deadlineMilliseconds: 9000, maxRetryAfterMilliseconds: 700 },
      });
      expect(saved.provider.timeoutMilliseconds).toBe(4000);
      expect(saved.provider.limits).toMatchObject({
        deadlineMilliseconds: 9000,
        maxRetryAfterMilliseconds: 700,
      });
      expect(saved.notices.join(' ')).not.toMatch(/deprecated/);
    });

    it('accepts the former names with a notice each, and answers with the new names only', async () => {
      const saved = await save({
        name: 'former',
        timeoutMs: 4000, // former name
        limits: { deadlineMs: 9000, maxRetryAfterMs: 700 }, // former names
      });
      expect(saved.notices).toEqual(
        expect.arrayContaining([
          'timeoutMs is deprecated; use timeoutMilliseconds (same value).', // former name
          'limits.deadlineMs is deprecated; use limits.deadlineMilliseconds (same value).', // former name
          'limits.maxRetryAfterMs is deprecated; use limits.maxRetryAfterMilliseconds (same value).', // former name
        ]),
      );
      const shown = (await (await running.call('GET', '/api/providers/former')).json()) as Saved['provider'];
      expect(shown.timeoutMilliseconds).toBe(4000);
      expect(shown.limits).toMatchObject({ deadlineMilliseconds: 9000, maxRetryAfterMilliseconds: 700 });
      expect(Object.keys(shown.limits).filter((key) => key.endsWith('Ms'))).toEqual([]);
      expect(Object.keys(shown).filter((key) => key.endsWith('Ms'))).toEqual([]);
    });

    it('keeps the new name when both are given', async () => {
      const saved = await save({ name: 'both', timeoutMilliseconds: 4000, timeoutMs: 1 }); // former name too
      expect(saved.provider.timeoutMilliseconds).toBe(4000);
      expect(saved.notices.join(' ')).toMatch(/timeoutMs is deprecated and ignored/); // former name
    });
  });
}
