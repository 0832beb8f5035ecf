import { expect } from 'vitest';
import { largeStory, refusedCases } from './bad-input-cases.ts';
import { describeCliEntry } from './cli-entry.ts';

describeCliEntry(
  'reqase story import <file> --project P with bad input',
  (fileName) => ['story', 'import', fileName, '--project', 'P', '--json'],
  {
    input: largeStory,
    check(run, counts) {
      const output = JSON.parse(run.stdout) as {
        stories: Array<{ key: string; status: string; story: { description: string } }>;
      };
      expect(output.stories).toHaveLength(1);
      expect(output.stories[0]).toMatchObject({ key: 'BIG-1', status: 'created' });
      expect(output.stories[0]?.story.description.length).toBeGreaterThan(4_000_000);
      expect(counts).toEqual({ projects: 1, stories: 1, testCases: 0 });
    },
  },
  refusedCases.find((input) => input.name === 'CSV with broken quoting')!,
);
