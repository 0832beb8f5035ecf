import { describe, expect, it } from 'vitest';
import { singularNoun } from './words.ts';

describe('singularNoun', () => {
  it('makes the last word of a noun phrase singular', () => {
    expect(singularNoun('passwords')).toBe('password');
    expect(singularNoun('categories')).toBe('category');
    expect(singularNoun('addresses')).toBe('address');
    expect(singularNoun('statuses')).toBe('status');
    expect(singularNoun('order statuses')).toBe('order status');
    expect(singularNoun('payment methods')).toBe('payment method');
  });

  it('leaves nouns that end in s in the singular, and singular nouns, as they are', () => {
    for (const noun of ['status', 'address', 'analysis', 'news', 'series', 'access', 'email']) {
      expect(singularNoun(noun)).toBe(noun);
    }
  });

  it('drops only the plural s after a vowel and y (days, keys)', () => {
    expect(singularNoun('days')).toBe('day');
    expect(singularNoun('keys')).toBe('key');
  });
});
