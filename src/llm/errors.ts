/**
 * Errors the LLM client raises. One root (`LlmError`), one subclass per failure a user can meet,
 * each with a plain message and a fix. Which HTTP status becomes which error is decided in
 * `errorFromHttpStatus` only; which failures are retried is decided in `isRetryableFailure` only.
 *
 * The errors live in `errors/` by group: connection failures, HTTP status failures and failures
 * of an answer that arrived; this file is their one entry point.
 */
export {
  LlmError,
  isRetryableFailure,
  sanitizeCause,
  type LlmErrorCode,
  type LlmErrorDetails,
} from './errors/llm-error.ts';
export {
  ConnectionLostError,
  EndpointUnreachableError,
  LlmCancelledError,
  LlmTimeoutError,
} from './errors/connection-errors.ts';
export {
  LlmAuthenticationError,
  LlmNotFoundError,
  LlmRateLimitedError,
  LlmRequestRejectedError,
  LlmServerError,
} from './errors/http-status-errors.ts';
export {
  ContentFilteredError,
  ErrorInSuccessResponseError,
  IncorrectResponseStructureError,
  MissingRequiredFieldsError,
  TruncatedAnswerError,
} from './errors/response-errors.ts';
export {
  excerptOf,
  extractServerMessage,
  looksLikeErrorBody,
  statusInsideErrorBody,
} from './errors/error-body.ts';
export { requestIdFrom, retryAfterMillisecondsFrom, shouldRetryFrom } from './errors/response-headers.ts';
export { errorFromHttpStatus, type HttpFailure } from './errors/status-mapping.ts';
