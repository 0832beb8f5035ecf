import { hostname } from 'node:os';
import type { JobBudget, JobRecord, JobStatus, JobTaskStatus, ProjectRecord } from '../../core/index.ts';
import {
  cancelJob,
  createJob,
  createPgBossQueue,
  isFinalJobStatus,
  requireJob,
  runJobWorker,
  startPgBossWorker,
  summarizeProgress,
  type BackoffOptions,
  type JobEvent,
  type JobEventListener,
  type JobProgressSummary,
} from '../../jobs/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { parseCount, parseKinds, type EngineSummary } from '../generate-from-file.ts';
import { requireProject, requireStory, type WorkspaceContext } from './context.ts';
import {
  JobGenerationOptionsSchema,
  resolveEngine,
  type GenerationService,
  type JobGenerationOptions,
} from './generation.ts';

/** Tasks run at once when the engine has no limit of its own (the offline rules engine). */
export const DEFAULT_JOB_CONCURRENCY = 4;

export interface StartJobInput {
  projectName: string;
  /** The stories to generate for, by key. Give these or `all`. */
  storyKeys?: string[];
  /** Every story of the project. */
  all?: boolean;
  /**
   * Format, count, kinds, provider, offline, additional context, fill gaps, language, and
   * `onlyChanged` (default true: stories whose criteria all have an up-to-date case are skipped).
   */
  options?: JobGenerationOptions;
  /** Stops the job cleanly once done stories stored this many test cases or used this many tokens. */
  budget?: JobBudget;
}

/** A job as people and clients see it. */
export interface JobView {
  id: string;
  /** The project's name. */
  project: string;
  status: JobStatus;
  options: Record<string, unknown>;
  budget: JobBudget | null;
  /** Why the job failed or stopped, if it did. */
  error: string | null;
  /** Done, failed, remaining (pending + running), test cases stored and tokens used. */
  progress: JobProgressSummary;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface StartedJob extends JobView {
  /** The engine the job's stories are generated with. */
  engine: EngineSummary;
  /** What was assumed while resolving the provider. */
  notices: string[];
}

export interface JobTaskView {
  id: string;
  storyKey: string;
  storySummary: string;
  status: JobTaskStatus;
  attempts: number;
  lastError: string | null;
  testCaseCount: number;
  tokensUsed: number;
  generationId: string | null;
  /**
   * Why the story was skipped without generating, e.g. every criterion already has an up-to-date
   * case (a bulk run without `regenerate`); null when it was generated or is not done.
   */
  skipped: string | null;
  updatedAt: string;
}

export interface JobDetails extends JobView {
  tasks: JobTaskView[];
}

export interface JobRunOptions {
  /** Stops the run: no new story is taken, running ones are given back unfinished; the job stays resumable. */
  signal?: AbortSignal;
  onEvent?: JobEventListener;
  /** Stories generated at once. Default: the provider's `concurrency` limit, else 4. */
  concurrency?: number;
  /** Request starts per minute. Default: the provider's `requestsPerMinute` limit, else none. */
  requestsPerMinute?: number;
  /** How long a claimed story stays locked without renewal, in ms. Default: 60000. */
  leaseMilliseconds?: number;
  /** Attempts of a story before a retryable failure fails it for good. Default: 3. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** How often a run waiting for retries or other workers looks again, in ms. Default: 1000. */
  pollIntervalMilliseconds?: number;
}

export interface JobRunResult {
  /** `finished`: the job is final (completed, failed, cancelled, budget-exhausted); `stopped`: the signal aborted. */
  reason: 'finished' | 'stopped';
  job: JobView;
  /** Stories this run completed, failed for good, put back for a retry, and gave back unfinished. */
  completed: number;
  failed: number;
  retried: number;
  released: number;
}

export interface WorkOptions {
  /** Required: the worker runs until it aborts. */
  signal: AbortSignal;
  onEvent?: JobEventListener;
  /** Stories generated at once across jobs. Default: 4. */
  concurrency?: number;
  leaseMilliseconds?: number;
  pollIntervalMilliseconds?: number;
}

export interface WorkResult {
  /** `pg-boss` on PostgreSQL (workers on any machine share jobs), `table` on SQLite. */
  queue: 'pg-boss' | 'table';
  completed: number;
  failed: number;
  retried: number;
  released: number;
}

export interface JobService {
  /**
   * Creates a durable bulk job (one task per story). On PostgreSQL its tasks are also announced
   * through pg-boss, so `reqase worker` processes anywhere pick them up. Nothing runs yet.
   */
  start(input: StartJobInput): Promise<StartedJob>;
  /**
   * Runs the job in this process until it is final or `signal` aborts. Resumes an interrupted job
   * (stories held by a process of this machine that died are taken back at once on SQLite).
   */
  run(jobId: string, options?: JobRunOptions): Promise<JobRunResult>;
  /** Like `run`, and re-opens a cancelled job first. */
  resume(jobId: string, options?: JobRunOptions): Promise<JobRunResult>;
  /** Makes a cancelled job active again (a queued or running one stays as it is); refuses a finished one. */
  reopen(jobId: string): Promise<JobView>;
  /** Starts `run` without waiting (the server); a job already running here is not started twice. */
  runInBackground(jobId: string, options?: Omit<JobRunOptions, 'signal'>): Promise<JobRunResult>;
  /** True while a run of the job is going on in this process. */
  isRunningHere(jobId: string): boolean;
  /** Events of the job's runs in this process; returns the unsubscribe function. */
  subscribe(jobId: string, listener: JobEventListener): () => void;
  /** Newest first; all projects when no name is given. */
  list(projectName?: string): Promise<JobView[]>;
  /** The job and its progress, without its tasks. */
  get(jobId: string): Promise<JobView>;
  /** The job with each story's task. */
  show(jobId: string): Promise<JobDetails>;
  /** Cancels the job everywhere; runs in this process stop before this returns. */
  cancel(jobId: string): Promise<JobView>;
  /**
   * `reqase worker`: serves every active job until `signal` aborts. On PostgreSQL through pg-boss
   * (any number of machines), on SQLite from the job tables.
   */
  work(options: WorkOptions): Promise<WorkResult>;
  /** Stops every run in this process (the workspace calls it when it closes). */
  stopAll(): Promise<void>;
}

interface LocalRun {
  controller: AbortController;
  done: Promise<JobRunResult>;
}

/**
 * The bulk generation service over src/jobs: the app decides the engine's limits, the pg-boss
 * queue on PostgreSQL, and which runs of this process a cancel must stop.
 */
export function createJobService(context: WorkspaceContext, generation: GenerationService): JobService {
  const runs = new Map<string, Set<LocalRun>>();
  const listeners = new Map<string, Set<JobEventListener>>();

  const onPostgres = (storage: Storage): string | undefined =>
    storage.dialect === 'postgres' ? context.settings.databaseUrl : undefined;
  const bossSchema = (): string | undefined => context.settings.env.REQASE_PGBOSS_SCHEMA || undefined;

  async function projectNames(storage: Storage): Promise<Map<string, string>> {
    return new Map((await storage.projects.list()).map((project) => [project.id, project.name]));
  }

  function view(job: JobRecord, projectName: string): JobView {
    return {
      id: job.id,
      project: projectName,
      status: job.status,
      options: job.options,
      budget: job.budget,
      error: job.error,
      progress: summarizeProgress(job.progress),
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      finishedAt: job.finishedAt,
    };
  }

  async function viewOf(storage: Storage, job: JobRecord): Promise<JobView> {
    const project = await storage.projects.get(job.projectId);
    return view(job, project?.name ?? job.projectId);
  }

  /** The provider's limits when the job's engine is a model; the default otherwise. */
  async function limitsFor(
    storage: Storage,
    job: JobRecord,
  ): Promise<{ concurrency: number; requestsPerMinute?: number }> {
    const project = await storage.projects.get(job.projectId);
    const parsed = JobGenerationOptionsSchema.safeParse(job.options ?? {});
    if (!project || !parsed.success) return { concurrency: DEFAULT_JOB_CONCURRENCY };
    try {
      const engine = await resolveEngine(context, storage, project, engineOptions(parsed.data));
      if (engine.choice.kind !== 'llm') return { concurrency: DEFAULT_JOB_CONCURRENCY };
      const { limits } = engine.choice.provider;
      return {
        concurrency: limits.concurrency,
        ...(limits.requestsPerMinute ? { requestsPerMinute: limits.requestsPerMinute } : {}),
      };
    } catch {
      // The provider was removed since: each story fails with the reason; the limits do not matter.
      return { concurrency: DEFAULT_JOB_CONCURRENCY };
    }
  }

  /**
   * On SQLite the database is on this machine: a story still leased by a process of this host
   * that no longer exists (a killed `reqase generate`) is given back now rather than when its
   * lease ends. A live or foreign holder keeps its lease.
   */
  async function releaseDeadLocalLeases(storage: Storage, jobId: string): Promise<number> {
    if (storage.dialect !== 'sqlite') return 0;
    let released = 0;
    const host = hostname();
    const now = context.now().getTime();
    for (const task of await storage.jobs.listTasks(jobId)) {
      if (task.status !== 'running' || !task.lockedBy || !task.lockedUntil) continue;
      if (new Date(task.lockedUntil).getTime() < now) continue; // expired: claimable anyway
      const [taskHost, pid] = task.lockedBy.split(':');
      if (taskHost !== host || !pid || !/^\d+$/.test(pid) || processIsAlive(Number(pid))) continue;
      await storage.jobs.failTask(task.id, 'Released: the process running it ended.', {
        retryable: true,
        maxAttempts: Number.MAX_SAFE_INTEGER,
        retryAt: context.now(),
      });
      released++;
    }
    return released;
  }

  function emit(jobId: string, event: JobEvent, own?: JobEventListener): void {
    try {
      own?.(event);
    } catch {
      // A failing listener (a closed terminal) must not stop the job.
    }
    for (const listener of listeners.get(jobId) ?? []) {
      try {
        listener(event);
      } catch {
        // Same for a subscriber (a closed event stream).
      }
    }
  }

  function run(jobId: string, options: JobRunOptions = {}): Promise<JobRunResult> {
    // Registered before the first await, so a cancel right after the call reaches this run.
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) controller.abort(options.signal.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const set = runs.get(jobId) ?? new Set<LocalRun>();
    runs.set(jobId, set);
    const local: LocalRun = { controller, done: Promise.resolve(undefined as unknown as JobRunResult) };
    set.add(local);
    local.done = (async (): Promise<JobRunResult> => {
      try {
        const storage = await context.storage();
        const job = await requireJob(storage, jobId);
        if (isFinalJobStatus(job.status) || controller.signal.aborted) {
          return {
            reason: isFinalJobStatus(job.status) ? 'finished' : 'stopped',
            job: await viewOf(storage, job),
            completed: 0,
            failed: 0,
            retried: 0,
            released: 0,
          };
        }
        await releaseDeadLocalLeases(storage, jobId);
        const limits = await limitsFor(storage, job);
        const requestsPerMinute = options.requestsPerMinute ?? limits.requestsPerMinute;
        const result = await runJobWorker({
          storage,
          jobId,
          generateForStory: generation.generateForStoryRecord,
          concurrency: options.concurrency ?? limits.concurrency,
          ...(requestsPerMinute ? { requestsPerMinute } : {}),
          ...(options.leaseMilliseconds ? { leaseMilliseconds: options.leaseMilliseconds } : {}),
          ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
          ...(options.backoff ? { backoff: options.backoff } : {}),
          ...(options.pollIntervalMilliseconds
            ? { pollIntervalMilliseconds: options.pollIntervalMilliseconds }
            : {}),
          // Retry times are compared in the database: the worker keeps the storage's clock.
          clock: context.now,
          signal: controller.signal,
          onEvent: (event) => emit(jobId, event, options.onEvent),
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
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
        set.delete(local);
        if (set.size === 0 && runs.get(jobId) === set) runs.delete(jobId);
      }
    })();
    return local.done;
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
      const connectionString = onPostgres(storage);
      const schema = bossSchema();
      const queue = connectionString
        ? await createPgBossQueue({ connectionString, ...(schema ? { schema } : {}) })
        : undefined;
      try {
        const job = await createJob(
          storage,
          {
            projectId: project.id,
            storyIds,
            options,
            ...(Object.keys(budget).length ? { budget } : {}),
          },
          queue ? { queue } : {},
        );
        return { ...view(job, project.name), engine: engine.summary, notices: engine.notices };
      } finally {
        await queue?.close();
      }
    },

    run,

    reopen,

    async resume(jobId, options) {
      await reopen(jobId);
      return run(jobId, options);
    },

    runInBackground(jobId, options = {}) {
      const existing = runs.get(jobId);
      if (existing?.size) return [...existing][0]!.done;
      const done = run(jobId, options);
      done.catch(() => undefined); // The caller may not wait; the job's tasks keep the error.
      return done;
    },

    isRunningHere: (jobId) => (runs.get(jobId)?.size ?? 0) > 0,

    subscribe(jobId, listener) {
      const set = listeners.get(jobId) ?? new Set<JobEventListener>();
      set.add(listener);
      listeners.set(jobId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(jobId);
      };
    },

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
      const storage = await context.storage();
      const job = await requireJob(storage, jobId);
      const stories = new Map((await storage.stories.list(job.projectId)).map((story) => [story.id, story]));
      const tasks = await storage.jobs.listTasks(jobId);
      const skipped = await skippedReasons(storage, tasks);
      return {
        ...(await viewOf(storage, job)),
        tasks: tasks.map((task) => ({
          id: task.id,
          storyKey: stories.get(task.storyId)?.key ?? '(removed story)',
          storySummary: stories.get(task.storyId)?.summary ?? '',
          status: task.status,
          attempts: task.attempts,
          lastError: task.lastError,
          testCaseCount: task.testCaseCount,
          tokensUsed: task.tokensUsed,
          generationId: task.generationId,
          skipped: skipped.get(task.id) ?? null,
          updatedAt: task.updatedAt,
        })),
      };
    },

    async cancel(jobId) {
      const storage = await context.storage();
      const job = await cancelJob(storage, jobId);
      const local = [...(runs.get(jobId) ?? [])];
      for (const entry of local) entry.controller.abort('cancelled');
      await Promise.allSettled(local.map((entry) => entry.done));
      return viewOf(storage, (await storage.jobs.get(jobId)) ?? job);
    },

    async work(options) {
      const storage = await context.storage();
      const concurrency = options.concurrency ?? DEFAULT_JOB_CONCURRENCY;
      const connectionString = onPostgres(storage);
      if (connectionString) {
        const schema = bossSchema();
        const worker = await startPgBossWorker({
          connectionString,
          ...(schema ? { schema } : {}),
          storage,
          generateForStory: generation.generateForStoryRecord,
          concurrency,
          ...(options.leaseMilliseconds ? { leaseMilliseconds: options.leaseMilliseconds } : {}),
          ...(options.pollIntervalMilliseconds
            ? { pollingIntervalSeconds: Math.max(0.5, options.pollIntervalMilliseconds / 1000) }
            : {}),
          clock: context.now,
          onEvent: (event) => emit(event.jobId, event, options.onEvent),
        });
        if (!options.signal.aborted) {
          await new Promise<void>((resolve) =>
            options.signal.addEventListener('abort', () => resolve(), { once: true }),
          );
        }
        return { queue: 'pg-boss', ...(await worker.stop()) };
      }
      for (const job of await storage.jobs.list({ status: ['queued', 'running'] })) {
        await releaseDeadLocalLeases(storage, job.id);
      }
      const result = await runJobWorker({
        storage,
        generateForStory: generation.generateForStoryRecord,
        concurrency,
        ...(options.leaseMilliseconds ? { leaseMilliseconds: options.leaseMilliseconds } : {}),
        ...(options.pollIntervalMilliseconds
          ? { pollIntervalMilliseconds: options.pollIntervalMilliseconds }
          : {}),
        clock: context.now,
        signal: options.signal,
        onEvent: (event) => emit(event.jobId, event, options.onEvent),
      });
      return {
        queue: 'table',
        completed: result.completed,
        failed: result.failed,
        retried: result.retried,
        released: result.released,
      };
    },

    async stopAll() {
      const all = [...runs.values()].flatMap((set) => [...set]);
      for (const entry of all) entry.controller.abort('worker-stopped');
      await Promise.allSettled(all.map((entry) => entry.done));
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
      fix: 'Use --all alone, or --stories KEY1,KEY2 alone.',
    });
  }
  if (input.all) return (await storage.stories.list(project.id)).map((story) => story.id);
  if (keys.length === 0) {
    throw new InvalidInputError('Name the stories of the job.', {
      fix: `Give --all for every story of "${project.name}", or --stories KEY1,KEY2.`,
    });
  }
  const ids: string[] = [];
  for (const key of keys) ids.push((await requireStory(storage, project, key)).id);
  return ids;
}

function engineOptions(options: JobGenerationOptions): { offline?: boolean; provider?: string } {
  return {
    ...(options.offline ? { offline: true } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
  };
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function dropUndefined<Value extends object>(value: Value): Value {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Value;
}

/**
 * The tasks that finished without generating because their story was already covered: their
 * generation record is the marker `prepareGeneration` stores (no criteria asked for, the reason as
 * its only warning). Only done tasks with no test case are looked at.
 */
async function skippedReasons(
  storage: Storage,
  tasks: ReadonlyArray<{
    id: string;
    status: JobTaskStatus;
    testCaseCount: number;
    generationId: string | null;
  }>,
): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  for (const task of tasks) {
    if (task.status !== 'done' || task.testCaseCount > 0 || task.generationId === null) continue;
    const generation = await storage.generations.get(task.generationId);
    const prompt = generation?.prompt as { onlyChanged?: unknown; criteria?: unknown } | null | undefined;
    if (prompt?.onlyChanged === true && Array.isArray(prompt.criteria) && prompt.criteria.length === 0) {
      reasons.set(task.id, generation?.warnings[0] ?? 'already covered');
    }
  }
  return reasons;
}
