import { describe, expect, it } from 'vitest';
import type { Story, TestCase } from '../model.ts';
import { assessQuality, assessSingleCase } from './assess.ts';
import { keptCounts, MAX_STORIES_KEPT, storyFactsFor, withoutKeptFacts } from './story-facts.ts';

const story: Story = {
  key: 'SHOP-12',
  summary: 'Log in with email and password',
  description: 'As a shopper I want to log in so that I can see my orders.',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'A registered user can log in with their password and lands on the dashboard.' },
    { id: 'AC-2', text: 'The password must be between 8 and 64 characters.' },
  ],
  outOfScope: ['Social login with Google or Facebook'],
  notes: [],
  source: 'markdown',
};

function testCase(id: string, action: string, expected = 'as expected'): TestCase {
  return {
    id,
    title: `Case ${id}`,
    kind: 'positive',
    priority: 'high',
    preconditions: [],
    steps: [{ action, expected }],
    covers: ['AC-2'],
    engine: 'llm',
    warnings: [],
  };
}

const cases = [
  testCase('TC-1', 'Enter a password of 7 characters'),
  testCase('TC-2', 'Enter a password of 7 characters', 'TBD'),
  testCase('TC-3', 'Log in with Google'),
];

describe('story facts kept by content', () => {
  it('finds the same facts for a copy of the story, and other facts for another story', () => {
    const facts = storyFactsFor({ story });
    expect(storyFactsFor({ story: structuredClone(story) })).toBe(facts);
    expect(storyFactsFor({ story: { ...story, summary: 'Log out' } })).not.toBe(facts);
  });

  it('gives, from kept single-case findings, what a scoring from scratch gives', () => {
    const fresh = withoutKeptFacts(() => assessQuality(cases, { story }));
    expect(fresh.findings.length).toBeGreaterThan(0);
    assessQuality(cases, { story }); // keeps each case's findings
    // Another story object and a subset of the cases: all single-case findings come from the kept ones.
    expect(assessQuality(structuredClone(cases), { story: structuredClone(story) })).toEqual(fresh);
    expect(assessQuality(cases.slice(1), { story })).toEqual(
      withoutKeptFacts(() => assessQuality(cases.slice(1), { story })),
    );
    expect(assessSingleCase(cases[2]!, { story })).toEqual(
      withoutKeptFacts(() => assessSingleCase(cases[2]!, { story })),
    );
    // Two cases of one id: scored without the kept findings, as from scratch.
    const twins = [cases[0]!, { ...cases[2]!, id: 'TC-1' }];
    expect(assessQuality(twins, { story })).toEqual(withoutKeptFacts(() => assessQuality(twins, { story })));
  });

  it('hands out copies: changing a finding does not change the next scoring', () => {
    const first = assessQuality(cases, { story });
    first.findings[0]!.message = 'changed';
    expect(assessQuality(cases, { story }).findings[0]!.message).not.toBe('changed');
  });

  it('keeps at most MAX_STORIES_KEPT stories', () => {
    withoutKeptFacts(() => {
      for (let index = 0; index < MAX_STORIES_KEPT + 5; index++)
        assessQuality(cases.slice(0, 1), { story: { ...story, key: `SHOP-${index}` } });
      expect(keptCounts()).toEqual({ stories: MAX_STORIES_KEPT, cases: MAX_STORIES_KEPT });
    });
  });
});
