/**
 * The job repository's queries that need no state of their own: progress sums, the overlap guard
 * between active jobs, and row mapping.
 */
import type { Kysely, Selectable } from 'kysely';
import type {
  JobBudget,
  JobProgress,
  JobRecord,
  JobStatus,
  JobTaskRecord,
  JobTaskStatus,
} from '../../core/repositories.ts';
import { fromJson, toNumber, type Dialect } from '../context.ts';
import { JobConflictError } from '../errors.ts';
import type { DatabaseSchema, JobTable, JobTaskTable } from '../schema.ts';

export const FINAL_JOB_STATUSES: ReadonlySet<JobStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'budget-exhausted',
]);
/** Tasks are only handed out while their job is in one of these. */
export const ACTIVE_JOB_STATUSES: JobStatus[] = ['queued', 'running'];

export async function progressByJob(
  database: Kysely<DatabaseSchema>,
  jobIds: string[],
): Promise<Map<string, JobProgress>> {
  const result = new Map<string, JobProgress>();
  for (const jobId of jobIds) result.set(jobId, emptyProgress());
  if (jobIds.length === 0) return result;
  const rows = await database
    .selectFrom('job_tasks')
    .select((expression) => [
      'job_id',
      'status',
      expression.fn.countAll().as('count'),
      expression.fn.sum('test_case_count').as('test_cases'),
      expression.fn.sum('tokens_used').as('tokens'),
    ])
    .where('job_id', 'in', jobIds)
    .groupBy(['job_id', 'status'])
    .execute();
  for (const row of rows) {
    const progress = result.get(row.job_id)!;
    const count = toNumber(row.count);
    progress.total += count;
    progress[row.status as JobTaskStatus] += count;
    progress.testCases += toNumber(row.test_cases);
    progress.tokens += toNumber(row.tokens);
  }
  return result;
}

/**
 * Throws a `JobConflictError` when an active job of the project still has one of the stories
 * to do. Checked in the creating transaction after locking the project's row (PostgreSQL; on
 * SQLite the transaction holds the write lock), so of two concurrent creators one waits for
 * the other's commit and then sees its tasks: two jobs never both take a story.
 */
export async function refuseStoriesOfActiveJobs(
  dialect: Dialect,
  transaction: Kysely<DatabaseSchema>,
  projectId: string,
  storyIds: string[],
  exceptJobId?: string,
): Promise<void> {
  if (dialect === 'postgres') {
    await transaction
      .selectFrom('projects')
      .select('id')
      .where('id', '=', projectId)
      .forNoKeyUpdate()
      .execute();
  }
  let activeQuery = transaction
    .selectFrom('jobs')
    .select(['id', 'status'])
    .where('project_id', '=', projectId)
    .where('status', 'in', ACTIVE_JOB_STATUSES)
    .orderBy('created_at')
    .orderBy('id');
  if (exceptJobId !== undefined) activeQuery = activeQuery.where('id', '!=', exceptJobId);
  for (const active of await activeQuery.execute()) {
    let taken = 0;
    for (let index = 0; index < storyIds.length; index += 500) {
      const row = await transaction
        .selectFrom('job_tasks')
        .select((expression) => expression.fn.countAll().as('count'))
        .where('job_id', '=', active.id)
        .where('status', 'in', ['pending', 'running'])
        .where('story_id', 'in', storyIds.slice(index, index + 500))
        .executeTakeFirstOrThrow();
      taken += toNumber(row.count);
    }
    if (taken > 0) throw new JobConflictError(active.id, active.status as JobStatus, taken);
  }
}

export async function projectOf(transaction: Kysely<DatabaseSchema>, jobId: string): Promise<string> {
  const job = await transaction
    .selectFrom('jobs')
    .select('project_id')
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow();
  return job.project_id;
}

export function emptyProgress(): JobProgress {
  return { total: 0, pending: 0, running: 0, done: 0, failed: 0, testCases: 0, tokens: 0 };
}

export function toJobRecord(row: Selectable<JobTable>, progress: JobProgress): JobRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    status: row.status as JobStatus,
    options: fromJson<Record<string, unknown>>(row.options, {}),
    budget: fromJson<JobBudget | null>(row.budget, null),
    error: row.error,
    progress,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export function toJobTaskRecord(row: Selectable<JobTaskTable>): JobTaskRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    storyId: row.story_id,
    status: row.status as JobTaskStatus,
    attempts: row.attempts,
    lastError: row.last_error,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    availableAt: row.available_at,
    generationId: row.generation_id,
    testCaseCount: row.test_case_count,
    tokensUsed: row.tokens_used,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
