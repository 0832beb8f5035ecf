/**
 * The chat client: every call goes through the official `openai` package, shaped exactly as the
 * contract shows (model, messages, temperature, max_tokens; response_format and stream when
 * asked). Retries, timeouts, deadline, cancellation and limits are ours (`maxRetries: 0` in the
 * SDK) so that one place decides them and tests can drive the clock.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { maskSecret, redactSecrets } from '../shared/secrets.ts';
import {
  ChatStreamAccumulator,
  estimateTokens,
  normalizeCompletion,
  parseNonJsonBody,
  type LlmUsage,
  type NormalizedCompletion,
} from './compatibility.ts';
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
  requestIdFrom,
  sanitizeCause,
  statusInsideErrorBody,
  type LlmErrorDetails,
} from './errors.ts';
import { RollingMinuteLimiter, Semaphore, systemClock, type Clock, type RateReservation } from './limits.ts';
import { ProviderConfigSchema, type ProviderConfig, type ProviderConfigInput } from './provider-config.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** How the answer's structure is requested from the endpoint (mirrors core's port). */
export type ResponseFormatRequest =
  | { kind: 'json_schema'; name: string; schema: Record<string, unknown> }
  | { kind: 'json_object' }
  | { kind: 'text' };

export interface ChatRequest {
  messages: ChatMessage[];
  /** Overrides the provider's temperature for this call. */
  temperature?: number;
  /** Overrides the provider's max tokens for this call. */
  maxTokens?: number;
  /** `text` (the default) sends no `response_format` at all. */
  responseFormat?: ResponseFormatRequest;
  /** Stream the answer (SSE); `onTextDelta` receives each piece of answer text (never reasoning). */
  stream?: boolean;
  onTextDelta?: (delta: string) => void;
  /** Cancels the call, retries and waits included. */
  signal?: AbortSignal;
}

export interface ChatAnswer {
  /** The answer text, reasoning removed. */
  text: string;
  /** Reasoning sent apart from the answer (`<think>`, `reasoning_content`), if any. */
  reasoning?: string;
  /** Normalised: `stop`, `length`, `content_filter`, `tool_calls`, or the server's own value. */
  finishReason: string;
  /** True when the answer stopped at the token limit. */
  truncated: boolean;
  usage: LlmUsage;
  /** From the call's start to the end of the answer, retries included, in ms. */
  latencyMs: number;
  /** The model named by the endpoint's answer. */
  model: string;
  /** Deviations from the contract that were absorbed, in plain words. */
  warnings: string[];
  /** Attempts made (1 when the first one succeeded). */
  attempts: number;
  /** The endpoint's request id, when it sent one. */
  requestId?: string;
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
}

/** What the client reports while it works; never contains the key. */
export type ChatClientEvent =
  | { kind: 'attempt-start'; attempt: number }
  | { kind: 'attempt-failure'; attempt: number; code: string; message: string; retryInMs: number | undefined }
  | { kind: 'rate-limit-wait'; waitedMs: number };

export interface ChatClientDependencies {
  /** `fetch` given to the SDK. Default: the global one. */
  fetch?: typeof fetch;
  /** Clock for backoff, rate-limit waits, deadline and latency. Default: the system clock. */
  clock?: Clock;
  /** Random number in [0, 1) for jitter. Default: Math.random. */
  random?: () => number;
  onEvent?: (event: ChatClientEvent) => void;
}

export interface ChatClient {
  /** The provider as it is safe to show: key masked. */
  readonly provider: { name: string; baseUrl: string; model: string; apiKey: string };
  complete(request: ChatRequest): Promise<ChatAnswer>;
  /** `GET /models`: one attempt, same errors as `complete`. */
  listModels(options?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
}

/** The body of a failed response, kept by `makeStatusError` (the SDK keeps only `body.error`). */
const failedResponseBodies = new WeakMap<object, unknown>();

class ReqaseOpenAI extends OpenAI {
  protected override makeStatusError(
    status: number,
    error: object,
    message: string | undefined,
    headers: Headers,
  ): APIError {
    const apiError = super.makeStatusError(status, error, message, headers);
    failedResponseBodies.set(apiError, error ?? message);
    return apiError;
  }
}

const maxBackoffMs = 8_000;
const initialBackoffMs = 500;

/** Backoff before attempt `attempt + 1`: Retry-After when given (capped), else exponential with jitter. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  maxRetryAfterMs: number,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, maxRetryAfterMs);
  const base = Math.min(initialBackoffMs * 2 ** (attempt - 1), maxBackoffMs);
  return Math.round(base * (1 - random() * 0.25));
}

/** Why an attempt's controller aborted. */
type AbortCause = 'cancelled' | 'attempt-timeout' | 'deadline';

/**
 * Creates a client for one provider. Limits (concurrency, requests and tokens per minute) are
 * shared by every call through this client.
 *
 * @example
 * const client = createChatClient({ baseUrl: 'http://localhost:11434/v1', model: 'llama3.1' });
 * const answer = await client.complete({ messages: [{ role: 'user', content: 'Hello' }] });
 */
export function createChatClient(
  configInput: ProviderConfig | ProviderConfigInput,
  dependencies: ChatClientDependencies = {},
): ChatClient {
  const config = ProviderConfigSchema.parse(configInput);
  const clock = dependencies.clock ?? systemClock;
  const random = dependencies.random ?? Math.random;
  const emit = dependencies.onEvent ?? (() => {});
  // Extra header values may be keys too (`x-api-key: …`): never shown in errors or warnings.
  const secrets = [config.apiKey, ...Object.values(config.extraHeaders)];
  const semaphore = new Semaphore(config.limits.concurrency);
  const rateLimiter = new RollingMinuteLimiter(config.limits, clock);

  const defaultHeaders: Record<string, string | null> = { ...config.extraHeaders };
  if (config.apiKey && config.authHeader !== 'authorization')
    defaultHeaders[config.authHeader] = config.apiKey;
  // Local servers need no key; the SDK insists on one, so send none at all rather than a fake.
  if (!config.apiKey) defaultHeaders.Authorization = null;
  const openai = new ReqaseOpenAI({
    baseURL: config.baseUrl,
    apiKey: config.apiKey ?? 'no-key',
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: config.timeoutMs,
    defaultHeaders,
    logLevel: 'off',
    ...(dependencies.fetch ? { fetch: dependencies.fetch } : {}),
  });

  const provider = {
    name: config.name,
    baseUrl: config.baseUrl,
    model: config.model,
    apiKey: maskSecret(config.apiKey),
  };

  function toLlmError(error: unknown, abortCause: AbortCause | undefined, timeoutMs: number): LlmError {
    if (error instanceof LlmError) return error;
    const base: LlmErrorDetails = { cause: error, secrets };
    if (abortCause === 'cancelled') return new LlmCancelledError(base);
    if (abortCause === 'attempt-timeout') return new LlmTimeoutError('attempt', timeoutMs, base);
    if (abortCause === 'deadline') return new LlmTimeoutError('deadline', config.limits.deadlineMs, base);
    if (error instanceof APIConnectionTimeoutError) return new LlmTimeoutError('attempt', timeoutMs, base);
    if (error instanceof APIUserAbortError) return new LlmCancelledError(base);
    if (error instanceof APIConnectionError) {
      const reason = connectionReason(error) ?? 'connection error';
      // Refused, unresolved or untrusted: never connected. Anything else broke a live connection.
      return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|CERT|TLS|SSL|self.signed|bad port|^connection error$/i.test(
        reason,
      )
        ? new EndpointUnreachableError(config.baseUrl, reason, base)
        : new ConnectionLostError(reason, base);
    }
    if (error instanceof APIError) {
      if (error.status !== undefined && error.headers) {
        return errorFromHttpStatus({
          status: error.status,
          body: failedResponseBodies.has(error) ? failedResponseBodies.get(error) : error.error,
          headers: error.headers,
          url: config.baseUrl,
          model: config.model,
          hasKey: config.apiKey !== undefined,
          secrets,
          cause: error,
          now: clock.now(),
        });
      }
      // An error frame in a stream (`data: {"error": …}`).
      const serverMessage = extractServerMessage(error.error);
      const insideStatus = statusInsideErrorBody({ error: error.error });
      return new ErrorInSuccessResponseError({
        ...base,
        ...(insideStatus === undefined ? {} : { status: insideStatus }),
        ...(serverMessage === undefined ? {} : { serverMessage }),
        responseExcerpt: excerptOf(error.error),
      });
    }
    if (error instanceof SyntaxError) {
      return new IncorrectResponseStructureError('a part of the answer is not valid JSON', base);
    }
    const reason = connectionReason(error);
    if (reason !== undefined) return new ConnectionLostError(reason, base);
    // Anything else is a bug on our side; still never let the key out.
    throw sanitizeCause(error, secrets);
  }

  function requestBody(request: ChatRequest, stream: boolean): OpenAI.Chat.ChatCompletionCreateParams {
    const format = request.responseFormat;
    return {
      model: config.model,
      messages: request.messages,
      temperature: request.temperature ?? config.temperature,
      max_tokens: request.maxTokens ?? config.maxTokens,
      ...(format?.kind === 'json_object' ? { response_format: { type: 'json_object' } } : {}),
      ...(format?.kind === 'json_schema'
        ? {
            response_format: {
              type: 'json_schema',
              json_schema: { name: format.name, schema: format.schema },
            },
          }
        : {}),
      ...(stream ? { stream: true } : {}),
    };
  }

  async function attemptNonStreaming(
    request: ChatRequest,
    signal: AbortSignal,
    timeoutMs: number,
    promptText: string,
  ): Promise<NormalizedCompletion & { requestId?: string }> {
    const response = await openai.chat.completions
      .create(requestBody(request, false) as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, {
        signal,
        timeout: timeoutMs,
        maxRetries: 0,
      })
      .asResponse();
    const requestId = requestIdFrom(response.headers);
    const errorDetails: LlmErrorDetails = {
      status: response.status,
      secrets,
      ...(requestId === undefined ? {} : { requestId }),
    };
    const rawText = await response.text();
    const contentType = response.headers.get('content-type');
    const warnings: string[] = [];
    let body: unknown;
    if (rawText.trim() === '') {
      throw new IncorrectResponseStructureError('the body is empty', errorDetails);
    }
    if (contentType && /[/+]json\b/i.test(contentType)) {
      try {
        body = JSON.parse(rawText);
      } catch (cause) {
        throw new IncorrectResponseStructureError('the body is not valid JSON', {
          ...errorDetails,
          responseExcerpt: rawText,
          cause,
        });
      }
    } else {
      const parsed = parseNonJsonBody(rawText, contentType, errorDetails);
      body = parsed.body;
      warnings.push(parsed.warning);
    }
    const normalized = normalizeCompletion(body, {
      promptText,
      maxTokens: request.maxTokens ?? config.maxTokens,
      errorDetails,
    });
    return {
      ...normalized,
      warnings: [...warnings, ...normalized.warnings],
      ...(requestId === undefined ? {} : { requestId }),
    };
  }

  async function attemptStreaming(
    request: ChatRequest,
    signal: AbortSignal,
    timeoutMs: number,
    promptText: string,
    onActivity: () => void,
    onDelta: (delta: string) => void,
  ): Promise<NormalizedCompletion & { requestId?: string }> {
    const { data: stream, response } = await openai.chat.completions
      .create(requestBody(request, true) as OpenAI.Chat.ChatCompletionCreateParamsStreaming, {
        signal,
        timeout: timeoutMs,
        maxRetries: 0,
      })
      .withResponse();
    onActivity();
    const requestId = requestIdFrom(response.headers);
    const errorDetails: LlmErrorDetails = {
      status: response.status,
      secrets,
      ...(requestId === undefined ? {} : { requestId }),
    };
    const context = { promptText, maxTokens: request.maxTokens ?? config.maxTokens, errorDetails };
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream')) {
      // Some servers ignore `stream: true` and answer in one piece; the stream was not read yet.
      const rawText = await response.text();
      const parsed = contentType.includes('json')
        ? { body: safeJson(rawText, errorDetails), warning: undefined }
        : parseNonJsonBody(rawText, contentType, errorDetails);
      const normalized = normalizeCompletion(parsed.body, context);
      if (normalized.text) onDelta(normalized.text);
      return {
        ...normalized,
        warnings: [
          'The endpoint ignored stream: true and answered in one piece.',
          ...(parsed.warning ? [parsed.warning] : []),
          ...normalized.warnings,
        ],
        ...(requestId === undefined ? {} : { requestId }),
      };
    }
    const accumulator = new ChatStreamAccumulator(context);
    for await (const chunk of stream as AsyncIterable<unknown>) {
      onActivity();
      const delta = accumulator.push(chunk);
      if (delta) onDelta(delta);
    }
    // The SDK ends iteration quietly on abort; the caller checks the signal afterwards.
    if (signal.aborted) throw signal.reason;
    const pending = accumulator.pendingText();
    if (pending) onDelta(pending);
    const normalized = accumulator.finish();
    return { ...normalized, ...(requestId === undefined ? {} : { requestId }) };
  }

  async function complete(request: ChatRequest): Promise<ChatAnswer> {
    const startedAt = clock.now();
    const deadlineAt = startedAt + config.limits.deadlineMs;
    const maxAttempts = config.limits.maxRetries + 1;
    const promptText = request.messages.map((message) => message.content).join('\n');
    const estimatedTokens = estimateTokens(promptText) + (request.maxTokens ?? config.maxTokens);
    const stream = request.stream === true;
    let emittedText = false;
    const onDelta = (delta: string): void => {
      emittedText = true;
      request.onTextDelta?.(delta);
    };

    for (let attempt = 1; ; attempt++) {
      const remaining = deadlineAt - clock.now();
      if (remaining <= 0) throw new LlmTimeoutError('deadline', config.limits.deadlineMs, { secrets });
      if (request.signal?.aborted) throw new LlmCancelledError({ secrets });

      let release: (() => void) | undefined;
      try {
        release = await semaphore.acquire(request.signal);
        let reservation: RateReservation | undefined;
        if (rateLimiter.enabled) {
          const before = clock.now();
          reservation = await rateLimiter.reserve(estimatedTokens, request.signal);
          const waited = clock.now() - before;
          if (waited > 0) emit({ kind: 'rate-limit-wait', waitedMs: waited });
        }
        const result = await runAttempt(attempt, request, stream, promptText, onDelta);
        // The estimate (prompt + max tokens) gives way to what the answer actually used.
        reservation?.settle(result.usage.totalTokens);
        return finishAnswer(result, attempt, startedAt);
      } catch (error) {
        if (!(error instanceof LlmError)) {
          if (request.signal?.aborted) throw new LlmCancelledError({ secrets, cause: error });
          throw error;
        }
        // Text already passed to the caller cannot be taken back, so a broken stream is final.
        const canRetry = error.retryable && attempt < maxAttempts && !(stream && emittedText);
        const delay = canRetry
          ? retryDelayMs(attempt, error.retryAfterMs, config.limits.maxRetryAfterMs, random)
          : undefined;
        emit({
          kind: 'attempt-failure',
          attempt,
          code: error.code,
          message: error.message,
          retryInMs: delay,
        });
        if (delay === undefined) throw error;
        if (clock.now() + delay >= deadlineAt) throw error;
        release?.();
        release = undefined;
        try {
          await clock.sleep(delay, request.signal);
        } catch (cause) {
          throw new LlmCancelledError({ secrets, cause });
        }
      } finally {
        release?.();
      }
    }

    async function runAttempt(
      attempt: number,
      currentRequest: ChatRequest,
      streaming: boolean,
      prompt: string,
      deltaHandler: (delta: string) => void,
    ): Promise<NormalizedCompletion & { requestId?: string }> {
      emit({ kind: 'attempt-start', attempt });
      const remaining = deadlineAt - clock.now();
      const timeoutMs = Math.max(1, Math.min(config.timeoutMs, remaining));
      const controller = new AbortController();
      let abortCause: AbortCause | undefined;
      const abort = (cause: AbortCause): void => {
        if (abortCause) return;
        abortCause = cause;
        controller.abort(new Error(cause));
      };
      const onUserAbort = (): void => abort('cancelled');
      if (currentRequest.signal?.aborted) abort('cancelled');
      currentRequest.signal?.addEventListener('abort', onUserAbort, { once: true });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const armTimer = (): void => {
        if (timer) clearTimeout(timer);
        const left = deadlineAt - clock.now();
        const wait = Math.max(1, Math.min(config.timeoutMs, left));
        timer = setTimeout(() => abort(left < config.timeoutMs ? 'deadline' : 'attempt-timeout'), wait);
      };
      armTimer();
      try {
        return streaming
          ? await attemptStreaming(
              currentRequest,
              controller.signal,
              timeoutMs,
              prompt,
              armTimer,
              deltaHandler,
            )
          : await attemptNonStreaming(currentRequest, controller.signal, timeoutMs, prompt);
      } catch (error) {
        throw toLlmError(error, abortCause, timeoutMs);
      } finally {
        if (timer) clearTimeout(timer);
        currentRequest.signal?.removeEventListener('abort', onUserAbort);
      }
    }
  }

  function finishAnswer(
    result: NormalizedCompletion & { requestId?: string },
    attempts: number,
    startedAt: number,
  ): ChatAnswer {
    return {
      text: result.text,
      ...(result.reasoning === undefined ? {} : { reasoning: result.reasoning }),
      finishReason: result.finishReason,
      truncated: result.truncated,
      usage: result.usage,
      latencyMs: Math.max(0, clock.now() - startedAt),
      model: result.model,
      warnings: result.warnings.map((warning) => redactSecrets(warning, secrets)),
      attempts,
      ...(result.requestId === undefined ? {} : { requestId: result.requestId }),
    };
  }

  async function listModels(options: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    const controller = new AbortController();
    let abortCause: AbortCause | undefined;
    const onUserAbort = (): void => {
      abortCause = 'cancelled';
      controller.abort();
    };
    options.signal?.addEventListener('abort', onUserAbort, { once: true });
    const timer = setTimeout(() => {
      abortCause = 'attempt-timeout';
      controller.abort();
    }, config.timeoutMs);
    try {
      const response = await openai.models
        .list({ signal: controller.signal, timeout: config.timeoutMs, maxRetries: 0 })
        .asResponse();
      const requestId = requestIdFrom(response.headers);
      const errorDetails: LlmErrorDetails = {
        status: response.status,
        secrets,
        ...(requestId === undefined ? {} : { requestId }),
      };
      const rawText = await response.text();
      const body = safeJson(rawText, errorDetails) as { data?: unknown } | unknown[];
      const list = Array.isArray(body) ? body : body && typeof body === 'object' ? body.data : undefined;
      if (!Array.isArray(list)) {
        throw new IncorrectResponseStructureError('GET /models did not answer a `data` list', {
          ...errorDetails,
          responseExcerpt: rawText,
        });
      }
      return list
        .filter((item): item is { id: string; owned_by?: unknown } => typeof item?.id === 'string')
        .map((item) => ({
          id: item.id,
          ...(typeof item.owned_by === 'string' ? { ownedBy: item.owned_by } : {}),
        }));
    } catch (error) {
      throw toLlmError(error, abortCause, config.timeoutMs);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onUserAbort);
    }
  }

  return { provider, complete, listModels };
}

function safeJson(rawText: string, errorDetails: LlmErrorDetails): unknown {
  try {
    return JSON.parse(rawText);
  } catch (cause) {
    throw new IncorrectResponseStructureError('the body is not valid JSON', {
      ...errorDetails,
      responseExcerpt: rawText,
      cause,
    });
  }
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
