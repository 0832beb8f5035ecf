import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NUMERIC_RULES } from './numeric-rules.ts';
import { mask, splitSentences } from './sentences.ts';

// Sentences with every kind of number the rules read, written for this test, plus every line of
// the example and corpus stories: a rule's `requires` filter must let through all that it matches.
const FRESH = [
  'The pallet weight must be between 12.5 and 800 kg.',
  'Seats can be booked from 1 to 6 per order.',
  'Room numbers run 100-450 on each floor.',
  'A caption may contain at most 280 characters and no fewer than 3 words.',
  'Each crate holds 24 bottles maximum.',
  'The minimum deposit is €50.',
  'After 4 failed attempts the locker stays closed for 10 minutes.',
  'The voucher expires after two weeks.',
  'The tracking code has exactly 12 characters.',
  'Enter the 9-digit member number.',
  'A 15% discount applies to orders over $120.00.',
  'Version 2.4.1 shipped on 2026-03-01 at 10:30 am; see step 3.',
];

function storySentences(): string[] {
  const folders = ['examples/stories', 'test/quality-corpus/stories'];
  return folders.flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.md'))
      .flatMap((name) => splitSentences(readFileSync(join(folder, name), 'utf8'))),
  );
}

describe('numeric rule table', () => {
  it('skips a rule only for sentences its pattern cannot match', () => {
    const sentences = [...FRESH, ...storySentences()];
    let matched = 0;
    for (const sentence of sentences) {
      const masked = mask(sentence);
      for (const rule of NUMERIC_RULES) {
        const matches = [...masked.matchAll(rule.pattern)].length > 0;
        if (!matches) continue;
        matched += 1;
        expect(rule.requires?.test(masked) ?? true, `${rule.name}: ${sentence}`).toBe(true);
      }
    }
    // Every rule of the table is exercised by the fresh sentences.
    for (const rule of NUMERIC_RULES)
      expect(
        FRESH.some((sentence) => [...mask(sentence).matchAll(rule.pattern)].length > 0),
        rule.name,
      ).toBe(true);
    expect(matched).toBeGreaterThan(FRESH.length);
  });

  it('leaves a sentence without digits as it is when masking', () => {
    const sentence = 'Guests may bring up to two bags.';
    expect(mask(sentence)).toBe(sentence);
  });
});
