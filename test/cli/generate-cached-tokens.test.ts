/**
 * Prompt caching end to end, over real HTTP: two stories generated one after the other send the
 * same system message (the fixed part of the prompt) and differ only in the user message, so a
 * provider with automatic prefix caching serves the start of the second prompt from its cache.
 * `reqase generate` shows the cached figure it reports (text and `--json`), and shows none when
 * the provider does not report one, without a warning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeLlmEndpoint,
  type ChatCompletionRequestBody,
  type FakeLlmEndpoint,
} from '../support/fake-llm-endpoint.ts';
import { runReqase } from '../support/reqase-process.ts';

const apiKey = 'sk-test-cache-0123456789abcdef';

/** One valid case covering the first criterion, whatever the story. */
const answer = JSON.stringify({
  testCases: [
    {
      title: 'The main flow succeeds with valid input',
      kind: 'positive',
      priority: 'high',
      preconditions: ['A registered user exists'],
      steps: [
        {
          action: 'Follow the main flow with valid input',
          data: 'maria@example.com',
          expected: 'The confirmation "Done" is shown',
        },
      ],
      covers: ['AC-1'],
    },
  ],
});

interface Usage {
  promptTokens: number;
  cachedTokens?: number;
}

let dataDirectory: string;
let caching: FakeLlmEndpoint;
let plain: FakeLlmEndpoint;

function generate(endpoint: FakeLlmEndpoint, story: string, json: boolean) {
  return runReqase(['generate', story, '--no-fill-gaps', ...(json ? ['--json'] : [])], {
    dataDirectory,
    env: { REQASE_BASE_URL: endpoint.url, REQASE_API_KEY: apiKey, REQASE_MODEL: 'fake-model' },
  });
}

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-cache-'));
  const scenario = { default: { kind: 'answer' as const, text: answer } };
  caching = await startFakeLlmEndpoint({ apiKey, promptCache: true, scenario });
  plain = await startFakeLlmEndpoint({ apiKey, scenario });
});

afterAll(async () => {
  await Promise.all([caching.close(), plain.close()]);
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('cached prompt tokens', () => {
  it('sends the fixed part first and shows the tokens the provider served from its cache', async () => {
    const first = await generate(caching, 'examples/stories/login.md', true);
    expect(first.code, first.stderr).toBe(0);
    const second = await generate(caching, 'examples/stories/password-reset.md', true);
    expect(second.code, second.stderr).toBe(0);

    // The first request for each story (a repair round may follow it).
    const prompts = caching
      .completionRequests()
      .map((request) => (request.body as ChatCompletionRequestBody).messages ?? []);
    const firstFor = (key: string) => prompts.find((messages) => JSON.stringify(messages).includes(key));
    const [login, reset] = [firstFor('Key: AUTH-1'), firstFor('Key: AUTH-7')];
    expect(login?.slice(0, -1)).toEqual(reset?.slice(0, -1));
    const fixed = JSON.stringify(reset?.slice(0, -1));
    expect(fixed).not.toContain('AUTH-1');
    expect(fixed).not.toContain('AUTH-7');
    expect(JSON.stringify(reset?.at(-1))).toContain('AUTH-7');

    const usageOf = (stdout: string) => (JSON.parse(stdout) as { usage: Usage }).usage;
    // The first story's first request finds nothing cached; its repair round finds that request.
    expect(usageOf(first.stdout).cachedTokens).toEqual(expect.any(Number));
    const usage = usageOf(second.stdout);
    const systemCharacters = String(reset?.[0]?.content).length;
    expect(usage.cachedTokens).toBeGreaterThanOrEqual(Math.floor(systemCharacters / 4));
    expect(usage.cachedTokens).toBeLessThan(usage.promptTokens);

    const text = await generate(caching, 'examples/stories/password-reset.md', false);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\d+ tokens, \d+ of \d+ prompt tokens cached/);
  });

  it('shows no cached figure, and no warning, when the provider reports none', async () => {
    const json = await generate(plain, 'examples/stories/login.md', true);
    expect(json.code, json.stderr).toBe(0);
    const output = JSON.parse(json.stdout) as { usage: Usage & { estimated: boolean }; warnings: string[] };
    expect(output.usage.estimated).toBe(false);
    expect(output.usage).not.toHaveProperty('cachedTokens');
    expect(output.warnings.join(' ')).not.toMatch(/cache/i);

    const text = await generate(plain, 'examples/stories/login.md', false);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\d+ tokens/);
    expect(`${text.stdout}${text.stderr}`).not.toMatch(/cached/);
  });
});
