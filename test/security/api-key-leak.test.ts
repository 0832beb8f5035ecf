/**
 * After a full run (providers added by CLI and API, import, generation with the model, checks,
 * every export, errors including an authentication failure whose body echoes the key), the API
 * key and a secret given as an extra header (`x-api-key: …`) are searched for in the database
 * files, export files, CLI output, API bodies and SSE streams, and the server log. Also: API
 * tokens stored hashed, the secret key file mode 0600.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace, workspaceTokens } from '../../src/app/workspace/index.ts';
import { ExportTargetSchema } from '../../src/formats/index.ts';
import { runReqaseWithoutModel, type CommandRun } from '../bad-input/bad-input-cases.ts';
import { startTestServer, type TestServer } from '../server/server-setup.ts';
import { errorBodies, startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';

const apiKey = 'sk-leakcheck-7f3a9c2e51b84d06aa17e9c4b2d8f0e3';
/** A key a gateway wants in its own header, stored as a provider's extra header. */
const headerSecret = 'hdr-leakcheck-2b9e4f71c0a35d86e1f4a7c9';
/** A secret in a header whose name does not look secret (a routing or tenant header). */
const plainNamedHeaderSecret = 'route-leakcheck-5d0c8e2a91f47b36';
const secrets = {
  'API key': apiKey,
  'header secret': headerSecret,
  'secret in a plainly named header': plainNamedHeaderSecret,
};
const story = `# SEC-1: Sign in

## Acceptance criteria
- Valid credentials open the dashboard
- A wrong password shows an error
`;
const modelAnswer = JSON.stringify({
  testCases: [
    {
      title: 'Valid credentials open the dashboard',
      kind: 'positive',
      priority: 'high',
      steps: [{ action: 'Sign in with valid credentials', expected: 'The dashboard is shown' }],
      covers: ['AC-1'],
    },
    {
      title: 'Wrong password is refused',
      kind: 'negative',
      priority: 'high',
      steps: [{ action: 'Sign in with a wrong password', expected: 'An error is shown' }],
      covers: ['AC-2'],
    },
  ],
});
/** An authentication failure that echoes the key, as some proxies do. */
const echoingAuthFailure = {
  kind: 'error' as const,
  status: 401,
  body: errorBodies.openai(
    `Incorrect API key provided: ${apiKey}`,
    'invalid_request_error',
    'invalid_api_key',
  ),
};

let endpoint: FakeLlmEndpoint;
let server: TestServer;
let workspace: Workspace;
let directory: string;
/** The workspace's data directory (database, secret key), shared by the server and the CLI. */
let dataDirectory: string;
let token: string;
const seen: Array<{ where: string; text: string }> = [];
const cliRuns: CommandRun[] = [];

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  seen.push({ where: `${method} ${path} (${response.status})`, text });
  return { status: response.status, text };
}

async function reqase(args: string[]) {
  const run = await runReqaseWithoutModel(args, { cwd: directory, dataDirectory });
  cliRuns.push(run);
  seen.push({ where: `reqase ${args.join(' ')}`, text: run.stdout + run.stderr });
  return run;
}

beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({
    apiKey,
    scenario: { default: { kind: 'answer', text: modelAnswer } },
  });
  const first = await startTestServer();
  await first.close();
  dataDirectory = first.dataDirectory;
  workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: first.dataDirectory }, first.dataDirectory));
  const tokens = workspaceTokens(workspace);
  server = await startTestServer({ workspace: { workspace, tokens }, tokens });
  directory = mkdtempSync(join(tmpdir(), 'reqase-security-'));
  token = (await tokens.create('security')).token;

  // Providers: one by the CLI (key on the command line), one by the API.
  const added = await reqase([
    'provider',
    'add',
    'cli-fake',
    '--base-url',
    endpoint.url,
    '--model',
    'fake-model',
    '--api-key',
    apiKey,
  ]);
  expect(added.code, added.stderr).toBe(0);
  expect(
    (
      await call('POST', '/api/providers', {
        name: 'api-fake',
        baseUrl: endpoint.url,
        model: 'fake-model',
        apiKey,
      })
    ).status,
  ).toBe(200);
  // Providers whose gateway key travels in an extra header, by the CLI and the API.
  const withHeader = await reqase([
    'provider',
    'add',
    'cli-header',
    '--base-url',
    endpoint.url,
    '--model',
    'fake-model',
    '--api-key',
    apiKey,
    '--header',
    `x-api-key: ${headerSecret}`,
    '--header',
    `x-route: ${plainNamedHeaderSecret}`,
  ]);
  expect(withHeader.code, withHeader.stderr).toBe(0);
  await reqase(['provider', 'show', 'cli-header', '--json']);
  await reqase(['provider', 'show', 'cli-header']);
  await reqase(['provider', 'list', '--json']);
  expect(
    (
      await call('POST', '/api/providers', {
        name: 'api-header',
        baseUrl: endpoint.url,
        model: 'fake-model',
        apiKey,
        extraHeaders: { 'x-api-key': headerSecret, 'x-route': plainNamedHeaderSecret },
      })
    ).status,
  ).toBe(200);
  await call('GET', '/api/providers');
  await call('GET', '/api/providers/api-fake');
  await call('GET', '/api/providers/api-header');
  await call('POST', '/api/providers/api-fake/check', { timeoutSeconds: 10 });
  await call('POST', '/api/providers/api-header/check', { timeoutSeconds: 10 });

  await call('POST', '/api/projects', { name: 'Sec', defaultProvider: 'api-fake' });
  expect(
    (await call('POST', '/api/projects/Sec/stories/import', { content: story, fileName: 'sec.md' })).status,
  ).toBe(200);

  // Generation with the model: stored (JSON and SSE, both providers) and ad hoc with the key inline.
  expect(
    (
      await call('POST', '/api/projects/Sec/stories/SEC-1/generate', {
        provider: 'api-fake',
        fillGaps: false,
      })
    ).status,
  ).toBe(200);
  await call(
    'POST',
    '/api/projects/Sec/stories/SEC-1/generate',
    { provider: 'cli-fake', fillGaps: false },
    { accept: 'text/event-stream' },
  );
  expect(
    (
      await call('POST', '/api/projects/Sec/stories/SEC-1/generate', {
        provider: 'api-header',
        fillGaps: false,
      })
    ).status,
  ).toBe(200);
  const inline = {
    content: story,
    provider: { baseUrl: endpoint.url, model: 'fake-model', apiKey },
    fillGaps: false,
  };
  expect((await call('POST', '/api/generate', inline)).status).toBe(200);
  await call('POST', '/api/generate', inline, { accept: 'text/event-stream' });
  await call('GET', '/api/projects/Sec/stories/SEC-1');
  const listed = await call('GET', '/api/projects/Sec/test-cases');
  const ids = (JSON.parse(listed.text) as { testCases: Array<{ id: string }> }).testCases.map(
    (item) => item.id,
  );
  await call('POST', '/api/test-cases/accept', { ids });
  for (const target of ExportTargetSchema.options) await call('GET', `/api/projects/Sec/export?to=${target}`);

  // Errors: the endpoint refuses the key and echoes it in its message.
  endpoint.setScenario({ default: echoingAuthFailure });
  await call('POST', '/api/projects/Sec/stories/SEC-1/generate', { provider: 'api-fake', fillGaps: false });
  await call(
    'POST',
    '/api/projects/Sec/stories/SEC-1/generate',
    { provider: 'cli-fake' },
    { accept: 'text/event-stream' },
  );
  await call('POST', '/api/generate', inline);
  await call('POST', '/api/generate', inline, { accept: 'text/event-stream' });
  await call('POST', '/api/providers/api-fake/check', { timeoutSeconds: 10 });
  await call('POST', '/api/check', {
    baseUrl: endpoint.url,
    model: 'fake-model',
    apiKey,
    timeoutSeconds: 10,
  });
  // A gateway that echoes the header's key in its refusal, for the providers that send it.
  endpoint.setScenario({
    default: {
      kind: 'error',
      status: 401,
      body: errorBodies.openai(`Gateway refused x-api-key ${headerSecret}`, 'invalid_request_error'),
    },
  });
  await call('POST', '/api/projects/Sec/stories/SEC-1/generate', { provider: 'api-header', fillGaps: false });
  await call(
    'POST',
    '/api/projects/Sec/stories/SEC-1/generate',
    { provider: 'cli-header', fillGaps: false },
    { accept: 'text/event-stream' },
  );
  await call('POST', '/api/providers/api-header/check', { timeoutSeconds: 10 });
  endpoint.setScenario({ default: echoingAuthFailure });

  // The CLI: check against the refusing endpoint, then against the working one; export to files.
  await reqase([
    'check',
    '--base-url',
    endpoint.url,
    '--api-key',
    apiKey,
    '--model',
    'fake-model',
    '--timeout',
    '10',
  ]);
  endpoint.setScenario({ default: { kind: 'answer', text: modelAnswer } });
  const [checked, exported, cucumber] = await Promise.all([
    reqase(['check', '--base-url', endpoint.url, '--api-key', apiKey, '--model', 'fake-model', '--json']),
    reqase(['export', '--project', 'Sec', '--to', 'json', '--out', join(directory, 'exports', 'cases.json')]),
    reqase([
      'export',
      '--project',
      'Sec',
      '--to',
      'cucumber',
      '--out',
      join(directory, 'exports', 'features'),
    ]),
  ]);
  expect(checked.stdout).toContain('"checks"');
  expect(exported.code, exported.stderr).toBe(0);
  expect(cucumber.code, cucumber.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
  await endpoint?.close();
  for (const path of [directory, dataDirectory]) if (path) rmSync(path, { recursive: true, force: true });
});

function filesUnder(path: string): string[] {
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(path, entry.name)) : [join(path, entry.name)],
  );
}

describe('the API key after a full run', () => {
  it('reached the endpoint (the run really used it)', () => {
    const authorizations = endpoint.completionRequests().map((request) => request.headers.authorization);
    expect(authorizations).toContain(`Bearer ${apiKey}`);
    const headerKeys = endpoint.completionRequests().map((request) => request.headers['x-api-key']);
    expect(headerKeys).toContain(headerSecret);
    expect(seen.some((entry) => /Incorrect API key provided|authentication/i.test(entry.text))).toBe(true);
  });

  for (const [label, secret] of Object.entries(secrets)) {
    describe(`the ${label}`, () => {
      it('is in no API response body or SSE stream, CLI stdout or stderr', () => {
        expect(seen.length).toBeGreaterThan(25);
        const leaks = seen.filter((entry) => entry.text.includes(secret)).map((entry) => entry.where);
        expect(leaks).toEqual([]);
        expect(cliRuns.every((run) => !looksLikeCrashOutput(run))).toBe(true);
      });

      it('is in no database file (main, -wal, -shm) as raw bytes', () => {
        const databaseFiles = readdirSync(dataDirectory).filter((name) => /\.db(-wal|-shm)?$/.test(name));
        expect(databaseFiles).toContain('reqase.db');
        for (const name of databaseFiles) {
          expect(readFileSync(join(dataDirectory, name)).includes(secret), name).toBe(false);
        }
      });

      it('is in no export file', () => {
        const files = filesUnder(join(directory, 'exports'));
        expect(files.some((file) => file.endsWith('.feature'))).toBe(true);
        for (const file of files) expect(readFileSync(file).includes(secret), file).toBe(false);
      });

      it('is not in the server log', () => {
        expect(server.log()).toContain('"path":"/api/providers"');
        expect(server.log()).not.toContain(secret);
      });
    });
  }
});

describe('secrets at rest', () => {
  it('stores API tokens hashed, never in clear', () => {
    for (const name of readdirSync(dataDirectory).filter((file) => /\.db(-wal|-shm)?$/.test(file))) {
      expect(readFileSync(join(dataDirectory, name)).includes(token), name).toBe(false);
    }
  });

  it('keeps the secret key file readable by its owner only (0600)', () => {
    const mode = statSync(join(dataDirectory, 'secret.key')).mode & 0o777;
    expect(mode.toString(8)).toBe('600');
  });
});

function looksLikeCrashOutput(run: CommandRun): boolean {
  return /Unexpected error|\n\s+at .+:\d+:\d+/.test(run.stderr);
}
