/**
 * quality: how long scoring takes per story (all quality rules over a story's cases), and the
 * overhead it adds to a generation, as a ratio of the offline engine's own time per story.
 * Goal (issue #10): scoring adds at most 5 ms per story.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  assessQuality,
  type Constraint,
  type Story,
  type TestCase,
  type TestFormat,
} from '../src/core/index.ts';
import { generateOffline } from '../src/core/offline/index.ts';
import { loadStory } from './overhead.ts';
import type { Figure } from './support.ts';

export function benchmarkQuality(options: { rounds: number }): Figure[] {
  const stories: Story[] = readdirSync('examples/stories')
    .filter((name) => name.endsWith('.md'))
    .map((name) => loadStory(join('examples/stories', name)));
  const figures: Figure[] = [];
  for (const format of ['manual', 'bdd'] as TestFormat[]) {
    const generated: Array<{ story: Story; testCases: TestCase[]; constraints: Constraint[] }> = stories.map(
      (story) => {
        const result = generateOffline(story, { format });
        return { story, testCases: result.testCases, constraints: result.constraints };
      },
    );
    for (const entry of generated) assessQuality(entry.testCases, { story: entry.story, format }); // warm-up

    let started = performance.now();
    for (let round = 0; round < options.rounds; round += 1)
      for (const story of stories) generateOffline(story, { format });
    const generationMilliseconds = (performance.now() - started) / (options.rounds * stories.length);

    // As a generation scores: with the constraints the engine already read from the story.
    started = performance.now();
    for (let round = 0; round < options.rounds; round += 1)
      for (const entry of generated)
        assessQuality(entry.testCases, { story: entry.story, format, constraints: entry.constraints });
    const scoringMilliseconds = (performance.now() - started) / (options.rounds * stories.length);
    // As `reqase score` does: reading the story's constraints too.
    started = performance.now();
    for (let round = 0; round < options.rounds; round += 1)
      for (const entry of generated) assessQuality(entry.testCases, { story: entry.story, format });
    const coldMilliseconds = (performance.now() - started) / (options.rounds * stories.length);
    const cases = generated.reduce((sum, entry) => sum + entry.testCases.length, 0) / generated.length;

    figures.push({
      benchmark: 'quality',
      metric: `scoring time per story (${format})`,
      value: scoringMilliseconds,
      unit: 'ms',
      baseline: generationMilliseconds,
      baselineLabel: 'offline generation of the story',
      note: `goal ≤ 5 ms; ${Math.round(cases)} cases per story; generation + scoring = ×${((generationMilliseconds + scoringMilliseconds) / generationMilliseconds).toFixed(2)} the generation alone`,
    });
    figures.push({
      benchmark: 'quality',
      metric: `scoring time per story, constraints read too (${format})`,
      value: coldMilliseconds,
      unit: 'ms',
      note: 'as `reqase score` does: extracting the story constraints included',
    });
  }
  return figures;
}
