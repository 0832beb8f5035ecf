import { describe, expect, it } from 'vitest';
import {
  ErrorInSuccessResponseError,
  LlmAuthenticationError,
  LlmNotFoundError,
  LlmRateLimitedError,
  LlmRequestRejectedError,
  LlmServerError,
  errorFromHttpStatus,
  extractServerMessage,
  isRetryableFailure,
  retryAfterMillisecondsFrom,
} from './errors.ts';

const failure = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  errorFromHttpStatus({
    status,
    body,
    headers: new Headers(headers),
    url: 'http://h/v1',
    model: 'llama',
    hasKey: true,
    secrets: ['sk-secret-0123456789'],
    now: 0,
  });

describe('error-body.ts: extractServerMessage', () => {
  it.each([
    ['OpenAI', { error: { message: 'm1', type: 't' } }, 'm1'],
    ['string error', { error: 'm2' }, 'm2'],
    ['vLLM flat', { object: 'error', message: 'm3', code: 400 }, 'm3'],
    ['FastAPI detail', { detail: 'm4' }, 'm4'],
    [
      'FastAPI validation',
      { detail: [{ msg: 'field required' }, { msg: 'bad type' }] },
      'field required; bad type',
    ],
    ['Gemini array', [{ error: { code: 400, message: 'm5', status: 'INVALID_ARGUMENT' } }], 'm5'],
    ['Anthropic', { type: 'error', error: { type: 'authentication_error', message: 'm6' } }, 'm6'],
    ['HTML', '<html><body><h1>502 Bad Gateway</h1></body></html>', '502 Bad Gateway'],
  ])('reads the %s shape', (_shape, body, message) => {
    expect(extractServerMessage(body)).toBe(message);
  });
});

describe('errorFromHttpStatus', () => {
  it('maps each status to its error', () => {
    expect(failure(401, {})).toBeInstanceOf(LlmAuthenticationError);
    expect(failure(403, {})).toBeInstanceOf(LlmAuthenticationError);
    expect(failure(404, { detail: 'Not Found' })).toMatchObject({ target: 'path' });
    expect(failure(404, { error: { message: 'The model `llama` does not exist' } })).toMatchObject({
      target: 'model',
    });
    expect(failure(404, {})).toBeInstanceOf(LlmNotFoundError);
    expect(failure(429, {}, { 'retry-after': '2' })).toBeInstanceOf(LlmRateLimitedError);
    expect(failure(500, {})).toBeInstanceOf(LlmServerError);
    expect(failure(400, {})).toBeInstanceOf(LlmRequestRejectedError);
    expect(failure(422, {})).toBeInstanceOf(LlmRequestRejectedError);
  });

  it('gives fixes that match the server message', () => {
    expect(failure(400, { error: { message: "'temperature' does not support 0.7" } }).fix).toMatch(
      /temperature/,
    );
    expect(failure(400, { error: { message: 'This model maximum context length is 4096' } }).fix).toMatch(
      /max tokens/,
    );
  });

  it('keeps the key out of the message even when the server echoes it', () => {
    const error = failure(401, { error: { message: 'bad key sk-secret-0123456789' } });
    expect(JSON.stringify(error)).not.toContain('sk-secret-0123456789');
    expect(error.message).not.toContain('sk-secret-0123456789');
  });
});

describe('retryability', () => {
  it('retries 408, 409, 429, 5xx and connection failures only', () => {
    expect(failure(408, {}).retryable).toBe(true);
    expect(failure(409, {}).retryable).toBe(true);
    expect(failure(429, {}).retryable).toBe(true);
    expect(failure(502, {}).retryable).toBe(true);
    expect(failure(400, {}).retryable).toBe(false);
    expect(failure(401, {}).retryable).toBe(false);
    expect(failure(404, {}).retryable).toBe(false);
    expect(isRetryableFailure('llm_unreachable', undefined)).toBe(true);
    expect(isRetryableFailure('llm_missing_required_fields', undefined)).toBe(false);
    expect(new ErrorInSuccessResponseError({ status: 503 }).retryable).toBe(true);
    expect(new ErrorInSuccessResponseError({ status: 400 }).retryable).toBe(false);
  });

  it('lets x-should-retry decide over the status: true forces a retry, false forbids it', () => {
    expect(failure(400, {}, { 'x-should-retry': 'true' }).retryable).toBe(true);
    expect(failure(503, {}, { 'x-should-retry': 'false' }).retryable).toBe(false);
    expect(failure(429, {}, { 'x-should-retry': 'FALSE' }).retryable).toBe(false);
    // Any other value leaves the decision to the status.
    expect(failure(503, {}, { 'x-should-retry': 'maybe' }).retryable).toBe(true);
    expect(failure(400, {}, { 'x-should-retry': '1' }).retryable).toBe(false);
  });

  it('reads Retry-After in seconds, as a date, and retry-after-ms', () => {
    expect(retryAfterMillisecondsFrom(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMillisecondsFrom(new Headers({ 'retry-after-ms': '120' }))).toBe(120);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(
      retryAfterMillisecondsFrom(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), now),
    ).toBe(10_000);
    expect(retryAfterMillisecondsFrom(new Headers({}))).toBeUndefined();
  });
});
