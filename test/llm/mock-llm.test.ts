/**
 * The client against an OpenAI-compatible server we did not write: `@dwmkerr/mock-llm`, started
 * as a child process on a free loopback port, configured by a YAML file of rules.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmAuthenticationError, MissingRequiredFieldsError, createChatClient } from '../../src/llm/index.ts';
import { createFakeClock, everythingVisible } from './helpers.ts';

const mockLlmMain = resolve('node_modules/@dwmkerr/mock-llm/dist/main.js');
const key = 'sk-mockllm-0123456789abcdefQRST';

// Last matching rule wins (mock-llm's rule order).
const configYaml = `
streaming:
  chunkSize: 4
  chunkIntervalMilliseconds: 2
rules:
  - path: "/v1/chat/completions"
    method: "POST"
    match: "@"
    response:
      status: 200
      content: |
        {
          "id": "chatcmpl-{{timestamp}}",
          "object": "chat.completion",
          "model": "{{jmes request body.model}}",
          "choices": [{
            "message": { "role": "assistant", "content": "{{jmes request body.messages[-1].content}}" },
            "finish_reason": "stop"
          }]
        }
  - path: "/v1/chat/completions"
    match: "contains(body.messages[-1].content, 'error-401')"
    response:
      status: 401
      content: |
        { "error": { "message": "Incorrect API key provided.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key" } }
  - path: "/v1/chat/completions"
    match: "contains(body.messages[-1].content, 'no-model')"
    response:
      status: 200
      content: |
        { "choices": [{ "message": { "role": "assistant", "content": "Hi there!" }, "finish_reason": "stop" }] }
  - path: "/v1/chat/completions"
    match: "contains(body.messages[-1].content, 'flaky')"
    sequence: 0
    response:
      status: 503
      content: |
        { "error": { "message": "The engine is currently overloaded", "type": "server_error" } }
  - path: "/v1/chat/completions"
    match: "contains(body.messages[-1].content, 'with-usage')"
    response:
      status: 200
      content: |
        {
          "id": "chatcmpl-usage", "object": "chat.completion", "created": 1, "model": "mock-model",
          "choices": [{ "message": { "role": "assistant", "content": "Counted." }, "finish_reason": "stop" }],
          "usage": { "prompt_tokens": 12, "completion_tokens": 2, "total_tokens": 14 }
        }
  - path: "/v1/models"
    method: "GET"
    response:
      status: 200
      content: |
        { "object": "list", "data": [{ "id": "mock-model", "object": "model", "owned_by": "mock" }] }
`;

let child: ChildProcess | undefined;
let directory: string;
let baseUrl: string;
let output = '';

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'reqase-mock-llm-'));
  const configPath = join(directory, 'mock-llm.yaml');
  writeFileSync(configPath, configYaml);
  const port = await freePort();
  child = spawn(process.execPath, [mockLlmMain, '--config', configPath], {
    cwd: directory,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  baseUrl = `${origin}/v1`;
  const startedAt = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mock-llm exited early:\n${output}`);
    const ready = await fetch(`${origin}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() - startedAt > 15_000) throw new Error(`mock-llm did not become ready:\n${output}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child?.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(directory, { recursive: true, force: true });
});

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('against @dwmkerr/mock-llm', () => {
  it('completes, sending the contract request, and estimates the missing usage with warnings', async () => {
    const client = createChatClient({ baseUrl, apiKey: key, model: 'mock-model' });
    const answer = await client.complete(ask('Generate test cases for login'));
    expect(answer.text).toBe('Generate test cases for login');
    expect(answer.model).toBe('mock-model');
    expect(answer.finishReason).toBe('stop');
    expect(answer.usage.estimated).toBe(true);
    expect(answer.warnings.join(' ')).toMatch(/no usage/);
    expect(answer.warnings.join(' ')).toMatch(/`created`/);
  });

  it('reports no cached tokens, and warns about none, when its usage has no prompt_tokens_details', async () => {
    const client = createChatClient({ baseUrl, apiKey: key, model: 'mock-model' });
    const answer = await client.complete(ask('Answer with-usage please'));
    expect(answer.usage).toEqual({
      promptTokens: 12,
      completionTokens: 2,
      totalTokens: 14,
      estimated: false,
    });
    expect(answer.usage).not.toHaveProperty('cachedTokens');
    expect(answer.warnings.join(' ')).not.toMatch(/usage|cache/i);

    const estimated = await client.complete(ask('Generate test cases for login'));
    expect(estimated.usage).not.toHaveProperty('cachedTokens');
  });

  it('streams through its SSE implementation', async () => {
    const client = createChatClient({ baseUrl, apiKey: key, model: 'mock-model' });
    const deltas: string[] = [];
    const answer = await client.complete({
      ...ask('Streamed answer from a third-party server'),
      stream: true,
      onTextDelta: (delta) => deltas.push(delta),
    });
    expect(answer.text).toBe('Streamed answer from a third-party server');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(answer.text);
  });

  it('maps its 401 to an authentication error without the key', async () => {
    const client = createChatClient({ baseUrl, apiKey: key, model: 'mock-model', limits: { maxRetries: 0 } });
    const error = await client.complete(ask('error-401')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmAuthenticationError);
    expect((error as Error).message).toContain('Incorrect API key provided');
    expect(everythingVisible(error)).not.toContain(key);
  });

  it('reports an answer without model as missing required fields', async () => {
    const client = createChatClient({ baseUrl, apiKey: key, model: 'mock-model', limits: { maxRetries: 0 } });
    const error = await client.complete(ask('no-model')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissingRequiredFieldsError);
    expect((error as Error).message).toContain('`model`');
  });

  it('retries its 503 and then gets the answer', async () => {
    const clock = createFakeClock();
    const client = createChatClient(
      { baseUrl, apiKey: key, model: 'mock-model' },
      { clock, random: () => 0 },
    );
    const answer = await client.complete(ask('flaky request'));
    expect(answer.attempts).toBe(2);
    expect(clock.sleeps).toEqual([500]);
    const noRetry = createChatClient({
      baseUrl,
      apiKey: key,
      model: 'mock-model',
      limits: { maxRetries: 0 },
    });
    // The sequence rule matched once; later requests fall back to the echo rule.
    expect((await noRetry.complete(ask('flaky again'))).text).toBe('flaky again');
  });

  it('lists its models', async () => {
    const client = createChatClient({ baseUrl, apiKey: key, model: 'mock-model' });
    expect(await client.listModels()).toEqual([{ id: 'mock-model', ownedBy: 'mock' }]);
  });
});
