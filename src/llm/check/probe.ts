/**
 * Raw HTTP probes: the checks must see the exact wire answer (status, headers, body text, SSE
 * frames), so they use `fetch` directly rather than the client. Each probe is bounded by the
 * timeout; a probe never throws for an endpoint fault, only when the caller cancels.
 */
import { extractServerMessage, looksLikeErrorBody } from '../errors.ts';

export type AuthHeaderName = 'authorization' | 'api-key' | 'x-api-key';

/** Everything a probe needs; `baseUrl` and `authHeader` are the ones found to work so far. */
export interface ProbeContext {
  baseUrl: string;
  apiKey: string | undefined;
  authHeader: AuthHeaderName;
  model: string;
  timeoutMilliseconds: number;
  extraHeaders: Record<string, string>;
  fetch: typeof fetch;
  signal: AbortSignal | undefined;
}

export interface ProbeRequest {
  method: 'GET' | 'POST';
  path: '/chat/completions' | '/models';
  /** A JSON body; `rawBody` wins when both are given. */
  body?: unknown;
  /** A body sent as is (for the malformed request). */
  rawBody?: string;
  /** Overrides the context's base URL (path probes). */
  baseUrl?: string;
  /** Overrides the context's auth header (auth probes). */
  authHeader?: AuthHeaderName;
  /** Overrides the context's key; `null` sends no key. */
  apiKey?: string | null;
}

export type ProbeOutcome =
  | {
      kind: 'answered';
      status: number;
      headers: Headers;
      /** The content type without parameters, lower case, or `undefined`. */
      contentType: string | undefined;
      text: string;
      /** The parsed JSON body, when the text is JSON (whatever the content type). */
      json: unknown;
      isJson: boolean;
      ms: number;
    }
  | { kind: 'timeout'; ms: number; timeoutMilliseconds: number }
  | { kind: 'network'; reason: string; ms: number };

export type AnsweredProbe = Extract<ProbeOutcome, { kind: 'answered' }>;

/** The headers that carry `key` in `header`. */
export function authHeadersFor(header: AuthHeaderName, key: string | undefined): Record<string, string> {
  if (!key) return {};
  return header === 'authorization' ? { authorization: `Bearer ${key}` } : { [header]: key };
}

/**
 * Sends one request and reads the whole answer within `timeoutMilliseconds`.
 *
 * @example await probe(context, { method: 'GET', path: '/models' })
 */
export async function probe(context: ProbeContext, request: ProbeRequest): Promise<ProbeOutcome> {
  context.signal?.throwIfAborted();
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), context.timeoutMilliseconds);
  const signal = context.signal ? AbortSignal.any([context.signal, timeout.signal]) : timeout.signal;
  const key = request.apiKey === null ? undefined : (request.apiKey ?? context.apiKey);
  const headers: Record<string, string> = {
    accept: 'application/json, text/event-stream',
    ...context.extraHeaders,
    ...authHeadersFor(request.authHeader ?? context.authHeader, key),
  };
  let body: string | undefined;
  if (request.rawBody !== undefined) body = request.rawBody;
  else if (request.body !== undefined) body = JSON.stringify(request.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await context.fetch(`${request.baseUrl ?? context.baseUrl}${request.path}`, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
      redirect: 'follow',
    });
    const text = await response.text();
    let json: unknown = undefined;
    let isJson = false;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
        isJson = true;
      } catch {
        // Not JSON: the checks say so.
      }
    }
    const contentType =
      response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
    return {
      kind: 'answered',
      status: response.status,
      headers: response.headers,
      contentType,
      text,
      json,
      isJson,
      ms: elapsed(),
    };
  } catch (error) {
    if (context.signal?.aborted) throw context.signal.reason;
    if (timeout.signal.aborted)
      return { kind: 'timeout', ms: elapsed(), timeoutMilliseconds: context.timeoutMilliseconds };
    return { kind: 'network', reason: networkReason(error), ms: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

/** `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9`, from undici's `fetch failed` and its cause. */
export function networkReason(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    const text = current.message && current.message !== 'fetch failed' ? current.message : '';
    const piece = [typeof code === 'string' ? code : '', text].filter(Boolean).join(': ');
    if (piece && !parts.some((part) => part.includes(piece))) parts.push(piece);
    current = current.cause;
  }
  return parts.join('; ') || String(error);
}

/** How a probe went, in a few words: `HTTP 404: Not Found`, `no answer within 500 ms`. */
export function describeOutcome(outcome: ProbeOutcome): string {
  switch (outcome.kind) {
    case 'timeout':
      return `no answer within ${outcome.timeoutMilliseconds} ms`;
    case 'network':
      return `the connection failed (${outcome.reason})`;
    case 'answered': {
      const server = serverMessageOf(outcome);
      return `HTTP ${outcome.status}${server ? `: "${server}"` : ''}`;
    }
  }
}

/** The server's own message from an error answer (JSON in any known shape, or text/HTML). */
export function serverMessageOf(outcome: AnsweredProbe): string | undefined {
  const message = extractServerMessage(outcome.isJson ? outcome.json : outcome.text);
  return message === undefined ? undefined : shorten(message, 200);
}

export function shorten(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export function isSuccess(outcome: ProbeOutcome): outcome is AnsweredProbe {
  return outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300;
}

/** A 2xx answer that carries an error body instead of a completion. */
export function isErrorBodyAtSuccess(outcome: AnsweredProbe): boolean {
  return outcome.isJson && looksLikeErrorBody(outcome.json);
}

/** A chat completion answer as far as the parameter checks need it. */
export type CompletionView =
  | {
      ok: true;
      body: Record<string, unknown>;
      /** `choices[0].message.content` joined to text (string or text parts), when present. */
      content: string | undefined;
      finishReason: unknown;
      completionTokens: number | undefined;
      ms: number;
    }
  | { ok: false; problem: string; ms: number; status?: number; serverMessage?: string };

/**
 * Reads a probe as a chat completion: accepted (2xx, JSON, no error body, `choices[0]`) or the
 * reason why not, in words.
 */
export function completionView(outcome: ProbeOutcome): CompletionView {
  if (outcome.kind !== 'answered') return { ok: false, problem: describeOutcome(outcome), ms: outcome.ms };
  const serverMessage = serverMessageOf(outcome);
  const failure = (problem: string): CompletionView => ({
    ok: false,
    problem,
    ms: outcome.ms,
    status: outcome.status,
    ...(serverMessage === undefined ? {} : { serverMessage }),
  });
  if (outcome.status < 200 || outcome.status >= 300) return failure(describeOutcome(outcome));
  if (!outcome.isJson) return failure(`HTTP ${outcome.status} with a body that is not JSON`);
  if (isErrorBodyAtSuccess(outcome)) {
    return failure(`HTTP ${outcome.status} with an error body${serverMessage ? `: "${serverMessage}"` : ''}`);
  }
  const body = outcome.json;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return failure('the body is not a JSON object');
  const record = body as Record<string, unknown>;
  const choices = record.choices;
  if (!Array.isArray(choices) || choices.length === 0) return failure('the answer has no `choices`');
  const choice = choices[0] as Record<string, unknown> | undefined;
  const message = choice?.message as Record<string, unknown> | undefined;
  const usage = record.usage as Record<string, unknown> | undefined;
  return {
    ok: true,
    body: record,
    content: textOfContent(message?.content),
    finishReason: choice?.finish_reason,
    completionTokens: typeof usage?.completion_tokens === 'number' ? usage.completion_tokens : undefined,
    ms: outcome.ms,
  };
}

/** Joins content given as a string or as `{ type: 'text', text }` parts. */
export function textOfContent(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        typeof part === 'string'
          ? part
          : part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string'
            ? (part as { text: string }).text
            : '',
      )
      .join('');
  }
  return undefined;
}

/** The minimal request of the contract's own cURL example. */
export function helloRequest(model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model, messages: [{ role: 'user', content: 'Say hello in one short sentence.' }], ...extra };
}
