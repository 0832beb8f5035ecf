/**
 * Deviations from the contract that are safe to absorb, over real HTTP: each is normalised and
 * leaves a warning on the answer. Also the request shape and streaming.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChatClient, type ChatClient } from '../../src/llm/index.ts';
import {
  startFakeLlmEndpoint,
  type AnswerBehaviour,
  type FakeLlmEndpoint,
} from '../support/fake-llm-endpoint.ts';
import { hello, testKey } from './helpers.ts';

let endpoint: FakeLlmEndpoint;
let client: ChatClient;

beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({ apiKey: testKey });
  client = createChatClient({ baseUrl: endpoint.url, apiKey: testKey, model: 'fake-model' });
});
afterAll(async () => {
  await endpoint.close();
});
beforeEach(() => endpoint.setScenario({}));

function answerWith(behaviour: Omit<AnswerBehaviour, 'kind'>) {
  endpoint.setScenario({ default: { kind: 'answer', ...behaviour } });
}

describe('the request', () => {
  it('is shaped exactly as the contract shows, with Bearer auth', async () => {
    await client.complete(hello);
    const request = endpoint.completionRequests().at(-1);
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${testKey}`);
    expect(request?.headers['content-type']).toMatch(/application\/json/);
    expect(request?.body).toEqual({
      model: 'fake-model',
      messages: hello.messages,
      temperature: 0.7,
      max_tokens: 2000,
    });
  });

  it('carries overrides, response_format and extra headers when asked', async () => {
    const custom = createChatClient({
      baseUrl: endpoint.url,
      apiKey: testKey,
      model: 'fake-model',
      extraHeaders: { 'x-team': 'qa' },
    });
    const schema = { type: 'object', properties: { title: { type: 'string' } } };
    answerWith({ text: '{"title":"Login"}' });
    const answer = await custom.complete({
      ...hello,
      temperature: 0.1,
      maxTokens: 300,
      responseFormat: { kind: 'json_schema', name: 'test_case', schema },
    });
    expect(JSON.parse(answer.text)).toEqual({ title: 'Login' });
    const request = endpoint.completionRequests().at(-1);
    expect(request?.headers['x-team']).toBe('qa');
    expect(request?.body).toMatchObject({
      temperature: 0.1,
      max_tokens: 300,
      response_format: { type: 'json_schema', json_schema: { name: 'test_case', schema } },
    });
    await custom.complete({ ...hello, responseFormat: { kind: 'json_object' } });
    expect(endpoint.completionRequests().at(-1)?.body).toMatchObject({
      response_format: { type: 'json_object' },
    });
    await custom.complete({ ...hello, responseFormat: { kind: 'text' } });
    expect(endpoint.completionRequests().at(-1)?.body).not.toHaveProperty('response_format');
  });

  it('returns usage, latency, model, request id and attempts', async () => {
    answerWith({
      text: 'Test Case 1: Valid Login',
      headers: { 'x-request-id': 'req-abc' },
      model: 'served-name',
    });
    const answer = await client.complete(hello);
    expect(answer).toMatchObject({
      text: 'Test Case 1: Valid Login',
      finishReason: 'stop',
      truncated: false,
      model: 'served-name',
      requestId: 'req-abc',
      attempts: 1,
      warnings: [],
      usage: { completionTokens: 5, estimated: false },
    });
    expect(answer.usage.totalTokens).toBe(answer.usage.promptTokens + answer.usage.completionTokens);
    expect(answer.latencyMilliseconds).toBeGreaterThanOrEqual(0);
  });
});

describe('tolerated deviations, each with a warning', () => {
  it('content as an array of text parts is joined', async () => {
    answerWith({ text: 'Joined answer text', deviations: ['content-parts'] });
    const answer = await client.complete(hello);
    expect(answer.text).toBe('Joined answer text');
    expect(answer.warnings.join(' ')).toMatch(/array of parts/);
  });

  it('<think> blocks are kept apart from the answer', async () => {
    answerWith({ text: 'The answer', reasoning: 'Let me think', reasoningPlacement: 'think-tag' });
    const answer = await client.complete(hello);
    expect(answer.text).toBe('The answer');
    expect(answer.reasoning).toBe('Let me think');
    expect(answer.warnings.join(' ')).toMatch(/<think>/);
  });

  it.each(['reasoning_content', 'reasoning'] as const)('%s is returned as reasoning', async (placement) => {
    answerWith({ text: 'The answer', reasoning: 'Because', reasoningPlacement: placement });
    const answer = await client.complete(hello);
    expect(answer.text).toBe('The answer');
    expect(answer.reasoning).toBe('Because');
    expect(answer.warnings.join(' ')).toContain(placement);
  });

  it('missing usage is estimated and marked so', async () => {
    answerWith({ text: 'x'.repeat(40), deviations: ['no-usage'] });
    const answer = await client.complete(hello);
    expect(answer.usage).toMatchObject({ estimated: true, completionTokens: 10 });
    expect(answer.usage.promptTokens).toBeGreaterThan(0);
    expect(answer.warnings.join(' ')).toMatch(/no usage/);
  });

  it('missing id, object and created each leave a warning', async () => {
    answerWith({ deviations: ['no-id', 'no-object', 'no-created'] });
    const answer = await client.complete(hello);
    expect(answer.warnings).toHaveLength(3);
    for (const field of ['id', 'object', 'created'])
      expect(answer.warnings.join(' ')).toContain(`\`${field}\``);
  });

  it.each(['eos', 'eos_token', 'end_turn', 'STOP'])('finish reason %s becomes stop', async (finishReason) => {
    answerWith({ finishReason });
    const answer = await client.complete(hello);
    expect(answer.finishReason).toBe('stop');
    expect(answer.warnings.join(' ')).toContain(`"${finishReason}"`);
  });

  it('JSON served as text/plain is parsed', async () => {
    endpoint.setScenario({
      default: {
        kind: 'raw',
        contentType: 'text/plain',
        body: JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 'plain' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      },
    });
    const answer = await client.complete(hello);
    expect(answer.text).toBe('plain');
    expect(answer.warnings.join(' ')).toMatch(/text\/plain/);
  });
});

describe('streaming', () => {
  it('passes each text delta on and returns the whole answer', async () => {
    answerWith({
      text: 'Given a user When they log in Then they see the dashboard',
      stream: { usageChunk: true },
    });
    const deltas: string[] = [];
    const answer = await client.complete({
      ...hello,
      stream: true,
      onTextDelta: (delta) => deltas.push(delta),
    });
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(answer.text);
    expect(answer.text).toBe('Given a user When they log in Then they see the dashboard');
    expect(answer.usage.estimated).toBe(false);
    expect(endpoint.completionRequests().at(-1)?.body).toMatchObject({ stream: true });
  });

  it('never lets <think> reasoning into the deltas, even with tags split across chunks', async () => {
    answerWith({ text: 'Visible answer', reasoning: 'secret thoughts here', stream: { comments: true } });
    const deltas: string[] = [];
    const answer = await client.complete({
      ...hello,
      stream: true,
      onTextDelta: (delta) => deltas.push(delta),
    });
    expect(deltas.join('')).toBe('Visible answer');
    expect(deltas.join('')).not.toMatch(/think|secret/);
    expect(answer.reasoning).toBe('secret thoughts here');
  });

  it('keeps reasoning_content deltas apart', async () => {
    answerWith({ text: 'Visible', reasoning: 'hidden reasoning', reasoningPlacement: 'reasoning_content' });
    const deltas: string[] = [];
    const answer = await client.complete({
      ...hello,
      stream: true,
      onTextDelta: (delta) => deltas.push(delta),
    });
    expect(deltas.join('')).toBe('Visible');
    expect(answer.reasoning).toBe('hidden reasoning');
  });

  it('tolerates no role, no [DONE], content parts and odd finish reasons', async () => {
    answerWith({
      text: 'Still fine',
      finishReason: 'eos_token',
      deviations: ['no-role', 'content-parts'],
      stream: { omitDone: true, comments: true },
    });
    const answer = await client.complete({ ...hello, stream: true });
    expect(answer.text).toBe('Still fine');
    expect(answer.finishReason).toBe('stop');
    const warnings = answer.warnings.join(' ');
    expect(warnings).toMatch(/no role/);
    expect(warnings).toMatch(/array of parts/);
    expect(warnings).toMatch(/eos_token/);
    expect(answer.usage.estimated).toBe(true);
  });

  it('an error frame mid-stream is an error with the server message', async () => {
    answerWith({
      text: 'a b c d e',
      stream: { errorFrameAfterChunks: 2, errorFrameMessage: 'CUDA out of memory' },
    });
    const deltas: string[] = [];
    const before = endpoint.completionRequests().length;
    const error = await client
      .complete({ ...hello, stream: true, onTextDelta: (delta) => deltas.push(delta) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'llm_error_in_success_response',
      serverMessage: 'CUDA out of memory',
    });
    expect(deltas.join('')).toBe('a b ');
    // Text was already passed on, so the client must not retry and repeat it.
    expect(endpoint.completionRequests()).toHaveLength(before + 1);
  });

  it('a connection reset mid-stream is "Connection lost"', async () => {
    answerWith({ text: 'a b c d e', stream: { resetAfterChunks: 2 } });
    const deltas: string[] = [];
    const error = await client
      .complete({ ...hello, stream: true, onTextDelta: (delta) => deltas.push(delta) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'llm_connection_lost' });
    expect(deltas.join('')).toBe('a b ');
  });

  it('a server that ignores stream: true still gives one delta and a warning', async () => {
    endpoint.setScenario({
      default: {
        kind: 'raw',
        body: JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 'whole' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      },
    });
    const deltas: string[] = [];
    const answer = await client.complete({
      ...hello,
      stream: true,
      onTextDelta: (delta) => deltas.push(delta),
    });
    expect(deltas).toEqual(['whole']);
    expect(answer.warnings.join(' ')).toMatch(/ignored stream/);
  });
});

describe('base URLs', () => {
  it('works with a server that serves without /v1 when given its root', async () => {
    const rootOnly = await startFakeLlmEndpoint({ pathMode: 'root' });
    try {
      const atRoot = createChatClient({ baseUrl: rootOnly.origin, model: 'm' });
      expect((await atRoot.complete(hello)).text).toBeTruthy();
      expect(rootOnly.requests.at(-1)?.path).toBe('/chat/completions');
      const withV1 = createChatClient({
        baseUrl: `${rootOnly.origin}/v1`,
        model: 'm',
        limits: { maxRetries: 0 },
      });
      await expect(withV1.complete(hello)).rejects.toMatchObject({ code: 'llm_not_found', target: 'path' });
    } finally {
      await rootOnly.close();
    }
  });
});

describe('listModels', () => {
  it('lists the endpoint models', async () => {
    expect(await client.listModels()).toEqual([{ id: 'fake-model', ownedBy: 'fake' }]);
  });
});
