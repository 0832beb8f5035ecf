/**
 * Errors the LLM client raises. One root (`LlmError`), one subclass per failure a user can meet,
 * each with a plain message and a fix. Which HTTP status becomes which error is decided in
 * `errorFromHttpStatus` only; which failures are retried is decided in `isRetryableFailure` only.
 *
 * API keys never reach a message, a fix, an excerpt, a cause or a stack: every text is passed
 * through `redactSecrets` with the keys the client knows before the error is built.
 */
import { ReqaseError } from '../shared/errors.ts';
import { redactSecrets } from '../shared/secrets.ts';

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
  /** The endpoint's request id (`x-request-id` and similar), when it sent one. */
  requestId?: string;
  /** The start of the response body, redacted, for diagnosis. */
  responseExcerpt?: string;
  /** The server's own error message, when the body carried one. */
  serverMessage?: string;
  cause?: unknown;
  /** How long the endpoint asked to wait before another attempt (`Retry-After`), in ms. */
  retryAfterMs?: number;
  /** Keys to remove from every text of the error. */
  secrets?: ReadonlyArray<string | undefined>;
}

const excerptLength = 500;

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
  readonly retryAfterMs: number | undefined;

  constructor(
    code: LlmErrorCode,
    title: string,
    message: string,
    fix: string,
    details: LlmErrorDetails = {},
  ) {
    const secrets = details.secrets ?? [];
    const redact = (text: string): string => redactSecrets(text, secrets);
    super(code, redact(`${title}: ${message}`), {
      fix: redact(fix),
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
    this.retryable = isRetryableFailure(code, details.status);
    this.retryAfterMs = details.retryAfterMs;
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

/** DNS failure, connection refused, TLS failure: the endpoint could not be reached at all. */
export class EndpointUnreachableError extends LlmError {
  constructor(baseUrl: string, reason: string, details: LlmErrorDetails = {}) {
    super(
      'llm_unreachable',
      'Endpoint unreachable',
      `could not connect to ${baseUrl} (${reason}).`,
      unreachableFix(reason),
      details,
    );
  }
}

/** The connection broke after it was made: reset, closed mid-answer. */
export class ConnectionLostError extends LlmError {
  constructor(reason: string, details: LlmErrorDetails = {}) {
    super(
      'llm_connection_lost',
      'Connection lost',
      `the connection to the endpoint broke before the answer was complete (${reason}).`,
      'Usually transient: try again. If it keeps happening, check proxies or load balancers between you and the server (idle timeouts, body size limits) and the server’s logs.',
      details,
    );
  }
}

/** An attempt took longer than the timeout, or all attempts together passed the deadline. */
export class LlmTimeoutError extends LlmError {
  readonly timeoutMs: number;
  constructor(what: 'attempt' | 'deadline', timeoutMs: number, details: LlmErrorDetails = {}) {
    super(
      'llm_timeout',
      'Timeout',
      what === 'attempt'
        ? `the endpoint did not answer within ${timeoutMs} ms.`
        : `no answer within the overall deadline of ${timeoutMs} ms (retries included).`,
      what === 'attempt'
        ? 'Raise the timeout (timeoutMs, --timeout, REQASE_TIMEOUT_MS), lower max tokens, or use a faster model; check that the server is not overloaded.'
        : 'Raise the overall deadline (limits.deadlineMs) or the per-attempt timeout, or try again when the endpoint is less busy.',
      details,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The caller cancelled the request (its AbortSignal fired). */
export class LlmCancelledError extends LlmError {
  constructor(details: LlmErrorDetails = {}) {
    super(
      'llm_cancelled',
      'Cancelled',
      'the request was cancelled before the endpoint answered.',
      'Nothing to fix: run the command again when you want the answer.',
      details,
    );
  }
}

/** 401/403. `wantedHeader` is set when the endpoint seems to expect the key in another header. */
export class LlmAuthenticationError extends LlmError {
  readonly wantedHeader: 'api-key' | 'x-api-key' | undefined;
  constructor(
    status: number,
    options: { hasKey: boolean; wantedHeader?: 'api-key' | 'x-api-key'; serverText?: string },
    details: LlmErrorDetails = {},
  ) {
    const refused = status === 403 ? 'refused access' : 'refused the credentials';
    const server = options.serverText ? ` The server said: "${options.serverText}".` : '';
    let fix: string;
    if (options.wantedHeader) {
      fix = `The endpoint seems to want the key in the \`${options.wantedHeader}\` header instead of \`Authorization: Bearer\`: set authHeader: ${options.wantedHeader} in the provider config (or use a proxy such as LiteLLM that accepts Bearer tokens).`;
    } else if (!options.hasKey) {
      fix = 'Give an API key with --api-key or REQASE_API_KEY (OPENAI_API_KEY also works).';
    } else if (status === 403) {
      fix =
        'The key is valid but not allowed to use this model or endpoint: check the key’s permissions, project and model access.';
    } else {
      fix =
        'Check the API key (--api-key or REQASE_API_KEY): it may be wrong, expired or for another endpoint. The endpoint must accept `Authorization: Bearer <key>`.';
    }
    super(
      'llm_authentication',
      'Authentication error',
      `the endpoint ${refused} (HTTP ${status}).${server}`,
      fix,
      { ...details, status },
    );
    this.wantedHeader = options.wantedHeader;
  }
}

/** 404: either the path (base URL) is wrong, or the model does not exist there. */
export class LlmNotFoundError extends LlmError {
  readonly target: 'model' | 'path';
  constructor(
    target: 'model' | 'path',
    context: { url: string; model: string },
    details: LlmErrorDetails = {},
  ) {
    super(
      'llm_not_found',
      'Not found',
      target === 'model'
        ? `the endpoint does not know the model "${context.model}".`
        : `nothing answers at ${context.url} (HTTP 404).`,
      target === 'model'
        ? 'Check the model name (--model or REQASE_MODEL) against the endpoint’s model list (`GET /v1/models`); for Azure use the deployment name.'
        : 'Check the base URL (--base-url or REQASE_BASE_URL): it usually ends in /v1, e.g. http://localhost:8000/v1; `reqase check` finds the one that works. A server that serves /chat/completions at the root needs REQASE_BASE_URL_EXACT=1.',
      { ...details, status: 404 },
    );
    this.target = target;
  }
}

/** 429. `retryAfterMs` is what the endpoint asked for, when it said. */
export class LlmRateLimitedError extends LlmError {
  constructor(details: LlmErrorDetails = {}) {
    const server = details.serverMessage ? ` The server said: "${details.serverMessage}".` : '';
    super(
      'llm_rate_limited',
      'Rate limited',
      `the endpoint refused the request because of a rate or quota limit (HTTP 429).${server}`,
      'Wait and try again, lower concurrency or requestsPerMinute/tokensPerMinute in the provider limits, or raise the quota with your provider.',
      { ...details, status: 429 },
    );
  }
}

/** 5xx. */
export class LlmServerError extends LlmError {
  constructor(status: number, details: LlmErrorDetails = {}) {
    const server = details.serverMessage ? ` The server said: "${details.serverMessage}".` : '';
    super(
      'llm_server_error',
      'Server error',
      `the endpoint failed with HTTP ${status}.${server}`,
      'This is a fault on the endpoint’s side: try again later, check the server’s logs, or check that the model is loaded.',
      { ...details, status },
    );
  }
}

/** 400/409/422 and other 4xx: the endpoint refused the request itself. */
export class LlmRequestRejectedError extends LlmError {
  constructor(status: number, details: LlmErrorDetails = {}) {
    const text = details.serverMessage ?? '';
    const server = text ? ` The server said: "${text}".` : '';
    super(
      'llm_request_rejected',
      'Request rejected',
      `the endpoint refused the request (HTTP ${status}).${server}`,
      rejectionFix(text),
      { ...details, status },
    );
  }
}

/** The body is not an OpenAI chat completion: not JSON, or no `choices`. */
export class IncorrectResponseStructureError extends LlmError {
  constructor(problem: string, details: LlmErrorDetails = {}) {
    super(
      'llm_incorrect_response_structure',
      'Incorrect response structure',
      `the endpoint's answer is not an OpenAI chat completion: ${problem}.`,
      'The endpoint must answer POST /v1/chat/completions in OpenAI’s format with a `choices` array. Put a compatibility layer such as LiteLLM in front of it, or check that the base URL points at the OpenAI-compatible API.',
      details,
    );
  }
}

/** `choices[0].message.content`, `choices[0].message.role` or `model` is missing or wrong. */
export class MissingRequiredFieldsError extends LlmError {
  readonly missingFields: string[];
  constructor(missingFields: string[], details: LlmErrorDetails = {}) {
    super(
      'llm_missing_required_fields',
      'Missing required fields',
      `the answer lacks ${missingFields.join(', ')}.`,
      'The endpoint must include `model`, `choices[0].message.role` ("assistant") and `choices[0].message.content` in every answer: update the server or put a compatibility layer such as LiteLLM in front of it.',
      details,
    );
    this.missingFields = missingFields;
  }
}

/** `finish_reason` "length" with nothing usable, or when the caller asked to reject truncated answers. */
export class TruncatedAnswerError extends LlmError {
  constructor(maxTokens: number, details: LlmErrorDetails = {}) {
    super(
      'llm_truncated',
      'Truncated answer',
      `the answer stopped at the token limit (max tokens ${maxTokens}) before it was complete.`,
      'Raise max tokens (--max-tokens or maxTokens in the provider config), or ask for less at once (fewer acceptance criteria per request).',
      details,
    );
  }
}

/** `finish_reason` "content_filter" (or an equivalent such as Gemini's SAFETY). */
export class ContentFilteredError extends LlmError {
  constructor(details: LlmErrorDetails = {}) {
    super(
      'llm_content_filtered',
      'Content filtered',
      'the endpoint’s content filter stopped the answer.',
      'Rephrase the story or remove the text the filter objects to; for Azure, review the deployment’s content filter settings.',
      details,
    );
  }
}

/** HTTP 200 whose body is an error, not a completion (OpenRouter, some proxies, vLLM). */
export class ErrorInSuccessResponseError extends LlmError {
  constructor(details: LlmErrorDetails = {}) {
    const server = details.serverMessage ? ` The server said: "${details.serverMessage}".` : '';
    super(
      'llm_error_in_success_response',
      'Error in a successful response',
      `the endpoint answered HTTP ${details.status ?? 200} but the body is an error.${server}`,
      'Act on the server’s message above; the endpoint should also answer errors with a 4xx/5xx status so clients can tell them apart.',
      details,
    );
  }
}

/**
 * Decides which failures are worth another attempt: connection errors, timeouts of one attempt,
 * 408, 409, 429 and 5xx. The only place where retryability is decided.
 */
export function isRetryableFailure(code: LlmErrorCode, status: number | undefined): boolean {
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
  const retryAfterMs = retryAfterMsFrom(failure.headers, failure.now);
  if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
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

/**
 * The server's own message from an error body in any of the shapes seen in the wild:
 * OpenAI `{error:{message}}`, `{error:"text"}`, vLLM flat `{object:"error",message}`,
 * FastAPI `{detail}` (string or validation list), Gemini `[{error:{message}}]`, Anthropic
 * `{type:"error",error:{message}}`, or plain text.
 */
export function extractServerMessage(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    const text = body
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return text ? text.slice(0, 300) : undefined;
  }
  if (Array.isArray(body)) {
    for (const item of body) {
      const message = extractServerMessage(item);
      if (message) return message;
    }
    return undefined;
  }
  if (typeof body !== 'object') return String(body);
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string' && error) return error;
  if (error && typeof error === 'object') {
    const nested = extractServerMessage(error);
    if (nested) return nested;
  }
  if (typeof record.message === 'string' && record.message) return record.message;
  const detail = record.detail;
  if (typeof detail === 'string' && detail) return detail;
  if (Array.isArray(detail)) {
    const messages = detail
      .map((item) =>
        item && typeof item === 'object' && typeof (item as { msg?: unknown }).msg === 'string'
          ? (item as { msg: string }).msg
          : undefined,
      )
      .filter((message): message is string => Boolean(message));
    if (messages.length > 0) return messages.join('; ');
  }
  return undefined;
}

/** True when a 200 body is an error rather than a completion. */
export function looksLikeErrorBody(body: unknown): boolean {
  if (Array.isArray(body)) return body.some((item) => looksLikeErrorBody(item));
  if (!body || typeof body !== 'object') return false;
  const record = body as Record<string, unknown>;
  if ('choices' in record) return false;
  return (
    'error' in record ||
    record.object === 'error' ||
    record.type === 'error' ||
    typeof record.detail === 'string'
  );
}

/** The status an error body carries inside (`code: 503`, Gemini `code`), when it does. */
export function statusInsideErrorBody(body: unknown): number | undefined {
  const candidates: unknown[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      candidates.push(record.code, record.status);
      if (record.error && typeof record.error === 'object') visit(record.error);
    }
  };
  visit(body);
  for (const candidate of candidates) {
    const number = typeof candidate === 'string' ? Number(candidate) : candidate;
    if (typeof number === 'number' && Number.isInteger(number) && number >= 400 && number < 600)
      return number;
  }
  return undefined;
}

export function requestIdFrom(headers: Headers | undefined): string | undefined {
  if (!headers) return undefined;
  for (const name of ['x-request-id', 'request-id', 'apim-request-id', 'x-amzn-requestid', 'cf-ray']) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** `retry-after-ms`, then `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMsFrom(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds && Number.isFinite(Number(milliseconds))) return Math.max(0, Number(milliseconds));
  const after = headers.get('retry-after');
  if (!after) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Math.max(0, Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function excerptOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > excerptLength ? `${text.slice(0, excerptLength)}…` : text;
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

function unreachableFix(reason: string): string {
  const lower = reason.toLowerCase();
  if (lower.includes('enotfound') || lower.includes('eai_again') || lower.includes('getaddrinfo')) {
    return 'The host name does not resolve: check the base URL (--base-url or REQASE_BASE_URL) for typos, and your DNS or VPN.';
  }
  if (lower.includes('econnrefused')) {
    return 'Nothing listens at that address: start the server (e.g. `ollama serve`, `vllm serve`), or check the port in the base URL (--base-url or REQASE_BASE_URL).';
  }
  if (lower.includes('bad port')) {
    // fetch refuses the ports browsers block (e.g. 1, 9, 25, 6000); no request is ever sent there.
    return 'This port is one that fetch refuses to connect to (a port browsers block, such as 6000 or 6665-6669): run the server on another port, such as 8000.';
  }
  if (lower.includes('cert') || lower.includes('tls') || lower.includes('ssl')) {
    return 'The TLS handshake failed: check the certificate (set NODE_EXTRA_CA_CERTS for a private CA) or use http:// for a local server.';
  }
  return 'Check that the server is running and reachable from this machine, and the base URL (--base-url or REQASE_BASE_URL).';
}

function rejectionFix(serverMessage: string): string {
  const text = serverMessage.toLowerCase();
  if (text.includes('response_format') || text.includes('json_schema') || text.includes('json_object')) {
    return 'The endpoint does not support the requested response_format: ask for plain text (responseFormat kind "text") and parse the answer.';
  }
  if (text.includes('temperature')) {
    return 'The model refuses this temperature: set temperature to a value it accepts (often 1 for reasoning models) with --temperature or in the provider config.';
  }
  if (text.includes('max_tokens') || text.includes('context length') || text.includes('maximum context')) {
    return 'The prompt plus max tokens exceed what the model accepts: lower max tokens (--max-tokens) or send a shorter story.';
  }
  return 'Read the server’s message above; check the model name and parameters (temperature, max tokens) in the provider config.';
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
  copy.stack = cause.stack === undefined ? undefined : redactSecrets(cause.stack, secrets);
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') (copy as Error & { code?: unknown }).code = code;
  if (cause.cause !== undefined) copy.cause = sanitizeCause(cause.cause, secrets, depth + 1);
  return copy;
}
