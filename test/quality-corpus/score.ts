import { generateOffline } from '../../src/core/offline/index.ts';
import { loadCorpus, scoreCorpus, formatMisses } from './checker.ts';
const corpus = loadCorpus();
for (const format of ['manual', 'bdd'] as const) {
  const result = scoreCorpus(corpus, format, (story, f) => generateOffline(story, { format: f }).testCases);
  console.log(format, result.passed, result.total, result.score.toFixed(3));
  if (process.argv.includes('-v')) console.log(formatMisses(result.misses));
}
