/**
 * When to try again and how long to wait first. Which failures are retryable at all is decided by
 * `isRetryableFailure` (status, connection faults, the endpoint's `x-should-retry`); this file adds
 * what only the call knows: attempts left and text already streamed.
 */
import type { LlmError } from './errors.ts';

const maxBackoffMilliseconds = 8_000;
const initialBackoffMilliseconds = 500;

/**
 * Backoff before attempt `attempt + 1`: Retry-After when given (capped), else exponential with jitter.
 *
 * @example retryDelayMilliseconds(2, undefined, 30_000, Math.random) // about 1000
 */
export function retryDelayMilliseconds(
  attempt: number,
  retryAfterMilliseconds: number | undefined,
  maxRetryAfterMilliseconds: number,
  random: () => number,
): number {
  if (retryAfterMilliseconds !== undefined)
    return Math.min(retryAfterMilliseconds, maxRetryAfterMilliseconds);
  const base = Math.min(initialBackoffMilliseconds * 2 ** (attempt - 1), maxBackoffMilliseconds);
  return Math.round(base * (1 - random() * 0.25));
}

/** True when a failed attempt is worth another one. */
export function shouldRetry(
  error: LlmError,
  call: { attempt: number; maxAttempts: number; streamedText: boolean },
): boolean {
  // Text already passed to the caller cannot be taken back, so a broken stream is final.
  return error.retryable && call.attempt < call.maxAttempts && !call.streamedText;
}
