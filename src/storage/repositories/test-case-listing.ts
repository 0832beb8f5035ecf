/**
 * The case list's query: filters (story, status, needs review, kind, priority, engine, words),
 * order (by key, or by one column then id) and keyset paging through either order.
 */
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import type {
  TestCaseFilter,
  TestCaseListPosition,
  TestCaseRecord,
  TestCaseSortColumn,
} from '../../core/repositories.ts';
import type { DatabaseSchema } from '../schema.ts';
import { RECORD_COLUMNS, type RecordRow } from './test-case-rows.ts';

type CaseQuery<Tables extends keyof DatabaseSchema> = SelectQueryBuilder<DatabaseSchema, Tables, object>;

/** The column of each sort other than `key`; each is a plain column of `test_cases`. */
const SORT_COLUMNS = {
  title: 'test_cases.title',
  kind: 'test_cases.kind',
  priority: 'test_cases.priority',
  status: 'test_cases.status',
  engine: 'test_cases.engine',
  updatedAt: 'test_cases.updated_at',
} as const satisfies Record<Exclude<TestCaseSortColumn, 'key'>, string>;

/** The value a keyset cursor keeps for a case under a sort other than `key`. */
export function sortValueOf(testCase: TestCaseRecord, by: TestCaseSortColumn): string | undefined {
  switch (by) {
    case 'key':
      return undefined;
    case 'updatedAt':
      return testCase.updatedAt;
    default:
      return testCase[by];
  }
}

/** `LIKE` pattern for words anywhere in a text, with `%`, `_` and `\` taken literally. */
function containsPattern(words: string): string {
  return `%${words.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * The filter's conditions on `test_cases` (no story or project condition: the callers add those
 * the way their index wants them).
 */
export function withCaseConditions<
  Query extends CaseQuery<'test_cases'> | CaseQuery<'stories' | 'test_cases'>,
>(query: Query, filter: TestCaseFilter): Query | undefined {
  let result = query as unknown as CaseQuery<'test_cases'>;
  if (filter.storyIds !== undefined) {
    if (filter.storyIds.length === 0) return undefined;
    result = result.where('test_cases.story_id', 'in', [...filter.storyIds]);
  }
  if (filter.status !== undefined) {
    const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
    if (statuses.length === 0) return undefined;
    result = result.where('test_cases.status', 'in', statuses);
  }
  if (filter.needsReview !== undefined)
    result = result.where('test_cases.needs_review', '=', filter.needsReview ? 1 : 0);
  for (const [column, values] of [
    ['test_cases.kind', filter.kinds],
    ['test_cases.priority', filter.priorities],
    ['test_cases.engine', filter.engines],
  ] as const) {
    if (values === undefined) continue;
    if (values.length === 0) return undefined;
    result = result.where(column, 'in', [...values]);
  }
  if (filter.findingRule !== undefined) {
    const rule = filter.findingRule;
    // Through the (test_case_id, rule) primary key: one index probe a case.
    result = result.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('test_case_findings')
          .select('test_case_findings.rule')
          .whereRef('test_case_findings.test_case_id', '=', 'test_cases.id')
          .where('test_case_findings.rule', '=', rule),
      ),
    );
  }
  if (filter.hasFindings !== undefined)
    result = result.where('test_cases.quality_finding_count', filter.hasFindings ? '>' : '=', 0);
  const words = filter.search?.trim();
  if (words) {
    const pattern = containsPattern(words);
    result = result.where(({ or }) =>
      or(
        (['test_cases.title', 'test_cases.steps', 'test_cases.gherkin'] as const).map(
          (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  return result as unknown as Query;
}

/**
 * Keyset condition and order of a sort other than `key`: `(column, id)` after the cursor's case,
 * in the sort's direction.
 */
function byColumn<Tables extends 'test_cases'>(
  query: CaseQuery<Tables>,
  by: Exclude<TestCaseSortColumn, 'key'>,
  descending: boolean,
  after: TestCaseListPosition | undefined,
): CaseQuery<Tables> {
  const column = SORT_COLUMNS[by];
  const beyond = descending ? '<' : '>';
  let result = query as unknown as CaseQuery<'test_cases'>;
  if (after !== undefined) {
    const value = after.value ?? '';
    result = result.where((expression: ExpressionBuilder<DatabaseSchema, 'test_cases'>) =>
      expression.or([
        expression(column, beyond, value),
        expression.and([expression(column, '=', value), expression('test_cases.id', beyond, after.id)]),
      ]),
    );
  }
  const direction = descending ? 'desc' : 'asc';
  return result
    .orderBy(column, direction)
    .orderBy('test_cases.id', direction) as unknown as CaseQuery<Tables>;
}

/** Keyset condition and order of one story's cases by case number. */
function byCaseNumber<Tables extends 'test_cases'>(
  query: CaseQuery<Tables>,
  descending: boolean,
  after: TestCaseListPosition | undefined,
): CaseQuery<Tables> {
  const [beyond, reaching] = descending ? (['<', '<='] as const) : (['>', '>='] as const);
  let result = query as unknown as CaseQuery<'test_cases'>;
  if (after !== undefined) {
    result = result.where((expression) =>
      expression.and([
        expression('test_cases.case_number', reaching, after.caseNumber),
        expression.or([
          expression('test_cases.case_number', beyond, after.caseNumber),
          expression('test_cases.id', beyond, after.id),
        ]),
      ]),
    );
  }
  const direction = descending ? 'desc' : 'asc';
  return result
    .orderBy('test_cases.case_number', direction)
    .orderBy('test_cases.id', direction) as unknown as CaseQuery<Tables>;
}

/**
 * Cases of several stories in story-key order. Stories come first (`CROSS JOIN` makes SQLite
 * keep that order), read in key order from the `(project_id, key)` index, and each story's cases
 * from the `(story_id, case_number)` index: pages come out already sorted instead of sorting
 * every case of the project. PostgreSQL plans it as an ordinary join.
 */
function byStoryKey(
  database: Kysely<DatabaseSchema>,
  filter: TestCaseFilter,
  descending: boolean,
): CaseQuery<'stories' | 'test_cases'> | undefined {
  let query = database
    .selectFrom('stories')
    .crossJoin('test_cases')
    .whereRef('test_cases.story_id', '=', 'stories.id');
  if (filter.projectId !== undefined) query = query.where('stories.project_id', '=', filter.projectId);
  const conditioned = withCaseConditions(query, filter);
  if (!conditioned) return undefined;
  const after = filter.after;
  const [beyond, reaching] = descending ? (['<', '<='] as const) : (['>', '>='] as const);
  const direction = descending ? 'desc' : 'asc';
  return (
    conditioned
      // `key >=` alone gives the index a range to seek to; the rest skips the cases of the
      // cursor's own story up to it.
      .$if(after !== undefined, (ordered) =>
        ordered.where((expression) =>
          expression.and([
            expression('stories.key', reaching, after!.storyKey),
            expression.or([
              expression('stories.key', beyond, after!.storyKey),
              expression('test_cases.case_number', beyond, after!.caseNumber),
              expression.and([
                expression('test_cases.case_number', '=', after!.caseNumber),
                expression('test_cases.id', beyond, after!.id),
              ]),
            ]),
          ]),
        ),
      )
      .orderBy('stories.key', direction)
      .orderBy('test_cases.case_number', direction)
      .orderBy('test_cases.id', direction)
  );
}

/**
 * Cases by stored quality score, ties in key order (story key, case number, id) ascending
 * whichever the direction, as the list always showed them. Keyset: a lower (or higher) score, or
 * the same score and a later key, compared as one row value (both dialects read it).
 */
function byQualityScore(
  database: Kysely<DatabaseSchema>,
  filter: TestCaseFilter,
  descending: boolean,
): CaseQuery<'stories' | 'test_cases'> | undefined {
  let query = database.selectFrom('stories').innerJoin('test_cases', 'test_cases.story_id', 'stories.id');
  if (filter.storyId !== undefined) query = query.where('test_cases.story_id', '=', filter.storyId);
  else if (filter.projectId !== undefined)
    query = query.where('test_cases.project_id', '=', filter.projectId);
  const conditioned = withCaseConditions(query, filter);
  if (!conditioned) return undefined;
  const after = filter.after;
  const score = sql.ref('test_cases.quality_score');
  return conditioned
    .$if(after !== undefined, (ordered) =>
      ordered.where(({ or, and, eb }) => {
        const value = Number(after!.value);
        const keyAfter = sql<boolean>`(${sql.ref('stories.key')}, ${sql.ref('test_cases.case_number')}, ${sql.ref('test_cases.id')}) > (${after!.storyKey}, ${after!.caseNumber}, ${after!.id})`;
        return or([eb(score, descending ? '<' : '>', value), and([eb(score, '=', value), keyAfter])]);
      }),
    )
    .orderBy('test_cases.quality_score', descending ? 'desc' : 'asc')
    .orderBy('stories.key', 'asc')
    .orderBy('test_cases.case_number', 'asc')
    .orderBy('test_cases.id', 'asc');
}

/**
 * The filter as conditions on `test_cases` alone. Counting and listing one story's cases need no
 * join, and with `storyId` the project condition is left to the story (its project is fixed), so
 * the database uses the `(story_id, case_number)` index instead of reading the whole project.
 */
export function filtered(database: Kysely<DatabaseSchema>, filter: TestCaseFilter) {
  let query = database.selectFrom('test_cases');
  if (filter.storyId !== undefined) query = query.where('test_cases.story_id', '=', filter.storyId);
  else if (filter.projectId !== undefined)
    query = query.where('test_cases.project_id', '=', filter.projectId);
  return withCaseConditions(query, filter);
}

/** With both a story and a project, the story must belong to the project. */
export async function storyOutsideProject(
  database: Kysely<DatabaseSchema>,
  filter: TestCaseFilter,
): Promise<boolean> {
  if (filter.storyId === undefined || filter.projectId === undefined) return false;
  const story = await database
    .selectFrom('stories')
    .select('project_id')
    .where('id', '=', filter.storyId)
    .executeTakeFirst();
  return story?.project_id !== filter.projectId;
}

/** The rows of the filter's cases in its order, from `after` on, `limit` and `offset` applied. */
export async function listTestCaseRows(
  database: Kysely<DatabaseSchema>,
  filter: TestCaseFilter = {},
): Promise<RecordRow[]> {
  const base = filtered(database, filter);
  if (!base || (await storyOutsideProject(database, filter))) return [];
  const sort = filter.sort ?? { by: 'key', order: 'asc' };
  const descending = sort.order === 'desc';
  let query: CaseQuery<'test_cases'> | CaseQuery<'stories' | 'test_cases'> | undefined;
  if (sort.by === 'quality') query = byQualityScore(database, filter, descending);
  else if (sort.by !== 'key') query = byColumn(base, sort.by, descending, filter.after);
  // One story: its cases in order straight from the (story_id, case_number) index. Several:
  // by story key, which needs the stories table.
  else if (filter.storyId !== undefined) query = byCaseNumber(base, descending, filter.after);
  else query = byStoryKey(database, filter, descending);
  if (!query) return [];
  // Both shapes read the same `test_cases` columns; the join only orders them.
  let selected = (query as CaseQuery<'test_cases'>).select(
    RECORD_COLUMNS.map((column) => `test_cases.${column}` as const),
  );
  if (filter.limit !== undefined || filter.offset)
    selected = selected.limit(filter.limit ?? Number.MAX_SAFE_INTEGER);
  if (filter.offset) selected = selected.offset(filter.offset);
  return await selected.execute();
}
