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
  /** How long a claimed task stays locked without a renewal, in ms; renewed while it runs. Default: 60000. */
  leaseMilliseconds?: number;
  /** Claims of a task before a retryable failure fails it for good. Default: 3. */
  maxAttempts?: number;
  /** Retry waits: exponential with jitter, capped; a `retryAfterMs` on the error wins. */
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
// eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
export async function runJobWorker(options: JobWorkerOptions): Promise<JobWorkerResult> {
  const { storage, jobId, signal } = options;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidInputError(
      `The worker concurrency must be a whole number of at least 1, not ${concurrency}.`,
      {
        fix: 'Set the concurrency to 1 or more.',
        remedies: [{ kind: 'set-setting', setting: 'concurrency' }],
      },
    );
  }
  const leaseMilliseconds = options.leaseMilliseconds ?? 60_000;
  const workerId = options.workerId ?? defaultWorkerId();
  const sleep = options.sleep ?? timerSleep;
  const pollInterval = options.pollIntervalMilliseconds ?? 1000;
  const onEvent = options.onEvent ?? (() => undefined);

  let wake: () => void = () => undefined;
  const executor = new TaskExecutor({
    storage,
    workerId,
    generateForStory: options.generateForStory,
    leaseMilliseconds,
    maxAttempts: options.maxAttempts ?? 3,
    backoff: options.backoff ?? {},
    requestsPerMinute: options.requestsPerMinute,
    clock: options.clock ?? (() => new Date()),
    sleep,
    random: options.random ?? Math.random,
    heartbeatIntervalMilliseconds:
      options.heartbeatIntervalMilliseconds ?? Math.max(10, Math.min(leaseMilliseconds / 3, 2000)),
    onEvent,
    onChange: () => wake(),
  });

  const started = new Set<string>();
  async function startJob(job: JobRecord): Promise<void> {
    if (started.has(job.id)) return;
    started.add(job.id);
    if (job.status === 'queued') await storage.jobs.setStatus(job.id, 'running');
    onEvent({ kind: 'job-start', jobId: job.id, workerId, progress: summarizeProgress(job.progress) });
  }

  /** The jobs to claim from, oldest first; with `jobId` only that one while it is active. */
  async function activeJobs(): Promise<JobRecord[]> {
    if (jobId !== undefined) {
      const job = await requireJob(storage, jobId);
      return isFinalJobStatus(job.status) ? [] : [job];
    }
    return (await storage.jobs.list({ status: ['queued', 'running'] })).reverse();
  }

  async function claim(jobs: JobRecord[]): Promise<{ task: JobTaskRecord; job: JobRecord } | undefined> {
    for (const job of jobs) {
      await startJob(job);
      const task = await storage.jobs.claimNextTask(job.id, workerId, leaseMilliseconds);
      if (task) return { task, job };
    }
    return undefined;
  }

  if (jobId !== undefined) {
    const job = await requireJob(storage, jobId);
    if (!isFinalJobStatus(job.status)) await startJob(job);
  }

  const onAbort = () => wake();
  signal?.addEventListener('abort', onAbort);
  let reason: JobWorkerResult['reason'] = 'stopped';
  try {
    for (;;) {
      if (signal?.aborted) break;
      let jobs = await activeJobs();
      let claimedAny = false;
      while (executor.activeCount < concurrency && !signal?.aborted) {
        const claimed = await claim(jobs);
        if (!claimed) break;
        executor.start(claimed.task, claimed.job);
        claimedAny = true;
      }
      // Jobs with nothing claimable and nothing running here may be finished (or out of budget).
      for (const job of jobs) {
        if (executor.activeCountOf(job.id) === 0) await executor.settleJob(job.id);
      }
      if (jobId !== undefined) {
        jobs = await activeJobs();
        if (jobs.length === 0 && executor.activeCount === 0) {
          reason = 'finished';
          break;
        }
      } else if (options.stopWhenIdle && !claimedAny && executor.activeCount === 0) {
        const remaining = await activeJobs();
        if (remaining.length === 0) {
          reason = 'idle';
          break;
        }
      }
      if (claimedAny && executor.activeCount < concurrency) continue;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      if (executor.activeCount > 0) {
        // Tasks run here: wait for one to end, or for the heartbeat (real time). The injected
        // sleep is not used, so a fake clock never runs ahead of tasks in flight.
        await Promise.race([executor.anySettled(), woken]);
      } else {
        await Promise.race([sleep(pollInterval, signal).catch(() => undefined), woken]);
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await executor.abort('worker-stopped');
    executor.close();
  }
  const job = jobId !== undefined ? await executor.announceEnd(jobId) : undefined;
  return { reason, job, ...executor.counts };
}
