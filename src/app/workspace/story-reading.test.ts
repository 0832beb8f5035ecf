import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../shared/errors.ts';
import { readStories, readStoriesOffThread, type StoryReadingInput } from './story-reading.ts';

/** JSON stories past the worker's threshold (256 KB), so `readStoriesOffThread` uses the worker. */
function largeJson(count: number, change: (stories: Array<Record<string, unknown>>) => void = () => {}) {
  const stories: Array<Record<string, unknown>> = Array.from({ length: count }, (_, index) => ({
    key: `BIG-${index + 1}`,
    summary: `Story ${index + 1}`,
    description: `As shopper ${index + 1} I want to pay so that I get my order.`,
    acceptanceCriteria: ['Card payments are accepted', 'Declined cards show an error'],
  }));
  change(stories);
  return JSON.stringify(stories);
}

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('readStoriesOffThread on a large input (worker thread)', () => {
  it('reads the same stories, hashes and warnings as in this thread', async () => {
    const input: StoryReadingInput = { content: largeJson(3000), fileName: 'stories.json' };
    expect(input.content.length).toBeGreaterThan(256 * 1024);
    const offThread = await readStoriesOffThread(input);
    expect(offThread).toEqual(readStories(input));
    expect(offThread.stories).toHaveLength(3000);
  }, 60_000);

  const refused: Array<{ name: string; input: StoryReadingInput }> = [
    { name: 'invalid JSON', input: { content: largeJson(3000).slice(0, -1), fileName: 'stories.json' } },
    {
      name: 'a duplicate key',
      input: {
        content: largeJson(3000, (stories) => (stories[2000]!.key = 'BIG-7')),
        fileName: 'stories.json',
      },
    },
    {
      name: 'a NUL character',
      input: {
        content: largeJson(3000, (stories) => (stories[1500]!.summary = 'nul\u0000x')),
        fileName: 'stories.json',
      },
    },
    { name: 'too many stories', input: { content: largeJson(10_001) } },
    {
      name: 'a CSV without a summary column',
      input: {
        content: `Key,Text\n${Array.from({ length: 20_000 }, (_, index) => `BIG-${index + 1},text`).join('\n')}`,
        fileName: 'stories.csv',
      },
    },
  ];
  for (const { name, input } of refused) {
    it(`refuses ${name} with the same error as in this thread`, async () => {
      const inThread = errorOf(() => readStories(input)) as InvalidInputError;
      expect(inThread).toBeInstanceOf(InvalidInputError);
      const offThread = await readStoriesOffThread(input).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(offThread).toBeInstanceOf(InvalidInputError);
      const error = offThread as InvalidInputError;
      expect({
        message: error.message,
        fix: error.fix,
        remedies: error.remedies,
        code: error.code,
      }).toEqual({
        message: inThread.message,
        fix: inThread.fix,
        remedies: inThread.remedies,
        code: inThread.code,
      });
    }, 60_000);
  }
});
