import { describe, expect, it } from 'vitest';
import { validateGherkin } from '../gherkin/index.ts';
import type { Story } from '../model.ts';
import { parseModelAnswer } from './parse-model-answer.ts';

const story: Story = {
  key: 'SHOP-1',
  summary: 'Log in',
  description: '',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'A user can log in.' },
    { id: 'AC-2', text: 'A wrong password shows an error.' },
    { id: 'AC-3', text: 'The account locks after 5 failures.' },
  ],
  outOfScope: [],
  notes: [],
  source: 'text',
};

const oneCase = (extra: Record<string, unknown>) =>
  JSON.stringify({
    testCases: [{ title: 'Valid login', steps: [{ action: 'Log in', expected: 'Dashboard' }], ...extra }],
  });

describe('parseModelAnswer', () => {
  it('maps the ways models name acceptance criteria onto the story ids and drops unknown ones', () => {
    const result = parseModelAnswer(
      oneCase({ covers: ['AC1', 'ac-2', 'criterion 3', 'AC-9', 'A user can log in.'] }),
      { format: 'manual', story },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [testCase] = result.value.testCases;
    expect(testCase?.covers).toEqual(['AC-1', 'AC-2', 'AC-3']);
    expect(testCase?.warnings.join(' ')).toContain('AC-9');
  });

  it('renumbers ids TC-1… whatever the model called them', () => {
    const text = JSON.stringify([
      { id: 'LOGIN_007', title: 'A', steps: ['Do a'] },
      { id: 'LOGIN_003', title: 'B', steps: ['Do b'] },
    ]);
    const result = parseModelAnswer(text, { format: 'generic', story });
    expect(result.ok && result.value.testCases.map((testCase) => testCase.id)).toEqual(['TC-1', 'TC-2']);
  });

  it('maps kinds written in words', () => {
    const text = JSON.stringify({
      cases: [
        { name: 'a', type: 'Negative Test', steps: ['x'] },
        { name: 'b', type: 'happy path', steps: ['x'] },
        { name: 'c', type: 'Edge Case', steps: ['x'] },
        { name: 'd', type: 'BVA', steps: ['x'] },
      ],
    });
    const result = parseModelAnswer(text, { format: 'manual', story });
    expect(result.ok && result.value.testCases.map((testCase) => testCase.kind)).toEqual([
      'negative',
      'positive',
      'edge',
      'boundary',
    ]);
  });

  it('keeps the valid cases and reports the others when only some match the schema', () => {
    const text = JSON.stringify({ testCases: [{ title: 'Good', steps: ['Do it'] }, { notes: 'no title' }] });
    const result = parseModelAnswer(text, { format: 'manual', story });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.testCases).toHaveLength(1);
    expect(result.value.warnings.join(' ')).toMatch(/Skipped 1 item/);
  });

  it('tells a refusal hidden after reasoning from an unreadable answer', () => {
    const refusal = parseModelAnswer(
      '<think>This is not allowed.</think>\nI cannot help with that request.',
      {
        format: 'manual',
        story,
      },
    );
    expect(!refusal.ok && refusal.error.kind).toBe('refusal');
    const prose = parseModelAnswer('Login pages are interesting and deserve careful thought.', {
      format: 'manual',
      story,
    });
    expect(!prose.ok && prose.error.kind).toBe('unparseable');
    if (!prose.ok) expect(prose.error.fix).toBeTruthy();
  });

  it('drops the last text block of a cut-off plain-text answer and says so', () => {
    const text =
      'Test Case 1: A\nSteps:\n1. Do a\nExpected Result: A shown\n\nTest Case 2: B\nSteps:\n1. Do b, then';
    const result = parseModelAnswer(text, { format: 'manual', story, finishReason: 'length' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.testCases.map((testCase) => testCase.title)).toEqual(['A']);
    expect(result.value.truncated).toBe(true);
    expect(result.value.warnings.join(' ')).toMatch(/cut off/);
  });

  it('treats a JSON answer that ends mid-object as truncated even without a finish reason', () => {
    const full = JSON.stringify({
      testCases: [
        { title: 'A', steps: ['Do a'] },
        { title: 'B', steps: ['Do b'] },
      ],
    });
    const result = parseModelAnswer(full.slice(0, full.indexOf('Do b')), { format: 'manual', story });
    expect(result.ok && result.value.testCases.map((testCase) => testCase.title)).toEqual(['A']);
    expect(result.ok && result.value.truncated).toBe(true);
  });

  it('splits "action -> Expected: result" step strings', () => {
    const text = JSON.stringify({
      testCases: [{ title: 'A', steps: ['1. Click save -> Expected: Saved message'] }],
    });
    const result = parseModelAnswer(text, { format: 'manual', story });
    expect(result.ok && result.value.testCases[0]?.steps).toEqual([
      { action: 'Click save', expected: 'Saved message' },
    ]);
  });

  it('writes the scenario of a BDD case that came with steps only, and it parses', () => {
    const result = parseModelAnswer(oneCase({ preconditions: ['A registered user'] }), {
      format: 'bdd',
      story,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [testCase] = result.value.testCases;
    expect(testCase?.gherkin).toMatch(
      /Scenario: Valid login\n\s+Given A registered user\n\s+When Log in\n\s+Then Dashboard/,
    );
    expect(validateGherkin(testCase?.gherkin ?? '').ok).toBe(true);
    expect(testCase?.warnings.join(' ')).toMatch(/written from its steps/);
  });

  it('repairs broken Gherkin with a warning, and reports Gherkin that cannot be repaired', () => {
    const text = JSON.stringify({
      testCases: [
        {
          title: 'Repairable',
          gherkin: '```gherkin\nScenario: Login\n1. given I am on the login page\n2. then I see it\n```',
        },
        { title: 'Broken', gherkin: 'Feature: A\n  Scenario: B\n    Given x\n    """\n    unclosed' },
      ],
    });
    const result = parseModelAnswer(text, { format: 'bdd', story });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [repairable, broken] = result.value.testCases;
    expect(validateGherkin(repairable?.gherkin ?? '').ok).toBe(true);
    expect(repairable?.warnings.join(' ')).toMatch(/Gherkin was repaired/);
    expect(repairable?.steps).toEqual([{ action: 'Observe the result', expected: 'I see it' }]);
    expect(broken?.warnings.join(' ')).toMatch(/does not parse and could not be repaired/);
    expect(result.value.warnings.join(' ')).toMatch(/TC-2: Its Gherkin does not parse/);
  });
});
