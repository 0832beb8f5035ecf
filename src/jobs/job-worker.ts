import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { JobRecord, JobTaskRecord } from '../core/repositories.ts';
import { InvalidInputError } from '../shared/errors.ts';
import { isFinalJobStatus, requireJob, summarizeProgress } from './jobs.ts';
import type { BackoffOptions } from './retry-policy.ts';
import { TaskExecutor, type Sleep } from './task-executor.ts';
import type { GenerateForStory, JobEventListener, JobStorage } from './types.ts';

export interface JobWorkerOptions {
  /** The workspace's repositories (a `Storage` from `src/storage/`). */
  storage: JobStorage;
  /** Work on this job only and return when it is finished. Default: every queued or running job, until `signal` aborts (`reqase worker`). */
  jobId?: string;
  /** Names this worker in task locks. Default: `<host>:<pid>:<random>`. */
  workerId?: string;
  /** The per-story work (core's generation with the project's provider, wired by the app). */
  generateForStory: GenerateForStory;
  /** Tasks run at once by this worker. Default: 4 (the app passes the provider's limit). */
  concurrency?: number;
  /**
   * Tasks claimed and started beyond `concurrency`, for a `generateForStory` that queues its
   * requests at the provider's own limit (the app's shared chat client does): the next request
   * starts the moment one ends, a request waiting out a 429's Retry-After frees its place for
   * another story, and storing a story's cases overlaps the next request. Default: 0.
   */
  claimAhead?: number;
  /**
   * How long a claimed task stays locked without a renewal, in ms. The heartbeat renews it while
   * the task runs, so a killed worker's stories are claimable again this long after it died.
   * Default: 10000 (`DEFAULT_LEASE_MILLISECONDS`).
   */
  leaseMilliseconds?: number;
  /** Claims of a task before a retryable failure fails it for good. Default: 3. */
  maxAttempts?: number;
  /** Retry waits: exponential with jitter, capped; a `retryAfterMilliseconds` on the error wins. */
  backoff?: BackoffOptions;
  /** Spaces request starts of this worker (the provider's limit). Default: no limit. */
  requestsPerMinute?: number;
  /** Stops the worker: running tasks are aborted and given back unfinished; the job keeps running. */
  signal?: AbortSignal;
  /** The clock, which must agree with storage's (retry times are compared in the database). Default: `() => new Date()`. */
  clock?: () => Date;
  /** Waits for backoff, polling and rate limits. Default: a timer. Tests inject one that moves a fake clock. */
  sleep?: Sleep;
  /** For jitter. Default: `Math.random`. */
  random?: () => number;
  /** How long to wait when nothing is claimable (retries waiting, tasks leased elsewhere), in ms. Default: 1000. */
  pollIntervalMilliseconds?: number;
  /** Real-time interval of lease renewal and job status checks (cancellation), in ms. Default: min(lease / 3, 2000). */
  heartbeatIntervalMilliseconds?: number;
  /** Without `jobId`: return when no job has work left instead of waiting for new jobs. Default: false. */
  stopWhenIdle?: boolean;
  /** Progress events (`job-start`, `task-start`, `task-end`, `task-retry`, `task-fail`, `job-progress`, `job-end`). */
  onEvent?: JobEventListener;
}

export interface JobWorkerResult {
  /** `finished`: the job (with `jobId`) is final; `stopped`: the signal aborted; `idle`: nothing left (`stopWhenIdle`). */
  reason: 'finished' | 'stopped' | 'idle';
  /** With `jobId`: the job as it is at the end. */
  job: JobRecord | undefined;
  /** Tasks this worker completed, failed for good, put back for a retry, and gave back unfinished. */
  completed: number;
  failed: number;
  retried: number;
  released: number;
}

/** The lease of a claimed task; renewed every `min(lease / 3, 2 s)` while it runs. */
export const DEFAULT_LEASE_MILLISECONDS = 10_000;

/** A worker id unique across machines and processes. */
export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** A timer that ends early (rejecting with the abort reason) when the signal aborts. */
export const timerSleep: Sleep = (milliseconds, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Runs bulk generation from the job tables: claims tasks atomically (several workers and
 * processes may share a job), runs up to `concurrency` at once, stores each story's generation
 * and test cases exactly once, retries with backoff, and finishes, cancels or stops the job on
 * budget. On SQLite this is how a job runs; on PostgreSQL it works alongside pg-boss workers.
 *
 * @example
 * const job = await createJob(storage, { projectId, storyIds });
 * const result = await runJobWorker({ storage, jobId: job.id, generateForStory, concurrency: 4, onEvent: print });
 * console.log(result.job?.status); // 'completed'
 */
export async function runJobWorker(options: JobWorkerOptions): Promise<JobWorkerResult> {
  const { storage, jobId, signal } = options;
  const concurrency = requireConcurrency(options.concurrency ?? 4) + claimAheadOf(options);
  const leaseMilliseconds = options.leaseMilliseconds ?? DEFAULT_LEASE_MILLISECONDS;
  const workerId = options.workerId ?? defaultWorkerId();
  const onEvent = options.onEvent ?? (() => undefined);
  let wake: () => void = () => undefined;
  const executor = createTaskExecutor(options, {
    workerId,
    leaseMilliseconds,
    onEvent,
    onChange: () => wake(),
  });
  const source = new JobSource({ storage, jobId, workerId, leaseMilliseconds, onEvent });

  if (jobId !== undefined) {
    const job = await requireJob(storage, jobId);
    if (!isFinalJobStatus(job.status)) await source.startJob(job);
  }

  const onAbort = () => wake();
  signal?.addEventListener('abort', onAbort);
  let reason: JobWorkerResult['reason'] = 'stopped';
  try {
    const round = { executor, source, concurrency, options };
    for (;;) {
      if (signal?.aborted) break;
      const outcome = await runRound(round);
      if (outcome.kind === 'end') {
        reason = outcome.reason;
        break;
      }
      if (outcome.claimedAny && executor.activeCount < concurrency) continue;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      await waitForWork(executor, woken, options);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await executor.abort('worker-stopped');
    executor.close();
  }
  const job = jobId !== undefined ? await executor.announceEnd(jobId) : undefined;
  return { reason, job, ...executor.counts };
}

function requireConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidInputError(
      `The worker concurrency must be a whole number of at least 1, not ${concurrency}.`,
      {
        fix: 'Set the concurrency to 1 or more.',
        remedies: [{ kind: 'set-setting', setting: 'concurrency' }],
      },
    );
  }
  return concurrency;
}

/** The tasks claimed beyond the concurrency (`claimAhead`), checked. */
export function claimAheadOf(options: Pick<JobWorkerOptions, 'claimAhead'>): number {
  const claimAhead = options.claimAhead ?? 0;
  if (!Number.isInteger(claimAhead) || claimAhead < 0) {
    throw new InvalidInputError(
      `The tasks claimed ahead must be a whole number of at least 0, not ${claimAhead}.`,
      { fix: 'Claim 0 tasks ahead, or as many as the provider allows at once.' },
    );
  }
  return claimAhead;
}

/** The worker's options resolved to the executor's, defaults applied. */
export function createTaskExecutor(
  options: JobWorkerOptions,
  resolved: {
    workerId: string;
    leaseMilliseconds: number;
    onEvent: JobEventListener;
    onChange: () => void;
  },
): TaskExecutor {
  const { leaseMilliseconds } = resolved;
  return new TaskExecutor({
    storage: options.storage,
    workerId: resolved.workerId,
    generateForStory: options.generateForStory,
    leaseMilliseconds,
    maxAttempts: options.maxAttempts ?? 3,
    backoff: options.backoff ?? {},
    requestsPerMinute: options.requestsPerMinute,
    clock: options.clock ?? (() => new Date()),
    sleep: options.sleep ?? timerSleep,
    random: options.random ?? Math.random,
    heartbeatIntervalMilliseconds:
      options.heartbeatIntervalMilliseconds ?? Math.max(10, Math.min(leaseMilliseconds / 3, 2000)),
    onEvent: resolved.onEvent,
    onChange: resolved.onChange,
  });
}

export interface JobSourceSettings {
  storage: JobStorage;
  jobId: string | undefined;
  workerId: string;
  leaseMilliseconds: number;
  onEvent: JobEventListener;
}

/** Where a worker claims tasks: one job (`jobId`) while it is active, or every queued or running job. */
export class JobSource {
  readonly #started = new Set<string>();
  readonly #settings: JobSourceSettings;

  constructor(settings: JobSourceSettings) {
    this.#settings = settings;
  }

  get jobId(): string | undefined {
    return this.#settings.jobId;
  }

  /** Marks the job running and announces it, once per job and worker. */
  async startJob(job: JobRecord): Promise<void> {
    if (this.#started.has(job.id)) return;
    this.#started.add(job.id);
    const { storage, workerId, onEvent } = this.#settings;
    if (job.status === 'queued') await storage.jobs.setStatus(job.id, 'running');
    onEvent({ kind: 'job-start', jobId: job.id, workerId, progress: summarizeProgress(job.progress) });
  }

  /** The jobs to claim from, oldest first; with `jobId` only that one while it is active. */
  async activeJobs(): Promise<JobRecord[]> {
    const { storage, jobId } = this.#settings;
    if (jobId !== undefined) {
      const job = await requireJob(storage, jobId);
      return isFinalJobStatus(job.status) ? [] : [job];
    }
    return (await storage.jobs.list({ status: ['queued', 'running'] })).reverse();
  }

  async claim(jobs: JobRecord[]): Promise<{ task: JobTaskRecord; job: JobRecord } | undefined> {
    const { storage, workerId, leaseMilliseconds } = this.#settings;
    for (const job of jobs) {
      await this.startJob(job);
      const task = await storage.jobs.claimNextTask(job.id, workerId, leaseMilliseconds);
      if (task) return { task, job };
    }
    return undefined;
  }
}

type RoundOutcome = { kind: 'continue'; claimedAny: boolean } | { kind: 'end'; reason: 'finished' | 'idle' };

/** Claims tasks up to the concurrency, settles jobs with nothing left here, and says whether the worker is done. */
async function runRound(round: {
  executor: TaskExecutor;
  source: JobSource;
  concurrency: number;
  options: JobWorkerOptions;
}): Promise<RoundOutcome> {
  const { executor, source, concurrency, options } = round;
  const jobs = await source.activeJobs();
  let claimedAny = false;
  while (executor.activeCount < concurrency && !options.signal?.aborted) {
    const claimed = await source.claim(jobs);
    if (!claimed) break;
    executor.start(claimed.task, claimed.job);
    claimedAny = true;
  }
  // Jobs with nothing claimable and nothing running here may be finished (or out of budget).
  for (const job of jobs) {
    if (executor.activeCountOf(job.id) === 0) await executor.settleJob(job.id);
  }
  if (source.jobId !== undefined) {
    const remaining = await source.activeJobs();
    if (remaining.length === 0 && executor.activeCount === 0) return { kind: 'end', reason: 'finished' };
  } else if (options.stopWhenIdle && !claimedAny && executor.activeCount === 0) {
    const remaining = await source.activeJobs();
    if (remaining.length === 0) return { kind: 'end', reason: 'idle' };
  }
  return { kind: 'continue', claimedAny };
}

async function waitForWork(
  executor: TaskExecutor,
  woken: Promise<void>,
  options: JobWorkerOptions,
): Promise<void> {
  if (executor.activeCount > 0) {
    // Tasks run here: wait for one to end, or for the heartbeat (real time). The injected
    // sleep is not used, so a fake clock never runs ahead of tasks in flight.
    await Promise.race([executor.anySettled(), woken]);
  } else {
    const sleep = options.sleep ?? timerSleep;
    await Promise.race([
      sleep(options.pollIntervalMilliseconds ?? 1000, options.signal).catch(() => undefined),
      woken,
    ]);
  }
}
