import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe } from 'vitest';
import {
  openDatabaseWithHandle,
  type OpenDatabaseOptions,
  type Storage,
} from '../../src/storage/database.ts';
import type { DatabaseSchema } from '../../src/storage/schema.ts';
import { skippedTitle } from '../support/skip-reason.ts';

/**
 * Every storage suite runs once per dialect (kysely's `test/node/src/test-setup.ts` habit):
 * `for (const dialect of DIALECTS) describe.skipIf(!isAvailable(dialect))(dialect, …)`.
 */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

/**
 * Override with `REQASE_TEST_POSTGRES_URL`; trust authentication on the loopback by default. The
 * default asks the test sessions for `synchronous_commit=off`: a commit returns before its WAL
 * record is flushed to disk, which only matters if the PostgreSQL server itself crashes (what a
 * test never does); what each transaction sees, locks and rolls back is unchanged. On these machines
 * a flush per commit made the PostgreSQL suites several times slower than the SQLite ones.
 */
export const POSTGRES_URL =
  process.env.REQASE_TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/test?options=-c%20synchronous_commit%3Doff';

/** A real connection probe, so a machine without PostgreSQL reports its suites as skipped. */
export const postgresAvailable = await probePostgres();

export function isAvailable(dialect: TestDialect): boolean {
  return dialect === 'sqlite' || postgresAvailable;
}

/** The suite name, saying why it is skipped when it is. */
export function describeDialect(subject: string, dialect: TestDialect): string {
  const host = POSTGRES_URL.replace(/\/\/[^@/]*@/, '//');
  return isAvailable(dialect)
    ? `${subject} on ${dialect}`
    : skippedTitle(`${subject} on ${dialect}`, `no PostgreSQL at ${host}; set REQASE_TEST_POSTGRES_URL`);
}

export const TEST_SECRET_KEY = Buffer.alloc(32, 7);

export interface TestDatabase {
  /** Opens a (further) connection to this test's database: same file or same schema. */
  open(
    options?: Partial<OpenDatabaseOptions>,
  ): Promise<{ storage: Storage; database: Kysely<DatabaseSchema> }>;
  /** The SQLite file, when the dialect is SQLite. */
  sqliteFile: string | undefined;
  /** Closes every connection opened through `open` and removes the file or schema. */
  dispose(): Promise<void>;
}

/**
 * A private database per test: a SQLite file in a new temporary directory, or a new randomly
 * named PostgreSQL schema, dropped afterwards, so concurrent runs never collide.
 */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const opened: Storage[] = [];
  const directory = await mkdtemp(join(tmpdir(), 'reqase-storage-'));
  const schema = `reqase_test_${randomBytes(6).toString('hex')}`;
  const base: OpenDatabaseOptions =
    dialect === 'sqlite'
      ? { dataDirectory: directory, secretKey: TEST_SECRET_KEY }
      : { url: POSTGRES_URL, postgresSchema: schema, secretKey: TEST_SECRET_KEY, maxConnections: 4 };
  return {
    sqliteFile: dialect === 'sqlite' ? join(directory, 'reqase.db') : undefined,
    async open(options = {}) {
      const result = await openDatabaseWithHandle({ ...base, ...options });
      opened.push(result.storage);
      return result;
    },
    async dispose() {
      for (const storage of opened) await storage.close().catch(() => undefined);
      if (dialect === 'postgres') {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** What a storage suite's tests use; each property is the current test's. */
export interface StorageSuite {
  readonly dialect: TestDialect;
  /** The test's private database (for further connections). */
  readonly testDatabase: TestDatabase;
  /** The first connection's storage and Kysely handle. */
  readonly storage: Storage;
  readonly database: Kysely<DatabaseSchema>;
}

/**
 * `subject on sqlite` and `subject on postgres` (skipped, saying why, without PostgreSQL): before
 * each test a private database is created and opened with `open`, after it (after the suite's own
 * afterEach hooks) every connection is closed and the database removed.
 *
 * @example
 * describeStorageSuite('project counts', (suite) => {
 *   it('counts', async () => expect(await suite.storage.projects.list()).toEqual([]));
 * });
 */
export function describeStorageSuite(
  subject: string,
  body: (suite: StorageSuite) => void,
  open: Partial<OpenDatabaseOptions> = {},
): void {
  for (const dialect of DIALECTS) {
    describe.skipIf(!isAvailable(dialect))(describeDialect(subject, dialect), () => {
      let current:
        { testDatabase: TestDatabase; storage: Storage; database: Kysely<DatabaseSchema> } | undefined;
      const opened = () => {
        if (!current) throw new Error('The test database is opened before each test, not while collecting.');
        return current;
      };
      beforeEach(async () => {
        const testDatabase = await createTestDatabase(dialect);
        current = { testDatabase, ...(await testDatabase.open(open)) };
      });
      afterEach(async () => {
        await current?.testDatabase.dispose();
        current = undefined;
      });
      body({
        dialect,
        get testDatabase() {
          return opened().testDatabase;
        },
        get storage() {
          return opened().storage;
        },
        get database() {
          return opened().database;
        },
      });
    });
  }
}

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A project with one story (`SHOP-1`, criteria AC-1..AC-3), the starting point of most tests. */
export async function seedProjectAndStory(storage: Storage, storyKey = 'SHOP-1') {
  const project =
    (await storage.projects.findByName('Shop')) ?? (await storage.projects.create({ name: 'Shop' }));
  const story = await storage.stories.save(project.id, {
    key: storyKey,
    summary: `Checkout ${storyKey}`,
    description: 'As a shopper I want to pay so that I get my order.',
    acceptanceCriteria: [
      { id: 'AC-1', text: 'Card payments are accepted' },
      { id: 'AC-2', text: 'Declined cards show an error' },
      { id: 'AC-3', text: 'A receipt is e-mailed' },
    ],
    outOfScope: ['Gift cards'],
    notes: [],
    source: 'markdown',
    contentHash: `hash-${storyKey}`,
  });
  return { project, story };
}

/** A generated test case's content, covering `covers`. */
export function testCaseContent(title: string, covers: string[] = ['AC-1']) {
  return {
    title,
    kind: 'positive' as const,
    priority: 'high',
    preconditions: ['A cart with one item'],
    steps: [{ action: 'Pay with a valid card', expected: 'The order is confirmed' }],
    covers,
    engine: 'llm' as const,
    warnings: [],
  };
}
