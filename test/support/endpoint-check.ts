/**
 * Shared by the endpoint checker's tests (src/llm/check): fake endpoints closed after each test,
 * a `check` that runs the checker against one, and the verdicts of a compliant endpoint.
 */
import { createServer } from 'node:net';
import { expect } from 'vitest';
import { runEndpointCheck } from '../../src/llm/check/run-endpoint-check.ts';
import type {
  CheckId,
  CheckReport,
  CheckStatus,
  EndpointCheckOptions,
  ParseTestCases,
} from '../../src/llm/check/types.ts';
import { CHECK_IDS } from '../../src/llm/check/types.ts';
import {
  startFakeLlmEndpoint,
  type AnswerBehaviour,
  type BehaviourSpec,
  type ChatCompletionRequestBody,
  type FakeLlmEndpoint,
  type FakeLlmEndpointOptions,
} from './fake-llm-endpoint.ts';

const endpoints: FakeLlmEndpoint[] = [];

/** Closes the fake endpoints the test started; give it to `afterEach`. */
export async function closeEndpoints(): Promise<void> {
  await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.close()));
}

export const apiKey = 'sk-test-checker-0123456789a1b2';

/** Reads `{ testCases: [...] }` answers: enough to tell test cases from anything else. */
export const parseTestCases: ParseTestCases = (text) => {
  try {
    const value = JSON.parse(text) as { testCases?: unknown };
    return Array.isArray(value.testCases)
      ? { count: value.testCases.length }
      : { error: 'no testCases array' };
  } catch {
    return { error: `not JSON: ${text.slice(0, 40)}` };
  }
};

/** What a well-behaved model would answer to each of the checker's requests. */
export function compliantText(request: ChatCompletionRequestBody): string {
  if (request.response_format) return '{"ok": true}';
  const limit = request.max_tokens ?? Infinity;
  if (limit < 50) return 'one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve';
  const system = request.messages?.find((message) => message.role === 'system');
  if (typeof system?.content === 'string' && system.content.includes('test cases')) {
    return JSON.stringify({
      testCases: [
        {
          title: 'Valid login',
          steps: [{ action: 'Log in', expectedResult: 'Dashboard' }],
          priority: 'high',
        },
        { title: 'Wrong password', steps: [{ action: 'Log in', expectedResult: 'Error' }], priority: 'high' },
      ],
    });
  }
  return 'Hello from the fake endpoint.';
}

export function answer(extra: Omit<AnswerBehaviour, 'kind'> = {}): AnswerBehaviour {
  return { kind: 'answer', text: compliantText, ...extra };
}

export async function startFakeEndpoint(
  options: FakeLlmEndpointOptions = {},
  behaviour: BehaviourSpec = answer(),
) {
  const endpoint = await startFakeLlmEndpoint({ apiKey, ...options, scenario: { default: behaviour } });
  endpoints.push(endpoint);
  return endpoint;
}

export async function runCheck(
  baseUrl: string,
  options: Partial<EndpointCheckOptions> = {},
): Promise<CheckReport> {
  const report = await runEndpointCheck({
    baseUrl,
    apiKey,
    model: 'fake-model',
    timeoutMilliseconds: 3000,
    parseTestCases,
    ...options,
  });
  // No output ever shows the key.
  expect(JSON.stringify(report)).not.toContain(apiKey);
  // Every check of the table is there, once, in order.
  expect(report.checks.map((check) => check.id)).toEqual([
    'reachable',
    'path',
    'auth',
    'auth-required',
    'json',
    'structure',
    'content',
    'role',
    'model',
    'metadata',
    'usage',
    'max-tokens',
    'temperature',
    'system-message',
    'json-mode',
    'streaming',
    'models',
    'error-format',
    'openai-client',
    'test-generation',
  ]);
  for (const result of report.checks) {
    if (result.status === 'fail' || result.status === 'warn') expect(result.fix, result.id).toBeTruthy();
  }
  expect(report.compatible).toBe(report.checks.every((result) => result.status !== 'fail'));
  return report;
}

export function statuses(report: CheckReport): Record<CheckId, CheckStatus> {
  return Object.fromEntries(report.checks.map((result) => [result.id, result.status])) as Record<
    CheckId,
    CheckStatus
  >;
}

export function result(report: CheckReport, id: CheckId) {
  const found = report.checks.find((check) => check.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
}

export const allPass: Record<CheckId, CheckStatus> = {
  reachable: 'pass',
  path: 'pass',
  auth: 'pass',
  'auth-required': 'pass',
  json: 'pass',
  structure: 'pass',
  content: 'pass',
  role: 'pass',
  model: 'pass',
  metadata: 'pass',
  usage: 'pass',
  'max-tokens': 'pass',
  temperature: 'pass',
  'system-message': 'pass',
  'json-mode': 'pass',
  streaming: 'pass',
  models: 'pass',
  'error-format': 'pass',
  'openai-client': 'pass',
  'test-generation': 'pass',
};

/** Every check after the connection ones (reachable, path, auth), in report order. */
export const afterConnection: CheckId[] = CHECK_IDS.slice(CHECK_IDS.indexOf('auth-required'));

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
