/**
 * The review table's filters and sort as the list route's query: plain functions (no React), so the
 * entry script can send the first page's request before the app is loaded (early-requests.ts).
 */
import type { TestCaseListQuery, TestCaseStatus } from '../api.ts';

export type SortColumn = NonNullable<TestCaseListQuery['sort']>;
export type QualityRuleId = NonNullable<TestCaseListQuery['finding']>;

/** Every quality rule, for the findings filter: a record over the server's type, so none is missed. */
const ruleIds: Record<QualityRuleId, true> = {
  'result-restates-criterion': true,
  'broken-text': true,
  'step-not-actionable': true,
  'result-not-observable': true,
  'missing-result': true,
  'placeholder-data': true,
  'out-of-scope': true,
  'flow-too-short': true,
  'criterion-message-missing': true,
  'missing-boundary': true,
  'missing-negative': true,
  'enumeration-value-unused': true,
  'boundary-set-incomplete': true,
  'boundary-values-accumulate': true,
  'precondition-contradicts-story': true,
  'duplicate-steps': true,
  'near-duplicate': true,
  'duplicate-of-existing': true,
  'coverage-claim-unbacked': true,
  'gherkin-action-in-then': true,
  'gherkin-repeated-keyword': true,
  'boundary-set-not-outline': true,
};
export const QUALITY_RULES = Object.keys(ruleIds) as QualityRuleId[];

export interface ReviewFilters {
  storyKey: string;
  status: TestCaseStatus | '';
  kind: string;
  priority: string;
  engine: string;
  /** '' any, 'with' or 'without' findings, or one rule's id. */
  finding: '' | 'with' | 'without' | QualityRuleId;
  needsReview: boolean;
  search: string;
  sort: SortColumn;
  order: 'asc' | 'desc';
}

export const PAGE_SIZE = 100;

/** The filters a table starts with: a story's cases (if given) in `status` (any if blank), by key. */
export function initialFilters(
  storyKey: string | undefined,
  status: ReviewFilters['status'] | undefined,
): ReviewFilters {
  return {
    storyKey: storyKey ?? '',
    status: status ?? '',
    kind: '',
    priority: '',
    engine: '',
    finding: '',
    needsReview: false,
    search: '',
    sort: 'key',
    order: 'asc',
  };
}

/** The project Review tab's first status: one story's cases in every status, else the drafts. */
export function projectReviewStatus(story: string | undefined): ReviewFilters['status'] {
  return story ? '' : 'draft';
}

/** The list route's query of the filters (blank ones left out). */
export function queryOf(filters: ReviewFilters): TestCaseListQuery {
  const { finding } = filters;
  return {
    limit: String(PAGE_SIZE),
    ...(filters.storyKey ? { story: filters.storyKey } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.priority.trim() ? { priority: filters.priority.trim() } : {}),
    ...(filters.engine ? { engine: filters.engine } : {}),
    ...(finding === 'with' || finding === 'without'
      ? { hasFindings: finding === 'with' ? 'true' : 'false' }
      : {}),
    ...(finding && finding !== 'with' && finding !== 'without' ? { finding } : {}),
    ...(filters.needsReview ? { needsReview: 'true' } : {}),
    ...(filters.search.trim() ? { q: filters.search.trim() } : {}),
    ...(filters.sort === 'key' && filters.order === 'asc'
      ? {}
      : { sort: filters.sort, order: filters.order }),
  };
}
