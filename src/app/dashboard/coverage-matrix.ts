import type { StoryRecord, TestCaseCoverageRow } from '../../core/index.ts';
import type { CoverageMatrix, CoverageState } from './schema.ts';

/**
 * Stories × acceptance criteria: for each criterion, how many accepted and draft cases cover it.
 * Rejected cases cover nothing.
 *
 * @example
 * coverageMatrix([story], [{ storyId: story.id, covers: ['AC-1'], status: 'draft', needsReview: false }])
 * // { stories: [{ key: 'AUTH-1', criteria: [{ criterionId: 'AC-1', state: 'draft', … }, …] }], totals: … }
 */
export function coverageMatrix(
  stories: readonly StoryRecord[],
  coverage: readonly TestCaseCoverageRow[],
): CoverageMatrix {
  const counts = new Map<string, { accepted: number; draft: number }>();
  for (const row of coverage) {
    if (row.status === 'rejected') continue;
    for (const criterionId of new Set(row.covers)) {
      const key = `${row.storyId}\u0000${criterionId}`;
      const count = counts.get(key) ?? { accepted: 0, draft: 0 };
      count[row.status] += 1;
      counts.set(key, count);
    }
  }
  const totals: Record<CoverageState, number> = { accepted: 0, draft: 0, none: 0 };
  const rows = [...stories]
    .sort((left, right) => left.key.localeCompare(right.key))
    .map((story) => ({
      key: story.key,
      summary: story.summary,
      criteria: story.acceptanceCriteria.map((criterion) => {
        const count = counts.get(`${story.id}\u0000${criterion.id}`) ?? { accepted: 0, draft: 0 };
        const state: CoverageState = count.accepted > 0 ? 'accepted' : count.draft > 0 ? 'draft' : 'none';
        totals[state] += 1;
        return { criterionId: criterion.id, text: criterion.text, state, ...count };
      }),
    }));
  return { stories: rows, totals };
}
