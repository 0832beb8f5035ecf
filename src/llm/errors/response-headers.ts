/** Response headers that matter to errors and retries: request id, `Retry-After`, `x-should-retry`. */

export function requestIdFrom(headers: Headers | undefined): string | undefined {
  if (!headers) return undefined;
  for (const name of ['x-request-id', 'request-id', 'apim-request-id', 'x-amzn-requestid', 'cf-ray']) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** `retry-after-ms`, then `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMillisecondsFrom(
  headers: Headers | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds && Number.isFinite(Number(milliseconds))) return Math.max(0, Number(milliseconds));
  const after = headers.get('retry-after');
  if (!after) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Math.max(0, Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The endpoint's own word on retrying (`x-should-retry`, as openai-node reads it): `true` forces
 * another attempt, `false` forbids it, anything else leaves the decision to the status.
 */
export function shouldRetryFrom(headers: Headers | undefined): boolean | undefined {
  const value = headers?.get('x-should-retry')?.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
