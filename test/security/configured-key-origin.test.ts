/**
 * The server's own key (`REQASE_API_KEY`, with `REQASE_BASE_URL`) goes only to its configured
 * endpoint: an API caller naming another base URL gets a generation without it, and so does a CLI
 * command given another `--base-url`. Over real HTTP, with two fake endpoints on two ports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReqaseWithoutModel } from '../bad-input/bad-input-cases.ts';
import { startTestServer, type TestServer } from '../server/server-setup.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';

const serverKey = 'sk-server-own-4e7a1c9b0d2f5a8e6c3b';
const modelAnswer = JSON.stringify({
  testCases: [
    {
      title: 'Valid credentials open the dashboard',
      kind: 'positive',
      priority: 'high',
      steps: [{ action: 'Sign in with valid credentials', expected: 'The dashboard is shown' }],
      covers: ['AC-1'],
    },
  ],
});
const story = {
  key: 'KEY-1',
  summary: 'Sign in',
  acceptanceCriteria: ['Valid credentials open the dashboard'],
};

let configured: FakeLlmEndpoint;
let other: FakeLlmEndpoint;
let server: TestServer;
let directory: string;

function headerValuesReceived(endpoint: FakeLlmEndpoint): string {
  return endpoint.requests.map((request) => Object.values(request.headers).join('\n')).join('\n');
}

async function generate(body: unknown) {
  const response = await fetch(`${server.url}/api/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { notices?: string[]; engine?: unknown },
  };
}

beforeAll(async () => {
  configured = await startFakeLlmEndpoint({
    apiKey: serverKey,
    scenario: { default: { kind: 'answer', text: modelAnswer } },
  });
  other = await startFakeLlmEndpoint({ scenario: { default: { kind: 'answer', text: modelAnswer } } });
  server = await startTestServer({
    env: { REQASE_BASE_URL: configured.url, REQASE_API_KEY: serverKey, REQASE_MODEL: 'fake-model' },
  });
  directory = mkdtempSync(join(tmpdir(), 'reqase-key-origin-'));
});

afterAll(async () => {
  await server?.dispose();
  await configured?.close();
  await other?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('the server’s configured key', { timeout: 90_000 }, () => {
  it('still reaches the configured endpoint', async () => {
    const result = await generate({ story, fillGaps: false });
    expect(result.status).toBe(200);
    expect(configured.completionRequests().map((request) => request.headers.authorization)).toContain(
      `Bearer ${serverKey}`,
    );
  });

  it('is not sent to a base URL an API caller gives, and the answer says so', async () => {
    const result = await generate({ story, provider: { baseUrl: other.url }, fillGaps: false });
    expect(result.status).toBe(200);
    expect(other.completionRequests().length).toBeGreaterThan(0);
    expect(headerValuesReceived(other)).not.toContain(serverKey);
    expect(result.body.notices?.join('\n')).toMatch(/REQASE_API_KEY is not sent to/);
    expect(JSON.stringify(result.body)).not.toContain(serverKey);
  });

  it('is not sent by the CLI to another --base-url unless given with --api-key', async () => {
    const dataDirectory = join(directory, 'cli');
    const env = { REQASE_BASE_URL: configured.url, REQASE_API_KEY: serverKey };
    const before = other.requests.length;
    const run = await runReqaseWithoutModel(
      ['check', '--base-url', other.url, '--model', 'fake-model', '--timeout', '10'],
      {
        cwd: directory,
        dataDirectory,
        env,
      },
    );
    expect(other.requests.length).toBeGreaterThan(before);
    expect(headerValuesReceived(other)).not.toContain(serverKey);
    expect(run.stdout + run.stderr).toMatch(/REQASE_API_KEY is not sent to/);
  });
});
