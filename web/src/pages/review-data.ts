/**
 * The review table's data: the filters and sort as the list route's query, and the loaded pages
 * (the first page on every change of the query, more by keyset cursor).
 */
import { useCallback, useEffect, useState } from 'react';
import { api, type ListedTestCase, type TestCaseListQuery, type TestCaseStatus } from '../api.ts';

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

interface Loaded {
  rows: ListedTestCase[];
  total: number;
  nextCursor: string | null;
}

/** The loaded rows of the query; `loadMore` appends the next page, `replace` swaps one changed case. */
export function useCasePages(project: string, query: TestCaseListQuery) {
  const key = JSON.stringify(query);
  const [loaded, setLoaded] = useState<Loaded & { key: string }>();
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setError(undefined);
    api.listTestCasePage(project, query).then(
      (page) =>
        current && setLoaded({ rows: page.testCases, total: page.total, nextCursor: page.nextCursor, key }),
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
    };
    // `key` stands for the query's content.
  }, [project, key, generation]);

  const loadMore = useCallback(async () => {
    if (!loaded?.nextCursor) return;
    try {
      const page = await api.listTestCasePage(project, { ...query, cursor: loaded.nextCursor });
      setLoaded((previous) =>
        previous && previous.key === key
          ? { ...previous, rows: [...previous.rows, ...page.testCases], nextCursor: page.nextCursor }
          : previous,
      );
    } catch (caught) {
      setError(caught);
    }
  }, [loaded, project, query, key]);

  const replace = useCallback((changed: ListedTestCase) => {
    setLoaded(
      (previous) =>
        previous && {
          ...previous,
          rows: previous.rows.map((row) => (row.id === changed.id ? { ...row, ...changed } : row)),
        },
    );
  }, []);

  return {
    rows: loaded?.key === key ? loaded.rows : undefined,
    total: loaded?.total ?? 0,
    hasMore: Boolean(loaded?.nextCursor),
    error,
    loadMore,
    replace,
    reload: useCallback(() => setGeneration((value) => value + 1), []),
  };
}
