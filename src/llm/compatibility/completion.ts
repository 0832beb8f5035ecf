/** A non-streaming chat completion, checked and normalized. */
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
import { reasoningField, splitThinking } from './reasoning.ts';
import type { NormalizeContext, NormalizedCompletion } from './types.ts';
import { normalizeUsage } from './usage.ts';

/**
 * Normalizes a non-streaming chat completion body.
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
