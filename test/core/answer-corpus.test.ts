import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelAnswer } from '../../src/core/answer/index.ts';
import { StorySchema, TestCaseSchema, type TestFormat } from '../../src/core/model.ts';

/** Hand-written model answers, one per layout models really produce, with what must be read. */
const corpus = join(import.meta.dirname, '../corpus/answers');
const story = StorySchema.parse(JSON.parse(readFileSync(join(corpus, 'story.json'), 'utf8')));

interface Expectation {
  format: TestFormat;
  finishReason?: string;
  layout?: string;
  truncated?: boolean;
  error?: string;
  titles?: string[];
  kinds?: string[];
  priorities?: string[];
  covers?: string[][];
  stepCounts?: number[];
  warningIncludes?: string[];
  stepActions?: string[][];
  warningsEmpty?: boolean;
}
const expectations = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as Record<
  string,
  Expectation
>;

describe('the answer corpus', () => {
  it('has an expectation for every answer file', () => {
    const files = readdirSync(corpus).filter((file) => file.endsWith('.txt'));
    expect(files.sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const [file, expected] of Object.entries(expectations)) {
    it(`reads ${file}`, () => {
      const text = readFileSync(join(corpus, file), 'utf8');
      const result = parseModelAnswer(text, {
        format: expected.format,
        story,
        ...(expected.finishReason ? { finishReason: expected.finishReason } : {}),
      });
      if (expected.error) {
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.kind).toBe(expected.error);
        expect(result.error.rawText).toBe(text);
        return;
      }
      if (!result.ok) throw new Error(`${file}: ${result.error.kind}: ${result.error.message}`);
      const { testCases, layout, truncated, warnings } = result.value;
      expect(testCases.map((testCase) => testCase.title)).toEqual(expected.titles);
      expect(testCases.map((testCase) => testCase.id)).toEqual(
        testCases.map((_, index) => `TC-${index + 1}`),
      );
      for (const testCase of testCases) expect(TestCaseSchema.safeParse(testCase).success).toBe(true);
      if (expected.layout) expect(layout).toBe(expected.layout);
      expect(truncated).toBe(expected.truncated ?? false);
      if (expected.kinds) expect(testCases.map((testCase) => testCase.kind)).toEqual(expected.kinds);
      if (expected.priorities)
        expect(testCases.map((testCase) => testCase.priority)).toEqual(expected.priorities);
      if (expected.covers) expect(testCases.map((testCase) => testCase.covers)).toEqual(expected.covers);
      if (expected.stepCounts)
        expect(testCases.map((testCase) => testCase.steps.length)).toEqual(expected.stepCounts);
      if (expected.stepActions) {
        expect(testCases.map((testCase) => testCase.steps.map((step) => step.action))).toEqual(
          expected.stepActions,
        );
      }
      if (expected.warningsEmpty) {
        expect([...warnings, ...testCases.flatMap((testCase) => testCase.warnings)]).toEqual([]);
      }
      for (const fragment of expected.warningIncludes ?? []) {
        expect([...warnings, ...testCases.flatMap((testCase) => testCase.warnings)].join('\n')).toContain(
          fragment,
        );
      }
      if (expected.format === 'bdd') {
        for (const testCase of testCases) {
          expect(testCase.gherkin).toMatch(/Scenario/);
          expect(testCase.warnings.filter((warning) => /does not parse/.test(warning))).toEqual([]);
        }
      }
      if (expected.truncated) expect(warnings.join(' ')).toMatch(/cut off/);
    });
  }
});
