/**
 * A story key is a path segment of the API (`/api/projects/P/stories/KEY`) and of the web app's
 * addresses. Keys that cannot make that round trip (`.`, `..`, `/`, `\`, control characters) are
 * refused at import with a clear error and nothing stored; every other key opens through the API
 * (issue 11, item 14).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workspace } from '../../src/app/workspace/index.ts';
import { type TestServer, startWorkspaceServer } from './server-setup.ts';

let server: TestServer;
let workspace: Workspace;

beforeAll(async () => {
  const started = await startWorkspaceServer();
  server = started;
  workspace = started.workspace;
  for (const name of ['P', 'Q']) expect((await post('/api/projects', { name })).status).toBe(201);
});

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
});

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function importStories(project: string, keys: string[]): Promise<Response> {
  const stories = keys.map((key, index) => ({
    key,
    summary: `Story ${index + 1}`,
    acceptanceCriteria: ['The page opens'],
  }));
  return post(`/api/projects/${project}/stories/import`, {
    content: JSON.stringify(stories),
    fileName: 'stories.json',
  });
}

async function storedKeys(project: string): Promise<string[]> {
  const response = await fetch(`${server.url}/api/projects/${project}/stories`);
  const body = (await response.json()) as { stories: Array<{ key: string }> };
  return body.stories.map((story) => story.key).sort();
}

describe('story keys at import', () => {
  it.each([
    ['.', '.'],
    ['..', '..'],
    ['a slash', 'SHOP/1'],
    ['a backslash', 'SHOP\\1'],
    ['a control character', 'SHOP\u00071'],
    ['DEL', 'SHOP\u007f1'],
  ])('refuses the key %s with a clear error and stores nothing of the file', async (_name, key) => {
    const response = await importStories('P', ['OK-1', key]);
    const body = (await response.json()) as { error?: { code?: string; message?: string; fix?: string } };
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.error?.code).toBe('invalid_input');
    expect(body.error?.message).toMatch(/story key/i);
    expect(body.error?.fix).toMatch(/key/i);
    expect(await storedKeys('P')).toEqual([]);
  });

  it('imports every other key and opens each one through the API by its encoded key', async () => {
    const keys = [
      'SHOP-1',
      'A B',
      '100%',
      'Q?#&=+;',
      'Ünïcode-ключ-1',
      '%2e%2e',
      '%2F',
      '...',
      '.hidden',
      'a..b',
    ];
    const response = await importStories('Q', keys);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await storedKeys('Q')).toEqual([...keys].sort());
    for (const key of keys) {
      const opened = await fetch(`${server.url}/api/projects/Q/stories/${encodeURIComponent(key)}`);
      expect(opened.status, key).toBe(200);
      expect(((await opened.json()) as { story: { key: string } }).story.key).toBe(key);
    }
  });
});
