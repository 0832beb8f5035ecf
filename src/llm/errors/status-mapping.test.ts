import { describe, expect, it } from 'vitest';
import {
  LlmAuthenticationError,
  LlmNotFoundError,
  LlmRateLimitedError,
  LlmRequestRejectedError,
  LlmServerError,
} from './http-status-errors.ts';
import { errorFromHttpStatus, type HttpFailure } from './status-mapping.ts';

const KEY = 'sk-secret-0123456789abcdef';

function failure(status: number, fields: Partial<HttpFailure> = {}): HttpFailure {
  return {
    status,
    body: { error: { message: 'something failed' } },
    headers: new Headers(),
    url: 'http://127.0.0.1:9/v1/chat/completions',
    model: 'llama3.1',
    hasKey: true,
    secrets: [KEY],
    ...fields,
  };
}

describe('errorFromHttpStatus', () => {
  it('names the error by status: 401/403 authentication, 404 not found, 429 rate limited, 5xx server, other 4xx rejected', () => {
    expect(errorFromHttpStatus(failure(401))).toBeInstanceOf(LlmAuthenticationError);
    expect(errorFromHttpStatus(failure(403))).toBeInstanceOf(LlmAuthenticationError);
    expect(errorFromHttpStatus(failure(404))).toBeInstanceOf(LlmNotFoundError);
    expect(errorFromHttpStatus(failure(429))).toBeInstanceOf(LlmRateLimitedError);
    expect(errorFromHttpStatus(failure(500))).toBeInstanceOf(LlmServerError);
    expect(errorFromHttpStatus(failure(503))).toBeInstanceOf(LlmServerError);
    expect(errorFromHttpStatus(failure(400))).toBeInstanceOf(LlmRequestRejectedError);
    expect(errorFromHttpStatus(failure(422))).toBeInstanceOf(LlmRequestRejectedError);
  });

  it('keeps the status, the request id, the server message and a redacted excerpt', () => {
    const error = errorFromHttpStatus(
      failure(400, {
        body: { error: { message: `bad parameter near ${KEY}` } },
        headers: new Headers({ 'x-request-id': 'req-42' }),
      }),
    );
    expect(error.status).toBe(400);
    expect(error.requestId).toBe('req-42');
    expect(error.serverMessage).toContain('bad parameter near');
    expect(error.responseExcerpt).toBeDefined();
    expect(JSON.stringify(error.toJSON())).not.toContain(KEY);
    expect(error.message).not.toContain(KEY);
  });

  it('has no request id when the response sent none', () => {
    expect(errorFromHttpStatus(failure(500)).requestId).toBeUndefined();
  });

  it('reads Retry-After (seconds or retry-after-ms) onto a rate-limit error', () => {
    const seconds = errorFromHttpStatus(failure(429, { headers: new Headers({ 'retry-after': '3' }) }));
    expect(seconds.retryAfterMilliseconds).toBe(3000);
    const milliseconds = errorFromHttpStatus(
      failure(429, { headers: new Headers({ 'retry-after-ms': '250' }) }),
    );
    expect(milliseconds.retryAfterMilliseconds).toBe(250);
    expect(errorFromHttpStatus(failure(429)).retryAfterMilliseconds).toBeUndefined();
  });

  it('lets x-should-retry override the decision by status', () => {
    expect(errorFromHttpStatus(failure(500)).retryable).toBe(true);
    expect(
      errorFromHttpStatus(failure(500, { headers: new Headers({ 'x-should-retry': 'false' }) })).retryable,
    ).toBe(false);
    expect(errorFromHttpStatus(failure(400)).retryable).toBe(false);
    expect(
      errorFromHttpStatus(failure(400, { headers: new Headers({ 'x-should-retry': 'true' }) })).retryable,
    ).toBe(true);
  });

  it('tells a missing model from a wrong path on 404', () => {
    const model = errorFromHttpStatus(
      failure(404, { body: { error: { code: 'model_not_found', message: 'no' } } }),
    );
    expect(model).toBeInstanceOf(LlmNotFoundError);
    expect((model as LlmNotFoundError).target).toBe('model');
    const named = errorFromHttpStatus(
      failure(404, { body: { error: { message: 'llama3.1 is not served here' } } }),
    );
    expect((named as LlmNotFoundError).target).toBe('model');
    const path = errorFromHttpStatus(failure(404, { body: 'Not Found' }));
    expect((path as LlmNotFoundError).target).toBe('path');
  });

  it('on 401 names the key header the server asks for', () => {
    const error = errorFromHttpStatus(
      failure(401, { headers: new Headers({ 'www-authenticate': 'x-api-key realm="gateway"' }) }),
    );
    expect((error as LlmAuthenticationError).wantedHeader).toBe('x-api-key');
    const azure = errorFromHttpStatus(
      failure(401, { body: { error: { message: 'Access denied due to missing subscription key.' } } }),
    );
    expect((azure as LlmAuthenticationError).wantedHeader).toBe('api-key');
    expect((errorFromHttpStatus(failure(401)) as LlmAuthenticationError).wantedHeader).toBeUndefined();
  });
});
