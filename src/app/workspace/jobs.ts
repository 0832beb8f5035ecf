import type { JobRecord } from '../../core/index.ts';
import {
  cancelJob,
  createLocalJobBus,
  createPgJobBus,
  createProcessJobBus,
  SERVE_PROCESS_VARIABLE,
  isFinalJobStatus,
  requireJob,
  runJobWorker,
} from '../../jobs/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { requireProject, type WorkspaceContext } from './context.ts';
import { JobGenerationOptionsSchema, resolveEngine, type GenerationService } from './generation.ts';
import { chooseJobQueue, type JobQueueStrategy } from './job-queue.ts';
import { createJobRunRegistry, type JobRunRegistry } from './job-runs.ts';
import { engineOptions, startJob } from './job-start.ts';
import {
  DEFAULT_JOB_CONCURRENCY,
  type JobRunOptions,
  type JobRunResult,
  type JobService,
  type JobView,
  type WorkOptions,
  type WorkResult,
} from './job-types.ts';
import { jobDetails, projectNames, view, viewOf } from './job-views.ts';

export * from './job-types.ts';

/** What the job service's functions share; made once when the workspace opens. */
interface JobServiceDependencies {
  context: WorkspaceContext;
  generation: GenerationService;
  /** The runs of this process, and the bus to the other processes on the database. */
  runs: JobRunRegistry;
  queue: JobQueueStrategy;
  /** `REQASE_JOB_LEASE_SECONDS` in milliseconds, when set. */
  configuredLease: number | undefined;
}

/**
 * The bulk generation service over src/jobs: the app decides the engine's limits and which runs
 * of this process a cancel must stop; the queue (pg-boss or the job tables) is chosen once, here.
 */
export function createJobService(context: WorkspaceContext, generation: GenerationService): JobService {
  const { databaseUrl } = context.settings;
  const dependencies: JobServiceDependencies = {
    context,
    generation,
    // Several processes on one PostgreSQL (server instances, workers) tell each other about runs;
    // the processes of one `reqase serve --processes N` on SQLite, through their primary.
    runs: createJobRunRegistry(
      databaseUrl && /^postgres(ql)?:\/\//i.test(databaseUrl)
        ? createPgJobBus({ connectionString: databaseUrl })
        : context.settings.env[SERVE_PROCESS_VARIABLE] === '1' && process.send !== undefined
          ? createProcessJobBus()
          : createLocalJobBus(),
    ),
    queue: chooseJobQueue({
      databaseUrl,
      bossSchema: context.settings.env.REQASE_PGBOSS_SCHEMA || undefined,
      generateForStory: generation.generateForStoryRecord,
      now: context.now,
    }),
    configuredLease: leaseFromEnvironment(context.settings.env.REQASE_JOB_LEASE_SECONDS),
  };
  const { runs } = dependencies;
  return {
    start: (input) => startJob(context, dependencies.queue, input),
    run: (jobId, options) => runJob(dependencies, jobId, options),
    reopen: (jobId) => reopenJob(context, jobId),
    async resume(jobId, options) {
      await reopenJob(context, jobId);
      return runJob(dependencies, jobId, options);
    },
    runInBackground: (jobId, options) => runInBackground(dependencies, jobId, options),
    isRunningHere: (jobId) => runs.running(jobId) !== undefined,
    subscribe: (jobId, listener) => runs.subscribe(jobId, listener),
    listening: () => runs.listening(),
    list: (projectName) => listJobs(context, projectName),
    get: async (jobId) => {
      const storage = await context.storage();
      return viewOf(storage, await requireJob(storage, jobId));
    },
    show: async (jobId) => jobDetails(await context.storage(), jobId),
    cancel: (jobId) => cancel(dependencies, jobId),
    work: (options) => work(dependencies, options),
    async stopAll() {
      await runs.stop('worker-stopped');
      await runs.close();
    },
  };
}

/** The lease asked for, else `REQASE_JOB_LEASE_SECONDS`, else the jobs layer's default (10 s). */
function leaseOf(
  dependencies: JobServiceDependencies,
  asked: number | undefined,
): { leaseMilliseconds?: number } {
  const lease = asked ?? dependencies.configuredLease;
  return lease ? { leaseMilliseconds: lease } : {};
}

/**
 * The provider's limits when the job's engine is a model; the default otherwise. With a model,
 * as many stories again are claimed ahead: they wait, prompt built, at the shared client's
 * concurrency limit, so a request starts the moment another ends (or waits out a 429).
 */
async function limitsFor(
  context: WorkspaceContext,
  storage: Storage,
  job: JobRecord,
): Promise<{ concurrency: number; claimAhead?: number; requestsPerMinute?: number }> {
  const project = await storage.projects.get(job.projectId);
  const parsed = JobGenerationOptionsSchema.safeParse(job.options ?? {});
  if (!project || !parsed.success) return { concurrency: DEFAULT_JOB_CONCURRENCY };
  try {
    const engine = await resolveEngine(context, storage, project, engineOptions(parsed.data));
    if (engine.choice.kind !== 'llm') return { concurrency: DEFAULT_JOB_CONCURRENCY };
    const { limits } = engine.choice.provider;
    return {
      concurrency: limits.concurrency,
      claimAhead: limits.concurrency,
      ...(limits.requestsPerMinute ? { requestsPerMinute: limits.requestsPerMinute } : {}),
    };
  } catch {
    // The provider was removed since: each story fails with the reason; the limits do not matter.
    return { concurrency: DEFAULT_JOB_CONCURRENCY };
  }
}

/**
 * Runs the job in this process until it is final or the signal aborts; a job already final
 * returns at once. The run is registered before the first await, so a cancel right after stops it.
 */
function runJob(
  dependencies: JobServiceDependencies,
  jobId: string,
  options: JobRunOptions = {},
): Promise<JobRunResult> {
  const { context, runs } = dependencies;
  return runs.start(jobId, options, async (signal) => {
    const storage = await context.storage();
    const job = await requireJob(storage, jobId);
    if (isFinalJobStatus(job.status) || signal.aborted) {
      const reason = isFinalJobStatus(job.status) ? 'finished' : 'stopped';
      return { reason, job: await viewOf(storage, job), completed: 0, failed: 0, retried: 0, released: 0 };
    }
    await dependencies.queue.beforeRun(storage, jobId);
    const result = await runJobWorker({
      storage,
      jobId,
      generateForStory: dependencies.generation.generateForStoryRecord,
      ...(await workerLimits(dependencies, storage, job, options)),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.pollIntervalMilliseconds
        ? { pollIntervalMilliseconds: options.pollIntervalMilliseconds }
        : {}),
      // Retry times are compared in the database: the worker keeps the storage's clock.
      clock: context.now,
      signal,
      onEvent: (event) => runs.emit(jobId, event, options.onEvent),
    });
    const final = result.job ?? (await requireJob(storage, jobId));
    return {
      reason: result.reason === 'finished' ? 'finished' : 'stopped',
      job: await viewOf(storage, final),
      completed: result.completed,
      failed: result.failed,
      retried: result.retried,
      released: result.released,
    };
  });
}

/** Concurrency, claim-ahead, request rate and lease of a run: asked for, else the provider's. */
async function workerLimits(
  dependencies: JobServiceDependencies,
  storage: Storage,
  job: JobRecord,
  options: JobRunOptions,
): Promise<{
  concurrency: number;
  claimAhead?: number;
  requestsPerMinute?: number;
  leaseMilliseconds?: number;
}> {
  const limits = await limitsFor(dependencies.context, storage, job);
  const requestsPerMinute = options.requestsPerMinute ?? limits.requestsPerMinute;
  return {
    concurrency: options.concurrency ?? limits.concurrency,
    ...(options.concurrency === undefined && limits.claimAhead ? { claimAhead: limits.claimAhead } : {}),
    ...(requestsPerMinute ? { requestsPerMinute } : {}),
    ...leaseOf(dependencies, options.leaseMilliseconds),
  };
}

/** Makes a cancelled job active again (a queued or running one stays as it is); refuses a finished one. */
async function reopenJob(context: WorkspaceContext, jobId: string): Promise<JobView> {
  const storage = await context.storage();
  const job = await requireJob(storage, jobId);
  if (job.status === 'cancelled') {
    await storage.jobs.reopen(jobId);
  } else if (isFinalJobStatus(job.status)) {
    throw new InvalidInputError(`Job ${jobId} is ${job.status}; there is nothing to resume.`, {
      ...(job.status === 'budget-exhausted'
        ? {
            fix: 'Start a new job for the remaining stories with a larger budget.',
            remedies: [{ kind: 'run-action', action: 'start-job' }],
          }
        : {
            fix: 'See its stories; start a new job to generate again.',
            remedies: [
              { kind: 'run-action', action: 'show-job', job: jobId },
              { kind: 'run-action', action: 'start-job' },
            ],
          }),
    });
  }
  return viewOf(storage, await requireJob(storage, jobId));
}

/** Starts a run without waiting (the server); a job already running here is not started twice. */
function runInBackground(
  dependencies: JobServiceDependencies,
  jobId: string,
  options: Omit<JobRunOptions, 'signal'> = {},
): Promise<JobRunResult> {
  const existing = dependencies.runs.running(jobId);
  if (existing) return existing;
  const done = runJob(dependencies, jobId, options);
  done.catch(() => undefined); // The caller may not wait; the job's tasks keep the error.
  return done;
}

async function listJobs(context: WorkspaceContext, projectName: string | undefined): Promise<JobView[]> {
  const storage = await context.storage();
  const names = await projectNames(storage);
  const project = projectName === undefined ? undefined : await requireProject(storage, projectName);
  const jobs = await storage.jobs.list(project ? { projectId: project.id } : {});
  return jobs.map((job) => view(job, names.get(job.projectId) ?? job.projectId));
}

async function cancel(dependencies: JobServiceDependencies, jobId: string): Promise<JobView> {
  const { context, runs } = dependencies;
  const storage = await context.storage();
  const job = await cancelJob(storage, jobId);
  // Runs elsewhere would see the status at their next heartbeat; the bus stops them now.
  await runs.announceCancel(jobId, 'cancelled').catch(() => undefined);
  await runs.stop('cancelled', jobId);
  return viewOf(storage, (await storage.jobs.get(jobId)) ?? job);
}

/** `reqase worker`: serves every active job through the queue until `options.signal` aborts. */
async function work(dependencies: JobServiceDependencies, options: WorkOptions): Promise<WorkResult> {
  const storage = await dependencies.context.storage();
  const concurrency = options.concurrency ?? DEFAULT_JOB_CONCURRENCY;
  const lease = leaseOf(dependencies, options.leaseMilliseconds);
  return dependencies.queue.work(storage, { ...options, concurrency, ...lease }, (event) =>
    dependencies.runs.emit(event.jobId, event, options.onEvent),
  );
}

/**
 * `REQASE_JOB_LEASE_SECONDS`: how long a story stays held by a worker that stopped renewing it (a
 * killed one) before others take it. Renewed every third of it (at most every 2 s) while it runs.
 */
function leaseFromEnvironment(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new InvalidInputError(
      `REQASE_JOB_LEASE_SECONDS must be a number of seconds of at least 1, not "${value}".`,
      {
        fix: 'Set REQASE_JOB_LEASE_SECONDS to 10 (the default) or more, or leave it unset.',
      },
    );
  }
  return Math.round(seconds * 1000);
}
