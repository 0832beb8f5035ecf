import type { JobRecord, JobTaskRecord } from '../core/repositories.ts';
import { finalStatusOf, isBudgetReached, isFinalJobStatus, summarizeProgress } from './jobs.ts';
import { describeFailure, retryDelay, type BackoffOptions } from './retry-policy.ts';
import type { GenerateForStory, JobEvent, JobEventListener, JobStorage } from './types.ts';

/** Why a running task was given back without a result. */
export type ReleaseReason = 'cancelled' | 'budget-exhausted' | 'worker-stopped' | 'lease-lost';

/** A promise-returning wait that ends early (rejecting) when the signal aborts. */
export type Sleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

export interface TaskExecutorOptions {
  storage: JobStorage;
  workerId: string;
  generateForStory: GenerateForStory;
  leaseMilliseconds: number;
  maxAttempts: number;
  backoff: BackoffOptions;
  requestsPerMinute: number | undefined;
  clock: () => Date;
  sleep: Sleep;
  random: () => number;
  heartbeatIntervalMilliseconds: number;
  onEvent: JobEventListener;
  /** Called after each task ends and whenever the heartbeat ran, so a waiting loop wakes up. */
  onChange: () => void;
}

export type TaskOutcome = 'done' | 'retry' | 'failed' | 'released';

interface ActiveTask {
  task: JobTaskRecord;
  controller: AbortController;
  promise: Promise<TaskOutcome>;
}

/**
 * Runs claimed tasks: calls `generateForStory`, stores the result through the idempotent
 * `completeTask`, retries with backoff, renews leases while a task runs, and watches the job's
 * status so a cancelled or exhausted job aborts its running tasks. Shared by the table worker and
 * the pg-boss worker.
 */
export class TaskExecutor {
  readonly #options: TaskExecutorOptions;
  readonly #active = new Map<string, ActiveTask>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #heartbeatRunning = false;
  readonly #ended = new Set<string>();
  #nextRequestAt = 0;
  counts = { completed: 0, failed: 0, retried: 0, released: 0 };

  constructor(options: TaskExecutorOptions) {
    this.#options = options;
  }

  get activeCount(): number {
    return this.#active.size;
  }

  activeCountOf(jobId: string): number {
    let count = 0;
    for (const active of this.#active.values()) if (active.task.jobId === jobId) count++;
    return count;
  }

  /** Resolves when any running task ends (immediately when none runs). */
  async anySettled(): Promise<void> {
    if (this.#active.size === 0) return;
    await Promise.race([...this.#active.values()].map((active) => active.promise));
  }

  /** Starts the task in the background; `settled` resolves with how it ended (it never rejects). */
  start(task: JobTaskRecord, job: JobRecord): { settled: Promise<TaskOutcome> } {
    const controller = new AbortController();
    const active: ActiveTask = { task, controller, promise: Promise.resolve('released') };
    // A database failure while recording the outcome leaves the task running under its lease,
    // which expires and makes it claimable again: nothing is lost, so it is not rethrown.
    active.promise = this.#run(task, job, controller)
      .catch((): TaskOutcome => 'released')
      .finally(() => {
        this.#active.delete(task.id);
        this.#options.onChange();
      });
    this.#active.set(task.id, active);
    this.#ensureHeartbeat();
    return { settled: active.promise };
  }

  /** Aborts every running task (of one job, or all) and waits until they are released. */
  async abort(reason: ReleaseReason, jobId?: string): Promise<void> {
    const stopping: Promise<TaskOutcome>[] = [];
    for (const active of this.#active.values()) {
      if (jobId !== undefined && active.task.jobId !== jobId) continue;
      if (!active.controller.signal.aborted) active.controller.abort(reason);
      stopping.push(active.promise);
    }
    await Promise.all(stopping);
  }

  /** Stops the heartbeat; call after the last task settled. */
  close(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /**
   * Ends the job when none of its tasks is pending or running any more, or stops it when the
   * budget is reached. Returns the job's status when it is final.
   */
  async settleJob(jobId: string): Promise<JobRecord | undefined> {
    const { storage } = this.#options;
    const job = await storage.jobs.get(jobId);
    if (!job) return undefined;
    if (isFinalJobStatus(job.status)) return this.announceEnd(jobId);
    if (isBudgetReached(job.budget, job.progress)) {
      await storage.jobs.setStatus(jobId, 'budget-exhausted', budgetMessage(job));
      await this.abort('budget-exhausted', jobId);
      return this.announceEnd(jobId);
    }
    if (job.progress.pending + job.progress.running === 0) {
      const { status, error } = finalStatusOf(job.progress);
      await storage.jobs.setStatus(jobId, status, error);
      return this.announceEnd(jobId);
    }
    return undefined;
  }

  /** Emits `job-end` once per job, when the job is final. */
  async announceEnd(jobId: string): Promise<JobRecord | undefined> {
    const job = await this.#options.storage.jobs.get(jobId);
    if (job && isFinalJobStatus(job.status) && !this.#ended.has(jobId)) {
      this.#ended.add(jobId);
      this.#emit({ kind: 'job-end', jobId, status: job.status, progress: summarizeProgress(job.progress) });
    }
    return job;
  }

  /**
   * Right after a task stored its cases: when the job's budget is used up, stop the job and abort
   * its other running tasks here (not awaited: this task is one of the running ones).
   */
  async #stopWhenBudgetReached(jobId: string): Promise<void> {
    const { storage } = this.#options;
    const job = await storage.jobs.get(jobId);
    if (!job || isFinalJobStatus(job.status) || !isBudgetReached(job.budget, job.progress)) return;
    await storage.jobs.setStatus(jobId, 'budget-exhausted', budgetMessage(job));
    for (const active of this.#active.values()) {
      if (active.task.jobId === jobId && !active.controller.signal.aborted) {
        active.controller.abort('budget-exhausted' satisfies ReleaseReason);
      }
    }
  }

  #emit(event: JobEvent): void {
    try {
      this.#options.onEvent(event);
    } catch {
      // A failing listener (a closed terminal) must not break the job.
    }
  }

  async #run(task: JobTaskRecord, job: JobRecord, controller: AbortController): Promise<TaskOutcome> {
    const { storage, generateForStory, clock } = this.#options;
    const { signal } = controller;
    const base = { jobId: task.jobId, taskId: task.id, storyId: task.storyId };
    const attempt = task.attempts;
    this.#emit({ kind: 'task-start', ...base, attempt });
    let outcome: TaskOutcome;
    try {
      const story = await storage.stories.get(task.storyId);
      if (!story)
        throw Object.assign(new Error('The story was removed after the job was created.'), {
          retryable: false,
        });
      await this.#waitForRequestSlot(signal);
      const completion = await generateForStory(story, { job, attempt, signal });
      if (signal.aborted) return await this.#release(task, signal.reason as ReleaseReason);
      // Another worker may have cancelled the job or used up its budget meanwhile.
      const current = await storage.jobs.get(task.jobId);
      if (!current || isFinalJobStatus(current.status)) {
        return await this.#release(
          task,
          current?.status === 'budget-exhausted' ? 'budget-exhausted' : 'cancelled',
        );
      }
      const completed = await storage.jobs.completeTask(task.id, completion);
      this.counts.completed++;
      this.#emit({
        kind: 'task-end',
        ...base,
        attempt,
        testCases: completed.saved.testCases.length,
        tokens: completed.task.tokensUsed,
        alreadyDone: completed.alreadyDone,
      });
      outcome = 'done';
      // A budget is fixed when the job is created: without one there is nothing to check.
      if (job.budget) await this.#stopWhenBudgetReached(task.jobId);
    } catch (error) {
      if (signal.aborted) return await this.#release(task, signal.reason as ReleaseReason);
      const failure = describeFailure(error);
      const delay = retryDelay(
        attempt,
        this.#options.backoff,
        failure.retryAfterMilliseconds,
        this.#options.random,
      );
      const failed = await storage.jobs.failTask(task.id, failure.message, {
        retryable: failure.retryable,
        maxAttempts: this.#options.maxAttempts,
        retryAt: new Date(clock().getTime() + delay),
      });
      if (failed.status === 'pending') {
        this.counts.retried++;
        this.#emit({
          kind: 'task-retry',
          ...base,
          attempt,
          error: failure.message,
          delayMilliseconds: delay,
        });
        outcome = 'retry';
      } else {
        this.counts.failed++;
        this.#emit({ kind: 'task-fail', ...base, attempt, error: failure.message });
        outcome = 'failed';
      }
    }
    await this.#emitProgress(task.jobId);
    return outcome;
  }

  /** Gives the task back untouched (pending, claimable now); nothing of it was stored. */
  async #release(task: JobTaskRecord, reason: ReleaseReason): Promise<TaskOutcome> {
    this.counts.released++;
    // A lost lease means another worker owns the task now: leave it alone.
    if (reason !== 'lease-lost') {
      await this.#options.storage.jobs.failTask(task.id, `Released: ${reason}.`, {
        retryable: true,
        maxAttempts: Number.MAX_SAFE_INTEGER,
        retryAt: this.#options.clock(),
      });
    }
    this.#emit({ kind: 'task-release', jobId: task.jobId, taskId: task.id, storyId: task.storyId, reason });
    return 'released';
  }

  async #emitProgress(jobId: string): Promise<void> {
    const progress = summarizeProgress(await this.#options.storage.jobs.progress(jobId));
    this.#emit({
      kind: 'job-progress',
      jobId,
      total: progress.total,
      done: progress.done,
      failed: progress.failed,
      running: progress.running,
      remaining: progress.remaining,
      testCases: progress.testCases,
      tokens: progress.tokens,
    });
  }

  /** Spaces request starts evenly when a requests-per-minute limit is set. */
  async #waitForRequestSlot(signal: AbortSignal): Promise<void> {
    const { requestsPerMinute, clock, sleep } = this.#options;
    if (!requestsPerMinute || requestsPerMinute <= 0) return;
    const spacing = 60_000 / requestsPerMinute;
    const now = clock().getTime();
    const slot = Math.max(now, this.#nextRequestAt);
    this.#nextRequestAt = slot + spacing;
    if (slot > now) await sleep(slot - now, signal);
  }

  #ensureHeartbeat(): void {
    if (this.#heartbeat) return;
    this.#heartbeat = setInterval(() => void this.#beat(), this.#options.heartbeatIntervalMilliseconds);
    this.#heartbeat.unref?.();
  }

  /** Renews the leases of running tasks and aborts those whose job stopped. Real time, on purpose. */
  async #beat(): Promise<void> {
    if (this.#heartbeatRunning) return;
    this.#heartbeatRunning = true;
    const { storage, workerId, leaseMilliseconds } = this.#options;
    try {
      const jobIds = new Set([...this.#active.values()].map((active) => active.task.jobId));
      for (const jobId of jobIds) {
        const job = await storage.jobs.get(jobId);
        if (!job || isFinalJobStatus(job.status)) {
          void this.abort(job?.status === 'budget-exhausted' ? 'budget-exhausted' : 'cancelled', jobId);
        }
      }
      for (const active of this.#active.values()) {
        if (active.controller.signal.aborted) continue;
        const held = await storage.jobs.renewLease(active.task.id, workerId, leaseMilliseconds);
        if (!held) active.controller.abort('lease-lost' satisfies ReleaseReason);
      }
    } catch {
      // The database may be briefly unreachable; the next beat tries again.
    } finally {
      this.#heartbeatRunning = false;
      if (this.#active.size === 0) this.close();
      this.#options.onChange();
    }
  }
}

function budgetMessage(job: JobRecord): string {
  const { budget, progress } = job;
  const reached =
    budget?.maxTestCases !== undefined && progress.testCases >= budget.maxTestCases
      ? `${progress.testCases} test cases of at most ${budget.maxTestCases}`
      : `${progress.tokens} tokens of at most ${budget?.maxTokens}`;
  return `Budget reached: ${reached}. Start a new job for the remaining stories, with a larger budget.`;
}
