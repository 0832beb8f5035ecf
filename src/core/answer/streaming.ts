import { jsonrepair } from 'jsonrepair';
import type { Result } from '../../shared/result.ts';
import type { TestCase } from '../model.ts';
import type { AnswerError } from './errors.ts';
import { checkCaseGherkin } from './gherkin-check.ts';
import { looksLikeGherkin } from './gherkin-text.ts';
import { JsonArrayElementScanner, findCaseArrayStart, stripReasoning } from './json-text.ts';
import { normalizeTestCase } from './normalize.ts';
import { parseModelAnswer, type ParseAnswerOptions, type ParsedAnswer } from './parse-model-answer.ts';
import { readGherkinCases, readNumberedCases } from './text-layouts.ts';

export interface StreamingCaseParserOptions extends Omit<ParseAnswerOptions, 'finishReason'> {
  /** Called once per test case, as soon as its text is complete, in answer order. */
  onTestCase: (testCase: TestCase) => void;
}

export interface StreamingCaseParser {
  /** Feeds the next piece of the answer's text. */
  push(delta: string): void;
  /**
   * Ends the answer: parses the whole text with `parseModelAnswer` (the result is the truth),
   * and calls `onTestCase` for the cases not yet delivered.
   */
  finish(finishReason?: string): Result<ParsedAnswer, AnswerError>;
  /** How many test cases have been delivered so far. */
  readonly deliveredCount: number;
}

/**
 * Reads test cases out of an answer while it streams. For `{"testCases": [ {...}, {...` each case
 * is delivered the moment its closing brace arrives; for the `Test Case N:` text layout and for
 * Gherkin, a case is delivered when the next one begins; anything else at the end.
 *
 * @example
 * const parser = createStreamingCaseParser({ format: 'manual', story, onTestCase: show });
 * for await (const delta of stream) parser.push(delta);
 * const result = parser.finish(finishReason);
 */
export function createStreamingCaseParser(options: StreamingCaseParserOptions): StreamingCaseParser {
  let buffer = '';
  let delivered = 0;
  let scanner: JsonArrayElementScanner | undefined;

  const deliver = (item: unknown): void => {
    const result = normalizeTestCase(item, delivered + 1, options);
    if (!result.ok) return; // The final parse reports it.
    checkCaseGherkin(result.testCase, options.format, options.story.summary);
    delivered++;
    options.onTestCase(result.testCase);
  };

  const deliverTextBlocks = (visible: string): void => {
    const looksStructured = /^\s*[[{"]/.test(visible) || /```\s*(json|ya?ml)/i.test(visible);
    if (looksStructured) return;
    let items: unknown[] = readNumberedCases(visible);
    if (items.length === 0 && looksLikeGherkin(visible)) items = readGherkinCases(visible);
    // The last block may still be growing: deliver only those another case has followed.
    while (delivered < items.length - 1) deliver(items[delivered]);
  };

  return {
    push(delta: string): void {
      buffer += delta;
      if (scanner) {
        for (const element of scanner.push(delta)) deliverElement(element);
        return;
      }
      // stripReasoning trims; give back the buffer's trailing white space, which may be the
      // inside of a string cut between two deltas ("Sign " + "in").
      const visible = stripReasoning(buffer) + buffer.slice(buffer.trimEnd().length);
      const start = findCaseArrayStart(visible);
      if (start !== undefined) {
        scanner = new JsonArrayElementScanner();
        for (const element of scanner.push(visible.slice(start))) deliverElement(element);
        return;
      }
      if (delta.includes('\n')) deliverTextBlocks(visible);
    },
    finish(finishReason?: string): Result<ParsedAnswer, AnswerError> {
      const result = parseModelAnswer(buffer, {
        format: options.format,
        story: options.story,
        ...(options.priorities ? { priorities: options.priorities } : {}),
        ...(finishReason ? { finishReason } : {}),
      });
      if (result.ok) {
        for (const testCase of result.value.testCases.slice(delivered)) {
          delivered++;
          options.onTestCase(testCase);
        }
      }
      return result;
    },
    get deliveredCount() {
      return delivered;
    },
  };

  function deliverElement(element: string): void {
    let value: unknown;
    try {
      value = JSON.parse(element);
    } catch {
      try {
        value = JSON.parse(jsonrepair(element));
      } catch {
        return;
      }
    }
    deliver(value);
  }
}
