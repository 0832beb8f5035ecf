/**
 * The root of every LLM failure and the one decision on retryability. API keys never reach a
 * message, a fix, an excerpt, a cause or a stack: every text is passed through `redactSecrets`
 * with the keys the client knows before the error is built.
 */
import { ReqaseError } from '../../shared/errors.ts';
import type { Remedy } from '../../shared/remedy.ts';
import { redactSecrets } from '../../shared/secrets.ts';
import { excerptLength } from './error-body.ts';

/**
 * A fix in plain words (free of any surface's words, shown where remedies are not worded, e.g.
 * the check report) with the same advice as remedies that each surface words its own way.
 */
export interface LlmFix {
  text: string;
  remedies: Remedy[];
}

/** Stable identifiers of LLM failures (`error.code`). */
export type LlmErrorCode =
  | 'llm_unreachable'
  | 'llm_connection_lost'
  | 'llm_timeout'
  | 'llm_cancelled'
  | 'llm_authentication'
  | 'llm_not_found'
  | 'llm_rate_limited'
  | 'llm_server_error'
  | 'llm_request_rejected'
  | 'llm_incorrect_response_structure'
  | 'llm_missing_required_fields'
  | 'llm_truncated'
  | 'llm_content_filtered'
  | 'llm_error_in_success_response';

export interface LlmErrorDetails {
  /** HTTP status, when the endpoint answered. */
  status?: number;
  /** The endpoint's request id (`x-request-id` and similar), when it sent one (`undefined`: none). */
  requestId?: string | undefined;
  /**
   * The start of the response body, redacted, for diagnosis. `undefined`: the body read has none,
   * which replaces an excerpt spread in from details of an earlier read.
   */
  responseExcerpt?: string | undefined;
  /** The server's own error message, when the body carried one. */
  serverMessage?: string;
  cause?: unknown;
  /** How long the endpoint asked to wait before another attempt (`Retry-After`), in ms. */
  retryAfterMilliseconds?: number;
  /**
   * What the endpoint said about another attempt (`x-should-retry: true|false`), when it said:
   * it overrides the decision by status, as in openai-node's `shouldRetry`.
   */
  shouldRetry?: boolean;
  /** Keys to remove from every text of the error. */
  secrets?: ReadonlyArray<string | undefined>;
}

/**
 * Root of every LLM failure. `retryable` is decided by `isRetryableFailure`.
 *
 * @example
 * try { await client.complete(request) } catch (error) {
 *   if (error instanceof LlmError) console.error(error.describe());
 * }
 */
export class LlmError extends ReqaseError {
  override readonly code: LlmErrorCode;
  /** A short title naming the failure, e.g. "Authentication error". */
  readonly title: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly responseExcerpt: string | undefined;
  readonly serverMessage: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMilliseconds: number | undefined;

  constructor(
    code: LlmErrorCode,
    title: string,
    message: string,
    fix: string | LlmFix,
    details: LlmErrorDetails = {},
  ) {
    const secrets = details.secrets ?? [];
    const redact = (text: string): string => redactSecrets(text, secrets);
    super(code, redact(`${title}: ${message}`), {
      fix: redact(typeof fix === 'string' ? fix : fix.text),
      ...(typeof fix === 'string' ? {} : { remedies: fix.remedies }),
      cause: details.cause === undefined ? undefined : sanitizeCause(details.cause, secrets),
    });
    this.code = code;
    this.title = title;
    this.status = details.status;
    this.requestId = details.requestId;
    this.responseExcerpt =
      details.responseExcerpt === undefined
        ? undefined
        : redact(details.responseExcerpt).slice(0, excerptLength);
    this.serverMessage = details.serverMessage === undefined ? undefined : redact(details.serverMessage);
    this.retryable = isRetryableFailure(code, details.status, details.shouldRetry);
    this.retryAfterMilliseconds = details.retryAfterMilliseconds;
    if (this.stack) this.stack = redact(this.stack);
  }

  override toJSON(): { code: string; message: string; fix?: string } & Record<string, unknown> {
    return {
      ...super.toJSON(),
      title: this.title,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
      ...(this.serverMessage === undefined ? {} : { serverMessage: this.serverMessage }),
      retryable: this.retryable,
    };
  }
}

/**
 * Decides which failures are worth another attempt: what the endpoint said in `x-should-retry`
 * when it said it, else connection errors, timeouts of one attempt, 408, 409, 429 and 5xx. The
 * only place where retryability is decided.
 *
 * @example isRetryableFailure('llm_request_rejected', 400, true) // true: the server asked for it
 */
export function isRetryableFailure(
  code: LlmErrorCode,
  status: number | undefined,
  shouldRetryHeader?: boolean,
): boolean {
  if (shouldRetryHeader !== undefined) return shouldRetryHeader;
  switch (code) {
    case 'llm_unreachable':
    case 'llm_connection_lost':
    case 'llm_timeout':
    case 'llm_rate_limited':
    case 'llm_server_error':
      return true;
    case 'llm_request_rejected':
      return status === 408 || status === 409;
    case 'llm_error_in_success_response':
      // A 200 with an error body often hides an overloaded upstream; the status inside says.
      return status !== undefined && (status === 408 || status === 409 || status === 429 || status >= 500);
    default:
      return false;
  }
}

/**
 * A copy of `cause` (and its own causes) with keys removed from message and stack, so the
 * cause chain of an error can be logged safely. Keeps `name` and `code` (e.g. `ECONNREFUSED`).
 */
export function sanitizeCause(
  cause: unknown,
  secrets: ReadonlyArray<string | undefined>,
  depth = 0,
): unknown {
  if (depth > 5) return undefined;
  if (!(cause instanceof Error)) {
    return typeof cause === 'string' ? redactSecrets(cause, secrets) : undefined;
  }
  const copy = new Error(redactSecrets(cause.message, secrets));
  copy.name = cause.name;
  if (cause.stack === undefined) delete copy.stack;
  else copy.stack = redactSecrets(cause.stack, secrets);
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') (copy as Error & { code?: unknown }).code = code;
  if (cause.cause !== undefined) copy.cause = sanitizeCause(cause.cause, secrets, depth + 1);
  return copy;
}
