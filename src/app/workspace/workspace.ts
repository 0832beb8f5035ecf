import type { ConnectorDependencies } from '../../connectors/index.ts';
import { openDatabase, type Storage } from '../../storage/index.ts';
import type { GenerationDependencies } from '../generation.ts';
import type { AppSettings } from '../settings.ts';
import type { WorkspaceContext } from './context.ts';
import { createConnectionService, type ConnectionService } from './connections.ts';
import { importStoriesFromJira, type JiraImportInput, type JiraImportResult } from './jira-import.ts';
import { createPushService, type PushService } from './push.ts';
import { createExportService, type ExportService } from './export.ts';
import { createGenerationService, type GenerationService } from './generation.ts';
import { createJobService, type JobService } from './jobs.ts';
import { createProjectService, type ProjectService } from './projects.ts';
import { createProviderService, type ProviderService } from './providers.ts';
import { createReviewService, type ReviewService } from './review.ts';
import { createStoryService, type StoryService } from './stories.ts';

export interface WorkspaceOptions {
  /** Use this storage instead of opening one (the caller closes it). Default: opened on first use. */
  storage?: Storage;
  /** PostgreSQL only: the schema to use instead of `public` (tests, several workspaces in one database). */
  postgresSchema?: string;
  /** The 32-byte key encrypting provider keys. Default: `REQASE_SECRET_KEY`, else the key file. */
  secretKey?: Uint8Array;
  /** Injected into every generation (tests pass fetch or a clock to the chat client). */
  generation?: GenerationDependencies;
  /** Default: `() => new Date()`. */
  clock?: () => Date;
  /** Injected into the Jira, Xray and TestRail clients (tests pass fetch or sleep). */
  connectors?: ConnectorDependencies;
}

/**
 * Stored projects, stories, test cases and providers, as services the CLI and the HTTP API call.
 * Services never print: they return values and throw `ReqaseError`s.
 */
export interface Workspace {
  readonly settings: AppSettings;
  readonly projects: ProjectService;
  readonly stories: StoryService;
  readonly generation: GenerationService;
  readonly testCases: ReviewService;
  readonly exports: ExportService;
  readonly providers: ProviderService;
  /** Bulk generation jobs: start, run in this process, list, show, cancel, serve as a worker. */
  readonly jobs: JobService;
  /** Stored connections to Jira, Xray Cloud and TestRail (secrets encrypted, shown masked). */
  readonly connections: ConnectionService;
  /** Pushes test cases to Xray Cloud or TestRail: idempotent, resumable, with a dry run. */
  readonly push: PushService;
  /** Imports stories from Jira by JQL or keys; a re-import is a sync through story changes. */
  importStoriesFromJira(projectName: string, input: JiraImportInput): Promise<JiraImportResult>;
  /** The storage, opened (and migrated) on first call; the same one afterwards. */
  storage(): Promise<Storage>;
  /** Closes the storage if this workspace opened it. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Opens the workspace of the settings' data directory (SQLite file `reqase.db`) or of
 * `DATABASE_URL` (PostgreSQL). Nothing is opened until a service needs the database.
 *
 * @example
 * const workspace = openWorkspace(resolveSettings());
 * try {
 *   await workspace.projects.create({ name: 'Shop', defaultFormat: 'bdd' });
 *   await workspace.stories.importStoryFile('Shop', 'backlog.csv');
 * } finally {
 *   await workspace.close();
 * }
 */
export function openWorkspace(settings: AppSettings, options: WorkspaceOptions = {}): Workspace {
  let opening: Promise<Storage> | undefined = options.storage ? Promise.resolve(options.storage) : undefined;
  const owned = !options.storage;
  let closed = false;
  const storage = (): Promise<Storage> => {
    if (closed) return Promise.reject(new Error('The workspace is closed.'));
    opening ??= openDatabase({
      dataDirectory: settings.dataDirectory,
      ...(settings.databaseUrl ? { url: settings.databaseUrl } : {}),
      ...(options.postgresSchema ? { postgresSchema: options.postgresSchema } : {}),
      secretKey: options.secretKey,
      env: { ...settings.env },
      ...(options.clock ? { clock: options.clock } : {}),
    });
    // A failed open is not kept: the user may fix the configuration and retry.
    opening.catch(() => (opening = undefined));
    return opening;
  };
  const context: WorkspaceContext = {
    settings,
    storage,
    generation: options.generation ?? {},
    connectors: options.connectors ?? {},
    now: options.clock ?? (() => new Date()),
  };
  const generation = createGenerationService(context);
  const jobs = createJobService(context, generation);
  const stories = createStoryService(context);
  return {
    settings,
    projects: createProjectService(context),
    stories,
    generation,
    testCases: createReviewService(context),
    exports: createExportService(context),
    providers: createProviderService(context),
    jobs,
    connections: createConnectionService(context),
    push: createPushService(context),
    importStoriesFromJira: (projectName, input) =>
      importStoriesFromJira(context, stories, projectName, input),
    storage,
    async close() {
      if (closed) return;
      // Runs of bulk jobs in this process give their stories back before the storage closes.
      await jobs.stopAll();
      closed = true;
      const pending = opening;
      opening = undefined;
      if (owned && pending) await (await pending.catch(() => undefined))?.close();
    },
  };
}
