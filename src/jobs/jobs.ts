import type { JobBudget, JobProgress, JobRecord, JobStatus } from '../core/repositories.ts';
import { InvalidInputError, NotFoundError } from '../shared/errors.ts';
import type { JobProgressSummary, JobStorage } from './types.ts';

/** Statuses after which a job never runs again. */
export const FINAL_JOB_STATUSES: ReadonlySet<JobStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'budget-exhausted',
]);

export function isFinalJobStatus(status: JobStatus): boolean {
  return FINAL_JOB_STATUSES.has(status);
}

export interface CreateJobInput {
  projectId: string;
  /** One task per story; duplicates are ignored. At least one. */
  storyIds: string[];
  /** Generation options as the app defines them (format, provider name, …); stored as given. */
  options?: Record<string, unknown>;
  /** Stops the job cleanly once done tasks stored this many test cases or used this many tokens. */
  budget?: JobBudget;
}

/**
 * Where a job's tasks are announced to workers on other machines (pg-boss on PostgreSQL).
 * On SQLite there is none: workers read the tables.
 */
export interface JobQueue {
  enqueueTasks(jobId: string, taskIds: string[]): Promise<void>;
}

/**
 * Creates a durable job: status `queued`, one pending task per story, and, when a queue is given
 * (PostgreSQL with pg-boss), one message per task.
 *
 * @example
 * const job = await createJob(storage, { projectId, storyIds, options: { format: 'bdd' }, budget: { maxTestCases: 200 } });
 */
export async function createJob(
  storage: JobStorage,
  input: CreateJobInput,
  options: { queue?: JobQueue } = {},
): Promise<JobRecord> {
  if (input.storyIds.length === 0) {
    throw new InvalidInputError('A generation job needs at least one story.', {
      fix: 'Import stories first, or name existing ones.',
      remedies: [
        { kind: 'run-action', action: 'import-stories' },
        { kind: 'change-value', field: 'stories', example: 'KEY1,KEY2' },
      ],
    });
  }
  for (const [name, value] of Object.entries(input.budget ?? {})) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new InvalidInputError(`The job budget ${name} must be a positive whole number, not ${value}.`, {
        fix: 'Give a number above zero, or leave the budget out.',
      });
    }
  }
  const job = await storage.jobs.create({
    projectId: input.projectId,
    storyIds: input.storyIds,
    options: input.options ?? {},
    budget: input.budget && Object.keys(input.budget).length > 0 ? input.budget : null,
  });
  if (options.queue) {
    const tasks = await storage.jobs.listTasks(job.id);
    await options.queue.enqueueTasks(
      job.id,
      tasks.map((task) => task.id),
    );
  }
  return job;
}

/** Reads a job or throws a `NotFoundError` that says how to find the right id. */
export async function requireJob(storage: JobStorage, jobId: string): Promise<JobRecord> {
  const job = await storage.jobs.get(jobId);
  if (!job) {
    throw new NotFoundError(`There is no job with id ${jobId}.`, {
      fix: 'List the jobs to find the right id.',
      remedies: [{ kind: 'run-action', action: 'list-jobs' }],
    });
  }
  return job;
}

/**
 * The job with its progress (done, failed, remaining, tokens) as stored right now.
 *
 * @example const { job, progress } = await getJobProgress(storage, jobId); console.log(progress.remaining);
 */
export async function getJobProgress(
  storage: JobStorage,
  jobId: string,
): Promise<{ job: JobRecord; progress: JobProgressSummary }> {
  const job = await requireJob(storage, jobId);
  return { job, progress: summarizeProgress(job.progress) };
}

/**
 * Cancels a job: no task is handed out any more, and workers abort the tasks they run (they see
 * the status within their heartbeat) without storing anything half-written. A job already
 * finished keeps its status. Returns the job as it is afterwards.
 */
export async function cancelJob(
  storage: JobStorage,
  jobId: string,
  reason = 'cancelled by user',
): Promise<JobRecord> {
  const job = await requireJob(storage, jobId);
  if (isFinalJobStatus(job.status)) return job;
  await storage.jobs.setStatus(jobId, 'cancelled', reason);
  return requireJob(storage, jobId);
}

export function summarizeProgress(progress: JobProgress): JobProgressSummary {
  return { ...progress, remaining: progress.pending + progress.running };
}

/** True when the done tasks used up the budget. */
export function isBudgetReached(budget: JobBudget | null, progress: JobProgress): boolean {
  if (!budget) return false;
  if (budget.maxTestCases !== undefined && progress.testCases >= budget.maxTestCases) return true;
  if (budget.maxTokens !== undefined && progress.tokens >= budget.maxTokens) return true;
  return false;
}

/**
 * The final status of a job none of whose tasks is pending or running: `failed` when no story
 * could be generated, `completed` otherwise (failed stories are counted in its progress).
 */
export function finalStatusOf(progress: JobProgress): { status: JobStatus; error: string | null } {
  if (progress.failed === 0) return { status: 'completed', error: null };
  if (progress.done === 0) {
    return { status: 'failed', error: `All ${progress.failed} stories failed; see each task's last error.` };
  }
  return {
    status: 'completed',
    error: `${progress.failed} of ${progress.total} stories failed; see each task's last error.`,
  };
}
