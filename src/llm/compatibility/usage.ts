/** Token usage: the endpoint's own counts when complete, else an estimate marked as such. */
import type { LlmUsage } from './types.ts';

/** Rough token estimate used when the endpoint sends no usage: about 4 characters per token. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

/** The usage of an answer; adds a warning when it had to be completed or estimated. */
export function normalizeUsage(
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
    const cached = cachedTokensOf(record?.prompt_tokens_details);
    return {
      promptTokens: prompt,
      completionTokens: completion,
      totalTokens: total,
      estimated: false,
      ...(cached === undefined ? {} : { cachedTokens: cached }),
    };
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
 * `prompt_tokens_details.cached_tokens` (OpenAI, vLLM with prefix caching, LiteLLM) when it is a
 * count no larger than makes sense; undefined when the provider does not report it, which many
 * servers do not (no warning: nothing is estimated).
 */
function cachedTokensOf(details: unknown): number | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const cached = (details as Record<string, unknown>).cached_tokens;
  return typeof cached === 'number' && Number.isInteger(cached) && cached >= 0 ? cached : undefined;
}
