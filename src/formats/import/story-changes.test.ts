import { describe, expect, it } from 'vitest';
import type { Story } from '../../core/model.ts';
import { diffStories, storyContentHash, textSimilarity } from './story-changes.ts';

function story(criteria: string[], overrides: Partial<Story> = {}): Story {
  return {
    key: 'SHOP-1',
    summary: 'Customer pays by card',
    description: 'Card payments.',
    acceptanceCriteria: criteria.map((text, index) => ({ id: `AC-${index + 1}`, text })),
    outOfScope: [],
    notes: [],
    source: 'markdown',
    ...overrides,
  };
}

describe('storyContentHash', () => {
  it('ignores whitespace, key and source, and changes with summary, description or any criterion', () => {
    const base = story(['Visa is accepted', 'Declined cards show an error']);
    const hash = storyContentHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      storyContentHash(
        story(['Visa  is accepted ', 'Declined cards show\nan error'], { key: 'X-9', source: 'csv' }),
      ),
    ).toBe(hash);
    expect(
      storyContentHash(story(['Visa is accepted', 'Declined cards show an error'], { summary: 'Other' })),
    ).not.toBe(hash);
    expect(
      storyContentHash(story(['Visa is accepted', 'Declined cards show an error'], { description: 'x' })),
    ).not.toBe(hash);
    expect(storyContentHash(story(['Visa is accepted', 'Declined cards show a message']))).not.toBe(hash);
    expect(storyContentHash(story(['Declined cards show an error', 'Visa is accepted']))).not.toBe(hash);
  });
});

describe('diffStories', () => {
  it('counts an edited criterion as changed, an inserted one as added and a dropped one as removed', () => {
    const before = story([
      'Visa and Mastercard are accepted',
      'A declined card shows "Card declined"',
      'The receipt is emailed within 5 minutes',
      'Amex is accepted',
    ]);
    const after = story([
      'Visa and Mastercard are accepted',
      'Apple Pay is offered on iPhones',
      'A declined card shows "Card declined" and keeps the basket',
      'The receipt is emailed within 2 minutes',
    ]);
    const diff = diffStories(before, after);
    expect(diff.unchanged.map((change) => [change.before.id, change.after.id])).toEqual([['AC-1', 'AC-1']]);
    expect(diff.changed.map((change) => [change.before.id, change.after.id])).toEqual([
      ['AC-2', 'AC-3'],
      ['AC-3', 'AC-4'],
    ]);
    expect(diff.added.map((criterion) => criterion.text)).toEqual(['Apple Pay is offered on iPhones']);
    expect(diff.removed.map((criterion) => criterion.text)).toEqual(['Amex is accepted']);
    expect(diff.summaryChanged).toBe(false);
    expect(diff.descriptionChanged).toBe(false);
  });

  it('pairs a heavily reworded criterion that stays in place, and reports summary and description changes', () => {
    const diff = diffStories(
      story(['Password has at least 8 characters']),
      story(['Password must have 12 to 64 characters'], { summary: 'New', description: 'Other' }),
    );
    expect(diff.changed).toHaveLength(1);
    expect(diff.added).toEqual([]);
    expect(diff.summaryChanged).toBe(true);
    expect(diff.descriptionChanged).toBe(true);
  });

  it('does not pair unrelated criteria', () => {
    const diff = diffStories(story(['Export to PDF works']), story(['Users can change their avatar image']));
    expect(diff.changed).toEqual([]);
    expect(diff.added).toHaveLength(1);
    expect(diff.removed).toHaveLength(1);
  });

  it('reports nothing for the same story', () => {
    const same = story(['a b c', 'd e f']);
    const diff = diffStories(same, same);
    expect(diff.unchanged).toHaveLength(2);
    expect([...diff.added, ...diff.removed, ...diff.changed]).toEqual([]);
  });
});

describe('textSimilarity', () => {
  it('is 1 for equal texts, 0 against empty text, and between for related texts', () => {
    expect(textSimilarity('A b', 'a  B')).toBe(1);
    expect(textSimilarity('abc', '')).toBe(0);
    const related = textSimilarity('The receipt is emailed', 'The receipt is sent by email');
    expect(related).toBeGreaterThan(0.4);
    expect(related).toBeLessThan(1);
  });
});
