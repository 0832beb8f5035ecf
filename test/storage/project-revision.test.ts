/**
 * Migration 0010: the triggers that raise a project's revision on every change its pages show,
 * and the index that counts the cases marked for review without reading every case. Migration
 * 0013: on SQLite, new cases raise it from the insert itself, one update per project.
 */
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { down, up } from '../../src/storage/migrations/0013-case-insert-revision.ts';
import type { DatabaseSchema } from '../../src/storage/schema.ts';
import { describeStorageSuite, seedProjectAndStory, testCaseContent } from './storage-setup.ts';

describeStorageSuite('project revision', (suite) => {
  const revision = async (name = 'Shop') => (await suite.storage.projects.revisionByName(name))?.revision;

  /** Runs the change and says whether the project's revision rose. */
  async function raises(change: () => Promise<unknown>, name = 'Shop'): Promise<boolean> {
    const before = await revision(name);
    await change();
    return (await revision(name))! > before!;
  }

  it('rises on every change to the project, its stories and its test cases, and only its own', async () => {
    const { project, story } = await seedProjectAndStory(suite.storage, 'SHOP-1');
    const other = await suite.storage.projects.create({ name: 'Other' });
    expect(await suite.storage.projects.revisionByName('Nowhere')).toBeUndefined();
    expect((await suite.storage.projects.revisionByName('Shop'))?.id).toBe(project.id);

    let ids: string[] = [];
    expect(
      await raises(async () => {
        const cases = await suite.storage.testCases.insertMany([
          { projectId: project.id, storyId: story.id, ...testCaseContent('a') },
          { projectId: project.id, storyId: story.id, ...testCaseContent('b') },
        ]);
        ids = cases.map((testCase) => testCase.id);
      }),
    ).toBe(true);
    expect(await raises(() => suite.storage.testCases.setStatus(ids[0]!, 'accepted'))).toBe(true);
    expect(await raises(() => suite.storage.testCases.markNeedsReview(story.id, ['AC-1'], 'changed'))).toBe(
      true,
    );
    expect(await raises(() => suite.storage.testCases.remove(ids[1]!))).toBe(true);
    expect(await raises(() => seedProjectAndStory(suite.storage, 'SHOP-2'))).toBe(true);
    expect(await raises(() => suite.storage.projects.update(project.id, { defaultFormat: 'bdd' }))).toBe(
      true,
    );
    expect(await raises(() => suite.storage.stories.remove(story.id))).toBe(true);

    const untouched = await revision('Other');
    await seedProjectAndStory(suite.storage, 'SHOP-3');
    expect(await revision('Other')).toBe(untouched);
    expect(await raises(() => suite.storage.projects.update(other.id, { name: 'Other' }), 'Other')).toBe(
      true,
    );
  });

  it('rises by the number of new cases on SQLite (without a row trigger) and once a transaction on PostgreSQL', async () => {
    const { project, story } = await seedProjectAndStory(suite.storage, 'SHOP-1');
    const otherProject = await suite.storage.projects.create({ name: 'Other' });
    const otherStory = await suite.storage.stories.save(otherProject.id, { ...story, key: 'OTHER-1' });
    const other = { project: otherProject, story: otherStory };
    const before = { shop: await revision(), other: await revision('Other') };
    await suite.storage.testCases.insertMany([
      { projectId: project.id, storyId: story.id, ...testCaseContent('a') },
      { projectId: other.project.id, storyId: other.story.id, ...testCaseContent('b') },
      { projectId: project.id, storyId: story.id, ...testCaseContent('c') },
    ]);
    const sqlite = suite.dialect === 'sqlite';
    expect(await revision()).toBe(before.shop! + (sqlite ? 2 : 1));
    expect(await revision('Other')).toBe(before.other! + 1);
    if (!sqlite) return;
    expect(await insertTriggers(suite.database)).toEqual([]);
    await down(suite.database);
    expect(await insertTriggers(suite.database)).toEqual(['test_cases_insert_revision']);
    await up(suite.database);
    expect(await insertTriggers(suite.database)).toEqual([]);
  });

  it('rises when the default provider goes (the project shows its name)', async () => {
    const provider = await suite.storage.providers.save({
      name: 'local',
      baseUrl: 'http://127.0.0.1:1/v1',
      model: 'm',
    });
    await suite.storage.projects.create({ name: 'Shop', defaultProviderId: provider.id });
    expect(await raises(() => suite.storage.providers.remove('local'))).toBe(true);
  });

  it('counts the cases marked for review from the (project_id, needs_review) index', async () => {
    await seedProjectAndStory(suite.storage, 'SHOP-1');
    const plan = await explainMarkedCount(suite.database, suite.dialect);
    expect(plan).toContain('test_cases_project_needs_review_index');
  });

  // PostgreSQL only: SQLite has one writer at a time.
  if (suite.dialect === 'postgres')
    it('raises the revision at commit, so a writer that locks the story first does not deadlock with one that wrote a case first', async () => {
      const { story } = await seedProjectAndStory(suite.storage, 'SHOP-1');
      const [first, second] = await suite.storage.testCases.insertMany([
        { projectId: story.projectId, storyId: story.id, ...testCaseContent('a') },
        { projectId: story.projectId, storyId: story.id, ...testCaseContent('b') },
      ]);
      const before = await revision();
      const signal = () => {
        let open!: () => void;
        const opened = new Promise<void>((resolve) => (open = resolve));
        return { open, opened };
      };
      const firstWrote = signal();
      const secondLocked = signal();
      const touch = (transaction: Kysely<DatabaseSchema>, id: string) =>
        transaction
          .updateTable('test_cases')
          .set({ updated_at: new Date().toISOString() })
          .where('id', '=', id)
          .execute();
      const lockStory = (transaction: Kysely<DatabaseSchema>) =>
        transaction.selectFrom('stories').select('id').where('id', '=', story.id).forUpdate().execute();
      // Writes a case, then locks the story (waits for the other transaction to commit).
      const writerA = suite.database.transaction().execute(async (transaction) => {
        await touch(transaction, first!.id);
        firstWrote.open();
        await secondLocked.opened;
        await lockStory(transaction);
      });
      // Locks the story, then writes a case: with an immediate trigger this write would wait
      // for the project row held by writer A, which waits for the story: a deadlock.
      const writerB = suite.database.transaction().execute(async (transaction) => {
        await firstWrote.opened;
        await lockStory(transaction);
        secondLocked.open();
        await touch(transaction, second!.id);
      });
      await expect(Promise.all([writerA, writerB])).resolves.toBeDefined();
      expect(await revision()).toBe(before! + 2);
    });
});

/** The plan of the count `caseCounts` runs (PostgreSQL told not to read the table in order). */
async function explainMarkedCount(database: Kysely<DatabaseSchema>, dialect: string): Promise<string> {
  const count = sql`select count(*) from test_cases where project_id = ${'x'} and needs_review = ${1}`;
  if (dialect === 'sqlite') {
    const rows = await sql<{ detail: string }>`explain query plan ${count}`.execute(database);
    return rows.rows.map((row) => row.detail).join('\n');
  }
  return database.connection().execute(async (connection) => {
    await sql`set enable_seqscan = off`.execute(connection);
    const rows = await sql<{ 'QUERY PLAN': string }>`explain ${count}`.execute(connection);
    await sql`reset enable_seqscan`.execute(connection);
    return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

/** SQLite: the triggers on inserts into test_cases. */
async function insertTriggers(database: Kysely<DatabaseSchema>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from sqlite_master
    where type = 'trigger' and tbl_name = 'test_cases' and sql like '%after insert%'`.execute(database);
  return rows.map((row) => row.name);
}
