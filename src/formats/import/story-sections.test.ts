import { describe, expect, it } from 'vitest';
import { parseStoryBody } from './story-sections.ts';

describe('parseStoryBody', () => {
  it('splits a Markdown body into description, criteria, out of scope and notes', () => {
    const body = parseStoryBody([
      'As a shopper I want to pay by card.',
      '',
      '## Acceptance Criteria',
      '- A valid card is charged',
      '- An expired card is refused',
      '',
      '## Out of scope',
      '- Refunds',
      '',
      '## Notes',
      '- Ask the payments team about 3-D Secure',
    ]);
    expect(body).toEqual({
      description: 'As a shopper I want to pay by card.',
      acceptanceCriteria: ['A valid card is charged', 'An expired card is refused'],
      outOfScope: ['Refunds'],
      notes: ['Ask the payments team about 3-D Secure'],
    });
  });

  it('has every section, empty when the body has none of it', () => {
    expect(parseStoryBody(['Only a description.'])).toEqual({
      description: 'Only a description.',
      acceptanceCriteria: [],
      outOfScope: [],
      notes: [],
    });
  });

  it('reads label lines with an inline item, and bold section names', () => {
    const body = parseStoryBody(
      ['**Acceptance criteria**', '1. The total is shown', 'Out of scope: gift cards'].join('\n').split('\n'),
    );
    expect(body.acceptanceCriteria).toEqual(['The total is shown']);
    expect(body.outOfScope).toEqual(['gift cards']);
  });

  it('keeps code in a criteria list in the description, not as a criterion', () => {
    const body = parseStoryBody(
      ['## Acceptance Criteria', '- The API answers 200', '```', '{ "ok": true }', '```']
        .join('\n')
        .split('\n'),
    );
    expect(body.acceptanceCriteria).toEqual(['The API answers 200']);
    expect(body.description).toContain('{ "ok": true }');
  });
});
