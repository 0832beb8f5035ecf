/**
 * The review table's data: the loaded pages of the filters' query (the first page on every change
 * of the query, more by keyset cursor). The filters and the query are in review-query.ts.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ListedTestCase, type TestCaseListPage, type TestCaseListQuery } from '../api.ts';
import { earlyKeys, takeEarly, takeEarlyAnswer } from '../early-requests.ts';

interface Loaded {
  rows: ListedTestCase[];
  total: number;
  nextCursor: string | null;
}

/** The loaded rows of the query; `loadMore` appends the next page, `replace` swaps one changed case. */
export function useCasePages(project: string, query: TestCaseListQuery) {
  const key = JSON.stringify(query);
  // The first page, when the entry script asked for it and it has arrived: rows on the first render.
  const [loaded, setLoaded] = useState<(Loaded & { key: string }) | undefined>(() => {
    const page = takeEarlyAnswer<TestCaseListPage>(earlyKeys.testCases(project, query));
    return page && { rows: page.testCases, total: page.total, nextCursor: page.nextCursor, key };
  });
  const startedLoaded = useRef(loaded !== undefined);
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (startedLoaded.current) {
      startedLoaded.current = false;
      return;
    }
    let current = true;
    setError(undefined);
    takeEarly(earlyKeys.testCases(project, query), () => api.listTestCasePage(project, query)).then(
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
