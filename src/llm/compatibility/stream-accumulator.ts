/** A streamed chat completion, collected chunk by chunk. */
import {
  ContentFilteredError,
  IncorrectResponseStructureError,
  MissingRequiredFieldsError,
  TruncatedAnswerError,
  excerptOf,
  type LlmErrorDetails,
} from '../errors.ts';
import { assertNotErrorBody, contentText } from './body.ts';
import { normalizeFinishReason } from './finish-reason.ts';
import type { NormalizeContext, NormalizedCompletion } from './types.ts';
import { normalizeUsage } from './usage.ts';

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
   * The answer text so far. Reasoning is recognized only at the start of the content (where
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
