import { describe, expect, it, vi } from 'vitest';
import { keyedPattern } from './keyed-pattern.ts';

describe('keyedPattern', () => {
  const source = (words: string) => String.raw`\b(${words})\s+(?:by|nach)\s+([\p{L}\p{N}.]+)`;

  it('matches as the whole pattern does, Unicode case folding included', () => {
    const keyed = keyedPattern('sorted|sortiert', source);
    const whole = new RegExp(source('sorted|sortiert'), 'iu');
    for (const text of [
      'Results can be sorted by Price',
      'SORTIERT nach Preis',
      'ſorted by name', // U+017F folds to `s` under `iu`
      'unsorted by price',
      'sorted price',
      'no keyword at all',
    ]) {
      expect(keyed.exec(text)).toEqual(whole.exec(text));
    }
  });

  it('compiles the whole pattern only once a text has a keyword, and once', () => {
    const build = vi.fn(source);
    const keyed = keyedPattern('sorted|sortiert', build);
    expect(keyed.exec('Prices are shown in euros')).toBeNull();
    expect(build).not.toHaveBeenCalled();
    expect(keyed.exec('sorted by date')?.[2]).toBe('date');
    expect(keyed.exec('sortiert nach Datum')?.[2]).toBe('Datum');
    expect(build).toHaveBeenCalledTimes(1);
  });
});
