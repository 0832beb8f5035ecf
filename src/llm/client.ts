/**
 * The chat client: every call goes through the official `openai` package, shaped exactly as the
 * contract shows (model, messages, temperature, max_tokens; response_format and stream when
 * asked). Retries, timeouts, deadline, cancellation and limits are ours (`maxRetries: 0` in the
 * SDK) so that one place decides them and tests can drive the clock.
 *
 * A call reads like openai-node's client: `complete` loops over `makeRequest` (one attempt:
 * a concurrency slot, the rate limits, the request, reading the answer); on failure `retryRequest`
 * asks `shouldRetry` and waits, or gives up. Error mapping is in `error-mapping.ts`, reading the
 * answer in `response-reading.ts`.
 */
import type OpenAI from 'openai';
import { maskSecret, redactSecrets } from '../shared/secrets.ts';
import { AttemptSignal } from './attempt-signal.ts';
import { estimateTokens, type LlmUsage } from './compatibility.ts';
import { toLlmError, type ErrorMappingContext } from './error-mapping.ts';
import { LlmCancelledError, LlmError, LlmTimeoutError } from './errors.ts';
import { RollingMinuteLimiter, Semaphore, systemClock, type Clock, type RateReservation } from './limits.ts';
import { chatCompletionBody, createOpenAiSdk } from './openai-sdk.ts';
import { ProviderConfigSchema, type ProviderConfig, type ProviderConfigInput } from './provider-config.ts';
import {
  readCompletion,
  readModelList,
  readStreamedCompletion,
  type ReadCompletion,
} from './response-reading.ts';
import { retryDelayMilliseconds, shouldRetry } from './retry.ts';

export { retryDelayMilliseconds } from './retry.ts';

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
  /** Normalized: `stop`, `length`, `content_filter`, `tool_calls`, or the server's own value. */
  finishReason: string;
  /** True when the answer stopped at the token limit. */
  truncated: boolean;
  usage: LlmUsage;
  /** From the call's start to the end of the answer, retries included, in ms. */
  latencyMilliseconds: number;
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
  | {
      kind: 'attempt-failure';
      attempt: number;
      code: string;
      message: string;
      retryInMilliseconds: number | undefined;
    }
  | { kind: 'rate-limit-wait'; waitedMilliseconds: number };

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

/** One call to `complete`, across its attempts. */
interface CallState {
  request: ChatRequest;
  startedAt: number;
  deadlineAt: number;
  maxAttempts: number;
  promptText: string;
  /** Prompt estimate plus max tokens, reserved against the tokens-per-minute limit. */
  estimatedTokens: number;
  /** True once answer text reached the caller; a stream broken after that is not retried. */
  streamedText: boolean;
}

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
  const client = new OpenAiChatClient(ProviderConfigSchema.parse(configInput), dependencies);
  return {
    provider: client.provider,
    complete: (request) => client.complete(request),
    listModels: (options) => client.listModels(options),
  };
}

class OpenAiChatClient {
  readonly provider: ChatClient['provider'];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly emit: (event: ChatClientEvent) => void;
  /** Extra header values may be keys too (`x-api-key: …`): never shown in errors or warnings. */
  private readonly secrets: Array<string | undefined>;
  private readonly semaphore: Semaphore;
  private readonly rateLimiter: RollingMinuteLimiter;
  private readonly openai: OpenAI;

  constructor(
    private readonly config: ProviderConfig,
    dependencies: ChatClientDependencies,
  ) {
    this.clock = dependencies.clock ?? systemClock;
    this.random = dependencies.random ?? Math.random;
    this.emit = dependencies.onEvent ?? (() => {});
    this.secrets = [config.apiKey, ...Object.values(config.extraHeaders)];
    this.semaphore = new Semaphore(config.limits.concurrency);
    this.rateLimiter = new RollingMinuteLimiter(config.limits, this.clock);
    this.openai = createOpenAiSdk(config, dependencies.fetch);
    this.provider = {
      name: config.name,
      baseUrl: config.baseUrl,
      model: config.model,
      apiKey: maskSecret(config.apiKey),
    };
  }

  async complete(request: ChatRequest): Promise<ChatAnswer> {
    const call = this.startCall(request);
    for (let attempt = 1; ; attempt++) {
      if (call.deadlineAt - this.clock.now() <= 0) {
        throw new LlmTimeoutError('deadline', this.config.limits.deadlineMilliseconds, {
          secrets: this.secrets,
        });
      }
      if (request.signal?.aborted) throw new LlmCancelledError({ secrets: this.secrets });
      try {
        const result = await this.makeRequest(call, attempt);
        return this.finishAnswer(result, attempt, call.startedAt);
      } catch (error) {
        if (!(error instanceof LlmError)) throw error;
        await this.retryRequest(call, attempt, error);
      }
    }
  }

  async listModels(options: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    const attemptSignal = new AttemptSignal({
      callerSignal: options.signal,
      timeoutMilliseconds: this.config.timeoutMilliseconds,
      deadlineAt: Infinity,
      clock: this.clock,
    });
    try {
      const response = await this.openai.models
        .list({ signal: attemptSignal.signal, timeout: this.config.timeoutMilliseconds, maxRetries: 0 })
        .asResponse();
      return await readModelList(response, this.secrets);
    } catch (error) {
      throw toLlmError(error, attemptSignal.abortCause, this.config.timeoutMilliseconds, this.errorContext());
    } finally {
      attemptSignal.dispose();
    }
  }

  private startCall(request: ChatRequest): CallState {
    const startedAt = this.clock.now();
    const promptText = request.messages.map((message) => message.content).join('\n');
    return {
      request,
      startedAt,
      deadlineAt: startedAt + this.config.limits.deadlineMilliseconds,
      maxAttempts: this.config.limits.maxRetries + 1,
      promptText,
      estimatedTokens: estimateTokens(promptText) + (request.maxTokens ?? this.config.maxTokens),
      streamedText: false,
    };
  }

  /** One attempt: a concurrency slot, the rate limits, then the request and its answer. */
  private async makeRequest(call: CallState, attempt: number): Promise<ReadCompletion> {
    let release: (() => void) | undefined;
    try {
      release = await this.semaphore.acquire(call.request.signal);
      const reservation = await this.reserveRate(call);
      const result = await this.sendRequest(call, attempt);
      // The estimate (prompt + max tokens) gives way to what the answer actually used.
      reservation?.settle(result.usage.totalTokens);
      return result;
    } catch (error) {
      if (!(error instanceof LlmError) && call.request.signal?.aborted) {
        throw new LlmCancelledError({ secrets: this.secrets, cause: error });
      }
      throw error;
    } finally {
      release?.();
    }
  }

  private async reserveRate(call: CallState): Promise<RateReservation | undefined> {
    if (!this.rateLimiter.enabled) return undefined;
    const before = this.clock.now();
    const reservation = await this.rateLimiter.reserve(call.estimatedTokens, call.request.signal);
    const waited = this.clock.now() - before;
    if (waited > 0) this.emit({ kind: 'rate-limit-wait', waitedMilliseconds: waited });
    return reservation;
  }

  /** Sends the request under the attempt's own signal (caller, timeout, deadline) and reads the answer. */
  private async sendRequest(call: CallState, attempt: number): Promise<ReadCompletion> {
    this.emit({ kind: 'attempt-start', attempt });
    const timeoutMilliseconds = Math.max(
      1,
      Math.min(this.config.timeoutMilliseconds, call.deadlineAt - this.clock.now()),
    );
    const attemptSignal = new AttemptSignal({
      callerSignal: call.request.signal,
      timeoutMilliseconds: this.config.timeoutMilliseconds,
      deadlineAt: call.deadlineAt,
      clock: this.clock,
    });
    const requestOptions = { signal: attemptSignal.signal, timeout: timeoutMilliseconds, maxRetries: 0 };
    const readContext = {
      promptText: call.promptText,
      maxTokens: call.request.maxTokens ?? this.config.maxTokens,
      secrets: this.secrets,
    };
    try {
      if (call.request.stream !== true) {
        const body = chatCompletionBody(this.config, call.request, false);
        const response = await this.openai.chat.completions
          .create(body as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, requestOptions)
          .asResponse();
        return await readCompletion(response, readContext);
      }
      const body = chatCompletionBody(this.config, call.request, true);
      const { data: stream, response } = await this.openai.chat.completions
        .create(body as OpenAI.Chat.ChatCompletionCreateParamsStreaming, requestOptions)
        .withResponse();
      return await readStreamedCompletion(stream as AsyncIterable<unknown>, response, {
        ...readContext,
        signal: attemptSignal.signal,
        onActivity: () => attemptSignal.rearm(),
        onDelta: (delta) => {
          call.streamedText = true;
          call.request.onTextDelta?.(delta);
        },
      });
    } catch (error) {
      throw toLlmError(error, attemptSignal.abortCause, timeoutMilliseconds, this.errorContext());
    } finally {
      attemptSignal.dispose();
    }
  }

  /** Reports the failure, then waits before the next attempt, or throws `error` when there is none. */
  private async retryRequest(call: CallState, attempt: number, error: LlmError): Promise<void> {
    const retrying = shouldRetry(error, {
      attempt,
      maxAttempts: call.maxAttempts,
      streamedText: call.streamedText,
    });
    const delay = retrying
      ? retryDelayMilliseconds(
          attempt,
          error.retryAfterMilliseconds,
          this.config.limits.maxRetryAfterMilliseconds,
          this.random,
        )
      : undefined;
    this.emit({
      kind: 'attempt-failure',
      attempt,
      code: error.code,
      message: error.message,
      retryInMilliseconds: delay,
    });
    if (delay === undefined) throw error;
    if (this.clock.now() + delay >= call.deadlineAt) throw error;
    try {
      await this.clock.sleep(delay, call.request.signal);
    } catch (cause) {
      throw new LlmCancelledError({ secrets: this.secrets, cause });
    }
  }

  private finishAnswer(result: ReadCompletion, attempts: number, startedAt: number): ChatAnswer {
    return {
      text: result.text,
      ...(result.reasoning === undefined ? {} : { reasoning: result.reasoning }),
      finishReason: result.finishReason,
      truncated: result.truncated,
      usage: result.usage,
      latencyMilliseconds: Math.max(0, this.clock.now() - startedAt),
      model: result.model,
      warnings: result.warnings.map((warning) => redactSecrets(warning, this.secrets)),
      attempts,
      ...(result.requestId === undefined ? {} : { requestId: result.requestId }),
    };
  }

  private errorContext(): ErrorMappingContext {
    return {
      baseUrl: this.config.baseUrl,
      model: this.config.model,
      hasKey: this.config.apiKey !== undefined,
      deadlineMilliseconds: this.config.limits.deadlineMilliseconds,
      secrets: this.secrets,
      now: this.clock.now(),
    };
  }
}
