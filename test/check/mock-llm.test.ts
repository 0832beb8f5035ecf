/**
 * The checker against a compliant OpenAI-compatible server this project did not write:
 * `@dwmkerr/mock-llm` (npm), run from its own bin with its default configuration, which echoes
 * the last user message in OpenAI's chat completion format and lists the model `gpt-5.2`.
 *
 * Every contract-critical check passes. These warn, because of what the mock is, not because the
 * checker is wrong:
 * - auth-required: the mock checks no key, so a wrong key is accepted.
 * - metadata: its answers have no `created`.
 * - usage: its answers have no `usage`.
 * - max-tokens: an echo server ignores max_tokens (the whole prompt comes back, finish_reason "stop").
 * - json-mode: `response_format` is ignored (the prompt is echoed, not JSON).
 * - error-format: cut-off JSON gets HTTP 400 from Express with `{ error: "SyntaxError", message }`,
 *   a flat shape rather than `{ error: { message } }`.
 * - test-generation: the echoed story is not a list of test cases (read with core's own parser).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelAnswer } from '../../src/core/answer/index.ts';
import { StorySchema } from '../../src/core/model.ts';
import {
  renderCheckReport,
  runEndpointCheck,
  type CheckId,
  type ParseTestCases,
} from '../../src/llm/check/index.ts';

const apiKey = 'sk-mock-llm-check-0123456789q9z8';
const story = StorySchema.parse({
  key: 'CHECK-1',
  summary: 'Log in with email and password',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'Valid credentials open the dashboard' },
    { id: 'AC-2', text: 'A wrong password shows an error' },
  ],
});
const parseTestCases: ParseTestCases = (text) => {
  const parsed = parseModelAnswer(text, { format: 'manual', story });
  return parsed.ok ? { count: parsed.value.testCases.length } : { error: parsed.error.message };
};

let server: ChildProcess | undefined;
let workingDirectory = '';
let baseUrl = '';

beforeAll(async () => {
  const port = await freePort();
  // An empty working directory, so no mock-llm.yaml changes the default configuration.
  workingDirectory = mkdtempSync(join(tmpdir(), 'reqase-mock-llm-'));
  server = spawn(process.execPath, [join(process.cwd(), 'node_modules/@dwmkerr/mock-llm/dist/main.js')], {
    cwd: workingDirectory,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: 'ignore',
  });
  baseUrl = `http://127.0.0.1:${port}/v1`;
  await waitUntilReady(`http://127.0.0.1:${port}/ready`, 15_000);
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill();
    await exited;
  }
  if (workingDirectory) rmSync(workingDirectory, { recursive: true, force: true });
});

describe('runEndpointCheck against @dwmkerr/mock-llm', () => {
  it('passes every contract-critical check; the mock’s known gaps only warn', async () => {
    const report = await runEndpointCheck({
      baseUrl,
      apiKey,
      model: 'gpt-5.2',
      timeoutMilliseconds: 5000,
      parseTestCases,
    });
    const statuses = Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
    expect(statuses, renderCheckReport(report, { color: false })).toEqual({
      reachable: 'pass',
      path: 'pass',
      auth: 'pass',
      'auth-required': 'warn',
      json: 'pass',
      structure: 'pass',
      content: 'pass',
      role: 'pass',
      model: 'pass',
      metadata: 'warn',
      usage: 'warn',
      'max-tokens': 'warn',
      temperature: 'pass',
      'system-message': 'pass',
      'json-mode': 'warn',
      streaming: 'pass',
      models: 'pass',
      'error-format': 'warn',
      'openai-client': 'pass',
      'test-generation': 'warn',
    } satisfies Record<CheckId, string>);
    expect(report.compatible).toBe(true);
    const message = (id: CheckId): string => report.checks.find((check) => check.id === id)?.message ?? '';
    expect(message('metadata')).toContain('no numeric `created`');
    expect(message('max-tokens')).toContain('was ignored');
    expect(message('error-format')).toContain(
      'HTTP 400 but not `{error:{message}}` (the message found elsewhere: "SyntaxError: ',
    );
    expect(JSON.stringify(report)).not.toContain(apiKey);
  });

  it('a base URL without /v1 fails path and names the /v1 URL', async () => {
    const report = await runEndpointCheck({
      baseUrl: baseUrl.replace(/\/v1$/, ''),
      model: 'gpt-5.2',
      timeoutMilliseconds: 5000,
    });
    const path = report.checks.find((check) => check.id === 'path');
    expect(path?.status).toBe('fail');
    expect(path?.message).toContain(`the base URL should be ${baseUrl}.`);
    expect(report.compatible).toBe(false);
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitUntilReady(url: string, limitMilliseconds: number): Promise<void> {
  const deadline = Date.now() + limitMilliseconds;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`mock-llm exited with code ${String(server?.exitCode)}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`mock-llm was not ready within ${limitMilliseconds} ms`);
}
