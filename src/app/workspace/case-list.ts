/**
 * The review list of stored cases: filters, words, order, keyset or offset pages, and the quality
 * of each case on the page. Filters and orders on stored columns run in the database; the ones on
 * quality (score, findings) score the filtered cases on read (see `qualityOrderedPage`).
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
import { storiesOf, withStoryKeys, type TestCaseView } from './case-lookup.ts';
import { qualityOfCases, type TestCaseQuality } from './case-quality.ts';
import { requireProject, requireStory, type WorkspaceContext } from './context.ts';

/** The list's columns to sort by: the stored ones, and `quality` (the score, computed on read). */
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
  /** Only cases with a finding of this quality rule (scores the filtered cases on read). */
  findingRule?: QualityRuleId;
  /** true: only cases with findings; false: only those without (scores the filtered cases on read). */
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
  /**
   * Add each case's quality score and findings. Off by default: it scores every story on the page
   * (about 2 ms a story), which a plain list should not pay.
   */
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
  };
}

/** The page's cases with their story keys, and their quality when asked. */
async function views(
  storage: Storage,
  records: readonly TestCaseRecord[],
  withQuality: boolean,
): Promise<CaseListPage['testCases']> {
  const stories = await storiesOf(storage, records);
  const listed = withStoryKeys(records, stories);
  if (!withQuality) return listed;
  const quality = await qualityOfCases(storage, records, stories);
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

function storedSortValue(record: TestCaseRecord, sortBy: TestCaseSortColumn): string | undefined {
  if (sortBy === 'key') return undefined;
  return sortBy === 'updatedAt' ? record.updatedAt : record[sortBy];
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
  if (sortBy === 'quality' || filter.findingRule !== undefined || filter.hasFindings !== undefined)
    return qualityOrderedPage(storage, query, filter, { sortBy, order, limit });
  const after = filter.cursor === undefined ? undefined : decodeListCursor(filter.cursor, sortBy, order);
  const [records, total] = await Promise.all([
    // One case more than asked: whether it exists says if there is a next page.
    storage.testCases.list({
      ...query,
      sort: { by: sortBy, order },
      limit: limit + 1,
      ...(after === undefined
        ? { offset: filter.offset ?? 0 }
        : { after: { ...after, value: String(after.value ?? '') } as TestCaseListPosition }),
    }),
    storage.testCases.count(query),
  ]);
  const page = records.slice(0, limit);
  const testCases = await views(storage, page, filter.withQuality ?? false);
  const last = testCases.at(-1);
  return {
    testCases,
    total,
    nextCursor:
      records.length > limit && last
        ? cursorOf(last, sortBy, order, storedSortValue(last, sortBy as TestCaseSortColumn))
        : null,
  };
}

/**
 * A page filtered or sorted by quality. The score depends on the story's other cases (duplicates),
 * so it is not stored: every case the stored filters match is scored (each story once, about
 * 2 ms), then filtered and ordered by score, then key. `bench/review-table.ts` measures it.
 */
async function qualityOrderedPage(
  storage: Storage,
  query: TestCaseFilter,
  filter: CaseListFilter,
  sort: { sortBy: CaseListSortColumn; order: 'asc' | 'desc'; limit: number },
): Promise<CaseListPage> {
  const { sortBy, order, limit } = sort;
  const storedSort = sortBy === 'quality' ? 'key' : sortBy;
  const records = await storage.testCases.list({ ...query, sort: { by: storedSort, order } });
  let scored = (await views(storage, records, true)) as Array<TestCaseView & { quality: TestCaseQuality }>;
  if (filter.findingRule !== undefined)
    scored = scored.filter((view) =>
      view.quality.findings.some((finding) => finding.rule === filter.findingRule),
    );
  if (filter.hasFindings !== undefined)
    scored = scored.filter((view) => view.quality.findings.length > 0 === filter.hasFindings);
  if (sortBy === 'quality') {
    const direction = order === 'desc' ? -1 : 1;
    // A stable sort: equal scores keep the key order.
    scored.sort((left, right) => direction * (left.quality.score - right.quality.score));
  }
  let start = filter.offset ?? 0;
  if (filter.cursor !== undefined) {
    const after = decodeListCursor(filter.cursor, sortBy, order);
    start = scored.findIndex((view) => view.id === after.id) + 1;
  }
  const page = scored.slice(start, start + limit);
  const last = page.at(-1);
  return {
    testCases: page,
    total: scored.length,
    nextCursor:
      start + limit < scored.length && last
        ? cursorOf(last, sortBy, order, sortBy === 'quality' ? last.quality.score : undefined)
        : null,
  };
}
