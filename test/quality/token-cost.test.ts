/** The cost of a comparison row: cached prompt tokens at the cached price when one is given. */
import { describe, expect, it } from 'vitest';
import { parsePrice, tokenCost } from '../../src/app/compare.ts';

describe('token cost', () => {
  it('reads an optional third figure as the price of cached input tokens', () => {
    expect(parsePrice('gpt-4o=2.5/10/1.25')).toEqual({
      name: 'gpt-4o',
      price: { input: 2.5, output: 10, cached: 1.25 },
    });
    expect(parsePrice(' team-vllm = 0.2 / 0.6 ')).toEqual({
      name: 'team-vllm',
      price: { input: 0.2, output: 0.6 },
    });
    expect(() => parsePrice('gpt-4o=2.5/10/')).toThrow(/NAME=IN\/OUT or NAME=IN\/OUT\/CACHED/);
  });

  it('counts cached tokens at the cached price, else at the input price', () => {
    const tokens = { prompt: 1_000_000, completion: 100_000, cached: 800_000 };
    expect(tokenCost(tokens, { input: 2.5, output: 10, cached: 1.25 })).toBeCloseTo(
      0.2 * 2.5 + 0.8 * 1.25 + 1,
    );
    expect(tokenCost(tokens, { input: 2.5, output: 10 })).toBeCloseTo(2.5 + 1);
    expect(
      tokenCost({ prompt: 1_000_000, completion: 0 }, { input: 2.5, output: 10, cached: 1 }),
    ).toBeCloseTo(2.5);
  });
});
