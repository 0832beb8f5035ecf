/**
 * The compatibility layer: turns what OpenAI-compatible servers actually send into one shape.
 * Deviations that are safe to absorb are normalised and each adds a warning to the answer (never
 * silently); deviations that make the answer unusable throw the named errors of `errors.ts`.
 */
import {
  ContentFilteredError,
  ErrorInSuccessResponseError,
  IncorrectResponseStructureError,
  MissingRequiredFieldsError,
  TruncatedAnswerError,
  excerptOf,
  extractServerMessage,
  looksLikeErrorBody,
  statusInsideErrorBody,
  type LlmErrorDetails,
} from './errors.ts';

/** Token counts of one answer; `estimated` when the endpoint sent no usage. */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimated: boolean;
}

export interface NormalizedCompletion {
  text: string;
  reasoning?: string;
  /** `stop`, `length`, `content_filter`, `tool_calls`, or the server's own value when unknown. */
  finishReason: string;
  truncated: boolean;
  usage: LlmUsage;
  model: string;
  id?: string;
  warnings: string[];
}

export interface NormalizeContext {
  /** All prompt text, to estimate prompt tokens when usage is missing. */
  promptText: string;
  /** The max tokens asked for (named in the truncation error). */
  maxTokens: number;
  /** Details copied onto any error thrown (status, request id, secrets). */
  errorDetails: LlmErrorDetails;
}

/** A deviation from the contract that the client absorbs, for documentation (README). */
export interface ToleratedDeviation {
  id: string;
  /** What the server does. */
  deviation: string;
  /** What the client does about it. */
  handling: string;
}

/** Every deviation the compatibility layer absorbs (each one adds a warning to the answer). */
export const TOLERATED_DEVIATIONS: readonly ToleratedDeviation[] = [
  {
    id: 'content-parts',
    deviation: '`message.content` is an array of `{ type: "text", text }` parts',
    handling: 'the text parts are joined in order',
  },
  {
    id: 'think-tags',
    deviation: 'reasoning inside `<think>…</think>` in the content (DeepSeek-R1, Qwen3 on Ollama, llama.cpp)',
    handling: 'the blocks are removed from the answer text and returned as `reasoning`',
  },
  {
    id: 'reasoning-field',
    deviation: 'reasoning in `reasoning_content` or `reasoning` next to `content` (vLLM, OpenRouter, Groq)',
    handling: 'returned as `reasoning`, never mixed into the answer text',
  },
  {
    id: 'missing-usage',
    deviation: 'no `usage` (or incomplete usage), common in streams and on local servers',
    handling: 'tokens estimated at about 4 characters per token and marked `estimated: true`',
  },
  {
    id: 'missing-metadata',
    deviation: 'no `id`, `object` or `created`',
    handling: 'ignored; the answer is used as is',
  },
  {
    id: 'finish-reason-alias',
    deviation:
      'finish reasons such as `eos`, `eos_token`, `end_turn`, `stop_sequence`, `STOP`, `max_tokens`, `MAX_TOKENS`, `SAFETY`, or none at all',
    handling: 'mapped to `stop`, `length` or `content_filter` (a missing one counts as `stop`)',
  },
  {
    id: 'non-json-content-type',
    deviation: 'a JSON body sent with another content type (e.g. `text/plain`)',
    handling: 'parsed as JSON anyway',
  },
  {
    id: 'stream-without-role',
    deviation: 'a stream whose first delta carries no `role`',
    handling: 'the role is taken to be `assistant`',
  },
  {
    id: 'stream-ignored',
    deviation: 'a plain JSON answer to a request with `stream: true`',
    handling: 'read as one piece and passed on as a single text delta',
  },
  {
    id: 'stream-without-done',
    deviation: 'a stream that ends without `data: [DONE]`',
    handling: 'the end of the connection ends the answer',
  },
];

const finishReasonAliases: Record<string, string> = {
  eos: 'stop',
  eos_token: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  end: 'stop',
  finished: 'stop',
  complete: 'stop',
  max_tokens: 'length',
  model_length: 'length',
  max_length: 'length',
  token_limit: 'length',
  safety: 'content_filter',
  recitation: 'content_filter',
  blocklist: 'content_filter',
  prohibited_content: 'content_filter',
  spii: 'content_filter',
};
const standardFinishReasons = new Set(['stop', 'length', 'content_filter', 'tool_calls', 'function_call']);

/** Maps a server's finish reason to the standard one, with a warning when it was not standard. */
export function normalizeFinishReason(raw: unknown): { finishReason: string; warning?: string } {
  if (raw === undefined || raw === null || raw === '') {
    return { finishReason: 'stop', warning: 'The endpoint sent no finish_reason; assumed "stop".' };
  }
  const text = String(raw);
  if (standardFinishReasons.has(text)) return { finishReason: text };
  const lower = text.toLowerCase();
  const mapped = standardFinishReasons.has(lower) ? lower : finishReasonAliases[lower];
  if (mapped) {
    return {
      finishReason: mapped,
      warning: `The endpoint sent finish_reason "${text}"; treated as "${mapped}".`,
    };
  }
  return { finishReason: text, warning: `The endpoint sent an unknown finish_reason "${text}"; kept as is.` };
}

/** Rough token estimate used when the endpoint sends no usage: about 4 characters per token. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

/**
 * Separates `<think>…</think>` reasoning from the answer. Also handles an unclosed `<think>`
 * (the answer was cut while reasoning) and a closing tag without an opening one (chat templates
 * that put `<think>` into the prompt).
 */
export function splitThinking(content: string): { text: string; reasoning: string | undefined } {
  const reasoningParts: string[] = [];
  let text = content.replace(/<think>([\s\S]*?)<\/think>/g, (_match, inner: string) => {
    reasoningParts.push(inner.trim());
    return '';
  });
  const unclosed = text.indexOf('<think>');
  if (unclosed >= 0) {
    reasoningParts.push(text.slice(unclosed + '<think>'.length).trim());
    text = text.slice(0, unclosed);
  }
  const orphanClose = text.indexOf('</think>');
  if (orphanClose >= 0) {
    reasoningParts.unshift(text.slice(0, orphanClose).trim());
    text = text.slice(orphanClose + '</think>'.length);
  }
  if (reasoningParts.length === 0) return { text: content, reasoning: undefined };
  return { text: text.trim(), reasoning: reasoningParts.filter(Boolean).join('\n\n') };
}

/** Joins content given as a string or an array of text parts. */
function contentText(content: unknown): { text: string; parts: boolean } | undefined {
  if (typeof content === 'string') return { text: content, parts: false };
  if (Array.isArray(content)) {
    const texts = content.map((part) => {
      if (typeof part === 'string') return part;
      if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
        return (part as { text: string }).text;
      }
      return '';
    });
    return { text: texts.join(''), parts: true };
  }
  return undefined;
}

/**
 * Parses a body that was not served as JSON; throws "Incorrect response structure" when it is not JSON.
 */
export function parseNonJsonBody(
  rawText: string,
  contentType: string | null,
  errorDetails: LlmErrorDetails,
): { body: unknown; warning: string } {
  try {
    return {
      body: JSON.parse(rawText),
      warning: `The endpoint sent JSON with content type "${contentType ?? 'none'}"; parsed it anyway.`,
    };
  } catch (cause) {
    throw new IncorrectResponseStructureError(
      contentType?.includes('json')
        ? 'the body is not valid JSON'
        : `the body is ${contentType ? `"${contentType.split(';')[0]}"` : 'untyped'}, not JSON`,
      { ...errorDetails, responseExcerpt: rawText, cause },
    );
  }
}

function assertNotErrorBody(body: unknown, errorDetails: LlmErrorDetails): void {
  if (!looksLikeErrorBody(body)) return;
  const serverMessage = extractServerMessage(body);
  const insideStatus = statusInsideErrorBody(body);
  throw new ErrorInSuccessResponseError({
    ...errorDetails,
    ...(insideStatus === undefined ? {} : { status: insideStatus }),
    responseExcerpt: excerptOf(body),
    ...(serverMessage === undefined ? {} : { serverMessage }),
  });
}

/**
 * Normalises a non-streaming chat completion body.
 *
 * @example normalizeCompletion(await response.json(), { promptText, maxTokens: 2000, errorDetails: {} })
 */
export function normalizeCompletion(body: unknown, context: NormalizeContext): NormalizedCompletion {
  const details: LlmErrorDetails = { ...context.errorDetails, responseExcerpt: excerptOf(body) };
  assertNotErrorBody(body, details);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new IncorrectResponseStructureError(
      `the body is ${Array.isArray(body) ? 'an array' : typeof body}, not an object`,
      details,
    );
  }
  const record = body as Record<string, unknown>;
  if (!('choices' in record))
    throw new IncorrectResponseStructureError('there is no `choices` field', details);
  if (!Array.isArray(record.choices)) {
    throw new IncorrectResponseStructureError('`choices` is not an array', details);
  }
  if (record.choices.length === 0) throw new IncorrectResponseStructureError('`choices` is empty', details);

  const warnings: string[] = [];
  const choice = record.choices[0] as Record<string, unknown> | undefined;
  const message = (choice?.message ?? undefined) as Record<string, unknown> | undefined;
  const { finishReason, warning: finishWarning } = normalizeFinishReason(choice?.finish_reason);
  if (finishReason === 'content_filter') throw new ContentFilteredError(details);

  const missing: string[] = [];
  if (typeof record.model !== 'string' || record.model === '') missing.push('`model`');
  if (!message || typeof message !== 'object') {
    missing.push('`choices[0].message`');
    throw new MissingRequiredFieldsError(missing, details);
  }
  if (message.role === undefined || message.role === null) missing.push('`choices[0].message.role`');
  else if (message.role !== 'assistant') {
    missing.push(`\`choices[0].message.role\` = "assistant" (got "${String(message.role)}")`);
  }
  const content = contentText(message.content);
  const fieldReasoning = reasoningField(message);
  if (!content) {
    // A model that spent every token on reasoning leaves no content: that is truncation.
    if (finishReason === 'length') throw new TruncatedAnswerError(context.maxTokens, details);
    missing.push('`choices[0].message.content`');
  }
  if (missing.length > 0) throw new MissingRequiredFieldsError(missing, details);
  if (finishWarning) warnings.push(finishWarning);
  if (content?.parts) warnings.push('The endpoint sent content as an array of parts; joined them.');

  const thinking = splitThinking(content?.text ?? '');
  if (thinking.reasoning !== undefined) {
    warnings.push('The answer contained <think> reasoning; kept it apart from the answer text.');
  }
  if (fieldReasoning)
    warnings.push(`The endpoint sent reasoning in \`${fieldReasoning.field}\`; kept it apart.`);
  const reasoning = [fieldReasoning?.text, thinking.reasoning].filter(Boolean).join('\n\n') || undefined;

  for (const field of ['id', 'object', 'created'] as const) {
    if (record[field] === undefined) warnings.push(`The answer has no \`${field}\` field; ignored.`);
  }
  if (finishReason === 'length' && thinking.text.trim() === '') {
    throw new TruncatedAnswerError(context.maxTokens, details);
  }
  const usage = normalizeUsage(record.usage, context.promptText, thinking.text + (reasoning ?? ''), warnings);
  return {
    text: thinking.text,
    ...(reasoning === undefined ? {} : { reasoning }),
    finishReason,
    truncated: finishReason === 'length',
    usage,
    model: record.model as string,
    ...(typeof record.id === 'string' ? { id: record.id } : {}),
    warnings,
  };
}

function reasoningField(message: Record<string, unknown>): { field: string; text: string } | undefined {
  for (const field of ['reasoning_content', 'reasoning']) {
    const value = message[field];
    if (typeof value === 'string' && value.trim() !== '') return { field, text: value.trim() };
  }
  return undefined;
}

function normalizeUsage(
  raw: unknown,
  promptText: string,
  completionText: string,
  warnings: string[],
): LlmUsage {
  const record = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : undefined;
  const prompt = record?.prompt_tokens;
  const completion = record?.completion_tokens;
  if (typeof prompt === 'number' && typeof completion === 'number') {
    const total = typeof record?.total_tokens === 'number' ? record.total_tokens : prompt + completion;
    if (typeof record?.total_tokens !== 'number') {
      warnings.push('The usage has no total_tokens; computed it from prompt and completion tokens.');
    }
    return { promptTokens: prompt, completionTokens: completion, totalTokens: total, estimated: false };
  }
  warnings.push(
    record
      ? 'The usage is incomplete; token counts are estimated (about 4 characters per token).'
      : 'The endpoint sent no usage; token counts are estimated (about 4 characters per token).',
  );
  const promptTokens = estimateTokens(promptText);
  const completionTokens = estimateTokens(completionText);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}

/**
 * Collects a streamed answer chunk by chunk. `push` returns the answer text to pass on (reasoning
 * never leaks into it, even when `<think>` tags are split across chunks); `finish` checks the whole
 * and returns the same shape as `normalizeCompletion`.
 */
export class ChatStreamAccumulator {
  private rawContent = '';
  private emittedLength = 0;
  private fieldReasoning = '';
  private fieldReasoningName: string | undefined;
  private finishRaw: unknown = undefined;
  private model: string | undefined;
  private id: string | undefined;
  private sawRole = false;
  private wrongRole: string | undefined;
  private sawParts = false;
  private sawMetadata = { id: false, object: false, created: false };
  private usageRaw: unknown = undefined;
  private chunkCount = 0;

  constructor(private readonly context: NormalizeContext) {}

  /** Takes one parsed SSE chunk; returns the new answer text it adds ('' when none). */
  push(chunk: unknown): string {
    const details: LlmErrorDetails = { ...this.context.errorDetails, responseExcerpt: excerptOf(chunk) };
    assertNotErrorBody(chunk, details);
    if (!chunk || typeof chunk !== 'object' || Array.isArray(chunk)) {
      throw new IncorrectResponseStructureError('a stream chunk is not an object', details);
    }
    const record = chunk as Record<string, unknown>;
    this.chunkCount++;
    if (typeof record.model === 'string' && record.model) this.model = record.model;
    if (typeof record.id === 'string') this.id = record.id;
    if (record.id !== undefined) this.sawMetadata.id = true;
    if (record.object !== undefined) this.sawMetadata.object = true;
    if (record.created !== undefined) this.sawMetadata.created = true;
    if (record.usage) this.usageRaw = record.usage;
    if (!('choices' in record)) {
      if (record.usage) return '';
      throw new IncorrectResponseStructureError('a stream chunk has no `choices` field', details);
    }
    if (!Array.isArray(record.choices)) {
      throw new IncorrectResponseStructureError('`choices` in a stream chunk is not an array', details);
    }
    const choice = record.choices[0] as Record<string, unknown> | undefined;
    if (!choice) return '';
    if (choice.finish_reason !== undefined && choice.finish_reason !== null)
      this.finishRaw = choice.finish_reason;
    const delta = (choice.delta ?? choice.message) as Record<string, unknown> | undefined;
    if (!delta || typeof delta !== 'object') return '';
    if (typeof delta.role === 'string') {
      this.sawRole = true;
      if (delta.role !== 'assistant') this.wrongRole = delta.role;
    }
    for (const field of ['reasoning_content', 'reasoning']) {
      // Whitespace-only pieces matter once joined, so every string piece is kept.
      const piece = delta[field];
      if (typeof piece === 'string') {
        this.fieldReasoning += piece;
        if (piece.trim() !== '') this.fieldReasoningName = field;
      }
    }
    const content = contentText(delta.content);
    if (!content) return '';
    if (content.parts) this.sawParts = true;
    this.rawContent += content.text;
    const visible = this.visibleText(false);
    const addition = visible.slice(this.emittedLength);
    this.emittedLength = visible.length;
    return addition;
  }

  /**
   * The answer text so far. Reasoning is recognised only at the start of the content (where
   * models put it); while the start could still become `<think>`, nothing is shown.
   */
  private visibleText(final: boolean): string {
    const leading = this.rawContent.trimStart();
    if (leading.startsWith('<think>')) {
      const close = leading.indexOf('</think>');
      if (close < 0) return '';
      return leading.slice(close + '</think>'.length).trimStart();
    }
    if (!final && '<think>'.startsWith(leading)) return '';
    return leading;
  }

  /** The whole answer once the stream ended; throws the named errors like `normalizeCompletion`. */
  finish(): NormalizedCompletion {
    const details: LlmErrorDetails = {
      ...this.context.errorDetails,
      responseExcerpt: this.rawContent.slice(0, 500),
    };
    if (this.chunkCount === 0) {
      throw new IncorrectResponseStructureError('the stream carried no chunks', details);
    }
    const warnings: string[] = [];
    const { finishReason, warning: finishWarning } = normalizeFinishReason(this.finishRaw);
    if (finishReason === 'content_filter') throw new ContentFilteredError(details);
    const missing: string[] = [];
    if (!this.model) missing.push('`model`');
    if (this.wrongRole) missing.push(`\`choices[0].delta.role\` = "assistant" (got "${this.wrongRole}")`);
    if (missing.length > 0) throw new MissingRequiredFieldsError(missing, details);
    if (finishWarning) warnings.push(finishWarning);
    if (!this.sawRole) warnings.push('The stream carried no role; assumed "assistant".');
    if (this.sawParts) warnings.push('The endpoint sent content as an array of parts; joined them.');

    // Includes text held back at the end (a lone "<thi"), which `pendingText` released.
    const text = this.visibleText(true);
    const leading = this.rawContent.trimStart();
    let thinkReasoning: string | undefined;
    if (leading.startsWith('<think>')) {
      const close = leading.indexOf('</think>');
      thinkReasoning = (close < 0 ? leading.slice(7) : leading.slice(7, close)).trim();
      warnings.push('The answer contained <think> reasoning; kept it apart from the answer text.');
    }
    if (this.fieldReasoningName) {
      warnings.push(`The endpoint sent reasoning in \`${this.fieldReasoningName}\`; kept it apart.`);
    }
    const reasoning = [this.fieldReasoning.trim(), thinkReasoning].filter(Boolean).join('\n\n') || undefined;
    for (const field of ['id', 'object', 'created'] as const) {
      if (!this.sawMetadata[field]) warnings.push(`The stream chunks have no \`${field}\` field; ignored.`);
    }
    if (text.trim() === '') {
      if (finishReason === 'length') throw new TruncatedAnswerError(this.context.maxTokens, details);
      throw new MissingRequiredFieldsError(
        ['`choices[0].delta.content` (the stream carried no answer text)'],
        details,
      );
    }
    const usage = normalizeUsage(this.usageRaw, this.context.promptText, text + (reasoning ?? ''), warnings);
    return {
      text,
      ...(reasoning === undefined ? {} : { reasoning }),
      finishReason,
      truncated: finishReason === 'length',
      usage,
      model: this.model as string,
      ...(this.id === undefined ? {} : { id: this.id }),
      warnings,
    };
  }

  /** Answer text released at the end that `push` held back (e.g. a lone "<thi" at the very end). */
  pendingText(): string {
    return this.visibleText(true).slice(this.emittedLength);
  }
}
