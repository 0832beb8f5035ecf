/**
 * Retries, Retry-After, deadline, cancellation and limits over real HTTP. Waits between attempts
 * and rate-limit waits go through a fake clock, so nothing here sleeps for real.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LlmCancelledError,
  LlmRateLimitedError,
  LlmRequestRejectedError,
  LlmServerError,
  LlmTimeoutError,
  createChatClient,
  retryDelayMilliseconds,
  type ChatClientEvent,
  type ProviderConfigInput,
} from '../../src/llm/index.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { createFakeClock, hello } from './helpers.ts';

let endpoint: FakeLlmEndpoint;
beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint();
});
afterAll(async () => {
  await endpoint.close();
});
beforeEach(() => endpoint.setScenario({}));

function config(extra: Partial<ProviderConfigInput> = {}): ProviderConfigInput {
  return { baseUrl: endpoint.url, model: 'fake-model', ...extra };
}

function requestsSince(count: number) {
  return endpoint.completionRequests().slice(count);
}

describe('retries', () => {
  it('retries a 429 after the Retry-After it was given, then succeeds', async () => {
    const clock = createFakeClock();
    endpoint.setScenario({
      queue: [{ kind: 'error', status: 429, retryAfter: 1 }],
      default: { kind: 'answer', text: 'after the wait' },
    });
    const client = createChatClient(config(), { clock });
    const answer = await client.complete(hello);
    expect(answer.text).toBe('after the wait');
    expect(answer.attempts).toBe(2);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('honours retry-after-ms and caps a long Retry-After', async () => {
    const clock = createFakeClock();
    endpoint.setScenario({
      queue: [
        { kind: 'error', status: 503, retryAfterMilliseconds: 250 },
        { kind: 'error', status: 429, retryAfter: 3600 },
      ],
    });
    const client = createChatClient(config({ limits: { maxRetryAfterMilliseconds: 5_000 } }), { clock });
    expect((await client.complete(hello)).attempts).toBe(3);
    expect(clock.sleeps).toEqual([250, 5_000]);
  });

  it('backs off exponentially with jitter on 5xx, 408, 409 and connection resets', async () => {
    const clock = createFakeClock();
    endpoint.setScenario({
      queue: [
        { kind: 'error', status: 500 },
        { kind: 'error', status: 408 },
        { kind: 'error', status: 409 },
        { kind: 'reset' },
      ],
    });
    const client = createChatClient(config({ limits: { maxRetries: 4 } }), { clock, random: () => 0 });
    const answer = await client.complete(hello);
    expect(answer.attempts).toBe(5);
    expect(clock.sleeps).toEqual([500, 1000, 2000, 4000]);
    // Jitter takes up to a quarter off.
    expect(retryDelayMilliseconds(1, undefined, 30_000, () => 0.999)).toBeGreaterThanOrEqual(375);
    expect(retryDelayMilliseconds(10, undefined, 30_000, () => 0)).toBe(8000);
  });

  it('a behaviour that changes between retries is seen attempt by attempt', async () => {
    const clock = createFakeClock();
    endpoint.setScenario({
      default: ({ index }) =>
        index < 2 ? { kind: 'error', status: 502 } : { kind: 'answer', text: `ok on attempt ${index + 1}` },
    });
    const events: ChatClientEvent[] = [];
    const client = createChatClient(config(), {
      clock,
      random: () => 0,
      onEvent: (event) => events.push(event),
    });
    const answer = await client.complete(hello);
    expect(answer.text).toBe('ok on attempt 3');
    expect(events.filter((event) => event.kind === 'attempt-failure')).toHaveLength(2);
  });

  it('gives up after maxRetries with the last error', async () => {
    const clock = createFakeClock();
    const before = endpoint.completionRequests().length;
    endpoint.setScenario({ default: { kind: 'error', status: 500 } });
    const client = createChatClient(config({ limits: { maxRetries: 2 } }), { clock, random: () => 0 });
    await expect(client.complete(hello)).rejects.toBeInstanceOf(LlmServerError);
    expect(requestsSince(before)).toHaveLength(3);
  });

  it('does not retry what cannot succeed (400)', async () => {
    const clock = createFakeClock();
    const before = endpoint.completionRequests().length;
    endpoint.setScenario({ default: { kind: 'error', status: 400 } });
    const client = createChatClient(config(), { clock });
    await expect(client.complete(hello)).rejects.toBeInstanceOf(LlmRequestRejectedError);
    expect(requestsSince(before)).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('x-should-retry: true retries what its status would not (400)', async () => {
    const clock = createFakeClock();
    const before = endpoint.completionRequests().length;
    endpoint.setScenario({
      queue: [{ kind: 'error', status: 400, headers: { 'x-should-retry': 'true' } }],
      default: { kind: 'answer', text: 'the server asked for another try' },
    });
    const client = createChatClient(config(), { clock, random: () => 0 });
    const answer = await client.complete(hello);
    expect(answer.text).toBe('the server asked for another try');
    expect(answer.attempts).toBe(2);
    expect(requestsSince(before)).toHaveLength(2);
    expect(clock.sleeps).toEqual([500]);
  });

  it('x-should-retry: false forbids a retry its status would get (503, 429)', async () => {
    const clock = createFakeClock();
    for (const status of [503, 429]) {
      const before = endpoint.completionRequests().length;
      endpoint.setScenario({
        queue: [{ kind: 'error', status, headers: { 'x-should-retry': 'false' } }],
        default: { kind: 'answer', text: 'never asked for' },
      });
      const client = createChatClient(config(), { clock });
      const failure = await client.complete(hello).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(status === 503 ? LlmServerError : LlmRateLimitedError);
      expect((failure as LlmServerError).retryable).toBe(false);
      expect(requestsSince(before)).toHaveLength(1);
    }
    expect(clock.sleeps).toEqual([]);
  });

  it('stops retrying when the next wait would pass the overall deadline', async () => {
    const clock = createFakeClock();
    const before = endpoint.completionRequests().length;
    endpoint.setScenario({ default: { kind: 'error', status: 429, retryAfter: 20 } });
    const client = createChatClient(config({ limits: { deadlineMilliseconds: 30_000, maxRetries: 5 } }), {
      clock,
    });
    await expect(client.complete(hello)).rejects.toBeInstanceOf(LlmRateLimitedError);
    // 0 s, 20 s; a third attempt at 40 s would pass the 30 s deadline.
    expect(requestsSince(before)).toHaveLength(2);
    expect(clock.sleeps).toEqual([20_000]);
  });

  it('a per-attempt timeout is retried, then reported', async () => {
    const clock = createFakeClock();
    const before = endpoint.completionRequests().length;
    endpoint.setScenario({ queue: [{ kind: 'hang' }], default: { kind: 'answer', text: 'second try' } });
    const client = createChatClient(config({ timeoutMilliseconds: 100 }), { clock, random: () => 0 });
    const answer = await client.complete(hello);
    expect(answer.text).toBe('second try');
    expect(requestsSince(before)).toHaveLength(2);

    endpoint.setScenario({ default: { kind: 'hang' } });
    const noRetry = createChatClient(config({ timeoutMilliseconds: 100, limits: { maxRetries: 0 } }), {
      clock,
    });
    await expect(noRetry.complete(hello)).rejects.toBeInstanceOf(LlmTimeoutError);
  });
});

describe('cancellation', () => {
  it('an AbortSignal cancels a hanging request', async () => {
    endpoint.setScenario({ default: { kind: 'hang' } });
    const client = createChatClient(config());
    const controller = new AbortController();
    const pending = client.complete({ ...hello, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmCancelledError);
  });

  it('cancels during the wait between retries, and before starting', async () => {
    const controller = new AbortController();
    const clock = createFakeClock();
    const sleeping = {
      ...clock,
      sleep: async (milliseconds: number, signal?: AbortSignal) => {
        controller.abort();
        return clock.sleep(milliseconds, signal);
      },
    };
    endpoint.setScenario({ default: { kind: 'error', status: 503 } });
    const client = createChatClient(config(), { clock: sleeping });
    await expect(client.complete({ ...hello, signal: controller.signal })).rejects.toBeInstanceOf(
      LlmCancelledError,
    );
    await expect(client.complete({ ...hello, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      LlmCancelledError,
    );
  });

  it('cancels a stream part way through', async () => {
    endpoint.setScenario({
      default: { kind: 'answer', text: 'one two three four five six', latency: { tokensPerSecond: 20 } },
    });
    const client = createChatClient(config());
    const controller = new AbortController();
    const deltas: string[] = [];
    const error = await client
      .complete({
        ...hello,
        stream: true,
        signal: controller.signal,
        onTextDelta: (delta) => {
          deltas.push(delta);
          if (deltas.length === 2) controller.abort();
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmCancelledError);
    expect(deltas.length).toBeLessThan(6);
  });
});

describe('limits', () => {
  it('never has more requests in flight than the concurrency limit', async () => {
    // A fresh endpoint: requests cancelled by earlier tests may still be winding down on the shared one.
    const slow = await startFakeLlmEndpoint({
      scenario: { default: { kind: 'answer', text: 'slow', latency: { timeToFirstTokenMilliseconds: 40 } } },
    });
    try {
      const client = createChatClient({ baseUrl: slow.url, model: 'm', limits: { concurrency: 2 } });
      await Promise.all(Array.from({ length: 6 }, () => client.complete(hello)));
      expect(slow.completionRequests()).toHaveLength(6);
      expect(slow.concurrency().highest).toBe(2);

      slow.setScenario({
        default: { kind: 'answer', text: 'slow', latency: { timeToFirstTokenMilliseconds: 40 } },
      });
      const wider = createChatClient({ baseUrl: slow.url, model: 'm', limits: { concurrency: 6 } });
      await Promise.all(Array.from({ length: 6 }, () => wider.complete(hello)));
      expect(slow.concurrency().highest).toBeGreaterThan(2);
    } finally {
      await slow.close();
    }
  });

  it('waits for the rolling minute when requestsPerMinute is reached', async () => {
    const clock = createFakeClock();
    const events: ChatClientEvent[] = [];
    const client = createChatClient(config({ limits: { requestsPerMinute: 2 } }), {
      clock,
      onEvent: (event) => events.push(event),
    });
    await client.complete(hello);
    await client.complete(hello);
    expect(clock.sleeps).toEqual([]);
    await client.complete(hello);
    expect(clock.sleeps).toEqual([60_000]);
    expect(events).toContainEqual({ kind: 'rate-limit-wait', waitedMilliseconds: 60_000 });
  });

  it('waits when tokensPerMinute would be passed, counting actual usage', async () => {
    const clock = createFakeClock();
    endpoint.setScenario({
      default: { kind: 'answer', usage: { prompt_tokens: 400, completion_tokens: 300, total_tokens: 700 } },
    });
    // Each request reserves prompt estimate + max tokens (about 508), then settles at 700 actual.
    const client = createChatClient(config({ maxTokens: 500, limits: { tokensPerMinute: 1000 } }), { clock });
    await client.complete(hello);
    expect(clock.sleeps).toEqual([]);
    await client.complete(hello);
    expect(clock.sleeps).toEqual([60_000]);
  });
});
