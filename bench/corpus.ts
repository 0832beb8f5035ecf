/**
 * corpus: the quality corpus's score per engine and format (share of the annotated checks the
 * cases pass), and the offline engine's speed on the corpus stories.
 */
import { generateOffline } from '../src/core/offline/index.ts';
import type { TestFormat } from '../src/core/index.ts';
import { loadCorpus, scoreCorpus } from '../test/quality-corpus/checker.ts';
import type { Figure } from './support.ts';

export function benchmarkCorpus(options: { rounds: number }): Figure[] {
  const corpus = loadCorpus();
  const figures: Figure[] = [];
  for (const format of ['manual', 'bdd'] as TestFormat[]) {
    const result = scoreCorpus(corpus, format, (story) => generateOffline(story, { format }).testCases);
    figures.push({
      benchmark: 'quality',
      metric: `corpus score, offline engine (${format})`,
      value: result.score * 100,
      unit: '%',
      note: `${result.passed}/${result.total} checks over ${corpus.length} stories`,
    });
  }
  for (const format of ['manual', 'bdd'] as TestFormat[]) {
    for (const { story } of corpus) generateOffline(story, { format }); // warm-up
    const started = performance.now();
    for (let round = 0; round < options.rounds; round += 1) {
      for (const { story } of corpus) generateOffline(story, { format });
    }
    const seconds = (performance.now() - started) / 1000;
    figures.push({
      benchmark: 'quality',
      metric: `offline engine on the corpus (${format})`,
      value: (options.rounds * corpus.length) / seconds,
      unit: 'stories/s',
      note: `${options.rounds * corpus.length} stories`,
    });
  }
  return figures;
}
