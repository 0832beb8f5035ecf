import { describe, expect, it } from 'vitest';
import { requestIdFrom, retryAfterMillisecondsFrom, shouldRetryFrom } from './response-headers.ts';

describe('requestIdFrom', () => {
  it('takes the first request id header a gateway or server sets', () => {
    expect(requestIdFrom(new Headers({ 'x-request-id': 'a' }))).toBe('a');
    expect(requestIdFrom(new Headers({ 'apim-request-id': 'b', 'cf-ray': 'c' }))).toBe('b');
    expect(requestIdFrom(new Headers({ 'cf-ray': 'c' }))).toBe('c');
  });

  it('is undefined without headers or without any id', () => {
    expect(requestIdFrom(undefined)).toBeUndefined();
    expect(requestIdFrom(new Headers({ 'content-type': 'application/json' }))).toBeUndefined();
  });
});

describe('retryAfterMillisecondsFrom', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('prefers retry-after-ms, then Retry-After in seconds', () => {
    expect(
      retryAfterMillisecondsFrom(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now),
    ).toBe(1500);
    expect(retryAfterMillisecondsFrom(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMillisecondsFrom(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
  });

  it('reads an HTTP date against the given clock, never below zero', () => {
    expect(
      retryAfterMillisecondsFrom(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), now),
    ).toBe(10_000);
    expect(
      retryAfterMillisecondsFrom(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now),
    ).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMillisecondsFrom(undefined, now)).toBeUndefined();
    expect(retryAfterMillisecondsFrom(new Headers(), now)).toBeUndefined();
    expect(retryAfterMillisecondsFrom(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });
});

describe('shouldRetryFrom', () => {
  it('reads true and false whatever the case and spaces; anything else leaves the decision open', () => {
    expect(shouldRetryFrom(new Headers({ 'x-should-retry': ' TRUE ' }))).toBe(true);
    expect(shouldRetryFrom(new Headers({ 'x-should-retry': 'false' }))).toBe(false);
    expect(shouldRetryFrom(new Headers({ 'x-should-retry': 'maybe' }))).toBeUndefined();
    expect(shouldRetryFrom(new Headers())).toBeUndefined();
    expect(shouldRetryFrom(undefined)).toBeUndefined();
  });
});
