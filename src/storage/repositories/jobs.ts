import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type {
  CompletedTask,
  FailTaskOptions,
  JobRecord,
  JobRepository,
  JobStatus,
  JobTaskRecord,
  NewJob,
  TaskCompletion,
} from '../../core/repositories.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { toJson, writeTransaction, type StorageContext } from '../context.ts';
import type { DatabaseSchema, JobTable } from '../schema.ts';
import {
  ACTIVE_JOB_STATUSES,
  FINAL_JOB_STATUSES,
  emptyProgress,
  progressByJob,
  projectOf,
  refuseStoriesOfActiveJobs,
  toJobRecord,
  toJobTaskRecord,
} from './job-rows.ts';
import { saveGenerationInTransaction, toGenerationRecord } from './generations.ts';
import { toTestCaseRecord } from './test-cases.ts';

/** The idempotency key of the generation a task stores: one per task, ever. */
export function taskIdempotencyKey(taskId: string): string {
  return `job-task:${taskId}`;
}

export function createJobRepository(context: StorageContext): JobRepository {
  const { database } = context;

  async function getTask(taskId: string): Promise<JobTaskRecord | undefined> {
    const row = await database
      .selectFrom('job_tasks')
      .selectAll()
      .where('id', '=', taskId)
      .executeTakeFirst();
    return row && toJobTaskRecord(row);
  }

  return {
    create: (job) => createJob(context, job),

    async get(id) {
      const row = await database.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      return toJobRecord(row, (await progressByJob(database, [id])).get(id)!);
    },

    list: (filter) => listJobs(database, filter),

    setStatus: (id, status, error) => setJobStatus(context, id, status, error),

    reopen: (id) => reopenJob(context, id),

    async listTasks(jobId) {
      const rows = await database
        .selectFrom('job_tasks')
        .selectAll()
        .where('job_id', '=', jobId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toJobTaskRecord);
    },

    getTask,

    async progress(jobId) {
      return (await progressByJob(database, [jobId])).get(jobId)!;
    },

    claimNextTask: (jobId, workerId, leaseMilliseconds) =>
      claimNextTask(context, jobId, workerId, leaseMilliseconds),

    async renewLease(taskId, workerId, leaseMilliseconds) {
      const lockedUntil = new Date(context.nowMilliseconds() + leaseMilliseconds).toISOString();
      const result = await database
        .updateTable('job_tasks')
        .set({ locked_until: lockedUntil, updated_at: context.now() })
        .where('id', '=', taskId)
        .where('status', '=', 'running')
        .where('locked_by', '=', workerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    completeTask: (taskId, completion) => completeTask(context, taskId, completion),

    failTask: (taskId, error, options) => failTask(context, taskId, error, options),

    async recoverExpiredLeases(jobId) {
      const now = context.now();
      let query = database
        .updateTable('job_tasks')
        .set({ status: 'pending', locked_by: null, locked_until: null, available_at: now, updated_at: now })
        .where('status', '=', 'running')
        .where('locked_until', '<', now);
      if (jobId !== undefined) query = query.where('job_id', '=', jobId);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

async function createJob(context: StorageContext, job: NewJob): Promise<JobRecord> {
  const storyIds = [...new Set(job.storyIds)];
  return writeTransaction(context, async (transaction) => {
    await refuseStoriesOfActiveJobs(context.dialect, transaction, job.projectId, storyIds);
    const now = context.now();
    const row: Selectable<JobTable> = {
      id: newId(),
      project_id: job.projectId,
      status: 'queued',
      options: toJson(job.options ?? {}),
      budget: job.budget ? toJson(job.budget) : null,
      error: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    await transaction.insertInto('jobs').values(row).execute();
    for (let index = 0; index < storyIds.length; index += 500) {
      await transaction
        .insertInto('job_tasks')
        .values(
          storyIds.slice(index, index + 500).map((storyId) => ({
            id: newId(),
            job_id: row.id,
            story_id: storyId,
            status: 'pending',
            attempts: 0,
            test_case_count: 0,
            tokens_used: 0,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
    return toJobRecord(row, { ...emptyProgress(), total: storyIds.length, pending: storyIds.length });
  });
}

async function listJobs(
  database: Kysely<DatabaseSchema>,
  filter: { projectId?: string; status?: JobStatus | JobStatus[] } = {},
): Promise<JobRecord[]> {
  let query = database.selectFrom('jobs').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
  if (filter.status !== undefined) {
    const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
    if (statuses.length === 0) return [];
    query = query.where('status', 'in', statuses);
  }
  const rows = await query.execute();
  const progress = await progressByJob(
    database,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toJobRecord(row, progress.get(row.id)!));
}

async function setJobStatus(
  context: StorageContext,
  id: string,
  status: JobStatus,
  error?: string | null,
): Promise<void> {
  const { database } = context;
  const now = context.now();
  const result = await database
    .updateTable('jobs')
    .set({
      status,
      updated_at: now,
      finished_at: FINAL_JOB_STATUSES.has(status) ? now : null,
      ...(error !== undefined && { error }),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    throw new NotFoundError(`There is no job with id ${id}.`, {
      fix: 'List the jobs to find the right id.',
      remedies: [{ kind: 'run-action', action: 'list-jobs' }],
    });
  }
}

async function reopenJob(context: StorageContext, id: string): Promise<void> {
  await writeTransaction(context, async (transaction) => {
    const job = await transaction
      .selectFrom('jobs')
      .select('project_id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!job) {
      throw new NotFoundError(`There is no job with id ${id}.`, {
        fix: 'List the jobs to find the right id.',
        remedies: [{ kind: 'run-action', action: 'list-jobs' }],
      });
    }
    const unfinished = await transaction
      .selectFrom('job_tasks')
      .select('story_id')
      .where('job_id', '=', id)
      .where('status', 'in', ['pending', 'running'])
      .execute();
    await refuseStoriesOfActiveJobs(
      context.dialect,
      transaction,
      job.project_id,
      unfinished.map((task) => task.story_id),
      id,
    );
    await transaction
      .updateTable('jobs')
      .set({ status: 'running', error: null, updated_at: context.now(), finished_at: null })
      .where('id', '=', id)
      .execute();
  });
}

/** Picks the oldest claimable task of an active job and leases it, in one statement. */
async function claimNextTask(
  context: StorageContext,
  jobId: string,
  workerId: string,
  leaseMilliseconds: number,
): Promise<JobTaskRecord | undefined> {
  const { database } = context;
  const now = context.now();
  const lockedUntil = new Date(context.nowMilliseconds() + leaseMilliseconds).toISOString();
  const claimable = (expression: ExpressionBuilder<DatabaseSchema, 'job_tasks'>) =>
    expression.or([
      expression.and([
        expression('status', '=', 'pending'),
        expression.or([expression('available_at', 'is', null), expression('available_at', '<=', now)]),
      ]),
      expression.and([expression('status', '=', 'running'), expression('locked_until', '<', now)]),
    ]);
  // One statement: pick and lease in the same UPDATE. On PostgreSQL the sub-select's
  // FOR UPDATE SKIP LOCKED lets concurrent workers pass over each other's rows; on SQLite
  // the statement runs under the database's single write lock. The outer condition repeats
  // the test so a row changed between pick and update is never taken twice.
  const row = await database
    .updateTable('job_tasks')
    .set({
      status: 'running',
      locked_by: workerId,
      locked_until: lockedUntil,
      attempts: sql<number>`attempts + 1`,
      updated_at: now,
    })
    .where('id', '=', (expression) => {
      let pick = expression
        .selectFrom('job_tasks')
        .select('id')
        .where('job_id', '=', jobId)
        .where('job_id', 'in', (inner) =>
          inner
            .selectFrom('jobs')
            .select('id')
            .where('id', '=', jobId)
            .where('status', 'in', ACTIVE_JOB_STATUSES),
        )
        .where(claimable)
        .orderBy('created_at')
        .orderBy('id')
        .limit(1);
      if (context.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
      return pick;
    })
    .where(claimable)
    .returningAll()
    .executeTakeFirst();
  return row && toJobTaskRecord(row);
}

/** Stores the task's generation once (a done task answers with what it stored) and marks it done. */
async function completeTask(
  context: StorageContext,
  taskId: string,
  completion: TaskCompletion,
): Promise<CompletedTask> {
  return writeTransaction(context, async (transaction) => {
    const task = await lockTask(context, transaction, taskId);
    if (task.status === 'done' && task.generation_id !== null) {
      const generation = await transaction
        .selectFrom('generations')
        .selectAll()
        .where('id', '=', task.generation_id)
        .executeTakeFirstOrThrow();
      const testCases = await transaction
        .selectFrom('test_cases')
        .selectAll()
        .where('generation_id', '=', generation.id)
        .orderBy('case_number')
        .execute();
      return {
        task: toJobTaskRecord(task),
        saved: {
          generation: toGenerationRecord(generation),
          testCases: testCases.map(toTestCaseRecord),
          alreadySaved: true,
        },
        alreadyDone: true,
      };
    }
    const saved = await saveGenerationInTransaction(
      transaction,
      context,
      {
        ...completion.generation,
        projectId: await projectOf(transaction, task.job_id),
        storyId: task.story_id,
        idempotencyKey: taskIdempotencyKey(taskId),
      },
      completion.testCases,
    );
    const done = await transaction
      .updateTable('job_tasks')
      .set({
        status: 'done',
        generation_id: saved.generation.id,
        test_case_count: saved.testCases.length,
        tokens_used: saved.generation.usage?.totalTokens ?? 0,
        locked_by: null,
        locked_until: null,
        last_error: null,
        updated_at: context.now(),
      })
      .where('id', '=', taskId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { task: toJobTaskRecord(done), saved, alreadyDone: saved.alreadySaved };
  });
}

async function failTask(
  context: StorageContext,
  taskId: string,
  error: string,
  options: FailTaskOptions = {},
): Promise<JobTaskRecord> {
  const retryable = options.retryable ?? true;
  const maxAttempts = options.maxAttempts ?? 3;
  return writeTransaction(context, async (transaction) => {
    const task = await lockTask(context, transaction, taskId);
    if (task.status === 'done') return toJobTaskRecord(task);
    const retry = retryable && task.attempts < maxAttempts;
    const updated = await transaction
      .updateTable('job_tasks')
      .set({
        status: retry ? 'pending' : 'failed',
        last_error: error,
        locked_by: null,
        locked_until: null,
        available_at: retry ? (options.retryAt?.toISOString() ?? context.now()) : null,
        updated_at: context.now(),
      })
      .where('id', '=', taskId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toJobTaskRecord(updated);
  });
}
/** A write first, so the task row is locked (PostgreSQL) for the rest of the transaction. */
async function lockTask(context: StorageContext, transaction: Kysely<DatabaseSchema>, taskId: string) {
  const row = await transaction
    .updateTable('job_tasks')
    .set({ updated_at: context.now() })
    .where('id', '=', taskId)
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    throw new NotFoundError(`There is no job task with id ${taskId}.`, {
      fix: 'Check the job and its tasks.',
      remedies: [{ kind: 'run-action', action: 'show-job' }],
    });
  }
  return row;
}
