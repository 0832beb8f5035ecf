import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorBodies, startFakeLlmEndpoint, type FakeLlmEndpoint } from './fake-llm-endpoint.ts';

let endpoint: FakeLlmEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'Hello there' }], ...extra });

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function sseEvents(text: string): string[] {
  return text
    .split('\n\n')
    .map((frame) => frame.trim())
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
}

describe('fake LLM endpoint', () => {
  it('answers in the contract shape and records the request', async () => {
    endpoint = await startFakeLlmEndpoint({ scenario: { default: { kind: 'answer', text: 'Hi you' } } });
    expect(endpoint.url).toBe(`${endpoint.origin}/v1`);
    const response = await post(endpoint.url, chatBody(), { 'x-trace': 'abc' });
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi you' }, finish_reason: 'stop' }],
      usage: { completion_tokens: 2 },
    });
    expect(typeof body.id).toBe('string');
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      completionIndex: 0,
      body: { model: 'fake-model' },
    });
    expect(endpoint.requests[0]?.headers['x-trace']).toBe('abc');
  });

  it('plays the queue first, then the default, and functions see the request index', async () => {
    endpoint = await startFakeLlmEndpoint();
    endpoint.setScenario({
      queue: [
        { kind: 'error', status: 429, retryAfter: 1 },
        ({ index }) => ({ kind: 'answer', text: `attempt ${index}` }),
      ],
      default: { kind: 'answer', text: 'default' },
    });
    const first = await post(endpoint.url, chatBody());
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(first.text).error.message).toMatch(/Rate limit/);
    const second = await post(endpoint.url, chatBody());
    expect(JSON.parse(second.text).choices[0].message.content).toBe('attempt 1');
    const third = await post(endpoint.url, chatBody());
    expect(JSON.parse(third.text).choices[0].message.content).toBe('default');
  });

  it('requires the key in the configured header', async () => {
    endpoint = await startFakeLlmEndpoint({ apiKey: 'sk-fake-0123456789abcd', authHeader: 'api-key' });
    const bearer = await post(endpoint.url, chatBody(), { authorization: 'Bearer sk-fake-0123456789abcd' });
    expect(bearer.status).toBe(401);
    expect(bearer.text).toMatch(/api-key/);
    const header = await post(endpoint.url, chatBody(), { 'api-key': 'sk-fake-0123456789abcd' });
    expect(header.status).toBe(200);
  });

  it('lists models and serves only without /v1 in root path mode', async () => {
    endpoint = await startFakeLlmEndpoint({ pathMode: 'root', models: ['a', 'b'] });
    expect(endpoint.url).toBe(endpoint.origin);
    const models = await (await fetch(`${endpoint.origin}/models`)).json();
    expect(models.data.map((model: { id: string }) => model.id)).toEqual(['a', 'b']);
    const withV1 = await post(`${endpoint.origin}/v1`, chatBody());
    expect(withV1.status).toBe(404);
    expect(JSON.parse(withV1.text)).toEqual({ detail: 'Not Found' });
  });

  it('applies deviations to the answer', async () => {
    endpoint = await startFakeLlmEndpoint({
      scenario: {
        default: {
          kind: 'answer',
          text: 'Answer',
          reasoning: 'Because',
          reasoningPlacement: 'reasoning_content',
          finishReason: 'eos',
          deviations: ['no-usage', 'no-id', 'no-object', 'no-created', 'content-parts', 'no-model'],
        },
      },
    });
    const body = JSON.parse((await post(endpoint.url, chatBody())).text);
    expect(body.id).toBeUndefined();
    expect(body.object).toBeUndefined();
    expect(body.created).toBeUndefined();
    expect(body.model).toBeUndefined();
    expect(body.usage).toBeUndefined();
    expect(body.choices[0].finish_reason).toBe('eos');
    expect(body.choices[0].message.reasoning_content).toBe('Because');
    expect(body.choices[0].message.content.map((part: { text: string }) => part.text).join('')).toBe(
      'Answer',
    );
  });

  it('cuts answers at max_tokens with finish reason length, unless told to ignore it', async () => {
    endpoint = await startFakeLlmEndpoint({
      scenario: { default: { kind: 'answer', text: 'one two three four' } },
    });
    const cut = JSON.parse((await post(endpoint.url, chatBody({ max_tokens: 2 }))).text);
    expect(cut.choices[0]).toMatchObject({ message: { content: 'one two ' }, finish_reason: 'length' });
    await endpoint.close();
    endpoint = await startFakeLlmEndpoint({
      maxTokens: 'ignore',
      scenario: { default: { kind: 'answer', text: 'one two three four' } },
    });
    const whole = JSON.parse((await post(endpoint.url, chatBody({ max_tokens: 2 }))).text);
    expect(whole.choices[0].finish_reason).toBe('stop');
  });

  it('refuses response formats and temperatures it is told to refuse', async () => {
    endpoint = await startFakeLlmEndpoint({
      responseFormat: 'refuse-json-schema',
      refuseTemperature: (temperature) => temperature !== undefined && temperature !== 1,
    });
    const schema = await post(
      endpoint.url,
      chatBody({
        temperature: 1,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
      }),
    );
    expect(schema.status).toBe(400);
    expect(schema.text).toMatch(/json_schema/);
    const jsonObject = await post(
      endpoint.url,
      chatBody({ temperature: 1, response_format: { type: 'json_object' } }),
    );
    expect(jsonObject.status).toBe(200);
    const temperature = await post(endpoint.url, chatBody({ temperature: 0.7 }));
    expect(temperature.status).toBe(400);
    expect(temperature.text).toMatch(/temperature/);
  });

  it('streams SSE with quirks: comments, think tags split across chunks, no [DONE]', async () => {
    endpoint = await startFakeLlmEndpoint({
      scenario: {
        default: {
          kind: 'answer',
          text: 'Hello world',
          reasoning: 'hmm',
          deviations: ['no-role'],
          stream: { comments: true, omitDone: true, usageChunk: true },
        },
      },
    });
    const response = await post(endpoint.url, chatBody({ stream: true }));
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(response.text).toContain(': keep-alive');
    const events = sseEvents(response.text);
    expect(events).not.toContain('[DONE]');
    const chunks = events.map((event) => JSON.parse(event));
    expect(chunks[0].choices[0].delta.role).toBeUndefined();
    const content = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    expect(content).toBe('<think>hmm</think>\nHello world');
    expect(chunks.at(-1).usage.completion_tokens).toBe(3);
  });

  it('sends an error frame mid-stream', async () => {
    endpoint = await startFakeLlmEndpoint({
      scenario: { default: { kind: 'answer', text: 'a b c d', stream: { errorFrameAfterChunks: 2 } } },
    });
    const events = sseEvents((await post(endpoint.url, chatBody({ stream: true }))).text);
    expect(events).toHaveLength(3);
    expect(JSON.parse(events[2] ?? '{}').error.message).toMatch(/crashed/);
  });

  it('sends error bodies in other servers shapes, raw bodies, and 200 with an error', async () => {
    endpoint = await startFakeLlmEndpoint();
    endpoint.setScenario({
      queue: [
        { kind: 'error', status: 400, body: errorBodies.gemini('API key not valid') },
        { kind: 'raw', body: '{"choices": [', contentType: 'application/json' },
        { kind: 'error', status: 200, body: errorBodies.vllm('model overloaded', 503) },
      ],
    });
    const gemini = await post(endpoint.url, chatBody());
    expect(JSON.parse(gemini.text)[0].error.message).toBe('API key not valid');
    const raw = await post(endpoint.url, chatBody());
    expect(raw.text).toBe('{"choices": [');
    const okWithError = await post(endpoint.url, chatBody());
    expect(okWithError.status).toBe(200);
    expect(JSON.parse(okWithError.text)).toMatchObject({ object: 'error', message: 'model overloaded' });
  });

  it('resets connections and hangs until closed', async () => {
    endpoint = await startFakeLlmEndpoint({ scenario: { queue: [{ kind: 'reset' }, { kind: 'hang' }] } });
    await expect(post(endpoint.url, chatBody())).rejects.toThrow();
    const controller = new AbortController();
    const hanging = fetch(`${endpoint.url}/chat/completions`, {
      method: 'POST',
      body: chatBody(),
      signal: controller.signal,
    });
    // Wait until the request has reached the server (an event, not a time), then abort it: it
    // must still be pending.
    await vi.waitFor(() => expect(endpoint!.completionRequests()).toHaveLength(2), {
      timeout: 60_000,
      interval: 5,
    });
    const settledYet = await Promise.race([
      hanging.then(
        () => true,
        () => true,
      ),
      Promise.resolve(false),
    ]);
    expect(settledYet).toBe(false);
    controller.abort();
    await expect(hanging).rejects.toThrow();
  });
});
