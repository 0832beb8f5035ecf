/**
 * Where jobs wait and who works on them, chosen once when the workspace opens: pg-boss on
 * PostgreSQL (workers on any machine share the jobs), the job tables themselves on SQLite (workers
 * share this machine, so stories held by a dead local process are taken back at once).
 */
import type { JobRecord } from '../../core/index.ts';
import {
  createJob,
  createPgBossQueue,
  releaseDeadLocalLeases,
  runJobWorker,
  startPgBossWorker,
  type CreateJobInput,
  type GenerateForStory,
  type JobEventListener,
} from '../../jobs/index.ts';
import type { Storage } from '../../storage/index.ts';
import { DEFAULT_JOB_CONCURRENCY, type WorkOptions, type WorkResult } from './job-types.ts';

export interface JobQueueStrategy {
  readonly kind: WorkResult['queue'];
  /** Stores the job and its tasks, and announces them where workers listen. */
  createJob(storage: Storage, input: CreateJobInput): Promise<JobRecord>;
  /** Before this process runs a job: takes back what dead local processes held. */
  beforeRun(storage: Storage, jobId: string): Promise<void>;
  /** `reqase worker`: serves every active job until `options.signal` aborts. */
  work(storage: Storage, options: WorkOptions, emit: JobEventListener): Promise<WorkResult>;
}

export interface JobQueueSettings {
  /** `DATABASE_URL`: a `postgres://` URL means pg-boss. */
  databaseUrl: string | undefined;
  /** `REQASE_PGBOSS_SCHEMA`: pg-boss's own schema. Default: pg-boss's (`pgboss`). */
  bossSchema: string | undefined;
  generateForStory: GenerateForStory;
  /** The storage's clock. */
  now: () => Date;
}

/** The queue for these settings; the storage opens with the same rule (`postgres://` URL). */
export function chooseJobQueue(settings: JobQueueSettings): JobQueueStrategy {
  const { databaseUrl } = settings;
  return databaseUrl && /^postgres(ql)?:\/\//i.test(databaseUrl)
    ? pgBossQueue(databaseUrl, settings)
    : tableQueue(settings);
}

function pgBossQueue(connectionString: string, settings: JobQueueSettings): JobQueueStrategy {
  const schema = settings.bossSchema ? { schema: settings.bossSchema } : {};
  return {
    kind: 'pg-boss',
    async createJob(storage, input) {
      const queue = await createPgBossQueue({ connectionString, ...schema });
      try {
        return await createJob(storage, input, { queue });
      } finally {
        await queue.close();
      }
    },
    async beforeRun() {
      // Leases of other machines cannot be judged from here: they end on their own.
    },
    async work(storage, options, emit) {
      const worker = await startPgBossWorker({
        connectionString,
        ...schema,
        storage,
        generateForStory: settings.generateForStory,
        concurrency: options.concurrency ?? DEFAULT_JOB_CONCURRENCY,
        // Model requests queue at the provider's limit in the shared client: claim as many again.
        claimAhead: options.concurrency ?? DEFAULT_JOB_CONCURRENCY,
        ...(options.leaseMilliseconds ? { leaseMilliseconds: options.leaseMilliseconds } : {}),
        ...(options.pollIntervalMilliseconds
          ? { pollingIntervalSeconds: Math.max(0.5, options.pollIntervalMilliseconds / 1000) }
          : {}),
        clock: settings.now,
        onEvent: emit,
      });
      if (!options.signal.aborted) {
        await new Promise<void>((resolve) =>
          options.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
      }
      return { queue: 'pg-boss', ...(await worker.stop()) };
    },
  };
}

function tableQueue(settings: JobQueueSettings): JobQueueStrategy {
  const releaseDeadLeases = async (storage: Storage, jobId: string): Promise<void> => {
    // Injected PostgreSQL storage without a URL still uses the tables, but its workers may be
    // anywhere: only SQLite's are known to share this machine.
    if (storage.dialect === 'sqlite') await releaseDeadLocalLeases(storage, jobId, { now: settings.now });
  };
  return {
    kind: 'table',
    createJob: (storage, input) => createJob(storage, input),
    beforeRun: releaseDeadLeases,
    async work(storage, options, emit) {
      for (const job of await storage.jobs.list({ status: ['queued', 'running'] })) {
        await releaseDeadLeases(storage, job.id);
      }
      const result = await runJobWorker({
        storage,
        generateForStory: settings.generateForStory,
        concurrency: options.concurrency ?? DEFAULT_JOB_CONCURRENCY,
        // Model requests queue at the provider's limit in the shared client: claim as many again.
        claimAhead: options.concurrency ?? DEFAULT_JOB_CONCURRENCY,
        ...(options.leaseMilliseconds ? { leaseMilliseconds: options.leaseMilliseconds } : {}),
        ...(options.pollIntervalMilliseconds
          ? { pollIntervalMilliseconds: options.pollIntervalMilliseconds }
          : {}),
        clock: settings.now,
        signal: options.signal,
        onEvent: emit,
      });
      return {
        queue: 'table',
        completed: result.completed,
        failed: result.failed,
        retried: result.retried,
        released: result.released,
      };
    },
  };
}
