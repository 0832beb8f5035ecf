import { describe, expect, it } from 'vitest';
import { normalizeUsage } from './usage.ts';

describe('normalizeUsage', () => {
  it('keeps the cached tokens a provider reports in prompt_tokens_details', () => {
    const warnings: string[] = [];
    const usage = normalizeUsage(
      {
        prompt_tokens: 2048,
        completion_tokens: 100,
        total_tokens: 2148,
        prompt_tokens_details: { cached_tokens: 1536 },
      },
      '',
      '',
      warnings,
    );
    expect(usage).toEqual({
      promptTokens: 2048,
      completionTokens: 100,
      totalTokens: 2148,
      estimated: false,
      cachedTokens: 1536,
    });
    expect(warnings).toEqual([]);
  });

  it('has no cached figure when the details are missing, empty or not a count, and does not warn', () => {
    for (const details of [
      undefined,
      null,
      {},
      { cached_tokens: null },
      { cached_tokens: -1 },
      { cached_tokens: 1.5 },
    ]) {
      const warnings: string[] = [];
      const usage = normalizeUsage(
        { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: details },
        '',
        '',
        warnings,
      );
      expect(usage).not.toHaveProperty('cachedTokens');
      expect(warnings).toEqual([]);
    }
  });
});
