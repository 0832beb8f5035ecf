import { chmod, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type {
  ApiTokenRepository,
  SessionRepository,
  GenerationRepository,
  JobRepository,
  ProjectStatisticsRepository,
  ProjectRepository,
  ProviderRepository,
  StoryRepository,
  TestCaseRepository,
} from '../core/repositories.ts';
import type {
  ConnectionRepository,
  PushedCaseRepository,
  PushJobRepository,
  StoryIssueRepository,
} from '../core/connector-repositories.ts';
import { ConfigurationError } from '../shared/errors.ts';
import { startCheckpointer, type Checkpointer } from './checkpoint.ts';
import { writeTransaction, type Dialect, type StorageContext } from './context.ts';
import { StorageError } from './errors.ts';
import { migrationProvider } from './migrations/index.ts';
import { SearchPathPostgresDialect } from './postgres-introspector.ts';
import { cachedStatements } from './statement-cache.ts';
import { createApiTokenRepository } from './repositories/api-tokens.ts';
import { createConnectionRepository, createStoryIssueRepository } from './repositories/connections.ts';
import { createPushedCaseRepository, createPushJobRepository } from './repositories/pushes.ts';
import { createGenerationRepository } from './repositories/generations.ts';
import { createProjectStatisticsRepository } from './repositories/project-statistics.ts';
import { createJobRepository } from './repositories/jobs.ts';
import { createProjectRepository } from './repositories/projects.ts';
import { createProviderRepository } from './repositories/providers.ts';
import { createSessionRepository } from './repositories/sessions.ts';
import { createStoryRepository } from './repositories/stories.ts';
import { createTestCaseRepository } from './repositories/test-cases.ts';
import type { DatabaseSchema } from './schema.ts';
import { createSecretBox, loadOrCreateSecretKey, type SecretBox } from './secret-box.ts';

/** The size a SQLite WAL file is cut back to when it is started again (4 MiB). */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/** The SQLite file created in the data directory. */
export const DATABASE_FILE_NAME = 'reqase.db';

/** The subset of a pino logger storage uses. */
export interface StorageLogger {
  info(details: Record<string, unknown>, message: string): void;
  debug?(details: Record<string, unknown>, message: string): void;
}

export interface OpenDatabaseOptions {
  /**
   * Which database: `postgres://…` or `postgresql://…` for PostgreSQL; `:memory:` for a private
   * in-memory SQLite database (tests); `sqlite:<path>` for a SQLite file elsewhere.
   * Default: the SQLite file `reqase.db` in `dataDirectory`. (The app reads `DATABASE_URL`.)
   */
  url?: string;
  /** The data directory (the app resolves `REQASE_DATA_DIR` or `~/.local/share/reqase`). Created when missing. */
  dataDirectory?: string;
  /**
   * PostgreSQL only: the schema to use instead of `public`, created when missing. Lets tests
   * (or several workspaces) share one database.
   */
  postgresSchema?: string;
  /**
   * The 32-byte key encrypting API keys. Absent or `undefined` (a test's way to drop its default key):
   * `loadOrCreateSecretKey({ env, dataDirectory })`, on first need.
   */
  secretKey?: Uint8Array | undefined;
  /** Where `REQASE_SECRET_KEY` is read when `secretKey` is not given. Default: `{}` (key file only). */
  env?: Record<string, string | undefined>;
  logger?: StorageLogger;
  /** Default: `() => new Date()`. */
  clock?: () => Date;
  /** SQLite only: how long a writer waits for another connection's lock, in ms. Default: 5000. */
  busyTimeoutMilliseconds?: number;
  /** PostgreSQL only: the pool size. Default: 10. */
  maxConnections?: number;
}

/** One repository per entity, all on the same database (or the same open transaction). */
export interface Repositories {
  readonly dialect: Dialect;
  readonly projects: ProjectRepository;
  readonly stories: StoryRepository;
  readonly testCases: TestCaseRepository;
  readonly generations: GenerationRepository;
  readonly providers: ProviderRepository;
  readonly apiTokens: ApiTokenRepository;
  /** Browser sessions of the HTTP API, bound to their token. */
  readonly sessions: SessionRepository;
  readonly jobs: JobRepository;
  /** Connections to Jira, Xray and TestRail (secrets encrypted). */
  readonly connections: ConnectionRepository;
  /** The Jira issue each imported story came from. */
  readonly storyIssues: StoryIssueRepository;
  /** What was pushed where, per test case and target. */
  readonly pushedCases: PushedCaseRepository;
  readonly pushJobs: PushJobRepository;
  /** Aggregates over a project (review activity, token usage) for its dashboard. */
  readonly projectStatistics: ProjectStatisticsRepository;
}

/** The stored workspace: one repository per entity, all on the same database. */
export interface Storage extends Repositories {
  /**
   * Runs `work` in one write transaction: every write of the repositories it is given commits
   * together or not at all. On PostgreSQL a deadlock or serialisation failure runs `work` again
   * (a bounded number of times), so `work` must only touch the database. On SQLite the write lock
   * is held throughout: this process's other queries wait for the commit, other processes up to
   * their busy timeout.
   *
   * @example
   * await storage.transaction(async (transaction) => {
   *   await transaction.stories.save(projectId, first);
   *   await transaction.stories.save(projectId, second);
   * });
   */
  transaction<Value>(work: (repositories: Repositories) => Promise<Value>): Promise<Value>;
  /** The migrations this open ran (empty when the schema was already up to date). */
  readonly migrationsApplied: string[];
  close(): Promise<void>;
}

/**
 * Opens (creating and migrating on first use) the workspace database.
 *
 * Open one `Storage` per process and share it: on SQLite, better-sqlite3 waits for another
 * connection's lock synchronously, so two connections to one file inside one process can block
 * each other's transactions until the busy timeout. Separate processes are fine.
 *
 * @example
 * const storage = await openDatabase({ dataDirectory: '/home/me/.local/share/reqase' });
 * const project = await storage.projects.create({ name: 'Shop' });
 * await storage.close();
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Storage> {
  return (await openDatabaseWithHandle(options)).storage;
}

/** As `openDatabase`, also returning the Kysely handle (for this folder's tests only). */
export async function openDatabaseWithHandle(
  options: OpenDatabaseOptions,
): Promise<{ storage: Storage; database: Kysely<DatabaseSchema> }> {
  const { database, dialect, checkpointer } = await createKysely(options);
  let migrationsApplied: string[];
  try {
    migrationsApplied = await migrate(database, dialect);
  } catch (error) {
    await database.destroy();
    await checkpointer?.close();
    throw error;
  }
  if (migrationsApplied.length > 0)
    options.logger?.info({ migrations: migrationsApplied, dialect }, 'database migrated');

  const clock = options.clock ?? (() => new Date());
  let secretBox: Promise<SecretBox> | undefined;
  const context: StorageContext = {
    database,
    dialect,
    now: () => clock().toISOString(),
    nowMilliseconds: () => clock().getTime(),
    secretBox() {
      secretBox ??= resolveSecretBox(options);
      // A failed resolution is not cached: the user may fix the configuration and retry.
      secretBox.catch(() => (secretBox = undefined));
      return secretBox;
    },
  };
  const storage: Storage = {
    ...createRepositories(context),
    transaction: (work) =>
      writeTransaction(context, (transaction) =>
        work(createRepositories({ ...context, database: transaction, inTransaction: true })),
      ),
    migrationsApplied,
    close: async () => {
      await database.destroy();
      // After the main connection: the worker's TRUNCATE checkpoint then sees every commit.
      await checkpointer?.close();
    },
  };
  return { storage, database };
}

function createRepositories(context: StorageContext): Repositories {
  return {
    dialect: context.dialect,
    projects: createProjectRepository(context),
    stories: createStoryRepository(context),
    testCases: createTestCaseRepository(context),
    generations: createGenerationRepository(context),
    providers: createProviderRepository(context),
    apiTokens: createApiTokenRepository(context),
    sessions: createSessionRepository(context),
    jobs: createJobRepository(context),
    connections: createConnectionRepository(context),
    storyIssues: createStoryIssueRepository(context),
    pushedCases: createPushedCaseRepository(context),
    pushJobs: createPushJobRepository(context),
    projectStatistics: createProjectStatisticsRepository(context),
  };
}

async function resolveSecretBox(options: OpenDatabaseOptions): Promise<SecretBox> {
  if (options.secretKey) return createSecretBox(options.secretKey, { keySource: 'the given secret key' });
  const loaded = await loadOrCreateSecretKey({
    env: options.env ?? {},
    ...(options.dataDirectory === undefined ? {} : { dataDirectory: options.dataDirectory }),
  });
  return createSecretBox(loaded.key, { keySource: loaded.source });
}

/**
 * The pool's connection string and server `options`: a URL's own `options` parameter (for example
 * `-c statement_timeout=5000`) is kept and the schema's `search_path` added to it. pg lets the URL's
 * parameters win over the config, so `options` is taken out of the URL and given once, combined.
 */
function connectionWithSchema(
  url: string,
  schema: string | undefined,
): { connectionString: string; options?: string } {
  if (schema === undefined) return { connectionString: url };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { connectionString: url, options: `-c search_path=${schema}` };
  }
  const urlOptions = parsed.searchParams.get('options');
  parsed.searchParams.delete('options');
  return {
    connectionString: parsed.toString(),
    options: [urlOptions, `-c search_path=${schema}`].filter(Boolean).join(' '),
  };
}

async function createKysely(
  options: OpenDatabaseOptions,
): Promise<{ database: Kysely<DatabaseSchema>; dialect: Dialect; checkpointer?: Checkpointer }> {
  const url = options.url?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) {
    const schema = options.postgresSchema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/i.test(schema)) {
      throw new ConfigurationError(`"${schema}" is not a usable PostgreSQL schema name.`, {
        fix: 'Use letters, digits and underscores only, starting with a letter.',
      });
    }
    const pool = new pg.Pool({
      max: options.maxConnections ?? 10,
      ...connectionWithSchema(url, schema),
    });
    // An idle client's error (server restart) must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        if (schema !== undefined) await client.query(`create schema if not exists "${schema}"`);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new StorageError(`Cannot connect to the PostgreSQL database: ${(error as Error).message}`, {
        fix: 'Check DATABASE_URL (host, port, user, password, database name) and that the server is running.',
        cause: error,
      });
    }
    return {
      database: new Kysely<DatabaseSchema>({ dialect: new SearchPathPostgresDialect({ pool }) }),
      dialect: 'postgres',
    };
  }

  let path: string;
  if (url === ':memory:') path = ':memory:';
  else if (url?.startsWith('sqlite:')) path = url.slice('sqlite:'.length);
  else if (url) {
    throw new ConfigurationError(
      `The database URL "${url.replace(/\/\/[^@/]*@/, '//…@')}" is not supported.`,
      {
        fix: 'Use postgres://user:password@host:5432/database, sqlite:<path>, or leave DATABASE_URL unset for the SQLite file in the data directory.',
      },
    );
  } else if (options.dataDirectory) {
    await mkdir(options.dataDirectory, { recursive: true, mode: 0o700 });
    path = join(options.dataDirectory, DATABASE_FILE_NAME);
  } else {
    throw new ConfigurationError(
      'No database to open: neither a database URL nor a data directory was given.',
      {
        fix: 'Set DATABASE_URL or REQASE_DATA_DIR.',
      },
    );
  }

  if (path !== ':memory:') await restrictToOwner(path);
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path, { timeout: options.busyTimeoutMilliseconds ?? 5000 });
    if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new StorageError(`Cannot open the SQLite database ${path}: ${(error as Error).message}`, {
      fix: 'Check that the data directory exists and is writable, or set REQASE_DATA_DIR to one that is.',
      cause: error,
    });
  }
  return {
    database: new Kysely<DatabaseSchema>({
      dialect: new SqliteDialect({ database: cachedStatements(sqlite) }),
    }),
    dialect: 'sqlite',
    ...(path === ':memory:' ? {} : { checkpointer: checkpointOffTheWriter(sqlite, path, options) }),
  };
}

/**
 * How long a database stays open before its checkpoints move to a worker thread. A command that
 * opens the workspace for a moment (\`reqase project list\`) would wait for the worker's start at
 * close (about 50 ms); it writes little, and SQLite checkpoints the log when it closes anyway.
 */
const CHECKPOINT_WORKER_DELAY_MILLISECONDS = 1000;

/**
 * Once the database has been open a second, checkpoints from a worker thread and turns SQLite's
 * automatic checkpoint off on the writer's connection (a commit that crosses the threshold would
 * otherwise sync the disk on the event loop); until the worker is ready, and again if it fails,
 * the writer checkpoints automatically as SQLite does by default.
 */
function checkpointOffTheWriter(
  sqlite: BetterSqlite3.Database,
  path: string,
  options: OpenDatabaseOptions,
): Checkpointer {
  // When a checkpointed WAL is started again, the file is cut back to this size: it does not keep
  // the size of its largest burst of writes.
  sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  let started: Checkpointer | undefined;
  const timer = setTimeout(() => {
    if (!sqlite.open) return;
    started = startCheckpointer({
      path,
      busyTimeoutMilliseconds: options.busyTimeoutMilliseconds ?? 5000,
      ...(options.logger ? { logger: options.logger } : {}),
      onReady: () => {
        if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 0');
      },
      onFailure: () => {
        if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
      },
    });
  }, CHECKPOINT_WORKER_DELAY_MILLISECONDS);
  timer.unref();
  return {
    async close() {
      clearTimeout(timer);
      await started?.close();
    },
  };
}

/**
 * Creates the SQLite file readable by its owner only (0600), or tightens an existing one, before
 * SQLite opens it: SQLite gives the -wal and -shm files the mode of the database file, and would
 * otherwise create all three 0644 (umask 022) whatever the directory's mode.
 */
async function restrictToOwner(path: string): Promise<void> {
  try {
    const handle = await open(path, 'a', 0o600);
    try {
      if (((await handle.stat()).mode & 0o077) !== 0) await handle.chmod(0o600);
    } finally {
      await handle.close();
    }
    for (const suffix of ['-wal', '-shm']) await chmod(path + suffix, 0o600).catch(() => undefined);
  } catch {
    // Not writable by us (a read-only copy, another owner): SQLite opens it or says why.
  }
}

/** Brings the schema up to date; returns the names of the migrations run. */
async function migrate(database: Kysely<DatabaseSchema>, dialect: Dialect): Promise<string[]> {
  // On PostgreSQL name the schema of the migration tables: the migrator otherwise looks for them
  // in every schema, and another schema's `kysely_migration` (another app, another workspace)
  // would make it skip creating ours.
  let migrationTableSchema: string | undefined;
  if (dialect === 'postgres') {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
      database,
    );
    migrationTableSchema = rows[0]?.schema ?? undefined;
    if (!migrationTableSchema) {
      throw new StorageError('The PostgreSQL search path names no existing schema to create the tables in.', {
        fix: 'Create the schema, or fix the search_path of the database user.',
      });
    }
  }
  const migrator = new Migrator({
    db: database,
    provider: migrationProvider,
    ...(migrationTableSchema !== undefined && { migrationTableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new StorageError(
      `The database could not be migrated${failed ? ` (migration ${failed})` : ''}: ${String((error as Error).message ?? error)}`,
      {
        fix: 'Check that this version of Reqase Lite is not older than the database, and that the database user may create tables.',
        cause: error,
      },
    );
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
