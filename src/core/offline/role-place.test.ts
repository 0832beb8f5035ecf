import { describe, expect, it } from 'vitest';
import type { Story } from '../model.ts';
import { generateOffline } from './index.ts';

// Stories written for this test: another party acts on what the story's actor makes.
function story(summary: string, description: string, criteria: string[]): Story {
  return {
    key: 'FRESH-1',
    summary,
    description,
    acceptanceCriteria: criteria.map((text, index) => ({ id: `AC-${index + 1}`, text })),
    outOfScope: [],
    notes: [],
    source: 'markdown',
  };
}

const expenseClaim = story(
  'Submit an expense claim',
  'As a consultant, I want to claim travel expenses so that I am reimbursed.',
  [
    'The consultant enters the amount and the receipt date and submits the claim.',
    'Only the finance officer can approve or reject the claim.',
  ],
);

const roomBooking = story(
  'Raum buchen',
  'Als Lehrkraft möchte ich einen Raum buchen, damit mein Kurs stattfinden kann.',
  [
    'Die Lehrkraft wählt den Raum und das Datum und sendet die Buchung ab.',
    'Nur die Hausmeisterin darf die Buchung freigeben.',
  ],
);

describe('role cases of another party', () => {
  it('open what the story’s actor made, which exists first, not the submission form', () => {
    const result = generateOffline(expenseClaim, { format: 'manual' });
    const roleCases = result.testCases.filter((testCase) => testCase.covers.includes('AC-2'));
    expect(roleCases.length).toBeGreaterThanOrEqual(2);
    for (const testCase of roleCases) {
      expect(testCase.preconditions).toContain('An expense claim submitted by the consultant exists');
      expect(testCase.steps[0]!.action).toBe('Open the expense claim submitted by the consultant');
      expect(testCase.steps.map((step) => step.action).join(' ')).not.toMatch(/form/i);
    }
  });

  it('writes the same in Gherkin, the precondition as a Given', () => {
    const result = generateOffline(expenseClaim, { format: 'bdd' });
    const positive = result.testCases.find(
      (testCase) => testCase.covers.includes('AC-2') && testCase.kind === 'positive',
    );
    expect(positive?.gherkin).toContain('And an expense claim submitted by the consultant exists');
    expect(positive?.gherkin).toContain(
      'When the finance officer opens the expense claim submitted by the consultant',
    );
  });

  it('does the same in German', () => {
    const result = generateOffline(roomBooking, { format: 'manual' });
    const roleCases = result.testCases.filter((testCase) => testCase.covers.includes('AC-2'));
    expect(roleCases.length).toBeGreaterThanOrEqual(2);
    for (const testCase of roleCases) {
      expect(testCase.preconditions).toContain(
        'Die Buchung liegt zur Bearbeitung vor (erstellt von: Lehrkraft)',
      );
      expect(testCase.steps[0]!.action).toBe('Die Buchung öffnen');
    }
  });

  it('keeps the story’s own screen when the role rule is about the story’s own action', () => {
    const own = story('Submit an expense claim', 'As a consultant, I want to claim expenses.', [
      'The consultant enters the amount and submits the claim.',
      'Only consultants can submit a claim.',
    ]);
    const result = generateOffline(own, { format: 'manual' });
    const roleCase = result.testCases.find((testCase) => testCase.covers.includes('AC-2'));
    expect(roleCase?.steps[0]!.action).toBe('Open the form "Submit an expense claim"');
  });
});
