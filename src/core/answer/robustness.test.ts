import { describe, expect, it } from 'vitest';
import { TestCaseSchema, type Story } from '../model.ts';
import { meetsTestCaseSchema } from './normalize.ts';
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

describe('meetsTestCaseSchema', () => {
  const valid = {
    id: 'TC-1',
    title: 'Sign in',
    kind: 'positive',
    priority: 'high',
    preconditions: ['An account'],
    steps: [{ action: 'Open the page', data: 'x', expected: 'It opens' }, { action: 'Leave' }],
    gherkin: 'Feature: F\n  Scenario: S\n    Given a\n',
    covers: ['AC-1'],
    engine: 'llm',
    warnings: [],
  };
  const { gherkin: _gherkin, ...withoutGherkin } = valid;
  const candidates: Array<Record<string, unknown>> = [
    valid,
    withoutGherkin,
    { ...valid, id: '' },
    { ...valid, title: '' },
    { ...valid, kind: 'sideways' },
    { ...valid, priority: '' },
    { ...valid, priority: 3 },
    { ...valid, preconditions: ['a', 1] },
    { ...valid, steps: [{ action: '' }] },
    { ...valid, steps: [{ action: 'a', data: null }] },
    { ...valid, steps: [{ action: 'a', expected: 2 }] },
    { ...valid, gherkin: 5 },
    { ...valid, covers: [null] },
    { ...valid, engine: 'other' },
    { ...valid, engine: 'rules' },
    { ...valid, warnings: [{}] },
  ];

  it('gives the schema verdict, and a candidate it passes is what the schema returns', () => {
    for (const candidate of candidates) {
      const parsed = TestCaseSchema.safeParse(candidate);
      expect(meetsTestCaseSchema(candidate as never), JSON.stringify(candidate)).toBe(parsed.success);
      if (parsed.success) expect(parsed.data).toStrictEqual(candidate);
    }
  });

  it('passes the cases read from a model answer as the schema would return them', () => {
    const answer = JSON.stringify({
      testCases: [
        { title: 'A', steps: [{ action: 'Open', expected: 'Shown' }], covers: ['AC-1'] },
        { title: 'B', steps: ['Step 1: Open', 'Enter x -> Expected: error'], priority: 'P1' },
        { title: 'C', gherkin: 'Feature: F\n  Scenario: C\n    Given a\n    When b\n    Then c' },
      ],
    });
    const result = parseModelAnswer(answer, { format: 'manual', story });
    if (!result.ok) throw result.error;
    for (const testCase of result.value.testCases)
      expect(TestCaseSchema.parse(testCase)).toStrictEqual(testCase);
  });
});
