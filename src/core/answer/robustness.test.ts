import { describe, expect, it } from 'vitest';
import type { Story } from '../model.ts';
import { parseModelAnswer } from './parse-model-answer.ts';
import { createStreamingCaseParser } from './streaming.ts';
import { closesArray, JsonArrayElementScanner } from './json-text.ts';

const story: Story = {
  key: 'S-1',
  summary: 'Something',
  description: '',
  acceptanceCriteria: [{ id: 'AC-1', text: 'It happens.' }],
  outOfScope: [],
  notes: [],
  source: 'text',
};

/** Inputs that have broken answer parsers elsewhere: none may throw; each is a value or an error. */
const awkward = [
  '',
  '{',
  '[',
  '[[[[[[[[[[',
  '{'.repeat(5000),
  '"just a string"',
  'null',
  '42',
  '{"testCases": null}',
  '{"testCases": "not json"}',
  '{"testCases": [null, 1, "x", []]}',
  '[{"title": {"nested": true}, "steps": {"a": {"b": 1}}}]',
  '<think>',
  '</think>',
  '```json\n',
  '```\n```',
  'Test Case 1:',
  'Test Case 1: \nSteps:\n',
  '| # | Action | Expected |\n|---|---|---|\n',
  'Feature:\nScenario:\n',
  'key: [unclosed',
  '- - - -',
  '\u0000\u0001\u0002',
  '{"testCases": [{"title": "A", "steps": ["x"], "covers": [{"id": "AC-1"}, 7, null]}]}',
  'a'.repeat(20000),
];

describe('parseModelAnswer on awkward input', () => {
  it('never throws, and returns either test cases or an error with the raw text', () => {
    for (const text of awkward) {
      for (const finishReason of ['stop', 'length']) {
        const result = parseModelAnswer(text, { format: 'bdd', story, finishReason });
        if (result.ok) expect(result.value.testCases.length).toBeGreaterThan(0);
        else expect(result.error.rawText).toBe(text);
      }
    }
  });

  it('streams the same inputs without throwing', () => {
    for (const text of awkward) {
      const parser = createStreamingCaseParser({ format: 'manual', story, onTestCase: () => undefined });
      for (let index = 0; index < text.length; index += 97) parser.push(text.slice(index, index + 97));
      expect(() => parser.finish('stop')).not.toThrow();
    }
  });

  it('reads covers given as objects and numbers', () => {
    const result = parseModelAnswer(awkward[23]!, { format: 'manual', story });
    expect(result.ok && result.value.testCases[0]?.covers).toEqual(['AC-1']);
  });
});

describe('closesArray', () => {
  it('tells a closed case array from a cut one as the element scanner does, escapes and brackets in strings included', () => {
    const texts = [
      '{"a": 1}, {"b": "x]"}]',
      '{"a": "say \\"]\\" here"}, {"b": [1, 2]}',
      '{"a": "ends with a backslash \\\\"}]',
      '{"a": "cut',
      '{"a": {"b": [1]}',
      ']',
      '',
      '"a", "b\\\\\\"]"]',
    ];
    for (const text of texts) {
      const scanner = new JsonArrayElementScanner();
      scanner.push(text);
      expect(closesArray(text, 0), text).toBe(scanner.ended && !scanner.hasPartialElement);
      expect(closesArray(`xx[${text}`, 3), text).toBe(scanner.ended);
    }
  });
});
