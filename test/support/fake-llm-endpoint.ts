/**
 * A fault-injecting, OpenAI-compatible HTTP server for tests and benchmarks.
 *
 * It is a real `node:http` server on 127.0.0.1 (port 0), so the client under test goes through
 * the official `openai` package, real sockets and real SSE framing. Each request to
 * `POST /chat/completions` takes the next behaviour from a queue, or the default behaviour when
 * the queue is empty; a behaviour is either an answer (with optional deviations from the
 * contract), an error status with a body, a raw body, a connection reset or a hang.
 *
 * @example
 * const endpoint = await startFakeLlmEndpoint({ apiKey: 'sk-test-0123456789' });
 * endpoint.setScenario({
 *   queue: [{ kind: 'error', status: 429, retryAfter: 1 }],
 *   default: { kind: 'answer', text: 'Hello' },
 * });
 * // ... point the client at endpoint.url ...
 * await endpoint.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from './request-body.ts';

/** One request the server received, in arrival order. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it was not JSON, or `undefined` when empty. */
  body: unknown;
  /** Index of this request among chat completion requests (0-based), -1 for other paths. */
  completionIndex: number;
}

/** The JSON body of a chat completion request, as far as the fake endpoint reads it. */
export interface ChatCompletionRequestBody {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  response_format?: { type?: string; json_schema?: unknown };
  [key: string]: unknown;
}

/** Deviations from the contract an answer can carry (each one seen on real servers). */
export type AnswerDeviation =
  /** No `usage` object (many local servers, most streams). */
  | 'no-usage'
  /** `message.content` is an array of `{ type: 'text', text }` parts. */
  | 'content-parts'
  /** No `id` field. */
  | 'no-id'
  /** No `object` field. */
  | 'no-object'
  /** No `created` field. */
  | 'no-created'
  /** No `choices` field at all ("Incorrect response structure"). */
  | 'no-choices'
  /** `choices: []`. */
  | 'empty-choices'
  /** `message` without `content`. */
  | 'no-content'
  /** `message.content: null` (allowed by OpenAI only with tool calls). */
  | 'null-content'
  /** `message` without `role` (in a stream: no role in the first delta). */
  | 'no-role'
  /** `message.role` is `"user"` instead of `"assistant"`. */
  | 'wrong-role'
  /** No top-level `model`. */
  | 'no-model';

/** Where the answer's reasoning goes, when `reasoning` is set. */
export type ReasoningPlacement = 'think-tag' | 'reasoning_content' | 'reasoning';

/** Quirks only meaningful when the client asked for `stream: true`. */
export interface StreamQuirks {
  /** Send SSE comment lines (`: keep-alive`) between chunks. */
  comments?: boolean;
  /** End the stream without `data: [DONE]`. */
  omitDone?: boolean;
  /** After this many content chunks, send an error frame (`data: {"error":...}`) and end. */
  errorFrameAfterChunks?: number;
  /** The error frame's message (default "The model crashed while generating"). */
  errorFrameMessage?: string;
  /** After this many content chunks, destroy the socket (connection reset mid-answer). */
  resetAfterChunks?: number;
  /** Send a final chunk carrying `usage` (as OpenAI does with `stream_options.include_usage`). */
  usageChunk?: boolean;
}

/** Timing of an answer: time to first token, then a steady rate. Values in milliseconds / tokens. */
export interface LatencyModel {
  /** Delay before the status line (non-streaming) or before the first chunk (streaming). Default 0. */
  timeToFirstTokenMilliseconds?: number;
  /** Tokens per second after the first one; `undefined` or 0 means no delay between tokens. */
  tokensPerSecond?: number;
}

/** A successful chat completion, optionally carrying deviations. */
export interface AnswerBehaviour {
  kind: 'answer';
  /** The answer text, or a function of the request. Default "Hello from the fake endpoint." */
  text?: string | ((request: ChatCompletionRequestBody) => string);
  /** Reasoning sent next to the answer; where it goes is set by `reasoningPlacement`. */
  reasoning?: string;
  /** Default `think-tag` (inside `content`, before the answer). */
  reasoningPlacement?: ReasoningPlacement;
  /** `finish_reason` as sent, e.g. `stop`, `length`, `content_filter`, `eos`, `end_turn`, `STOP`. Default `stop`. */
  finishReason?: string | null;
  /** Model name in the answer. Default: the model of the request, or "fake-model". */
  model?: string;
  deviations?: AnswerDeviation[];
  /** Overrides the computed `usage`. */
  usage?: FakeUsage;
  /** Extra response headers (e.g. `x-request-id`). */
  headers?: Record<string, string>;
  stream?: StreamQuirks;
  latency?: LatencyModel;
}

/** The `usage` object of an answer, as OpenAI sends it. */
export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Sent by OpenAI and by vLLM with prefix caching: `{ cached_tokens }`. */
  prompt_tokens_details?: { cached_tokens?: number };
}

/** An HTTP error (or, with status 200, a success status carrying an error body). */
export interface ErrorBehaviour {
  kind: 'error';
  status: number;
  /** JSON body; see `errorBodies` for the shapes real servers send. Default: OpenAI shape. */
  body?: unknown;
  /** `Retry-After` header in seconds (number) or as sent (string, e.g. an HTTP date). */
  retryAfter?: number | string;
  /** `retry-after-ms` header (OpenAI's own). */
  retryAfterMilliseconds?: number;
  headers?: Record<string, string>;
  latency?: LatencyModel;
}

/** Any body with any content type: invalid JSON, HTML error pages, plain text. */
export interface RawBehaviour {
  kind: 'raw';
  status?: number;
  body: string;
  /** Default `application/json`. */
  contentType?: string;
  headers?: Record<string, string>;
  latency?: LatencyModel;
}

/** The connection is destroyed: before anything is sent, or after the headers and part of the body. */
export interface ResetBehaviour {
  kind: 'reset';
  /** Default `immediately`. */
  after?: 'immediately' | 'headers' | 'partial-body';
}

/** The request is read and never answered (until the server closes). */
export interface HangBehaviour {
  kind: 'hang';
}

export type FakeBehaviour = AnswerBehaviour | ErrorBehaviour | RawBehaviour | ResetBehaviour | HangBehaviour;

/** Context given to a behaviour function. */
export interface BehaviourContext {
  request: ChatCompletionRequestBody;
  /** 0-based index of this chat completion request since the scenario was set. */
  index: number;
}

/** A behaviour, or a function choosing one per request (e.g. one that changes between retries). */
export type BehaviourSpec = FakeBehaviour | ((context: BehaviourContext) => FakeBehaviour);

export interface FakeScenario {
  /** Used once each, in order, before falling back to `default`. */
  queue?: BehaviourSpec[];
  /** Used when the queue is empty. Default: `{ kind: 'answer' }`. */
  default?: BehaviourSpec;
}

export interface FakeLlmEndpointOptions {
  /** When set, requests must carry this key; otherwise 401. */
  apiKey?: string | undefined;
  /** Which header must carry the key. Default `authorization` (as `Bearer <key>`). */
  authHeader?: 'authorization' | 'api-key' | 'x-api-key';
  /** `v1` (default) serves `/v1/...`; `root` serves only `/chat/completions` and `/models`. */
  pathMode?: 'v1' | 'root';
  /** Model ids listed by `GET /models`. Default `['fake-model']`. */
  models?: string[];
  /** Answer 404 `model_not_found` for models not in `models`. Default false. */
  rejectUnknownModels?: boolean;
  /** `honour` (default): answers longer than `max_tokens` are cut with finish reason `length`. */
  maxTokens?: 'honour' | 'ignore';
  /**
   * `honour` (default): any `response_format` is accepted (the scripted text is returned as is).
   * `refuse-json-schema`: `json_schema` gets 400; `refuse-all`: any non-text `response_format` gets 400.
   */
  responseFormat?: 'honour' | 'refuse-json-schema' | 'refuse-all';
  /** Temperatures the "model" refuses with 400 (like reasoning models that only accept 1). */
  refuseTemperature?: (temperature: number | undefined) => boolean;
  /** Latency applied to answers that have none of their own. */
  latency?: LatencyModel;
  /**
   * Act as a provider with automatic prefix caching (OpenAI, vLLM): the computed `usage` carries
   * `prompt_tokens_details.cached_tokens`, the tokens (4 characters each, rounded down) of the
   * longest start this request's messages share with an earlier request's. Default false: no
   * `prompt_tokens_details`, as most local servers.
   */
  promptCache?: boolean;
  scenario?: FakeScenario;
}

export interface FakeLlmEndpoint {
  /** Base URL to give the client: origin plus `/v1` (or the origin alone in `root` path mode). */
  url: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Every request received, in order (also those to unknown paths). */
  requests: RecordedRequest[];
  /** The chat completion requests only. */
  completionRequests(): RecordedRequest[];
  /** Chat completions being answered now, and the most at once since the scenario was set. */
  concurrency(): { inFlight: number; highest: number };
  /** Replaces the scenario and resets the completion counter. */
  setScenario(scenario: FakeScenario): void;
  /** Appends behaviours to the queue. */
  enqueue(...behaviours: BehaviourSpec[]): void;
  /** Stops the server, destroying open (e.g. hanging) connections. */
  close(): Promise<void>;
}

/** Error bodies in the shapes real servers send. */
export const errorBodies = {
  /** OpenAI (and LiteLLM, LocalAI, Groq, OpenRouter): `{ error: { message, type, code } }`. */
  openai: (message: string, type = 'invalid_request_error', code: string | null = null) => ({
    error: { message, type, param: null, code },
  }),
  /** vLLM / FastChat flat shape: `{ object: 'error', message, type, code }`. */
  vllm: (message: string, code = 400) => ({
    object: 'error',
    message,
    type: 'BadRequestError',
    param: null,
    code,
  }),
  /** FastAPI: `{ detail }`. */
  fastapi: (detail: string) => ({ detail }),
  /** Gemini's OpenAI-compatible endpoint: an array holding `{ error: { code, message, status } }`. */
  gemini: (message: string, code = 400, status = 'INVALID_ARGUMENT') => [
    { error: { code, message, status } },
  ],
} as const;

const defaultAnswerText = 'Hello from the fake endpoint.';
const defaultErrorMessages: Record<number, string> = {
  400: 'Bad request',
  401: 'Incorrect API key provided',
  403: 'Forbidden',
  404: 'The requested resource was not found',
  408: 'Request timed out',
  409: 'Conflict',
  429: 'Rate limit reached for requests',
  500: 'The server had an error while processing your request',
  502: 'Bad gateway',
  503: 'The engine is currently overloaded, please try again later',
};

/** Splits text into the fake endpoint's "tokens": words with their trailing whitespace. */
export function fakeTokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function sleep(milliseconds: number): Promise<void> {
  return milliseconds > 0 ? new Promise((resolve) => setTimeout(resolve, milliseconds)) : Promise.resolve();
}

/**
 * Starts the fake endpoint on 127.0.0.1 with a free port.
 */
export async function startFakeLlmEndpoint(options: FakeLlmEndpointOptions = {}): Promise<FakeLlmEndpoint> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let queue: BehaviourSpec[] = [...(options.scenario?.queue ?? [])];
  let defaultBehaviour: BehaviourSpec = options.scenario?.default ?? { kind: 'answer' };
  let completionCounter = 0;
  let inFlight = 0;
  let highestInFlight = 0;
  const prefix = (options.pathMode ?? 'v1') === 'v1' ? '/v1' : '';
  const models = options.models ?? ['fake-model'];

  const server = createServer((incoming, response) => {
    void handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(
          response,
          500,
          errorBodies.openai(`Fake endpoint failure: ${String(error)}`, 'server_error'),
        );
      } else {
        response.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawBody = await readBody(incoming);
    const path = (incoming.url ?? '/').split('?')[0] ?? '/';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    let body: unknown = undefined;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    const method = incoming.method ?? 'GET';
    const isCompletion = method === 'POST' && path === `${prefix}/chat/completions`;
    const completionIndex = isCompletion ? completionCounter++ : -1;
    let counted = false;
    const answered = (): void => {
      if (!counted) return;
      counted = false;
      inFlight--;
    };
    if (isCompletion) {
      counted = true;
      inFlight++;
      highestInFlight = Math.max(highestInFlight, inFlight);
      // Errors, resets and hangs end with the connection.
      response.once('close', answered);
    }
    requests.push({ method, path, headers, body, completionIndex });

    const isModels = method === 'GET' && path === `${prefix}/models`;
    if (!isCompletion && !isModels) {
      // vLLM and other FastAPI servers answer unknown paths like this.
      sendJson(response, 404, { detail: 'Not Found' });
      return;
    }
    if (!authorised(headers)) {
      sendUnauthorised(response);
      return;
    }
    if (isModels) {
      sendJson(response, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })),
      });
      return;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      sendJson(response, 400, errorBodies.openai('The request body must be a JSON object'));
      return;
    }
    const requestBody = body as ChatCompletionRequestBody;
    const refusal = refuseRequest(requestBody);
    if (refusal) {
      sendJson(response, refusal.status, refusal.body);
      return;
    }
    const spec = queue.shift() ?? defaultBehaviour;
    const behaviour =
      typeof spec === 'function' ? spec({ request: requestBody, index: completionIndex }) : spec;
    await perform(behaviour, requestBody, response);
    // Counted as soon as the last byte is written, before the client can send its next request.
    if (behaviour.kind !== 'hang') answered();
  }

  function authorised(headers: Record<string, string>): boolean {
    if (options.apiKey === undefined) return true;
    const header = options.authHeader ?? 'authorization';
    const value = headers[header];
    if (header === 'authorization') return value === `Bearer ${options.apiKey}`;
    return value === options.apiKey;
  }

  function sendUnauthorised(response: ServerResponse): void {
    switch (options.authHeader ?? 'authorization') {
      case 'api-key':
        // Azure OpenAI's answer when the `api-key` header is missing.
        sendJson(response, 401, {
          error: {
            code: '401',
            message:
              'Access denied due to missing subscription key. Make sure to include subscription key when making API calls (api-key header).',
          },
        });
        return;
      case 'x-api-key':
        // Anthropic-style gateways.
        sendJson(
          response,
          401,
          { type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' } },
          { 'www-authenticate': 'x-api-key' },
        );
        return;
      default:
        sendJson(
          response,
          401,
          errorBodies.openai('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
          { 'www-authenticate': 'Bearer' },
        );
    }
  }

  function refuseRequest(request: ChatCompletionRequestBody): { status: number; body: unknown } | undefined {
    if (options.rejectUnknownModels && !models.includes(String(request.model))) {
      return {
        status: 404,
        body: errorBodies.openai(
          `The model \`${String(request.model)}\` does not exist or you do not have access to it.`,
          'invalid_request_error',
          'model_not_found',
        ),
      };
    }
    if (options.refuseTemperature?.(request.temperature)) {
      return {
        status: 400,
        body: errorBodies.openai(
          `Unsupported value: 'temperature' does not support ${String(request.temperature)} with this model. Only the default (1) value is supported.`,
          'invalid_request_error',
          'unsupported_value',
        ),
      };
    }
    const formatType = request.response_format?.type;
    const responseFormatMode = options.responseFormat ?? 'honour';
    if (
      formatType !== undefined &&
      formatType !== 'text' &&
      (responseFormatMode === 'refuse-all' ||
        (responseFormatMode === 'refuse-json-schema' && formatType === 'json_schema'))
    ) {
      return {
        status: 400,
        body: errorBodies.openai(
          `response_format of type '${formatType}' is not supported by this model`,
          'invalid_request_error',
        ),
      };
    }
    return undefined;
  }

  async function perform(
    behaviour: FakeBehaviour,
    request: ChatCompletionRequestBody,
    response: ServerResponse,
  ): Promise<void> {
    switch (behaviour.kind) {
      case 'hang':
        // Never answer; `close()` destroys the socket.
        return;
      case 'reset': {
        const after = behaviour.after ?? 'immediately';
        if (after === 'immediately') {
          response.socket?.destroy();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        response.flushHeaders();
        if (after === 'partial-body') response.write('{"id":"chatcmpl-partial","choices":[{"mess');
        await sleep(20);
        response.socket?.destroy();
        return;
      }
      case 'raw':
        await sleep((behaviour.latency ?? options.latency)?.timeToFirstTokenMilliseconds ?? 0);
        response.writeHead(behaviour.status ?? 200, {
          'content-type': behaviour.contentType ?? 'application/json',
          ...behaviour.headers,
        });
        response.end(behaviour.body);
        return;
      case 'error': {
        await sleep((behaviour.latency ?? options.latency)?.timeToFirstTokenMilliseconds ?? 0);
        const headers: Record<string, string> = { ...behaviour.headers };
        if (behaviour.retryAfter !== undefined) headers['retry-after'] = String(behaviour.retryAfter);
        if (behaviour.retryAfterMilliseconds !== undefined)
          headers['retry-after-ms'] = String(behaviour.retryAfterMilliseconds);
        const body =
          behaviour.body ??
          errorBodies.openai(
            defaultErrorMessages[behaviour.status] ?? `Error ${behaviour.status}`,
            behaviour.status >= 500 ? 'server_error' : 'invalid_request_error',
          );
        sendJson(response, behaviour.status, body, headers);
        return;
      }
      case 'answer':
        if (request.stream === true) await streamAnswer(behaviour, request, response);
        else await sendAnswer(behaviour, request, response);
        return;
    }
  }

  /** Prompts seen so far (only with `promptCache`), each as its messages' roles and texts in order. */
  const cachedPrompts: string[] = [];

  /** Characters at the start of this request's prompt already sent in an earlier one; remembers it. */
  function cachedCharacters(request: ChatCompletionRequestBody): number {
    const prompt = (request.messages ?? [])
      .map(
        (message) => `${message.role ?? ''}\n${typeof message.content === 'string' ? message.content : ''}\n`,
      )
      .join('');
    let longest = 0;
    for (const earlier of cachedPrompts) longest = Math.max(longest, commonPrefixLength(earlier, prompt));
    cachedPrompts.push(prompt);
    return longest;
  }

  function composeAnswer(behaviour: AnswerBehaviour, request: ChatCompletionRequestBody) {
    const text =
      typeof behaviour.text === 'function' ? behaviour.text(request) : (behaviour.text ?? defaultAnswerText);
    let tokens = fakeTokens(text);
    let finishReason = behaviour.finishReason === undefined ? 'stop' : behaviour.finishReason;
    const limit = request.max_tokens ?? request.max_completion_tokens;
    if ((options.maxTokens ?? 'honour') === 'honour' && typeof limit === 'number' && tokens.length > limit) {
      tokens = tokens.slice(0, limit);
      finishReason = 'length';
    }
    const placement = behaviour.reasoningPlacement ?? 'think-tag';
    const reasoning = behaviour.reasoning;
    const promptCharacters = (request.messages ?? []).reduce(
      (sum, message) => sum + (typeof message.content === 'string' ? message.content.length : 0),
      0,
    );
    const reasoningTokens = reasoning ? fakeTokens(reasoning).length : 0;
    const promptTokens = Math.max(1, Math.ceil(promptCharacters / 4));
    const usage: FakeUsage = behaviour.usage ?? {
      prompt_tokens: promptTokens,
      completion_tokens: tokens.length + reasoningTokens,
      total_tokens: promptTokens + tokens.length + reasoningTokens,
      ...(options.promptCache
        ? { prompt_tokens_details: { cached_tokens: Math.min(promptTokens, cachedCharacters(request) >> 2) } }
        : {}),
    };
    return {
      tokens,
      finishReason,
      placement,
      reasoning,
      usage,
      model: behaviour.model ?? request.model ?? 'fake-model',
      deviations: new Set(behaviour.deviations ?? []),
    };
  }

  async function sendAnswer(
    behaviour: AnswerBehaviour,
    request: ChatCompletionRequestBody,
    response: ServerResponse,
  ): Promise<void> {
    const answer = composeAnswer(behaviour, request);
    const latency = behaviour.latency ?? options.latency ?? {};
    const perToken = latency.tokensPerSecond ? 1000 / latency.tokensPerSecond : 0;
    await sleep(
      (latency.timeToFirstTokenMilliseconds ?? 0) + perToken * Math.max(0, answer.tokens.length - 1),
    );

    let content: unknown = answer.tokens.join('');
    if (answer.reasoning && answer.placement === 'think-tag') {
      content = `<think>${answer.reasoning}</think>\n${String(content)}`;
    }
    if (answer.deviations.has('content-parts')) {
      // Split into two parts so a client must join them.
      const whole = String(content);
      const middle = Math.floor(whole.length / 2);
      content = [
        { type: 'text', text: whole.slice(0, middle) },
        { type: 'text', text: whole.slice(middle) },
      ];
    }
    const message: Record<string, unknown> = {};
    if (!answer.deviations.has('no-role')) {
      message.role = answer.deviations.has('wrong-role') ? 'user' : 'assistant';
    }
    if (answer.deviations.has('null-content')) message.content = null;
    else if (!answer.deviations.has('no-content')) message.content = content;
    if (answer.reasoning && answer.placement !== 'think-tag') message[answer.placement] = answer.reasoning;

    const body: Record<string, unknown> = {};
    if (!answer.deviations.has('no-id')) body.id = `chatcmpl-fake-${completionCounter}`;
    if (!answer.deviations.has('no-object')) body.object = 'chat.completion';
    if (!answer.deviations.has('no-created')) body.created = 1_700_000_000;
    if (!answer.deviations.has('no-model')) body.model = answer.model;
    if (answer.deviations.has('empty-choices')) body.choices = [];
    else if (!answer.deviations.has('no-choices')) {
      body.choices = [{ index: 0, message, finish_reason: answer.finishReason, logprobs: null }];
    }
    if (!answer.deviations.has('no-usage')) body.usage = answer.usage;
    sendJson(response, 200, body, behaviour.headers);
  }

  async function streamAnswer(
    behaviour: AnswerBehaviour,
    request: ChatCompletionRequestBody,
    response: ServerResponse,
  ): Promise<void> {
    const answer = composeAnswer(behaviour, request);
    const quirks = behaviour.stream ?? {};
    const latency = behaviour.latency ?? options.latency ?? {};
    const perToken = latency.tokensPerSecond ? 1000 / latency.tokensPerSecond : 0;
    const id = `chatcmpl-fake-${completionCounter}`;
    const envelope = (): Record<string, unknown> => {
      const chunk: Record<string, unknown> = {};
      if (!answer.deviations.has('no-id')) chunk.id = id;
      if (!answer.deviations.has('no-object')) chunk.object = 'chat.completion.chunk';
      if (!answer.deviations.has('no-created')) chunk.created = 1_700_000_000;
      if (!answer.deviations.has('no-model')) chunk.model = answer.model;
      return chunk;
    };

    await sleep(latency.timeToFirstTokenMilliseconds ?? 0);
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...behaviour.headers,
    });
    const write = (data: unknown): void => {
      if (quirks.comments) response.write(': keep-alive\n\n');
      response.write(`data: ${JSON.stringify(data)}\n\n`);
    };

    // Pieces of delta, in order: reasoning first, then answer tokens.
    const deltas: Array<Record<string, unknown>> = [];
    if (answer.reasoning) {
      const reasoningTokens = fakeTokens(answer.reasoning);
      if (answer.placement === 'think-tag') {
        // Split the tags across chunks the way llama.cpp-based servers do.
        deltas.push({ content: '<thi' }, { content: 'nk>' });
        for (const token of reasoningTokens) deltas.push({ content: token });
        deltas.push({ content: '</think>' }, { content: '\n' });
      } else {
        for (const token of reasoningTokens) deltas.push({ [answer.placement]: token });
      }
    }
    for (const token of answer.tokens) {
      deltas.push({
        content: answer.deviations.has('content-parts') ? [{ type: 'text', text: token }] : token,
      });
    }

    let contentChunks = 0;
    for (const [position, delta] of deltas.entries()) {
      if (position > 0) await sleep(perToken);
      if (quirks.errorFrameAfterChunks !== undefined && contentChunks === quirks.errorFrameAfterChunks) {
        write({
          error: {
            object: 'error',
            message: quirks.errorFrameMessage ?? 'The model crashed while generating',
            type: 'InternalServerError',
            code: 500,
          },
        });
        response.end();
        return;
      }
      if (quirks.resetAfterChunks !== undefined && contentChunks === quirks.resetAfterChunks) {
        // Let the chunks already written reach the client before the reset.
        await sleep(20);
        response.socket?.destroy();
        return;
      }
      const fullDelta = { ...delta };
      if (position === 0 && !answer.deviations.has('no-role')) {
        fullDelta.role = answer.deviations.has('wrong-role') ? 'user' : 'assistant';
      }
      write({ ...envelope(), choices: [{ index: 0, delta: fullDelta, finish_reason: null }] });
      contentChunks++;
    }
    if (quirks.errorFrameAfterChunks !== undefined && contentChunks <= quirks.errorFrameAfterChunks) {
      write({
        error: {
          object: 'error',
          message: quirks.errorFrameMessage ?? 'The model crashed while generating',
          type: 'InternalServerError',
          code: 500,
        },
      });
      response.end();
      return;
    }
    write({ ...envelope(), choices: [{ index: 0, delta: {}, finish_reason: answer.finishReason }] });
    if (quirks.usageChunk && !answer.deviations.has('no-usage')) {
      write({ ...envelope(), choices: [], usage: answer.usage });
    }
    if (!quirks.omitDone) response.write('data: [DONE]\n\n');
    response.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}${prefix}`,
    origin,
    requests,
    completionRequests: () => requests.filter((request) => request.completionIndex >= 0),
    concurrency: () => ({ inFlight, highest: highestInFlight }),
    setScenario(scenario) {
      queue = [...(scenario.queue ?? [])];
      defaultBehaviour = scenario.default ?? { kind: 'answer' };
      completionCounter = 0;
      highestInFlight = inFlight;
    },
    enqueue(...behaviours) {
      queue.push(...behaviours);
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

/** How many characters two texts share at their start. */
export function commonPrefixLength(left: string, right: string): number {
  const end = Math.min(left.length, right.length);
  let index = 0;
  while (index < end && left.charCodeAt(index) === right.charCodeAt(index)) index += 1;
  return index;
}
