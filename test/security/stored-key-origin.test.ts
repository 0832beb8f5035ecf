/**
 * A stored provider's key (and its extra headers, which may hold keys) goes only to the origin it
 * was given for: saving the provider again with a base URL on another scheme, host or port drops
 * them unless they are given again, and says so. Over real HTTP: two fake endpoints on two ports,
 * the provider saved through the API and through the CLI, then checked against the new address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace, workspaceTokens } from '../../src/app/workspace/index.ts';
import { runReqaseWithoutModel } from '../bad-input/bad-input-cases.ts';
import { startTestServer, type TestServer } from '../server/server-setup.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';

const apiKey = 'sk-origin-bound-5c1e8a0f7b2d4e6a9c3f';
const headerSecret = 'gw-header-secret-93b1d7e2a4c6f8e0';

let first: FakeLlmEndpoint;
let second: FakeLlmEndpoint;
let server: TestServer;
let workspace: Workspace;
let directory: string;

/** Every header value the endpoint received, in all its requests. */
function headerValuesReceived(endpoint: FakeLlmEndpoint): string {
  return endpoint.requests.map((request) => Object.values(request.headers).join('\n')).join('\n');
}

async function post(path: string, body: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  first = await startFakeLlmEndpoint({ apiKey });
  second = await startFakeLlmEndpoint();
  const created = await startTestServer();
  await created.close();
  workspace = openWorkspace(
    resolveSettings({ REQASE_DATA_DIR: created.dataDirectory }, created.dataDirectory),
  );
  const tokens = workspaceTokens(workspace);
  server = await startTestServer({ workspace: { workspace, tokens }, tokens });
  directory = mkdtempSync(join(tmpdir(), 'reqase-origin-'));
});

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
  await first?.close();
  await second?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

// The CLI test spawns the real command three times: a generous ceiling for a loaded machine.
describe('a stored key and the base URL', { timeout: 90_000 }, () => {
  it('API: a new origin without a key drops the stored key and headers, says so, and the check sends neither', async () => {
    const saved = await post('/api/providers', {
      name: 'p2',
      baseUrl: first.url,
      model: 'fake-model',
      apiKey,
      extraHeaders: { 'x-gateway-key': headerSecret },
    });
    expect(saved.status).toBe(200);
    const moved = await post('/api/providers', { name: 'p2', baseUrl: second.url });
    expect(moved.status).toBe(200);
    expect((moved.body.notices as string[]).join('\n')).toMatch(
      /stored API key and extra headers were removed because the base URL changed/,
    );
    expect(moved.body.provider).toMatchObject({ hasApiKey: false, extraHeaders: {} });

    const check = await post('/api/providers/p2/check', { timeoutSeconds: 10 });
    expect(check.status).toBe(200);
    expect(second.requests.length).toBeGreaterThan(0);
    const received = headerValuesReceived(second);
    expect(received).not.toContain(apiKey);
    expect(received).not.toContain(headerSecret);
  });

  it('API: the same origin keeps the key; a key given with the new origin is used there', async () => {
    await post('/api/providers', { name: 'p3', baseUrl: first.url, model: 'fake-model', apiKey });
    const sameOrigin = await post('/api/providers', {
      name: 'p3',
      baseUrl: `${first.origin}/v1/`,
      model: 'other',
    });
    expect(sameOrigin.body.provider).toMatchObject({ hasApiKey: true });
    expect((sameOrigin.body.notices as string[]).join('\n')).not.toMatch(/removed/);

    const withKey = await post('/api/providers', {
      name: 'p3',
      baseUrl: second.url,
      apiKey: 'sk-given-again-0000111122223333',
    });
    expect(withKey.body.provider).toMatchObject({ hasApiKey: true });
    expect((withKey.body.notices as string[]).join('\n')).not.toMatch(/removed/);
  });

  it('CLI: provider add with only a new --base-url drops the key and prints a note', async () => {
    const dataDirectory = join(directory, 'cli');
    const run = (args: string[]) => runReqaseWithoutModel(args, { cwd: directory, dataDirectory });
    const added = await run([
      'provider',
      'add',
      'p4',
      '--base-url',
      first.url,
      '--model',
      'fake-model',
      '--api-key',
      apiKey,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const moved = await run(['provider', 'add', 'p4', '--base-url', second.url]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toMatch(/stored API key was removed because the base URL changed/);
    const shown = await run(['provider', 'show', 'p4', '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ hasApiKey: false, baseUrl: second.url });
  });
});
