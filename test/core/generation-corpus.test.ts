import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NoTestCasesError,
  StorySchema,
  generateTestCases,
  type CompletionAnswer,
  type CompletionRequest,
  type LanguageModel,
  type TestFormat,
} from '../../src/core/index.ts';

/** Every corpus answer through the whole generation, streamed in small pieces and not. */
const corpus = join(import.meta.dirname, '../corpus/answers');
const story = StorySchema.parse(JSON.parse(readFileSync(join(corpus, 'story.json'), 'utf8')));
const expectations = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as Record<
  string,
  { format: TestFormat; finishReason?: string; titles?: string[]; error?: string }
>;

function modelAnswering(text: string, finishReason: string): LanguageModel {
  return {
    async complete(request: CompletionRequest): Promise<CompletionAnswer> {
      if (request.stream)
        for (let index = 0; index < text.length; index += 13)
          request.onTextDelta?.(text.slice(index, index + 13));
      return {
        text,
        finishReason,
        truncated: finishReason === 'length',
        usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2, estimated: true },
        latencyMilliseconds: 1,
        model: 'corpus',
        warnings: [],
      };
    },
  };
}

describe('generation over the answer corpus', () => {
  for (const [file, expected] of Object.entries(expectations)) {
    for (const stream of [false, true]) {
      it(`${file}${stream ? ', streamed' : ''}`, async () => {
        const text = readFileSync(join(corpus, file), 'utf8');
        const delivered: string[] = [];
        const run = generateTestCases({
          story,
          format: expected.format,
          model: modelAnswering(text, expected.finishReason ?? 'stop'),
          stream,
          onEvent: (event) => event.kind === 'test-case-end' && delivered.push(event.testCase.title),
        });
        if (expected.error) {
          await expect(run).rejects.toBeInstanceOf(NoTestCasesError);
          expect(delivered).toEqual([]);
          return;
        }
        const result = await run;
        expect(result.testCases.map((testCase) => testCase.title)).toEqual(expected.titles);
        expect(delivered).toEqual(expected.titles);
        for (const criterion of story.acceptanceCriteria) expect(result.coverage[criterion.id]).toBeDefined();
      });
    }
  }
});
