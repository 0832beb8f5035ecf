/**
 * Issue #4, "structured output learned from `reqase check` results": a check that finds
 * json_schema refused but json_object honoured makes the next `reqase generate` ask for
 * json_object straight away, without a refused first attempt.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReqase } from '../support/reqase-process.ts';
import {
  startFakeLlmEndpoint,
  type ChatCompletionRequestBody,
  type FakeLlmEndpoint,
} from '../support/fake-llm-endpoint.ts';

let dataDirectory: string;
let endpoint: FakeLlmEndpoint;

const answer = JSON.stringify({
  testCases: [
    {
      title: 'Valid credentials open the dashboard',
      kind: 'positive',
      priority: 'high',
      preconditions: [],
      steps: [
        { action: 'Sign in with a valid email and password', data: '', expected: 'The dashboard is shown' },
      ],
      covers: ['AC-1'],
    },
  ],
});

function textFor(request: ChatCompletionRequestBody): string {
  const prompt = JSON.stringify(request.messages ?? []);
  return /one key named ok/.test(prompt) ? '{"ok": true}' : answer;
}

function run(args: string[]) {
  return runReqase(args, {
    dataDirectory,
    env: { REQASE_BASE_URL: endpoint.url, REQASE_MODEL: 'fake-model' },
  });
}

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-check-mode-'));
  endpoint = await startFakeLlmEndpoint({
    responseFormat: 'refuse-json-schema',
    scenario: { default: ({ request }) => ({ kind: 'answer', text: textFor(request) }) },
  });
});

afterAll(async () => {
  await endpoint.close();
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('reqase check teaches reqase generate the structured-output mode', () => {
  it('remembers json_object when json_schema is refused, and the next generation starts there', async () => {
    const check = await run(['check', '--json']);
    const report = JSON.parse(check.stdout) as {
      responseMode?: string;
      checks: Array<{ id: string; status: string }>;
    };
    expect(report.checks.find((item) => item.id === 'json-mode')?.status).toBe('warn');
    expect(report.responseMode).toBe('json_object');
    const memory = JSON.parse(readFileSync(join(dataDirectory, 'response-modes.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.values(memory)).toEqual(['json_object']);

    const before = endpoint.completionRequests().length;
    const generated = await run(['generate', 'examples/stories/login.md', '--json', '--no-fill-gaps']);
    expect(generated.code).toBe(0);
    const requests = endpoint.completionRequests().slice(before);
    expect(requests).toHaveLength(1);
    expect((requests[0]?.body as ChatCompletionRequestBody).response_format?.type).toBe('json_object');
    expect((JSON.parse(generated.stdout) as { responseMode: string }).responseMode).toBe('json_object');
  });
});
