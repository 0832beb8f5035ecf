/**
 * The quality of stored cases as the review list keeps it: each case's score and findings,
 * computed when a case or its story changes and kept in storage, so the list filters and sorts by
 * them in the database. One function for the write path, the read path's refresh and the
 * migration that filled existing cases, so all three give the same answer.
 */
import type { Story, TestCase, TestCaseStatus } from './model.ts';
import {
  assessQuality,
  assessSingleCase,
  QualityRuleIdSchema,
  SCORE_WEIGHTS,
  type QualityFinding,
} from './quality/index.ts';

/** A stored case to score: its display id (`TC-3`) as `testCase.id`, and its review status. */
export interface CaseToScore {
  /** The stored case's id (the result is keyed by it). */
  id: string;
  status: TestCaseStatus;
  testCase: TestCase;
}

/** A case's score (0–100) and the findings about it. */
export interface StoredCaseQuality {
  score: number;
  findings: QualityFinding[];
}

/**
 * Raise when a rule's logic changes in a way that changes findings: stored scores computed under
 * another fingerprint are computed again on the next read. Adding or removing a rule or changing
 * the score weights changes the fingerprint by itself.
 */
const SCORER_REVISION = 1;

/** Short FNV-1a hash: the fingerprint is stored on every case row, so it stays small. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Which scorer computed a stored score: the rule ids, the weights and
 * `SCORER_REVISION`. A stored score with another fingerprint is stale.
 */
export const CASE_SCORER_FINGERPRINT = `${SCORER_REVISION}-${fnv1a(
  JSON.stringify([QualityRuleIdSchema.options, SCORE_WEIGHTS]),
)}`;

/**
 * Scores one story's stored cases as the story page does: its draft and accepted cases together
 * (so set-level rules such as near-duplicates see the whole story); a rejected case on its own with
 * the rules that read one case at a time.
 *
 * @example
 * scoreStoredCases(story, [{ id, status: 'draft', testCase }]).get(id) // { score: 75, findings: [...] }
 */
export function scoreStoredCases(
  story: Story,
  cases: readonly CaseToScore[],
): Map<string, StoredCaseQuality> {
  const live = cases.filter((entry) => entry.status !== 'rejected');
  const quality = assessQuality(
    live.map((entry) => entry.testCase),
    { story },
  );
  const byDisplayId = new Map(quality.cases.map((caseQuality) => [caseQuality.testCaseId, caseQuality]));
  const result = new Map<string, StoredCaseQuality>();
  for (const entry of cases) {
    const scored = entry.status === 'rejected' ? undefined : byDisplayId.get(entry.testCase.id);
    const { score, findings } = scored ?? assessSingleCase(entry.testCase, { story });
    result.set(entry.id, { score, findings });
  }
  return result;
}
