/**
 * Migration 0011: a database left at migration 0010, with a stored provider and generation, keeps
 * their values under the renamed columns (`timeout_milliseconds`, `latency_milliseconds`) and the
 * renamed limit keys once opened by this version.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabaseWithHandle, type OpenDatabaseOptions } from '../../src/storage/database.ts';
import { migrationProvider } from '../../src/storage/migrations/index.ts';
import {
  describeDialect,
  DIALECTS,
  isAvailable,
  POSTGRES_URL,
  TEST_SECRET_KEY,
  type TestDialect,
} from './storage-setup.ts';

const BEFORE = '0011-milliseconds-columns';

/** A fresh database of the dialect, migrated up to (not including) 0011. */
async function databaseBefore0011(dialect: TestDialect) {
  const directory = await mkdtemp(join(tmpdir(), 'reqase-0011-'));
  const schema = `reqase_test_${randomBytes(6).toString('hex')}`;
  let database: Kysely<unknown>;
  let options: OpenDatabaseOptions;
  if (dialect === 'sqlite') {
    const sqlite = new BetterSqlite3(join(directory, 'reqase.db'));
    sqlite.pragma('foreign_keys = ON');
    database = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
    options = { dataDirectory: directory, secretKey: TEST_SECRET_KEY };
  } else {
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    pool.on('connect', (client) => void client.query(`set search_path to "${schema}"`));
    database = new Kysely({ dialect: new PostgresDialect({ pool }) });
    await database.schema.createSchema(schema).execute();
    options = { url: POSTGRES_URL, postgresSchema: schema, secretKey: TEST_SECRET_KEY, maxConnections: 2 };
  }
  const all = await migrationProvider.getMigrations();
  const earlier: Record<string, Migration> = Object.fromEntries(
    Object.entries(all).filter(([name]) => name < BEFORE),
  );
  const migrator = new Migrator({
    db: database,
    provider: { getMigrations: async () => earlier },
    ...(dialect === 'postgres' ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  return {
    database,
    options,
    async dispose() {
      await database.destroy().catch(() => undefined);
      if (dialect === 'postgres') {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`drop schema if exists "${schema}" cascade`).finally(() => client.end());
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('migration 0011 (milliseconds columns)', dialect),
    () => {
      const cleanups: (() => Promise<void>)[] = [];
      afterEach(async () => {
        for (const cleanup of cleanups.splice(0)) await cleanup();
      });

      it('keeps the stored timeout, latency and limits under their new names', async () => {
        const before = await databaseBefore0011(dialect);
        cleanups.push(before.dispose);
        const now = new Date().toISOString();
        // Rows as version 0010 wrote them: raw SQL, since today's schema no longer has these columns.
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const old = before.database as Kysely<any>;
        await old
          .insertInto('providers')
          .values({
            id: 'provider-1',
            name: 'team-vllm',
            base_url: 'http://localhost:8000/v1',
            model: 'qwen',
            timeout_ms: 45_000,
            limits: JSON.stringify({ concurrency: 2, deadlineMs: 90_000, maxRetryAfterMs: 5000 }), // former names
            api_key_masked: '',
            created_at: now,
            updated_at: now,
          })
          .execute();
        await old
          .insertInto('projects')
          .values({
            id: 'project-1',
            name: 'Shop',
            default_format: 'manual',
            created_at: now,
            updated_at: now,
          })
          .execute();
        await old
          .insertInto('stories')
          .values({
            id: 'story-1',
            project_id: 'project-1',
            key: 'SHOP-1',
            summary: 'Pay',
            description: 'As a shopper I want to pay.',
            acceptance_criteria: '[]',
            out_of_scope: '[]',
            notes: '[]',
            source: 'markdown',
            content_hash: 'hash',
            created_at: now,
            updated_at: now,
          })
          .execute();
        await old
          .insertInto('generations')
          .values({
            id: 'generation-1',
            project_id: 'project-1',
            story_id: 'story-1',
            engine: 'llm',
            prompt: 'null',
            latency_ms: 1234,
            warnings: '[]',
            created_at: now,
          })
          .execute();
        await before.database.destroy();

        const { storage } = await openDatabaseWithHandle(before.options);
        try {
          expect(storage.migrationsApplied).toContain(BEFORE);
          const provider = await storage.providers.get('team-vllm');
          expect(provider?.timeoutMilliseconds).toBe(45_000);
          expect(provider?.limits).toEqual({
            concurrency: 2,
            deadlineMilliseconds: 90_000,
            maxRetryAfterMilliseconds: 5000,
          });
          expect((await storage.generations.get('generation-1'))?.latencyMilliseconds).toBe(1234);
        } finally {
          await storage.close();
        }
      });
    },
  );
}
