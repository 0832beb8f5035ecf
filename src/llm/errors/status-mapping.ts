/** The one place where an HTTP status becomes a named error. */
import { redactSecrets } from '../../shared/secrets.ts';
import { excerptOf, extractServerMessage } from './error-body.ts';
import {
  LlmAuthenticationError,
  LlmNotFoundError,
  LlmRateLimitedError,
  LlmRequestRejectedError,
  LlmServerError,
} from './http-status-errors.ts';
import type { LlmError, LlmErrorDetails } from './llm-error.ts';
import { requestIdFrom, retryAfterMillisecondsFrom, shouldRetryFrom } from './response-headers.ts';

export interface HttpFailure {
  status: number;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  headers: Headers | undefined;
  url: string;
  model: string;
  hasKey: boolean;
  secrets: ReadonlyArray<string | undefined>;
  cause?: unknown;
  /** The current time, for `Retry-After` given as a date. */
  now?: number;
}

/**
 * Turns a non-2xx answer into its named error. The only place where status codes are mapped.
 *
 * @example errorFromHttpStatus({ status: 401, body, headers, url, model, hasKey: true, secrets: [key] })
 */
export function errorFromHttpStatus(failure: HttpFailure): LlmError {
  const serverMessage = extractServerMessage(failure.body);
  const details: LlmErrorDetails = {
    status: failure.status,
    requestId: requestIdFrom(failure.headers),
    responseExcerpt: excerptOf(failure.body),
    cause: failure.cause,
    secrets: failure.secrets,
    ...(serverMessage === undefined ? {} : { serverMessage }),
  };
  const retryAfterMilliseconds = retryAfterMillisecondsFrom(failure.headers, failure.now);
  if (retryAfterMilliseconds !== undefined) details.retryAfterMilliseconds = retryAfterMilliseconds;
  const shouldRetry = shouldRetryFrom(failure.headers);
  if (shouldRetry !== undefined) details.shouldRetry = shouldRetry;
  const status = failure.status;
  if (status === 401 || status === 403) {
    const wantedHeader = wantedAuthHeader(failure.headers, serverMessage ?? excerptOf(failure.body) ?? '');
    return new LlmAuthenticationError(
      status,
      {
        hasKey: failure.hasKey,
        ...(wantedHeader ? { wantedHeader } : {}),
        ...(serverMessage ? { serverText: redactSecrets(serverMessage, failure.secrets) } : {}),
      },
      details,
    );
  }
  if (status === 404) {
    return new LlmNotFoundError(notFoundTarget(failure.body, serverMessage, failure.model), failure, details);
  }
  if (status === 429) return new LlmRateLimitedError(details);
  if (status >= 500) return new LlmServerError(status, details);
  return new LlmRequestRejectedError(status, details);
}

function wantedAuthHeader(headers: Headers | undefined, text: string): 'api-key' | 'x-api-key' | undefined {
  const challenge = headers?.get('www-authenticate') ?? '';
  const haystack = `${challenge} ${text}`.toLowerCase();
  if (haystack.includes('x-api-key')) return 'x-api-key';
  if (/\bapi-key\b/.test(haystack) || haystack.includes('subscription key')) return 'api-key';
  return undefined;
}

function notFoundTarget(body: unknown, serverMessage: string | undefined, model: string): 'model' | 'path' {
  const code =
    body && typeof body === 'object' && !Array.isArray(body)
      ? (((body as { error?: { code?: unknown } }).error?.code ??
          (body as { code?: unknown }).code) as unknown)
      : undefined;
  if (code === 'model_not_found' || code === 'DeploymentNotFound') return 'model';
  const text = (serverMessage ?? '').toLowerCase();
  if (
    text.includes('model') ||
    text.includes('deployment') ||
    (model && text.includes(model.toLowerCase()))
  ) {
    return 'model';
  }
  return 'path';
}
