/**
 * Migration 0012: a page of a project's cases with one status walks the
 * `(story_id, status, case_number)` index, and a page of stories reads its coverage from the
 * `(story_id, status, needs_review, covers)` index alone. The plans are those of the queries the
 * repositories build, captured as they run.
 */
import { sql, type Kysely, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { expect, it } from 'vitest';
import { createStoryRepository } from '../../src/storage/repositories/stories.ts';
import { listTestCaseRows } from '../../src/storage/repositories/test-case-listing.ts';
import type { DatabaseSchema } from '../../src/storage/schema.ts';
import { describeStorageSuite, seedProjectAndStory, testCaseContent } from './storage-setup.ts';

/** A handle on `database` that keeps every query it runs, to explain them afterwards. */
function capturing(database: Kysely<DatabaseSchema>) {
  const queries: RootOperationNode[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      queries.push(args.node);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { database: database.withPlugin(plugin), queries };
}

/** The plan of a captured query (PostgreSQL told not to read tables in order). */
async function explain(
  database: Kysely<DatabaseSchema>,
  dialect: string,
  node: RootOperationNode,
): Promise<string> {
  const compiled = database.getExecutor().compileQuery(node, { queryId: 'explain' });
  const parameters = compiled.parameters as unknown[];
  if (dialect === 'sqlite') {
    const rows = await sql<{
      detail: string;
    }>`explain query plan ${sql.raw(inline(compiled.sql, parameters, '?'))}`.execute(database);
    return rows.rows.map((row) => row.detail).join('\n');
  }
  return database.connection().execute(async (connection) => {
    await sql`set enable_seqscan = off`.execute(connection);
    try {
      const rows = await sql<{
        'QUERY PLAN': string;
      }>`explain ${sql.raw(inline(compiled.sql, parameters, '$'))}`.execute(connection);
      return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await sql`reset enable_seqscan`.execute(connection);
    }
  });
}

/** The query with its parameters written in as literals (the tests' own values only). */
function inline(text: string, parameters: unknown[], placeholder: '?' | '$'): string {
  const literal = (value: unknown) =>
    typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  if (placeholder === '?') {
    let index = 0;
    return text.replace(/\?/g, () => literal(parameters[index++]));
  }
  return text.replace(/\$(\d+)/g, (_, number: string) => literal(parameters[Number(number) - 1]));
}

describeStorageSuite('review list indexes', (suite) => {
  async function seed() {
    const { project, story } = await seedProjectAndStory(suite.storage, 'SHOP-1');
    const cases = await suite.storage.testCases.insertMany(
      ['a', 'b', 'c', 'd'].map((title) => ({
        projectId: project.id,
        storyId: story.id,
        ...testCaseContent(title),
      })),
    );
    await suite.storage.testCases.setStatus(cases[0]!.id, 'accepted');
    return { project, story };
  }

  it('pages through the cases of one status from the (story_id, status, case_number) index', async () => {
    const { project } = await seed();
    const { database, queries } = capturing(suite.database);
    const rows = await listTestCaseRows(database, {
      projectId: project.id,
      status: 'accepted',
      limit: 50,
      offset: 0,
    });
    expect(rows.map((row) => row.title)).toEqual(['a']);
    const plan = await explain(suite.database, suite.dialect, queries.at(-1)!);
    // SQLite walks that index in case order; PostgreSQL picks either new index on (story_id,
    // status) and sorts the page, instead of reading every case of a story to filter its status.
    if (suite.dialect === 'sqlite') expect(plan).toContain('test_cases_story_status_number_index');
    else expect(plan).toMatch(/Index Cond: \(\(story_id = stories\.id\) AND \(status = 'accepted'/);
  });

  it('reads the coverage of a page of stories from the coverage index alone', async () => {
    const { story } = await seed();
    const { database, queries } = capturing(suite.database);
    const stories = createStoryRepository({
      database,
      dialect: suite.dialect,
      now: () => new Date().toISOString(),
      nowMilliseconds: () => Date.now(),
      secretBox: () => Promise.reject(new Error('no secrets here')),
    });
    const groups = await stories.coverageGroups([story.id]);
    expect(groups.reduce((sum, group) => sum + group.count, 0)).toBe(4);
    const plan = await explain(suite.database, suite.dialect, queries.at(-1)!);
    expect(plan).toContain('test_cases_story_coverage_index');
    if (suite.dialect === 'sqlite') expect(plan).toContain('COVERING INDEX');
    else expect(plan).toContain('Index Only Scan');
  });
});
