import { describe, expect, it } from 'vitest';
import { describeFailure, retryDelay } from './retry-policy.ts';

describe('describeFailure', () => {
  it('takes an explicit retryable flag and the wait the endpoint asked for', () => {
    const rateLimited = Object.assign(new Error('HTTP 429: slow down\nmore'), {
      retryable: true,
      retryAfterMilliseconds: 2500,
    });
    expect(describeFailure(rateLimited)).toEqual({
      retryable: true,
      retryAfterMilliseconds: 2500,
      message: 'HTTP 429: slow down',
    });
    expect(
      describeFailure(Object.assign(new Error('401'), { retryable: false, code: 'ECONNRESET' })).retryable,
    ).toBe(false);
  });

  it('treats Node transport errors as retryable, on the error or its cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(describeFailure(refused).retryable).toBe(true);
    expect(describeFailure(new TypeError('fetch failed', { cause: refused })).retryable).toBe(true);
  });

  it('does not retry bugs and odd values', () => {
    expect(describeFailure(new TypeError('undefined is not a function'))).toMatchObject({ retryable: false });
    expect(describeFailure('plain string')).toEqual({
      retryable: false,
      retryAfterMilliseconds: undefined,
      message: 'plain string',
    });
    expect(
      describeFailure({ retryable: true, retryAfterMilliseconds: -5 }).retryAfterMilliseconds,
    ).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('grows exponentially, with jitter inside the documented range, up to the cap', () => {
    const options = { initialDelayMilliseconds: 100, multiplier: 2, maxDelayMilliseconds: 1000, jitter: 0.5 };
    expect(retryDelay(1, options, undefined, () => 0)).toBe(50);
    expect(retryDelay(1, options, undefined, () => 1)).toBe(100);
    expect(retryDelay(3, options, undefined, () => 1)).toBe(400);
    expect(retryDelay(10, options, undefined, () => 1)).toBe(1000);
    expect(retryDelay(10, options, undefined, () => 0)).toBe(500);
    expect(retryDelay(2, { ...options, jitter: 0 }, undefined, () => 0.9)).toBe(200);
  });

  it('honours the wait asked for by the endpoint, within a sane cap', () => {
    expect(retryDelay(1, { maxDelayMilliseconds: 1000 }, 3000)).toBe(3000);
    expect(retryDelay(1, { maxDelayMilliseconds: 1000 }, 10_000_000)).toBe(10_000);
  });
});
