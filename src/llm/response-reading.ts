/**
 * Reading what the endpoint answered: a chat completion in one piece, a stream of chunks (or a
 * one-piece answer to a streaming request), and the model list. Bodies are read as text first so
 * that an error can keep an excerpt of what really came.
 */
import {
  ChatStreamAccumulator,
  normalizeCompletion,
  parseNonJsonBody,
  type NormalizeContext,
  type NormalizedCompletion,
} from './compatibility.ts';
import { IncorrectResponseStructureError, requestIdFrom, type LlmErrorDetails } from './errors.ts';

/** A normalized completion and the endpoint's request id, when it sent one. */
export type ReadCompletion = NormalizedCompletion & { requestId?: string };

export interface ReadContext {
  /** All prompt text, to estimate tokens when the endpoint sends no usage. */
  promptText: string;
  maxTokens: number;
  secrets: ReadonlyArray<string | undefined>;
}

export interface StreamReadContext extends ReadContext {
  /** The attempt's signal: iteration ends quietly on abort, so it is checked afterwards. */
  signal: AbortSignal;
  /** Called on every chunk (re-arms the silence timer). */
  onActivity: () => void;
  /** Receives each piece of answer text, never reasoning. */
  onDelta: (delta: string) => void;
}

/** Reads a non-streaming chat completion. */
export async function readCompletion(response: Response, context: ReadContext): Promise<ReadCompletion> {
  const { requestId, normalizeContext } = responseContext(response, context);
  const parsed = parseBody(await response.text(), response.headers.get('content-type'), normalizeContext);
  const normalized = normalizeCompletion(parsed.body, normalizeContext);
  return withRequestId(
    { ...normalized, warnings: [...optional(parsed.warning), ...normalized.warnings] },
    requestId,
  );
}

/** Reads a streamed chat completion chunk by chunk, passing answer text on as it comes. */
export async function readStreamedCompletion(
  stream: AsyncIterable<unknown>,
  response: Response,
  context: StreamReadContext,
): Promise<ReadCompletion> {
  context.onActivity();
  const { requestId, normalizeContext } = responseContext(response, context);
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('text/event-stream')) {
    // Some servers ignore `stream: true` and answer in one piece; the stream was not read yet.
    const parsed = parseBody(await response.text(), contentType, normalizeContext);
    const normalized = normalizeCompletion(parsed.body, normalizeContext);
    if (normalized.text) context.onDelta(normalized.text);
    const warnings = [
      'The endpoint ignored stream: true and answered in one piece.',
      ...optional(parsed.warning),
      ...normalized.warnings,
    ];
    return withRequestId({ ...normalized, warnings }, requestId);
  }
  const accumulator = new ChatStreamAccumulator(normalizeContext);
  for await (const chunk of stream) {
    context.onActivity();
    const delta = accumulator.push(chunk);
    if (delta) context.onDelta(delta);
  }
  // The SDK ends iteration quietly on abort; the caller checks the signal afterwards.
  if (context.signal.aborted) throw context.signal.reason;
  const pending = accumulator.pendingText();
  if (pending) context.onDelta(pending);
  return withRequestId(accumulator.finish(), requestId);
}

/** Reads `GET /models`: a `data` list (or a bare list) of `{ id, owned_by }`. */
export async function readModelList(
  response: Response,
  secrets: ReadonlyArray<string | undefined>,
): Promise<Array<{ id: string; ownedBy?: string }>> {
  const errorDetails = errorDetailsOf(response, secrets);
  const rawText = await response.text();
  const body = parseJsonBody(rawText, errorDetails) as { data?: unknown } | unknown[];
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
}

function responseContext(
  response: Response,
  context: ReadContext,
): { requestId: string | undefined; normalizeContext: NormalizeContext } {
  return {
    requestId: requestIdFrom(response.headers),
    normalizeContext: {
      promptText: context.promptText,
      maxTokens: context.maxTokens,
      errorDetails: errorDetailsOf(response, context.secrets),
    },
  };
}

function errorDetailsOf(response: Response, secrets: ReadonlyArray<string | undefined>): LlmErrorDetails {
  return { status: response.status, secrets, requestId: requestIdFrom(response.headers) };
}

/**
 * The body of a completion: JSON when served as JSON, else JSON served with another content type
 * (with a warning); an empty or non-JSON body is "Incorrect response structure".
 */
function parseBody(
  rawText: string,
  contentType: string | null,
  context: NormalizeContext,
): { body: unknown; warning: string | undefined } {
  if (rawText.trim() === '') {
    throw new IncorrectResponseStructureError('the body is empty', context.errorDetails);
  }
  if (contentType && /[/+]json\b/i.test(contentType)) {
    return { body: parseJsonBody(rawText, context.errorDetails), warning: undefined };
  }
  return parseNonJsonBody(rawText, contentType, context.errorDetails);
}

function parseJsonBody(rawText: string, errorDetails: LlmErrorDetails): unknown {
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

function withRequestId(completion: NormalizedCompletion, requestId: string | undefined): ReadCompletion {
  return { ...completion, ...(requestId === undefined ? {} : { requestId }) };
}

function optional(warning: string | undefined): string[] {
  return warning === undefined ? [] : [warning];
}
