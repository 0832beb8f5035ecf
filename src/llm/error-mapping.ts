/**
 * Turns whatever an attempt threw (the SDK's errors, fetch's connection faults, an abort) into the
 * named `LlmError`. Status codes themselves are mapped by `errorFromHttpStatus`.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { AbortCause } from './attempt-signal.ts';
import {
  ConnectionLostError,
  EndpointUnreachableError,
  ErrorInSuccessResponseError,
  IncorrectResponseStructureError,
  LlmCancelledError,
  LlmError,
  LlmTimeoutError,
  errorFromHttpStatus,
  excerptOf,
  extractServerMessage,
  sanitizeCause,
  statusInsideErrorBody,
  type LlmErrorDetails,
} from './errors.ts';
import { failedResponseBody } from './openai-sdk.ts';

export interface ErrorMappingContext {
  baseUrl: string;
  model: string;
  hasKey: boolean;
  /** The call's overall deadline, in ms (named in the timeout error). */
  deadlineMilliseconds: number;
  secrets: ReadonlyArray<string | undefined>;
  /** The current time, for `Retry-After` given as a date. */
  now: number;
}

/**
 * The `LlmError` for what an attempt threw. Anything that is no transport fault is a bug on our
 * side and is thrown again, its key removed.
 */
export function toLlmError(
  error: unknown,
  abortCause: AbortCause | undefined,
  timeoutMilliseconds: number,
  context: ErrorMappingContext,
): LlmError {
  if (error instanceof LlmError) return error;
  const details: LlmErrorDetails = { cause: error, secrets: context.secrets };
  if (abortCause === 'cancelled') return new LlmCancelledError(details);
  if (abortCause === 'attempt-timeout') return new LlmTimeoutError('attempt', timeoutMilliseconds, details);
  if (abortCause === 'deadline')
    return new LlmTimeoutError('deadline', context.deadlineMilliseconds, details);
  if (error instanceof APIConnectionTimeoutError)
    return new LlmTimeoutError('attempt', timeoutMilliseconds, details);
  if (error instanceof APIUserAbortError) return new LlmCancelledError(details);
  if (error instanceof APIConnectionError) return fromConnectionError(error, context.baseUrl, details);
  if (error instanceof APIError) return fromApiError(error, context, details);
  if (error instanceof SyntaxError) {
    return new IncorrectResponseStructureError('a part of the answer is not valid JSON', details);
  }
  const reason = connectionReason(error);
  if (reason !== undefined) return new ConnectionLostError(reason, details);
  // Anything else is a bug on our side; still never let the key out.
  throw sanitizeCause(error, context.secrets);
}

function fromConnectionError(error: APIConnectionError, baseUrl: string, details: LlmErrorDetails): LlmError {
  const reason = connectionReason(error) ?? 'connection error';
  // Refused, unresolved or untrusted: never connected. Anything else broke a live connection.
  return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|CERT|TLS|SSL|self.signed|bad port|^connection error$/i.test(
    reason,
  )
    ? new EndpointUnreachableError(baseUrl, reason, details)
    : new ConnectionLostError(reason, details);
}

function fromApiError(error: APIError, context: ErrorMappingContext, details: LlmErrorDetails): LlmError {
  if (error.status !== undefined && error.headers) {
    return errorFromHttpStatus({
      status: error.status,
      body: failedResponseBody(error),
      headers: error.headers,
      url: context.baseUrl,
      model: context.model,
      hasKey: context.hasKey,
      secrets: context.secrets,
      cause: error,
      now: context.now,
    });
  }
  // An error frame in a stream (`data: {"error": …}`).
  const serverMessage = extractServerMessage(error.error);
  const insideStatus = statusInsideErrorBody({ error: error.error });
  return new ErrorInSuccessResponseError({
    ...details,
    ...(insideStatus === undefined ? {} : { status: insideStatus }),
    ...(serverMessage === undefined ? {} : { serverMessage }),
    responseExcerpt: excerptOf(error.error),
  });
}

/** A short reason for a connection failure from the error's cause chain (`ECONNREFUSED`, …). */
function connectionReason(error: unknown): string | undefined {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') parts.push(code);
    if (current.message && !/^(fetch failed|connection error\.?)$/i.test(current.message)) {
      parts.push(current.message);
    }
    current = current.cause;
  }
  const text = parts.join(': ');
  if (!text) return error instanceof APIConnectionError ? 'connection error' : undefined;
  if (error instanceof APIConnectionError) return text;
  return /terminated|other side closed|socket|ECONNRESET|EPIPE|UND_ERR/i.test(text) ? text : undefined;
}
