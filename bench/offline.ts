/**
 * offline: stories per second through the offline rules engine, every format. Only the engine is
 * timed: the stories are read and parsed before, and every format is warmed up before any is
 * timed, so that no format pays for the compiler's warm-up of the code they share (the format
 * timed first used to run about a third slower than the same format timed after the others).
 */
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
  const formats: TestFormat[] = ['manual', 'bdd', 'generic'];
  const warmUpRounds = Math.max(1, Math.round(options.rounds / 10));
  for (let round = 0; round < warmUpRounds; round += 1) {
    for (const format of formats) for (const story of stories) generateOffline(story, { format });
  }
  const figures: Figure[] = [];
  for (const format of formats) {
    let cases = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let round = 0; round < options.rounds; round += 1) {
      for (const story of stories) cases += generateOffline(story, { format }).testCases.length;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const storyCount = options.rounds * stories.length;
    figures.push({
      benchmark: 'offline',
      metric: `stories per second (${format})`,
      value: storyCount / seconds,
      unit: 'stories/s',
      // On a loaded machine the wall clock counts other processes' time too: CPU time does not.
      note: `${storyCount} stories, ${Math.round(cases / storyCount)} cases each on average, ${Math.round(storyCount / cpuSeconds)} per CPU second`,
    });
  }
  return figures;
}
