import type { JobRecord, ProjectRecord } from '../../core/index.ts';
import {
  cancelJob,
  createLocalJobBus,
  createPgJobBus,
  isFinalJobStatus,
  requireJob,
  runJobWorker,
} from '../../jobs/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { parseCount, parseKinds } from '../generate-from-file.ts';
import { requireProject, requireStory, type WorkspaceContext } from './context.ts';
import {
  JobGenerationOptionsSchema,
  resolveEngine,
  type GenerationService,
  type JobGenerationOptions,
} from './generation.ts';
import { chooseJobQueue } from './job-queue.ts';
import { createJobRunRegistry } from './job-runs.ts';
import {
  DEFAULT_JOB_CONCURRENCY,
  type JobRunOptions,
  type JobRunResult,
  type JobService,
  type JobView,
  type StartJobInput,
} from './job-types.ts';
import { jobDetails, projectNames, view, viewOf } from './job-views.ts';

export * from './job-types.ts';

/**
 * The bulk generation service over src/jobs: the app decides the engine's limits and which runs
 * of this process a cancel must stop; the queue (pg-boss or the job tables) is chosen once, here.
 */
// eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
export function createJobService(context: WorkspaceContext, generation: GenerationService): JobService {
  const { databaseUrl } = context.settings;
  const configuredLease = leaseFromEnvironment(context.settings.env.REQASE_JOB_LEASE_SECONDS);
  /** The lease asked for, else `REQASE_JOB_LEASE_SECONDS`, else the jobs layer's default (10 s). */
  const leaseOf = (asked: number | undefined) => {
    const lease = asked ?? configuredLease;
    return lease ? { leaseMilliseconds: lease } : {};
  };
  // Several processes on one PostgreSQL (server instances, workers) tell each other about runs.
  const runs = createJobRunRegistry(
    databaseUrl && /^postgres(ql)?:\/\//i.test(databaseUrl)
      ? createPgJobBus({ connectionString: databaseUrl })
      : createLocalJobBus(),
  );
  const queue = chooseJobQueue({
    databaseUrl: context.settings.databaseUrl,
    bossSchema: context.settings.env.REQASE_PGBOSS_SCHEMA || undefined,
    generateForStory: generation.generateForStoryRecord,
    now: context.now,
  });

  /**
   * The provider's limits when the job's engine is a model; the default otherwise. With a model,
   * as many stories again are claimed ahead: they wait, prompt built, at the shared client's
   * concurrency limit, so a request starts the moment another ends (or waits out a 429).
   */
  async function limitsFor(
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

  function run(jobId: string, options: JobRunOptions = {}): Promise<JobRunResult> {
    return runs.start(jobId, options, async (signal) => {
      const storage = await context.storage();
      const job = await requireJob(storage, jobId);
      if (isFinalJobStatus(job.status) || signal.aborted) {
        const reason = isFinalJobStatus(job.status) ? 'finished' : 'stopped';
        return { reason, job: await viewOf(storage, job), completed: 0, failed: 0, retried: 0, released: 0 };
      }
      await queue.beforeRun(storage, jobId);
      const limits = await limitsFor(storage, job);
      const requestsPerMinute = options.requestsPerMinute ?? limits.requestsPerMinute;
      const result = await runJobWorker({
        storage,
        jobId,
        generateForStory: generation.generateForStoryRecord,
        concurrency: options.concurrency ?? limits.concurrency,
        ...(options.concurrency === undefined && limits.claimAhead ? { claimAhead: limits.claimAhead } : {}),
        ...(requestsPerMinute ? { requestsPerMinute } : {}),
        ...leaseOf(options.leaseMilliseconds),
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

  async function reopen(jobId: string): Promise<JobView> {
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

  return {
    async start(input) {
      const storage = await context.storage();
      const project = await requireProject(storage, input.projectName);
      const storyIds = await storyIdsFor(storage, project, input);
      const parsed = JobGenerationOptionsSchema.safeParse(input.options ?? {});
      if (!parsed.success) {
        throw new InvalidInputError(
          `The generation options are not valid: ${parsed.error.issues
            .map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`)
            .join('; ')}.`,
          {
            fix: 'Format is bdd, manual or generic; count is N or MIN-MAX; kinds are positive, negative, boundary, edge.',
          },
        );
      }
      // A backlog run skips what is already covered: without this, running `--all` twice would
      // store every story's cases twice. `onlyChanged: false` generates again for every story.
      const options = dropUndefined({ ...parsed.data, onlyChanged: parsed.data.onlyChanged ?? true });
      // Fail now, not once per story: a wrong count, kind or provider.
      if (typeof options.count === 'string') parseCount(options.count);
      if (typeof options.kinds === 'string') parseKinds(options.kinds);
      const engine = await resolveEngine(context, storage, project, engineOptions(options));
      const budget = dropUndefined(input.budget ?? {});
      const job = await queue.createJob(storage, {
        projectId: project.id,
        storyIds,
        options,
        ...(Object.keys(budget).length ? { budget } : {}),
      });
      return { ...view(job, project.name), engine: engine.summary, notices: engine.notices };
    },

    run,

    reopen,

    async resume(jobId, options) {
      await reopen(jobId);
      return run(jobId, options);
    },

    runInBackground(jobId, options = {}) {
      const existing = runs.running(jobId);
      if (existing) return existing;
      const done = run(jobId, options);
      done.catch(() => undefined); // The caller may not wait; the job's tasks keep the error.
      return done;
    },

    isRunningHere: (jobId) => runs.running(jobId) !== undefined,

    subscribe: (jobId, listener) => runs.subscribe(jobId, listener),

    listening: () => runs.listening(),

    async list(projectName) {
      const storage = await context.storage();
      const names = await projectNames(storage);
      const project = projectName === undefined ? undefined : await requireProject(storage, projectName);
      const jobs = await storage.jobs.list(project ? { projectId: project.id } : {});
      return jobs.map((job) => view(job, names.get(job.projectId) ?? job.projectId));
    },

    async get(jobId) {
      const storage = await context.storage();
      return viewOf(storage, await requireJob(storage, jobId));
    },

    async show(jobId) {
      return jobDetails(await context.storage(), jobId);
    },

    async cancel(jobId) {
      const storage = await context.storage();
      const job = await cancelJob(storage, jobId);
      // Runs elsewhere would see the status at their next heartbeat; the bus stops them now.
      await runs.announceCancel(jobId, 'cancelled').catch(() => undefined);
      await runs.stop('cancelled', jobId);
      return viewOf(storage, (await storage.jobs.get(jobId)) ?? job);
    },

    async work(options) {
      const storage = await context.storage();
      const concurrency = options.concurrency ?? DEFAULT_JOB_CONCURRENCY;
      const lease = leaseOf(options.leaseMilliseconds);
      return queue.work(storage, { ...options, concurrency, ...lease }, (event) =>
        runs.emit(event.jobId, event, options.onEvent),
      );
    },

    async stopAll() {
      await runs.stop('worker-stopped');
      await runs.close();
    },
  };
}

async function storyIdsFor(
  storage: Storage,
  project: ProjectRecord,
  input: StartJobInput,
): Promise<string[]> {
  const keys = [...new Set((input.storyKeys ?? []).map((key) => key.trim()).filter(Boolean))];
  if (input.all && keys.length > 0) {
    throw new InvalidInputError('Give either all stories or a list of story keys, not both.', {
      fix: 'Ask for all stories alone, or for a list of story keys alone.',
      remedies: [
        { kind: 'change-value', field: 'all' },
        { kind: 'change-value', field: 'stories', example: 'KEY1,KEY2' },
      ],
    });
  }
  if (input.all) return (await storage.stories.list(project.id)).map((story) => story.id);
  if (keys.length === 0) {
    throw new InvalidInputError('Name the stories of the job.', {
      fix: `Ask for every story of "${project.name}", or give a list of story keys.`,
      remedies: [
        { kind: 'change-value', field: 'all' },
        { kind: 'change-value', field: 'stories', example: 'KEY1,KEY2' },
      ],
    });
  }
  const ids: string[] = [];
  for (const key of keys) ids.push((await requireStory(storage, project, key)).id);
  return ids;
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

function engineOptions(options: JobGenerationOptions): { offline?: boolean; provider?: string } {
  return {
    ...(options.offline ? { offline: true } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
  };
}

function dropUndefined<Value extends object>(value: Value): Value {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Value;
}
