/**
 * The fault suite for one generation (issue #7): every fault a self-hosted endpoint really shows,
 * through the whole pipeline (client, compatibility layer, answer parser) over real HTTP. Each
 * ends in a successful retry or a named error with a fix; never in a crash, a half-parsed case or
 * a leaked key.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateForStory, type GenerationOutput } from '../../src/app/generation.ts';
import type { Story } from '../../src/core/index.ts';
import { ProviderConfigSchema, type ProviderConfigInput } from '../../src/llm/index.ts';
import { ReqaseError } from '../../src/shared/errors.ts';
import {
  errorBodies,
  startFakeLlmEndpoint,
  type BehaviourSpec,
  type FakeLlmEndpoint,
} from '../support/fake-llm-endpoint.ts';
import { createFakeClock, everythingVisible } from '../llm/helpers.ts';

const apiKey = 'sk-faults-SECRET0123456789abcd';

const story: Story = {
  key: 'AUTH-1',
  summary: 'Sign in with email and password',
  description: 'As a registered user I want to sign in.',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'Valid credentials open the dashboard.' },
    { id: 'AC-2', text: 'A wrong password shows "Invalid email or password".' },
  ],
  outOfScope: [],
  notes: [],
  source: 'markdown',
};

const testCase = (title: string, covers: string, expected: string) => ({
  title,
  kind: covers === 'AC-1' ? 'positive' : 'negative',
  priority: 'high',
  preconditions: ['A registered user exists'],
  steps: [{ action: `Sign in: ${title}`, data: 'maria@example.com', expected }],
  covers: [covers],
});
const answer = JSON.stringify({
  testCases: [
    testCase('Valid credentials', 'AC-1', 'The dashboard is shown'),
    testCase('Wrong password', 'AC-2', 'The message "Invalid email or password" is shown'),
  ],
});
const ok: BehaviourSpec = { kind: 'answer', text: answer };

let endpoint: FakeLlmEndpoint;
beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({ apiKey });
});
afterAll(async () => {
  await endpoint.close();
});
let requestsBefore = 0;
beforeEach(() => {
  endpoint.setScenario({ default: ok });
  requestsBefore = endpoint.completionRequests().length;
});
/** Chat completion requests made by the current test. */
const requestsMade = () => endpoint.completionRequests().length - requestsBefore;

function provider(overrides: Partial<ProviderConfigInput> = {}) {
  return ProviderConfigSchema.parse({
    name: 'faults',
    baseUrl: endpoint.url,
    apiKey,
    model: 'fake-model',
    ...overrides,
    limits: { maxRetries: 3, ...overrides.limits },
  });
}

async function generate(
  overrides: Partial<ProviderConfigInput> = {},
  stream = false,
): Promise<GenerationOutput> {
  return generateForStory(
    {
      story,
      format: 'manual',
      stream,
      fillGaps: false,
      engine: { kind: 'llm', provider: provider(overrides), responseMode: 'text' },
    },
    { chatClient: { clock: createFakeClock() } },
  );
}

async function failure(promise: Promise<unknown>): Promise<ReqaseError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the generation should fail with a named error').toBeInstanceOf(ReqaseError);
  const named = error as ReqaseError;
  expect(named.fix, 'every error says what to do next').toBeTruthy();
  expect(everythingVisible(named)).not.toContain(apiKey);
  return named;
}

function expectBothCases(output: GenerationOutput) {
  expect(output.testCases.map((item) => item.title)).toEqual(['Valid credentials', 'Wrong password']);
  expect(output.uncovered).toEqual([]);
}

describe('faults that a retry overcomes', () => {
  const transient: Array<[string, BehaviourSpec]> = [
    [
      '429 with Retry-After',
      {
        kind: 'error',
        status: 429,
        retryAfter: 1,
        body: errorBodies.openai('Rate limit reached', 'rate_limit_error'),
      },
    ],
    ['429 without Retry-After', { kind: 'error', status: 429 }],
    ['500', { kind: 'error', status: 500 }],
    ['502', { kind: 'raw', status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' }],
    ['503', { kind: 'error', status: 503, body: errorBodies.vllm('The model is loading', 503) }],
    ['504', { kind: 'raw', status: 504, body: 'upstream timed out', contentType: 'text/plain' }],
    ['a connection reset before the answer', { kind: 'reset', after: 'immediately' }],
    ['a connection reset mid-answer', { kind: 'reset', after: 'partial-body' }],
  ];
  for (const [name, fault] of transient) {
    it(`${name}, then an answer: both test cases`, async () => {
      endpoint.setScenario({ queue: [fault], default: ok });
      expectBothCases(await generate());
      expect(requestsMade()).toBe(2);
    });
  }

  it('an endpoint that changes behaviour between retries (503, 429, reset, then an answer)', async () => {
    endpoint.setScenario({
      default: ({ index }) =>
        index === 0
          ? { kind: 'error', status: 503 }
          : index === 1
            ? { kind: 'error', status: 429, retryAfter: 2 }
            : index === 2
              ? { kind: 'reset' }
              : { kind: 'answer', text: answer },
    });
    expectBothCases(await generate());
    expect(requestsMade()).toBe(4);
  });

  it('a stream that stops without [DONE] still yields every case', async () => {
    endpoint.setScenario({
      default: { kind: 'answer', text: answer, stream: { omitDone: true, comments: true } },
    });
    expectBothCases(await generate({}, true));
  });
});

describe('faults that end in a named error', () => {
  it('connection refused: "unreachable", after the retries', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const error = await failure(generate({ baseUrl: `http://127.0.0.1:${closed}/v1` }));
    expect(error.code).toBe('llm_unreachable');
  });

  it('a hang past the timeout: a timeout error naming the limit', async () => {
    endpoint.setScenario({ default: { kind: 'hang' } });
    const error = await failure(
      generateForStory({
        story,
        format: 'manual',
        fillGaps: false,
        engine: {
          kind: 'llm',
          provider: provider({ timeoutMilliseconds: 300, limits: { maxRetries: 0 } }),
          responseMode: 'text',
        },
      }),
    );
    expect(error.code).toBe('llm_timeout');
  });

  it('retries exhausted on 503: a server error with the server’s own message', async () => {
    endpoint.setScenario({
      default: { kind: 'error', status: 503, body: errorBodies.fastapi('GPU out of memory') },
    });
    const error = await failure(generate());
    expect(error.message).toContain('GPU out of memory');
    expect(requestsMade()).toBe(4);
  });

  it('HTTP 200 carrying an error body: the server’s message, not "no test cases"', async () => {
    endpoint.setScenario({
      default: { kind: 'error', status: 200, body: errorBodies.openai('Upstream provider failed') },
    });
    const error = await failure(generate({ limits: { maxRetries: 0 } }));
    expect(error.message).toContain('Upstream provider failed');
  });

  it('invalid JSON from the endpoint: "Incorrect response structure" or a named parse failure', async () => {
    endpoint.setScenario({ default: { kind: 'raw', body: '{"choices": [ {"message": ' } });
    const error = await failure(generate({ limits: { maxRetries: 0 } }));
    expect(error.message).toMatch(/Incorrect response structure|not valid JSON|could not be read/i);
  });

  it('an answer with no choices: "Incorrect response structure"', async () => {
    endpoint.setScenario({ default: { kind: 'answer', text: answer, deviations: ['no-choices'] } });
    const error = await failure(generate());
    expect(error.message).toMatch(/^Incorrect response structure/);
  });

  it('an answer without content: "Missing required fields"', async () => {
    endpoint.setScenario({ default: { kind: 'answer', text: answer, deviations: ['no-content'] } });
    const error = await failure(generate());
    expect(error.message).toMatch(/^Missing required fields/);
  });

  it('a refusal: no test cases, and nothing to save', async () => {
    endpoint.setScenario({
      default: { kind: 'answer', text: "I'm sorry, but I can't help with that request." },
    });
    const error = await failure(generate());
    expect(error.code).toBe('no_test_cases');
  });
});

describe('an answer cut at max_tokens', () => {
  it('keeps the complete cases, drops the partial one and says it was truncated', async () => {
    const cut = answer.slice(0, answer.indexOf('Wrong password') + 20);
    endpoint.setScenario({ default: { kind: 'answer', text: cut, finishReason: 'length' } });
    const output = await generate();
    expect(output.truncated).toBe(true);
    expect(output.testCases.map((item) => item.title)).toEqual(['Valid credentials']);
    expect(output.warnings.join(' ')).toMatch(/truncat|cut|token limit/i);
  });
});
