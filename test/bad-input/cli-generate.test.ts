import { expect } from 'vitest';
import { largeGenerateStory, refusedCases } from './bad-input-cases.ts';
import { describeCliEntry } from './cli-entry.ts';

describeCliEntry(
  'reqase generate <file> with bad input',
  (fileName) => ['generate', fileName, '--offline', '--json'],
  {
    input: largeGenerateStory,
    check(run, counts) {
      const output = JSON.parse(run.stdout) as {
        story: { key: string; description: string };
        testCases: unknown[];
      };
      expect(output.story.key).toBe('BIG-3');
      expect(output.story.description.length).toBeGreaterThan(400_000);
      expect(output.testCases.length).toBeGreaterThan(0);
      // An ad-hoc generation stores nothing.
      expect(counts).toEqual({ projects: 1, stories: 0, testCases: 0 });
    },
  },
  refusedCases.find((input) => input.name === 'PNG bytes')!,
);
