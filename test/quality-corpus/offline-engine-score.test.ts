import { describe, expect, it } from 'vitest';
import { generateOffline } from '../../src/core/offline/index.ts';
import { formatMisses, loadCorpus, scoreCorpus } from './checker.ts';

/** The offline engine against the quality corpus: ≥ 95% of the annotated checks in both formats. */
describe('offline engine on the quality corpus', () => {
  const corpus = loadCorpus();

  it('holds at least 20 stories from at least 8 domains, 3 of them not in English', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    expect(new Set(corpus.map((entry) => entry.expectation.domain)).size).toBeGreaterThanOrEqual(8);
    expect(corpus.filter((entry) => entry.expectation.language !== 'en').length).toBeGreaterThanOrEqual(3);
  });

  for (const format of ['manual', 'bdd'] as const) {
    it(`scores at least 95% of the checks in ${format}`, () => {
      const result = scoreCorpus(corpus, format, (story) => generateOffline(story, { format }).testCases);
      const summary = `${result.passed}/${result.total} checks passed; misses:\n${formatMisses(result.misses)}`;
      expect(result.score, summary).toBeGreaterThanOrEqual(0.95);
    });
  }
});
