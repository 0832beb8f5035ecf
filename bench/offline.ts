/** offline: stories per second through the offline rules engine, every format. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateOffline } from '../src/core/offline/index.ts';
import type { Story, TestFormat } from '../src/core/index.ts';
import { loadStory } from './overhead.ts';
import type { Figure } from './support.ts';

export function benchmarkOffline(options: { rounds: number }): Figure[] {
  const stories: Story[] = readdirSync('examples/stories')
    .filter((name) => name.endsWith('.md'))
    .map((name) => loadStory(join('examples/stories', name)));
  const figures: Figure[] = [];
  for (const format of ['manual', 'bdd', 'generic'] as TestFormat[]) {
    for (const story of stories) generateOffline(story, { format }); // warm-up
    let cases = 0;
    const started = performance.now();
    for (let round = 0; round < options.rounds; round += 1) {
      for (const story of stories) cases += generateOffline(story, { format }).testCases.length;
    }
    const seconds = (performance.now() - started) / 1000;
    const storyCount = options.rounds * stories.length;
    figures.push({
      benchmark: 'offline',
      metric: `stories per second (${format})`,
      value: storyCount / seconds,
      unit: 'stories/s',
      note: `${storyCount} stories, ${Math.round(cases / storyCount)} cases each on average`,
    });
  }
  return figures;
}
