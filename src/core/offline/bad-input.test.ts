import { describe, expect, it } from 'vitest';
import { parseStoryText } from '../../formats/import/index.ts';
import type { Story } from '../model.ts';
import { generateOffline } from './index.ts';

function story(text: string): Story {
  const parsed = parseStoryText(Buffer.from(text), { fileName: 'story.md' });
  if (!parsed.ok) throw parsed.error;
  return parsed.value[0]!;
}

/** Bad input gives a clear note or cases, never a crash or a hang. */
describe('offline engine on bad input', () => {
  it('says so when a story has no criteria, and writes no guessed case', () => {
    const result = generateOffline(
      story('# NO-1: Export the report\n\nAs a manager I want to export the report.'),
      {
        format: 'manual',
      },
    );
    expect(result.warnings.join('\n')).toContain('has no acceptance criteria');
    expect(result.testCases).toEqual([]);
  });

  it('reads criteria written as a numbered list, a table or Given/When/Then lines', () => {
    const numbered = story(
      '# NUM-1: Book a room\n\n## Acceptance criteria\n\n1. The number of guests must be between 1 and 4.\n2. The room type must be Single, Double or Suite.\n',
    );
    const table = story(
      '# TAB-1: Book a room\n\n## Acceptance criteria\n\n| # | Criterion |\n|---|---|\n| 1 | The number of guests must be between 1 and 4. |\n| 2 | The room type must be Single, Double or Suite. |\n',
    );
    const gherkin = story(
      '# GWT-1: Sign in\n\n## Acceptance criteria\n\nGiven a registered user on the sign-in page\nWhen they enter their email address and select "Sign in"\nThen their dashboard is shown\n',
    );
    for (const input of [numbered, table]) {
      const result = generateOffline(input, { format: 'bdd' });
      expect(result.uncovered).toEqual([]);
      const text = result.testCases.map((testCase) => testCase.gherkin).join('\n');
      for (const value of ['Single', 'Double', 'Suite']) expect(text).toContain(value);
    }
    const signIn = generateOffline(gherkin, { format: 'manual' });
    expect(signIn.testCases[0]!.steps.at(-1)!.expected).toBe('The dashboard is shown');
  });

  it('handles a story mixing English and German criteria', () => {
    const result = generateOffline(
      story(
        '# MIX-1: Submit a request\n\n## Acceptance Criteria\n\n- The employee chooses a leave type and submits the request.\n- Die Urlaubsart muss Erholungsurlaub oder Sonderurlaub sein.\n- A request can cover at most 20 working days.\n',
      ),
      { format: 'manual' },
    );
    expect(result.testCases.length).toBeGreaterThan(0);
    expect(result.uncovered.length).toBeLessThan(3);
  });

  it('writes cases for a story with 1,000 criteria (linear, no hang)', () => {
    const criteria = Array.from(
      { length: 1000 },
      (_, index) => `- The field ${index + 1} must be between 1 and ${index + 10} characters.`,
    ).join('\n');
    const result = generateOffline(
      story(`# BIG-1: A very large form\n\n## Acceptance Criteria\n\n${criteria}\n`),
      {
        format: 'manual',
        count: { min: 1, max: 50 },
      },
    );
    expect(result.testCases).toHaveLength(50);
    expect(result.warnings.join('\n')).toContain('maximum of 50');
  });

  it('reads German headings and writes German cases; another language asked for keeps them German, with a warning', () => {
    const german = story(
      '# PERS-1: Antrag stellen\n\n## Akzeptanzkriterien\n\n- Die Urlaubsart muss Erholungsurlaub oder Sonderurlaub sein.\n',
    );
    expect(german.acceptanceCriteria).toHaveLength(1);
    const inGerman = generateOffline(german, { format: 'bdd' });
    expect(inGerman.testCases[0]!.gherkin).toMatch(/^# language: de\n/);
    expect(
      inGerman.testCases.map((testCase) => testCase.steps.map((step) => step.action).join(' ')).join(' '),
    ).toContain('„Erholungsurlaub“ als Urlaubsart auswählen');
    const inEnglish = generateOffline(german, { format: 'manual', language: 'en' });
    expect(inEnglish.testCases.flatMap((testCase) => testCase.steps.map((step) => step.action))).toContain(
      '„Erholungsurlaub“ als Urlaubsart auswählen',
    );
    expect(inEnglish.warnings.join('\n')).toContain('the cases are in German, not English as asked');
    const unknown = generateOffline(german, { format: 'manual', language: 'ja' });
    expect(unknown.warnings.join('\n')).toContain('"ja" was asked for');
  });
});
