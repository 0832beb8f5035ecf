import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../src/storage/index.ts';
import { openDatabaseWithHandle } from '../../src/storage/database.ts';
import {
  createTestDatabase,
  POSTGRES_URL,
  TEST_SECRET_KEY,
  describeDialect,
  DIALECTS,
  isAvailable,
  seedProjectAndStory,
  type TestDatabase,
} from './storage-setup.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('storage', dialect), () => {
    let testDatabase: TestDatabase;
    beforeEach(async () => {
      testDatabase = await createTestDatabase(dialect);
    });
    afterEach(async () => {
      await testDatabase.dispose();
    });

    it('migrates on first open and does not run the migration again on the next open', async () => {
      const first = await testDatabase.open();
      expect(first.storage.dialect).toBe(dialect);
      expect(first.storage.migrationsApplied).toEqual([
        '0001-initial',
        '0002-sessions',
        '0004-connectors',
        '0006-test-case-version-actor',
        '0007-provider-check-and-price',
        '0008-review-events-and-scores',
        '0010-project-revision',
        '0011-milliseconds-columns',
        '0012-review-list-indexes',
        '0013-case-insert-revision',
      ]);
      await first.storage.projects.create({ name: 'Kept' });
      await first.storage.close();

      const second = await testDatabase.open();
      expect(second.storage.migrationsApplied).toEqual([]);
      const recorded = await second.database
        .selectFrom('kysely_migration' as never)
        .select((expression) => expression.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      // One row per migration: each ran once.
      expect(Number((recorded as { count: unknown }).count)).toBe(first.storage.migrationsApplied.length);
      expect((await second.storage.projects.list()).map((project) => project.name)).toEqual(['Kept']);
    });

    it('creates, finds, updates and removes projects, refusing a taken name', async () => {
      const { storage } = await testDatabase.open();
      const project = await storage.projects.create({
        name: 'Shop',
        defaultFormat: 'bdd',
        testCaseRules: 'Use EUR',
      });
      expect(project).toMatchObject({
        name: 'Shop',
        defaultFormat: 'bdd',
        testCaseRules: 'Use EUR',
        defaultProviderId: null,
      });
      expect(await storage.projects.findByName('Shop')).toEqual(project);
      await expect(storage.projects.create({ name: 'Shop' })).rejects.toMatchObject({ code: 'conflict' });

      const updated = await storage.projects.update(project.id, { testCaseRules: 'Use USD' });
      expect(updated.testCaseRules).toBe('Use USD');
      expect(updated.defaultFormat).toBe('bdd');
      await expect(storage.projects.update('missing', { name: 'x' })).rejects.toMatchObject({
        code: 'not_found',
      });

      expect(await storage.projects.remove(project.id)).toBe(true);
      expect(await storage.projects.get(project.id)).toBeUndefined();
      expect(await storage.projects.remove(project.id)).toBe(false);
    });

    it('saves a story by project and key, replacing it on a second save and keeping its id', async () => {
      const { storage } = await testDatabase.open();
      const { project, story } = await seedProjectAndStory(storage);
      expect(story.acceptanceCriteria).toHaveLength(3);
      expect(story.outOfScope).toEqual(['Gift cards']);

      const changed = await storage.stories.save(project.id, {
        ...story,
        acceptanceCriteria: [{ id: 'AC-1', text: 'Card and PayPal payments are accepted' }],
        contentHash: 'hash-2',
      });
      expect(changed.id).toBe(story.id);
      expect(changed.createdAt).toBe(story.createdAt);
      expect(changed.contentHash).toBe('hash-2');
      expect(await storage.stories.findByKey(project.id, 'SHOP-1')).toEqual(changed);
      expect(await storage.stories.count(project.id)).toBe(1);

      const second = await seedProjectAndStory(storage, 'SHOP-2');
      expect(
        (await storage.stories.list(project.id, { limit: 1, offset: 1 })).map((item) => item.key),
      ).toEqual(['SHOP-2']);
      // Keys by id in one query: repeated ids once, unknown ids left out, no ids no query.
      expect(
        await storage.stories.keysOf([
          story.id,
          second.story.id,
          story.id,
          '00000000-0000-0000-0000-000000000000',
        ]),
      ).toEqual(
        new Map([
          [story.id, 'SHOP-1'],
          [second.story.id, 'SHOP-2'],
        ]),
      );
      expect(await storage.stories.keysOf([])).toEqual(new Map());
      // Removing the project removes its stories (foreign keys are enforced on both dialects).
      await storage.projects.remove(project.id);
      expect(await storage.stories.get(story.id)).toBeUndefined();
    });

    it('stores API tokens hashed and recognises them', async () => {
      const { storage, database } = await testDatabase.open();
      const { record, token } = await storage.apiTokens.create('ci');
      expect(token).toMatch(/^rql_/);
      const stored = await database.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(token);
      expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);

      const verified = await storage.apiTokens.verify(token);
      expect(verified?.id).toBe(record.id);
      expect(verified?.lastUsedAt).not.toBeNull();
      expect(await storage.apiTokens.verify(token + 'x')).toBeUndefined();
      expect(await storage.apiTokens.remove(record.id)).toBe(true);
      expect(await storage.apiTokens.verify(token)).toBeUndefined();
    });
  });
}

describe('openDatabase', () => {
  it('refuses an unsupported URL with a fix', async () => {
    await expect(openDatabase({ url: 'mysql://root@localhost/db' })).rejects.toMatchObject({
      code: 'configuration',
      fix: expect.stringContaining('postgres://'),
    });
  });

  it('says when there is nothing to open', async () => {
    await expect(openDatabase({})).rejects.toMatchObject({ code: 'configuration' });
  });

  it('opens a private in-memory SQLite database', async () => {
    const storage = await openDatabase({ url: ':memory:' });
    expect(storage.migrationsApplied).toEqual([
      '0001-initial',
      '0002-sessions',
      '0004-connectors',
      '0006-test-case-version-actor',
      '0007-provider-check-and-price',
      '0008-review-events-and-scores',
      '0010-project-revision',
      '0011-milliseconds-columns',
      '0012-review-list-indexes',
      '0013-case-insert-revision',
    ]);
    await storage.projects.create({ name: 'Memory' });
    expect(await storage.projects.list()).toHaveLength(1);
    await storage.close();
  });
});

describe.skipIf(!isAvailable('postgres'))(
  describeDialect('a PostgreSQL URL with its own options', 'postgres'),
  () => {
    it("keeps the URL's server options and adds the schema's search_path to them", async () => {
      const schema = `reqase_url_options_${process.pid}_${Date.now()}`;
      const url = new URL(POSTGRES_URL);
      url.searchParams.set('options', '-c statement_timeout=4321');
      const { storage, database } = await openDatabaseWithHandle({
        url: url.toString(),
        postgresSchema: schema,
        secretKey: TEST_SECRET_KEY,
      });
      try {
        const timeout = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(database);
        const searchPath = await sql<{ search_path: string }>`show search_path`.execute(database);
        expect(timeout.rows[0]?.statement_timeout).toBe('4321ms');
        expect(searchPath.rows[0]?.search_path).toBe(schema);
        expect(storage.migrationsApplied).toContain('0001-initial');
      } finally {
        await sql.raw(`drop schema if exists "${schema}" cascade`).execute(database);
        await storage.close();
      }
    });
  },
);
