/**
 * Every failure over real HTTP against the fake endpoint: each produces its named error with a
 * fix, the server's own message where it sent one, and never the API key.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectionLostError,
  ContentFilteredError,
  EndpointUnreachableError,
  ErrorInSuccessResponseError,
  IncorrectResponseStructureError,
  LlmAuthenticationError,
  LlmError,
  LlmNotFoundError,
  LlmRateLimitedError,
  LlmRequestRejectedError,
  LlmServerError,
  LlmTimeoutError,
  MissingRequiredFieldsError,
  TruncatedAnswerError,
  createChatClient,
  type ChatClient,
} from '../../src/llm/index.ts';
import {
  errorBodies,
  startFakeLlmEndpoint,
  type FakeBehaviour,
  type FakeLlmEndpoint,
} from '../support/fake-llm-endpoint.ts';
import { createFakeClock, everythingVisible, hello, testKey } from './helpers.ts';

let endpoint: FakeLlmEndpoint;
let client: ChatClient;

beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({
    apiKey: testKey,
    rejectUnknownModels: true,
    models: ['fake-model'],
  });
});
afterAll(async () => {
  await endpoint.close();
});
beforeEach(() => {
  endpoint.setScenario({});
  // No retries: each test sees the first failure.
  client = createChatClient(
    { baseUrl: endpoint.url, apiKey: testKey, model: 'fake-model', limits: { maxRetries: 0 } },
    { clock: createFakeClock() },
  );
});

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call should fail').toBeInstanceOf(LlmError);
  const llmError = error as LlmError;
  expect(llmError.fix, 'every error has a fix').toBeTruthy();
  expect(everythingVisible(llmError)).not.toContain(testKey);
  return llmError;
}

describe('HTTP status errors', () => {
  it('401 is an "Authentication error" with a fix, the server message, and no key', async () => {
    const wrongKeyClient = createChatClient({
      baseUrl: endpoint.url,
      apiKey: 'sk-wrong-ABCDEFGHIJKLMNOP9876',
      model: 'fake-model',
      limits: { maxRetries: 0 },
    });
    const error = await failure(wrongKeyClient.complete(hello));
    expect(error).toBeInstanceOf(LlmAuthenticationError);
    expect(error.message).toMatch(/^Authentication error: /);
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(everythingVisible(error)).not.toContain('sk-wrong-ABCDEFGHIJKLMNOP9876');
  });

  it('says when the endpoint wants the key in the api-key or x-api-key header', async () => {
    for (const authHeader of ['api-key', 'x-api-key'] as const) {
      const azure = await startFakeLlmEndpoint({ apiKey: testKey, authHeader });
      try {
        const bearerOnly = createChatClient({
          baseUrl: azure.url,
          apiKey: testKey,
          model: 'm',
          limits: { maxRetries: 0 },
        });
        const error = await failure(bearerOnly.complete(hello));
        expect(error).toBeInstanceOf(LlmAuthenticationError);
        expect((error as LlmAuthenticationError).wantedHeader).toBe(authHeader);
        expect(error.fix).toContain(`authHeader: ${authHeader}`);
        // With the header configured the same endpoint answers.
        const configured = createChatClient({ baseUrl: azure.url, apiKey: testKey, model: 'm', authHeader });
        expect((await configured.complete(hello)).text).toBeTruthy();
        expect(azure.requests.at(-1)?.headers[authHeader]).toBe(testKey);
      } finally {
        await azure.close();
      }
    }
  });

  it('401 without a key says to give one', async () => {
    const noKey = createChatClient({ baseUrl: endpoint.url, model: 'fake-model', limits: { maxRetries: 0 } });
    const error = await failure(noKey.complete(hello));
    expect(error).toBeInstanceOf(LlmAuthenticationError);
    expect(error.fix).toContain('REQASE_API_KEY');
    expect(endpoint.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('403 is an authentication error about permissions', async () => {
    endpoint.setScenario({
      default: { kind: 'error', status: 403, body: errorBodies.openai('Model access denied') },
    });
    const error = await failure(client.complete(hello));
    expect(error).toBeInstanceOf(LlmAuthenticationError);
    expect(error.status).toBe(403);
    expect(error.fix).toMatch(/permission/);
  });

  it('404 for an unknown model names the model', async () => {
    const other = createChatClient({
      baseUrl: endpoint.url,
      apiKey: testKey,
      model: 'no-such-model',
      limits: { maxRetries: 0 },
    });
    const error = await failure(other.complete(hello));
    expect(error).toBeInstanceOf(LlmNotFoundError);
    expect((error as LlmNotFoundError).target).toBe('model');
    expect(error.message).toContain('no-such-model');
    expect(error.fix).toContain('REQASE_MODEL');
  });

  it('404 for a wrong path names the base URL', async () => {
    const wrongPath = createChatClient({
      baseUrl: `${endpoint.origin}/api`,
      apiKey: testKey,
      model: 'fake-model',
      limits: { maxRetries: 0 },
    });
    const error = await failure(wrongPath.complete(hello));
    expect(error).toBeInstanceOf(LlmNotFoundError);
    expect((error as LlmNotFoundError).target).toBe('path');
    expect(error.fix).toContain('REQASE_BASE_URL');
  });

  it('429 is rate limited and keeps Retry-After', async () => {
    endpoint.setScenario({ default: { kind: 'error', status: 429, retryAfter: 7 } });
    const error = await failure(client.complete(hello));
    expect(error).toBeInstanceOf(LlmRateLimitedError);
    expect(error.retryAfterMilliseconds).toBe(7000);
    expect(error.retryable).toBe(true);
  });

  it('5xx is a server error, retryable, with the request id', async () => {
    endpoint.setScenario({
      default: { kind: 'error', status: 503, headers: { 'x-request-id': 'req-123' } },
    });
    const error = await failure(client.complete(hello));
    expect(error).toBeInstanceOf(LlmServerError);
    expect(error.status).toBe(503);
    expect(error.requestId).toBe('req-123');
    expect(error.retryable).toBe(true);
  });

  it.each([
    ['OpenAI', errorBodies.openai('openai says no')],
    ['vLLM flat', errorBodies.vllm('vllm says no')],
    ['FastAPI', errorBodies.fastapi('fastapi says no')],
    ['Gemini array', errorBodies.gemini('gemini says no')],
  ])('surfaces the server message of a %s error body', async (_shape, body) => {
    endpoint.setScenario({ default: { kind: 'error', status: 400, body } });
    const error = await failure(client.complete(hello));
    expect(error).toBeInstanceOf(LlmRequestRejectedError);
    expect(error.serverMessage).toMatch(/says no/);
    expect(error.message).toMatch(/says no/);
  });

  it('a refused response_format gets a fix about asking for text', async () => {
    const strict = await startFakeLlmEndpoint({ responseFormat: 'refuse-all' });
    try {
      const strictClient = createChatClient({ baseUrl: strict.url, model: 'm', limits: { maxRetries: 0 } });
      const error = await failure(
        strictClient.complete({ ...hello, responseFormat: { kind: 'json_schema', name: 'x', schema: {} } }),
      );
      expect(error).toBeInstanceOf(LlmRequestRejectedError);
      expect(error.fix).toMatch(/response_format|text/);
    } finally {
      await strict.close();
    }
  });

  it('a refused temperature gets a fix about the temperature', async () => {
    const reasoningModel = await startFakeLlmEndpoint({
      refuseTemperature: (temperature) => temperature !== 1,
    });
    try {
      const reasoningClient = createChatClient({
        baseUrl: reasoningModel.url,
        model: 'o',
        limits: { maxRetries: 0 },
      });
      const error = await failure(reasoningClient.complete(hello));
      expect(error).toBeInstanceOf(LlmRequestRejectedError);
      expect(error.serverMessage).toMatch(/temperature/);
      expect(error.remedies).toContainEqual(expect.objectContaining({ setting: 'temperature' }));
      expect((await reasoningClient.complete({ ...hello, temperature: 1 })).text).toBeTruthy();
    } finally {
      await reasoningModel.close();
    }
  });

  it('a server that echoes the key in its error body gets it masked', async () => {
    endpoint.setScenario({
      default: {
        kind: 'error',
        status: 401,
        body: errorBodies.openai(`Incorrect API key provided: ${testKey}`),
      },
    });
    const error = await failure(client.complete(hello));
    expect(error.message).toContain('sk-…WXYZ');
    expect(error.responseExcerpt).toContain('sk-…WXYZ');
    for (const status of [400, 429, 500]) {
      endpoint.setScenario({
        default: { kind: 'error', status, body: errorBodies.vllm(`request with key ${testKey} failed`) },
      });
      const echoed = await failure(client.complete(hello));
      expect(echoed.message).toContain('sk-…WXYZ');
      expect(echoed.serverMessage).toContain('sk-…WXYZ');
    }
  });
});

describe('answers that break the contract', () => {
  it.each<[string, FakeBehaviour, RegExp]>([
    ['no choices', { kind: 'answer', deviations: ['no-choices'] }, /no `choices`/],
    ['empty choices', { kind: 'answer', deviations: ['empty-choices'] }, /`choices` is empty/],
    ['invalid JSON', { kind: 'raw', body: '{"choices": [' }, /not valid JSON/],
    ['HTML', { kind: 'raw', body: '<html>gateway</html>', contentType: 'text/html' }, /text\/html/],
    ['an empty body', { kind: 'raw', body: '' }, /empty/],
  ])('%s is "Incorrect response structure"', async (_name, behaviour, detail) => {
    endpoint.setScenario({ default: behaviour });
    const error = await failure(client.complete(hello));
    expect(error).toBeInstanceOf(IncorrectResponseStructureError);
    expect(error.message).toMatch(/^Incorrect response structure: /);
    expect(error.message).toMatch(detail);
  });

  it.each([
    ['content', 'no-content', 'message.content'],
    ['null content', 'null-content', 'message.content'],
    ['role', 'no-role', 'message.role'],
    ['a wrong role', 'wrong-role', 'got "user"'],
    ['model', 'no-model', '`model`'],
  ] as const)('missing %s is "Missing required fields"', async (_name, deviation, field) => {
    endpoint.setScenario({ default: { kind: 'answer', deviations: [deviation] } });
    const error = await failure(client.complete(hello));
    expect(error).toBeInstanceOf(MissingRequiredFieldsError);
    expect(error.message).toMatch(/^Missing required fields: /);
    expect(error.message).toContain(field);
  });

  it('content_filter is "Content filtered"', async () => {
    endpoint.setScenario({ default: { kind: 'answer', text: '', finishReason: 'content_filter' } });
    expect(await failure(client.complete(hello))).toBeInstanceOf(ContentFilteredError);
  });

  it('a truncated answer with text is returned marked truncated; with no text it fails', async () => {
    endpoint.setScenario({ default: { kind: 'answer', text: 'one two three four five' } });
    const answer = await client.complete({ ...hello, maxTokens: 2 });
    expect(answer).toMatchObject({ text: 'one two ', truncated: true, finishReason: 'length' });
    expect(endpoint.completionRequests().at(-1)?.body).toMatchObject({ max_tokens: 2 });

    endpoint.setScenario({
      default: { kind: 'answer', text: '', reasoning: 'thinking a lot', finishReason: 'length' },
    });
    const error = await failure(client.complete({ ...hello, maxTokens: 5 }));
    expect(error).toBeInstanceOf(TruncatedAnswerError);
    expect(error.message).toContain('max tokens 5');
  });

  it('HTTP 200 with an error body is named, with the server message and its inner status', async () => {
    endpoint.setScenario({
      default: { kind: 'error', status: 200, body: errorBodies.vllm('upstream overloaded', 503) },
    });
    const error = await failure(client.complete(hello));
    expect(error).toBeInstanceOf(ErrorInSuccessResponseError);
    expect(error.serverMessage).toBe('upstream overloaded');
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
  });
});

describe('transport failures', () => {
  it('a refused connection is "Endpoint unreachable" with a fix about starting the server', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const nowhere = createChatClient({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      apiKey: testKey,
      model: 'm',
      limits: { maxRetries: 0 },
    });
    const error = await failure(nowhere.complete(hello));
    expect(error).toBeInstanceOf(EndpointUnreachableError);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.fix).toMatch(/start the server/);
  });

  it('a port fetch refuses (6000) is "Endpoint unreachable" naming the port, not a lost connection', async () => {
    const blocked = createChatClient({
      baseUrl: 'http://127.0.0.1:6000/v1',
      apiKey: testKey,
      model: 'm',
      limits: { maxRetries: 0 },
    });
    const error = await failure(blocked.complete(hello));
    expect(error).toBeInstanceOf(EndpointUnreachableError);
    expect(error.fix).toMatch(/port .* fetch refuses/);
  });

  it('a reset before or during the answer is "Connection lost", retryable', async () => {
    endpoint.setScenario({ queue: [{ kind: 'reset' }, { kind: 'reset', after: 'partial-body' }] });
    const first = await failure(client.complete(hello));
    expect(first).toBeInstanceOf(ConnectionLostError);
    expect(first.message).toMatch(/^Connection lost: /);
    const second = await failure(client.complete(hello));
    expect(second).toBeInstanceOf(ConnectionLostError);
    expect(second.retryable).toBe(true);
  });

  it('a hanging endpoint times out after the per-attempt timeout', async () => {
    endpoint.setScenario({ default: { kind: 'hang' } });
    const impatient = createChatClient({
      baseUrl: endpoint.url,
      apiKey: testKey,
      model: 'fake-model',
      timeoutMilliseconds: 150,
      limits: { maxRetries: 0 },
    });
    const error = await failure(impatient.complete(hello));
    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(error.message).toContain('150 ms');
    expect(error.fix).toContain('REQASE_TIMEOUT_MS');
  });

  it('headers then silence in the body also times out', async () => {
    endpoint.setScenario({
      default: {
        kind: 'answer',
        text: 'a b c d',
        latency: { timeToFirstTokenMilliseconds: 0, tokensPerSecond: 2 },
      },
    });
    const impatient = createChatClient({
      baseUrl: endpoint.url,
      apiKey: testKey,
      model: 'fake-model',
      timeoutMilliseconds: 200,
      limits: { maxRetries: 0 },
    });
    // Streamed: the first chunks arrive, then the gap between tokens (500 ms) exceeds the timeout.
    const error = await failure(impatient.complete({ ...hello, stream: true }));
    expect(error).toBeInstanceOf(LlmTimeoutError);
  });
});
