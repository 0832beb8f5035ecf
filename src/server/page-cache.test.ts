import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ServerEnv } from './context.ts';
import { PAGE_CACHE_PATH, PageStore, pageCache } from './page-cache.ts';

/** A server whose project page counts its computations; the revision is the test's to raise. */
function countingServer(maxBytes?: number) {
  const state = { revision: 1, computed: 0 };
  const app = new Hono<ServerEnv>();
  app.use('*', async (c, next) => {
    c.set('principal', { kind: 'anonymous' });
    await next();
  });
  app.use(
    PAGE_CACHE_PATH,
    pageCache({
      readRevision: async (name) => (name === 'Shop' ? { id: 'p1', revision: state.revision } : undefined),
      ...(maxBytes === undefined ? {} : { maxBytes }),
    }),
  );
  app.get('/api/projects/:project/test-cases', (c) => {
    state.computed += 1;
    return c.json({ computed: state.computed, query: c.req.query() });
  });
  return { app, state };
}

describe('page cache', () => {
  it('computes a first page once per revision and per query string', async () => {
    const { app, state } = countingServer();
    const first = await app.request('/api/projects/Shop/test-cases?limit=50&status=draft');
    const again = await app.request('/api/projects/Shop/test-cases?status=draft&limit=50');
    expect(await again.json()).toEqual(await first.json());
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(state.computed).toBe(1);
    await app.request('/api/projects/Shop/test-cases?limit=10');
    await app.request('/api/projects/Shop/test-cases?limit=10&offset=0');
    await app.request('/api/projects/Shop/test-cases?limit=10&offset=0');
    expect(state.computed).toBe(3);
    state.revision += 1;
    const changed = await app.request('/api/projects/Shop/test-cases?limit=50&status=draft');
    expect(((await changed.json()) as { computed: number }).computed).toBe(4);
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
  });

  it('leaves later pages, unknown projects and other methods to the route', async () => {
    const { app, state } = countingServer();
    for (let round = 0; round < 2; round++) {
      await app.request('/api/projects/Shop/test-cases?cursor=abc');
      await app.request('/api/projects/Shop/test-cases?offset=50');
      await app.request('/api/projects/Nowhere/test-cases');
    }
    expect(state.computed).toBe(6);
  });

  it('answers 304 to the current ETag without computing the page', async () => {
    const { app, state } = countingServer();
    const entityTag = (await app.request('/api/projects/Shop/test-cases')).headers.get('etag')!;
    const conditional = () =>
      app.request('/api/projects/Shop/test-cases', { headers: { 'if-none-match': entityTag } });
    expect((await conditional()).status).toBe(304);
    expect(state.computed).toBe(1);
    state.revision += 1;
    expect((await conditional()).status).toBe(200);
  });

  it('keeps at most its bytes, dropping the least recently used page first', () => {
    const store = new PageStore(100);
    const page = (body: string) => ({
      revision: 1,
      body,
      contentType: 'application/json',
      bytes: body.length * 2,
    });
    store.set('a', page('x'.repeat(20)));
    store.set('b', page('y'.repeat(20)));
    store.get('a');
    store.set('c', page('z'.repeat(20)));
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')?.body).toBe('x'.repeat(20));
    expect(store.bytes).toBeLessThanOrEqual(100);
    store.set('huge', page('h'.repeat(60)));
    expect(store.get('huge')).toBeUndefined();
  });
});
