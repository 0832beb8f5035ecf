/**
 * The page cache (src/server/page-cache.ts) over the real server: a write through the API is seen
 * by the next read of every cached page, on SQLite and PostgreSQL; a client that sends the page's
 * ETag back gets a 304 until the project changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutBacklog } from '../support/backlog.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import { startWorkspaceServer, type WorkspaceServer } from './workspace-server.ts';

interface CaseList {
  testCases: Array<{ id: string; status: string }>;
  total: number;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('page cache', dialect), () => {
    let served: WorkspaceServer;

    beforeAll(async () => {
      served = await startWorkspaceServer(dialect);
      expect((await served.call('POST', '/api/projects', { name: 'Shop' })).status).toBe(201);
      const imported = await served.call('POST', '/api/projects/Shop/stories/import', {
        content: checkoutBacklog(['SHOP-1', 'SHOP-2']),
        fileName: 'backlog.md',
      });
      expect(imported.status).toBe(200);
      const generated = await served.call('POST', '/api/projects/Shop/stories/SHOP-1/generate', {
        offline: true,
      });
      expect(generated.status).toBe(200);
    });
    afterAll(async () => {
      await served?.dispose();
    });

    async function read<Body>(path: string): Promise<{ body: Body; entityTag: string | null }> {
      const response = await served.call('GET', path);
      expect(response.status).toBe(200);
      return { body: (await response.json()) as Body, entityTag: response.headers.get('etag') };
    }

    it('serves the same page twice, and the next read after a write shows the write', async () => {
      const path = '/api/projects/Shop/test-cases?status=draft&limit=50';
      const first = await read<CaseList>(path);
      const again = await read<CaseList>(path);
      expect(again).toEqual(first);
      expect(first.entityTag).toMatch(/^".+"$/);
      const project = await read<{ testCases: { accepted: number; draft: number } }>('/api/projects/Shop');
      const stories = await read<{ stories: Array<{ key: string }> }>('/api/projects/Shop/stories');

      const accepted = first.body.testCases[0]!.id;
      const review = await served.call('POST', '/api/test-cases/accept', { ids: [accepted] });
      expect(review.status).toBe(200);
      const after = await read<CaseList>(path);
      expect(after.body.total).toBe(first.body.total - 1);
      expect(after.body.testCases.map((testCase) => testCase.id)).not.toContain(accepted);
      expect(after.entityTag).not.toBe(first.entityTag);
      const shown = await read<{ testCases: { accepted: number; draft: number } }>('/api/projects/Shop');
      expect(shown.body.testCases.accepted).toBe(project.body.testCases.accepted + 1);
      expect(shown.body.testCases.draft).toBe(project.body.testCases.draft - 1);

      await served.call('POST', '/api/projects/Shop/stories/import', {
        content: checkoutBacklog(['SHOP-1', 'SHOP-2', 'SHOP-3']),
        fileName: 'backlog.md',
      });
      const listed = await read<{ stories: Array<{ key: string }> }>('/api/projects/Shop/stories');
      expect(listed.body.stories).toHaveLength(stories.body.stories.length + 1);
    });

    it('answers 304 to the current ETag, and the new page once the project changed', async () => {
      const path = '/api/projects/Shop';
      const { entityTag } = await read<unknown>(path);
      const unchanged = await served.call('GET', path, undefined);
      expect(unchanged.status).toBe(200);
      const conditional = () =>
        fetch(`${served.server.url}${path}`, { headers: { 'if-none-match': entityTag! } });
      expect((await conditional()).status).toBe(304);
      const patched = await served.call('PATCH', path, { defaultFormat: 'bdd' });
      expect(patched.status).toBe(200);
      const changed = await conditional();
      expect(changed.status).toBe(200);
      expect(((await changed.json()) as { defaultFormat: string }).defaultFormat).toBe('bdd');
    });
  });
}
