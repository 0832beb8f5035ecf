/**
 * Over real HTTP: every answer carries its request id and `nosniff`, whoever made it (a route's
 * JSON, the page cache's stored body or 304, an error, a refused body, a stream), and a cached
 * page's body is byte-identical to the one the route made. The headers go on Node's own response
 * (see `requestContext`), so these are the answers a browser sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT } from '../../src/server/index.ts';
import { startWorkspaceServer, type TestServer } from './server-setup.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startWorkspaceServer();
  const created = await fetch(`${server.url}/api/projects`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Shop' }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
});

afterAll(async () => {
  await server?.dispose();
});

function expectCommonHeaders(response: Response) {
  expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('headers of every answer', () => {
  it('a JSON answer, an error, and a refused body', async () => {
    const health = await fetch(`${server.url}/api/health`);
    expectCommonHeaders(health);
    expect(health.headers.get('content-type')).toBe('application/json');

    const missing = await fetch(`${server.url}/api/projects/Nowhere`);
    expect(missing.status).toBe(404);
    expectCommonHeaders(missing);

    const tooLarge = await fetch(`${server.url}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(DEFAULT_BODY_LIMIT + 1) }),
    });
    expect(tooLarge.status).toBe(413);
    expectCommonHeaders(tooLarge);
  });

  it("a cached page: the route's answer, the stored copy and the 304 alike", async () => {
    const first = await fetch(`${server.url}/api/projects/Shop/stories`);
    expect(first.status).toBe(200);
    expectCommonHeaders(first);
    const entityTag = first.headers.get('etag');
    expect(entityTag).toMatch(/^"\d+-/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const firstBody = await first.text();

    const second = await fetch(`${server.url}/api/projects/Shop/stories`);
    expectCommonHeaders(second);
    expect(second.headers.get('etag')).toBe(entityTag);
    expect(second.headers.get('content-type')).toBe('application/json');
    expect(await second.text()).toBe(firstBody);

    const unchanged = await fetch(`${server.url}/api/projects/Shop/stories`, {
      headers: { 'if-none-match': entityTag! },
    });
    expect(unchanged.status).toBe(304);
    expectCommonHeaders(unchanged);
  });

  it('a page the cache does not keep (an error) gets no entity tag', async () => {
    const invalid = await fetch(`${server.url}/api/projects/Shop/test-cases?status=nonsense`);
    expect(invalid.status).toBe(400);
    expectCommonHeaders(invalid);
    expect(invalid.headers.get('etag')).toBeNull();
  });
});
