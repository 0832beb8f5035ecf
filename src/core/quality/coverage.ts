import type { Story, TestCase } from '../model.ts';

export interface Coverage {
  /** Every acceptance criterion id of the story, in story order, with the ids of the cases covering it. */
  coverage: Record<string, string[]>;
  /** Criteria no case covers, in story order. */
  uncovered: string[];
}

/**
 * Which test cases cover which acceptance criterion, from each case's `covers`.
 *
 * @example
 * buildCoverage(story, testCases) // { coverage: { 'AC-1': ['TC-1'], 'AC-2': [] }, uncovered: ['AC-2'] }
 */
export function buildCoverage(story: Story, testCases: readonly TestCase[]): Coverage {
  const coverage: Record<string, string[]> = {};
  for (const criterion of story.acceptanceCriteria) coverage[criterion.id] = [];
  for (const testCase of testCases) {
    for (const id of testCase.covers) {
      const cases = coverage[id];
      if (cases && !cases.includes(testCase.id)) cases.push(testCase.id);
    }
  }
  const uncovered = story.acceptanceCriteria
    .map((criterion) => criterion.id)
    .filter((id) => coverage[id]?.length === 0);
  return { coverage, uncovered };
}
