import { describe, expect, it } from 'vitest';
import type { Story } from '../model.ts';
import { inferCovers, normalizeCovers } from './covers.ts';
import { parseModelAnswer } from './parse-model-answer.ts';

const story: Story = {
  key: 'AUTH-1',
  summary: 'Sign in',
  description: '',
  acceptanceCriteria: [
    {
      id: 'AC-1',
      text: 'A registered user signs in with a correct email and password and sees the dashboard.',
    },
    { id: 'AC-2', text: 'A wrong password shows the message "Invalid email or password".' },
    { id: 'AC-3', text: 'After 5 failed attempts the account is locked for 15 minutes.' },
  ],
  outOfScope: [],
  notes: [],
  source: 'markdown',
};

describe('normalizeCovers', () => {
  it('maps the ways models name criteria and drops unknown ones', () => {
    expect(normalizeCovers(['ac1', 'Criterion 3', 'AC-9'], story)).toEqual({
      covers: ['AC-1', 'AC-3'],
      unknown: ['AC-9'],
    });
  });
});

describe('inferCovers', () => {
  it('finds the criterion a case is about from its words', () => {
    expect(
      inferCovers('Enter a wrong password; the message "Invalid email or password" is shown', story),
    ).toEqual(['AC-2']);
    expect(inferCovers('Fail to sign in 5 times; the account is locked for 15 minutes', story)).toEqual([
      'AC-3',
    ]);
  });

  it('credits nothing when no criterion is close', () => {
    expect(inferCovers('Change the language of the page to French', story)).toEqual([]);
  });

  it('fills covers for answers that name no criterion, with a warning on the case', () => {
    const answer = [
      'Test Case 1: Wrong password',
      'Steps:',
      '1. Enter a registered email with a wrong password',
      'Expected Result: The message "Invalid email or password" is shown',
    ].join('\n');
    const parsed = parseModelAnswer(answer, { format: 'manual', story });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [testCase] = parsed.value.testCases;
    expect(testCase?.covers).toEqual(['AC-2']);
    expect(testCase?.warnings.join(' ')).toMatch(/inferred from its text/);
  });
});
