/**
 * The review list of stored cases: filters, words, order, keyset or offset pages, and the quality
 * of each case on the page. Every filter and order runs in the database, the ones on quality
 * (score, finding rule, has findings) on the quality storage keeps with each case.
 */
import { z } from 'zod';
import type {
  Engine,
  QualityRuleId,
  TestCaseFilter,
  TestCaseListPosition,
  TestCaseRecord,
  TestCaseSortColumn,
  TestCaseStatus,
  TestKind,
} from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { viewsOf, type TestCaseView } from './case-lookup.ts';
import { qualityOfCases, type TestCaseQuality } from './case-quality.ts';
import { requireProject, requireStory, type WorkspaceContext } from './context.ts';

/** The list's columns to sort by: the stored ones, and `quality` (the stored quality score). */
export type CaseListSortColumn = TestCaseSortColumn | 'quality';

export interface CaseListFilter {
  projectName?: string;
  /** Needs `projectName`. */
  storyKey?: string;
  status?: TestCaseStatus | TestCaseStatus[];
  needsReview?: boolean;
  kinds?: TestKind[];
  priorities?: string[];
  engines?: Engine[];
  /** Words in the title, the steps or the Gherkin (case-insensitive). */
  search?: string;
  /** Only cases with a finding of this quality rule. */
  findingRule?: QualityRuleId;
  /** true: only cases with findings; false: only those without. */
  hasFindings?: boolean;
  /** Default `key` (story key, then case number). */
  sortBy?: CaseListSortColumn;
  /** Default `asc`. */
  order?: 'asc' | 'desc';
  /** Default 500. */
  limit?: number;
  offset?: number;
  /**
   * Keyset paging: the `nextCursor` of the previous page, asked with the same filters and order;
   * the page starts just after it. Deep pages cost as little as the first. Not with `offset`.
   */
  cursor?: string;
  /** Add each case's stored quality score and findings. Off by default (one more query). */
  withQuality?: boolean;
}

/** A page of cases; `nextCursor` asks for the next page, null on the last one. */
export interface CaseListPage {
  /** `quality` is there when the list asked for it (`withQuality`) or filtered or sorted by it. */
  testCases: Array<TestCaseView & { quality?: TestCaseQuality }>;
  /** How many cases the filter matches (every page). */
  total: number;
  nextCursor: string | null;
}

const DEFAULT_LIST_LIMIT = 500;

/** A cursor: the sort it belongs to and the last case's place in it. */
const ListCursorSchema = z.object({
  sort: z.string(),
  order: z.enum(['asc', 'desc']),
  storyKey: z.string(),
  caseNumber: z.number().int(),
  id: z.string(),
  value: z.union([z.string(), z.number()]).optional(),
});
type ListCursor = z.infer<typeof ListCursorSchema>;

function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeListCursor(cursor: string, sortBy: CaseListSortColumn, order: 'asc' | 'desc'): ListCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const position = ListCursorSchema.safeParse(parsed);
  if (!position.success) {
    throw new InvalidInputError(`The cursor "${cursor.slice(0, 80)}" is not one a case list gave.`, {
      fix: 'Pass the nextCursor of the previous page unchanged, or leave the cursor out to start at the first page.',
    });
  }
  if (position.data.sort !== sortBy || position.data.order !== order) {
    throw new InvalidInputError(
      `The cursor belongs to a list sorted by ${position.data.sort} (${position.data.order}), not by ${sortBy} (${order}).`,
      { fix: 'Ask for the next page with the same order as the previous one, or leave the cursor out.' },
    );
  }
  return position.data;
}

/** The repository query of a list filter: the project and story named, the stored filters. */
async function caseQuery(storage: Storage, filter: CaseListFilter): Promise<TestCaseFilter> {
  let projectId: string | undefined;
  let storyId: string | undefined;
  if (filter.projectName !== undefined) {
    const project = await requireProject(storage, filter.projectName);
    projectId = project.id;
    if (filter.storyKey !== undefined) storyId = (await requireStory(storage, project, filter.storyKey)).id;
  } else if (filter.storyKey !== undefined) {
    throw new InvalidInputError('A story filter needs its project.', { fix: 'Name the project as well.' });
  }
  return {
    ...(projectId ? { projectId } : {}),
    ...(storyId ? { storyId } : {}),
    ...(filter.status === undefined ? {} : { status: filter.status }),
    ...(filter.needsReview === undefined ? {} : { needsReview: filter.needsReview }),
    ...(filter.kinds === undefined ? {} : { kinds: filter.kinds }),
    ...(filter.priorities === undefined ? {} : { priorities: filter.priorities }),
    ...(filter.engines === undefined ? {} : { engines: filter.engines }),
    ...(filter.search?.trim() ? { search: filter.search.trim() } : {}),
    ...(filter.findingRule === undefined ? {} : { findingRule: filter.findingRule }),
    ...(filter.hasFindings === undefined ? {} : { hasFindings: filter.hasFindings }),
  };
}

/** The page's cases with their story keys, and their quality when asked. */
async function views(
  storage: Storage,
  records: readonly TestCaseRecord[],
  withQuality: boolean,
): Promise<CaseListPage['testCases']> {
  const listed = await viewsOf(storage, records);
  if (!withQuality) return listed;
  const quality = await qualityOfCases(storage, records);
  return listed.map((view) => ({ ...view, quality: quality.get(view.id) ?? { score: 0, findings: [] } }));
}

function cursorOf(
  view: TestCaseView,
  sortBy: CaseListSortColumn,
  order: 'asc' | 'desc',
  value?: string | number,
) {
  return encodeListCursor({
    sort: sortBy,
    order,
    storyKey: view.storyKey,
    caseNumber: view.caseNumber,
    id: view.id,
    ...(value === undefined ? {} : { value }),
  });
}

function sortValue(
  view: CaseListPage['testCases'][number],
  sortBy: CaseListSortColumn,
): string | number | undefined {
  if (sortBy === 'key') return undefined;
  if (sortBy === 'quality') return view.quality?.score ?? 0;
  return sortBy === 'updatedAt' ? view.updatedAt : view[sortBy];
}

/** Counts per storage, keyed by project, revision and filter (bounded; oldest dropped first). */
const COUNTS_KEPT = 512;
const countsByStorage = new WeakMap<Storage, Map<string, number>>();

/**
 * The filter's `total`, counted once per project revision: every page after the first asks for the
 * same total, and at 100,000 cases the count is most of a deep page's time. The revision is read
 * from the database (raised on every change to the project, its stories or its cases: by the
 * triggers of migration 0010, and on SQLite by the case insert for new cases, 0013), so a count is never reused after a change, also one another server made.
 */
async function countOnce(storage: Storage, projectName: string | undefined, query: TestCaseFilter) {
  const project = projectName === undefined ? undefined : await storage.projects.revisionByName(projectName);
  if (project === undefined || project.id !== query.projectId) return storage.testCases.count(query);
  let counts = countsByStorage.get(storage);
  if (!counts) countsByStorage.set(storage, (counts = new Map()));
  const key = `${project.id}:${project.revision}:${JSON.stringify(query)}`;
  const kept = counts.get(key);
  if (kept !== undefined) return kept;
  const total = await storage.testCases.count(query);
  if (counts.size >= COUNTS_KEPT) counts.delete(counts.keys().next().value as string);
  counts.set(key, total);
  return total;
}

export async function listCases(context: WorkspaceContext, filter: CaseListFilter): Promise<CaseListPage> {
  const storage = await context.storage();
  const query = await caseQuery(storage, filter);
  if (filter.cursor !== undefined && filter.offset) {
    throw new InvalidInputError('A page is asked for by cursor or by offset, not both.', {
      fix: 'Drop the offset: the cursor already says where the page starts.',
    });
  }
  const sortBy = filter.sortBy ?? 'key';
  const order = filter.order ?? 'asc';
  const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
  const byQuality =
    sortBy === 'quality' || filter.findingRule !== undefined || filter.hasFindings !== undefined;
  // Scores stored by another scorer (the quality rules changed) are computed again first.
  if (byQuality)
    await storage.testCases.refreshQuality(
      query.storyId ? { storyIds: [query.storyId] } : query.projectId ? { projectId: query.projectId } : {},
    );
  const after = filter.cursor === undefined ? undefined : decodeListCursor(filter.cursor, sortBy, order);
  const [records, total] = await Promise.all([
    // One case more than asked: whether it exists says if there is a next page.
    storage.testCases.list({
      ...query,
      sort: sortBy === 'quality' ? { by: 'quality', order } : { by: sortBy, order },
      limit: limit + 1,
      ...(after === undefined
        ? { offset: filter.offset ?? 0 }
        : { after: { ...after, value: String(after.value ?? '') } as TestCaseListPosition }),
    }),
    countOnce(storage, filter.projectName, query),
  ]);
  const page = records.slice(0, limit);
  const testCases = await views(storage, page, byQuality || (filter.withQuality ?? false));
  const last = testCases.at(-1);
  return {
    testCases,
    total,
    nextCursor:
      records.length > limit && last ? cursorOf(last, sortBy, order, sortValue(last, sortBy)) : null,
  };
}
