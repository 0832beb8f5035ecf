/**
 * How a failed task is retried: which failures are worth another attempt, and how long to wait.
 * Errors are duck-typed (`retryable`, `retryAfterMilliseconds`, `code`) so jobs/ never imports llm/.
 */

export interface BackoffOptions {
  /** The delay before the second attempt, in ms. Default: 1000. */
  initialDelayMilliseconds?: number;
  /** Each further attempt waits this many times longer. Default: 2. */
  multiplier?: number;
  /** No computed delay exceeds this, in ms. Default: 60000. */
  maxDelayMilliseconds?: number;
  /**
   * The share of the delay drawn at random, 0..1 ("equal jitter": half fixed, half random with
   * 0.5), so many workers hit by the same 429 do not come back in step. Default: 0.5.
   */
  jitter?: number;
}

/** What the jobs layer needs to know about a failure. */
export interface FailureDescription {
  retryable: boolean;
  /** The wait the endpoint asked for (e.g. `Retry-After`), in ms, when it said. */
  retryAfterMilliseconds: number | undefined;
  /** One line, safe to store and print (the thrower is responsible for redacting keys). */
  message: string;
}

/** Transport failures thrown by Node itself (no `retryable` flag): worth another attempt. */
const RETRYABLE_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  // A busy database or a PostgreSQL serialization failure or deadlock: try again later.
  'SQLITE_BUSY',
  '40001',
  '40P01',
]);

/**
 * Reads the retry decision off any thrown value. An explicit boolean `retryable` wins (LLM
 * errors carry one); else a Node transport error code (on the error or its `cause`) counts as
 * retryable; anything else (a bug, a validation error) is not.
 *
 * @example describeFailure(Object.assign(new Error('429'), { retryable: true, retryAfterMilliseconds: 2000 }))
 * // { retryable: true, retryAfterMilliseconds: 2000, message: '429' }
 */
export function describeFailure(error: unknown): FailureDescription {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    retryable?: unknown;
    retryAfterMilliseconds?: unknown;
    code?: unknown;
    cause?: unknown;
    message?: unknown;
  };
  let retryable: boolean;
  if (typeof fields.retryable === 'boolean') retryable = fields.retryable;
  else {
    const causeCode = (fields.cause as { code?: unknown } | null | undefined)?.code;
    retryable = [fields.code, causeCode].some(
      (code) => typeof code === 'string' && RETRYABLE_SYSTEM_CODES.has(code),
    );
  }
  const retryAfter = fields.retryAfterMilliseconds;
  const message =
    typeof fields.message === 'string' && fields.message !== '' ? fields.message : String(error);
  return {
    retryable,
    retryAfterMilliseconds:
      typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0
        ? retryAfter
        : undefined,
    message: message.split('\n')[0]!.slice(0, 1000),
  };
}

/**
 * The wait before attempt `attempt + 1`, after `attempt` (1, 2, …) failed: exponential, capped,
 * with jitter. A wait the endpoint asked for replaces the computed one (it knows its limits
 * better than we do), still capped at ten times `maxDelayMilliseconds` against absurd values.
 *
 * @example retryDelay(1, {}, undefined, () => 0.5) // 750: half of 1000 fixed + 0.5 × 500
 */
export function retryDelay(
  attempt: number,
  options: BackoffOptions = {},
  retryAfterMilliseconds?: number,
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMilliseconds ?? 1000;
  const multiplier = options.multiplier ?? 2;
  const max = options.maxDelayMilliseconds ?? 60_000;
  const jitter = Math.min(Math.max(options.jitter ?? 0.5, 0), 1);
  if (retryAfterMilliseconds !== undefined) return Math.min(retryAfterMilliseconds, max * 10);
  const exponential = Math.min(initial * multiplier ** Math.max(attempt - 1, 0), max);
  return Math.round(exponential * (1 - jitter) + exponential * jitter * random());
}
