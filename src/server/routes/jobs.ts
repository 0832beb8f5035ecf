/**
 * Bulk generation jobs over HTTP: start (the job runs in this server process in the background,
 * and on PostgreSQL is also announced to `reqase worker` processes), list, progress, a stream of
 * progress events until the job ends, and cancel.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { definedFields } from '../../shared/defined-fields.ts';
import type { JobView, Workspace } from '../../app/index.ts';
import { GenerationModelSchema, TestFormatSchema, TestKindSchema } from '../../app/index.ts';
import type { JobEvent } from '../../app/index.ts';
import { actorOf } from '../actor.ts';
import { createRouter } from '../router.ts';
import { errors, json, jsonBody } from '../openapi.ts';
import { countRange, CountSchema, EngineSummarySchema } from '../schemas.ts';
import { streamEvents, type SendEvent } from '../sse.ts';

export interface JobRoutesOptions {
  workspace: Workspace;
  /** How often the event stream reads the job's progress from the database, in ms. Default: 500. */
  pollIntervalMilliseconds?: number;
}

const ProjectParam = z.object({ project: z.string().min(1).max(200) });
const JobParam = z.object({ id: z.string().min(1).max(200) });

const JobStatusSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'budget-exhausted']);

const BudgetSchema = z
  .object({
    maxTestCases: z.number().int().positive().optional(),
    maxTokens: z.number().int().positive().optional(),
  })
  .openapi('JobBudget', { description: 'The job stops cleanly once done stories reach either limit.' });

const JobProgressSchema = z
  .object({
    total: z.number().int(),
    pending: z.number().int(),
    running: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    remaining: z.number().int().openapi({ description: 'Pending plus running.' }),
    testCases: z.number().int(),
    tokens: z.number().int(),
  })
  .openapi('JobProgress');

const JobSchema = z
  .object({
    id: z.string(),
    project: z.string(),
    status: JobStatusSchema,
    provider: z.string().nullable().openapi({
      description: 'The stored provider every story asks; null: the project’s default provider (or offline).',
    }),
    model: z.string().nullable().openapi({
      description: 'The model every story asks; null: the provider’s own model when each story runs.',
    }),
    options: z.record(z.string(), z.unknown()),
    budget: BudgetSchema.nullable(),
    error: z.string().nullable(),
    progress: JobProgressSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Job');

const StartedJobSchema = z
  .object({
    ...JobSchema.shape,
    engine: EngineSummarySchema,
    notices: z.array(z.string()),
  })
  .openapi('StartedJob');

const JobDetailsSchema = z
  .object({
    ...JobSchema.shape,
    tasks: z.array(
      z.object({
        id: z.string(),
        storyKey: z.string(),
        storySummary: z.string(),
        status: z.enum(['pending', 'running', 'done', 'failed']),
        attempts: z.number().int(),
        lastError: z.string().nullable(),
        testCaseCount: z.number().int(),
        tokensUsed: z.number().int(),
        generationId: z.string().nullable(),
        skipped: z.string().nullable().openapi({
          description:
            'Why the story was left out, when every criterion already had an up-to-date test case (nothing generated); null otherwise.',
        }),
        updatedAt: z.string(),
      }),
    ),
  })
  .openapi('JobDetails');

const StartJobBodySchema = z
  .object({
    all: z.boolean().optional().openapi({ description: 'Every story of the project.' }),
    stories: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(10_000)
      .optional()
      .openapi({ description: 'Story keys; give these or `all`.' }),
    format: TestFormatSchema.optional().openapi({ description: 'Default: the project’s default format.' }),
    count: CountSchema.optional(),
    kinds: z.array(TestKindSchema).min(1).optional(),
    additionalContext: z.string().max(20_000).optional(),
    language: z.string().min(2).max(50).optional(),
    onlyChanged: z.boolean().optional().openapi({
      description:
        'Only criteria without an up-to-date case. Default true; false generates again for every story.',
    }),
    provider: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: 'A stored provider by name; default: the project’s.' }),
    model: GenerationModelSchema.optional().openapi({
      description:
        'The model every story of the job asks, e.g. one the provider lists at GET /providers/{name}/models; default: the provider’s (stored with the job when it names a provider).',
    }),
    offline: z.boolean().optional(),
    fillGaps: z.boolean().optional(),
    budget: BudgetSchema.optional(),
  })
  .openapi('StartJobRequest');

const EVENTS_DESCRIPTION =
  'A stream of server-sent events until the job ends: `progress` (`{ status, progress }`, whenever it changes), ' +
  '`task` (`{ kind: task-end | task-fail | task-retry, storyKey, … }` for stories run by this server, or on PostgreSQL by any server instance or worker), then `done` ' +
  '(the job) when it is completed, failed, cancelled or out of budget, or `error` (`{ code, message, fix? }`).';

const startJobRoute = createRoute({
  method: 'post',
  path: '/projects/{project}/jobs',
  operationId: 'startJob',
  tags: ['jobs'],
  summary: 'Start a bulk generation job over stories of the project',
  description:
    'The job runs in this server in the background (and, on PostgreSQL, `reqase worker` processes share it). ' +
    'Follow it with GET /api/jobs/{id} or its event stream; every story is generated exactly once. ' +
    'A story another active job of the project still has to do is not taken twice: 409 names that job.',
  request: { params: ProjectParam, body: jsonBody(StartJobBodySchema) },
  responses: { 202: json(StartedJobSchema, 'Created and started'), ...errors(404, 409) },
});

const listJobsRoute = createRoute({
  method: 'get',
  path: '/projects/{project}/jobs',
  operationId: 'listJobs',
  tags: ['jobs'],
  summary: 'List the jobs of a project, newest first',
  request: { params: ProjectParam },
  responses: { 200: json(z.object({ jobs: z.array(JobSchema) }), 'Jobs'), ...errors(404) },
});

const getJobRoute = createRoute({
  method: 'get',
  path: '/jobs/{id}',
  operationId: 'getJob',
  tags: ['jobs'],
  summary: 'A job with its progress and the status of each story',
  request: { params: JobParam },
  responses: { 200: json(JobDetailsSchema, 'The job'), ...errors(404) },
});

const streamJobEventsRoute = createRoute({
  method: 'get',
  path: '/jobs/{id}/events',
  operationId: 'streamJobEvents',
  tags: ['jobs'],
  summary: 'Progress of a job as server-sent events, until it ends',
  description: EVENTS_DESCRIPTION,
  request: { params: JobParam },
  responses: {
    200: {
      description: 'text/event-stream',
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    },
    ...errors(404),
  },
});

const resumeJobRoute = createRoute({
  method: 'post',
  path: '/jobs/{id}/resume',
  operationId: 'resumeJob',
  tags: ['jobs'],
  summary: 'Resume a cancelled or interrupted job in this server',
  description: 'Stories already generated are kept and not generated again.',
  request: { params: JobParam },
  responses: { 202: json(JobSchema, 'Resumed'), ...errors(404, 409) },
});

const cancelJobRoute = createRoute({
  method: 'post',
  path: '/jobs/{id}/cancel',
  operationId: 'cancelJob',
  tags: ['jobs'],
  summary: 'Cancel a job: no further story is generated; what is stored stays',
  request: { params: JobParam },
  responses: { 200: json(JobSchema, 'The job as it is now'), ...errors(404) },
});

export function jobRoutes(options: JobRoutesOptions) {
  const { workspace } = options;
  const pollInterval = options.pollIntervalMilliseconds ?? 500;

  return createRouter()
    .openapi(startJobRoute, async (c) => {
      const { project } = c.req.valid('param');
      const body = c.req.valid('json');
      const count = countRange(body.count);
      const started = await workspace.jobs.start({
        projectName: project,
        ...(body.all ? { all: true } : {}),
        ...(body.stories ? { storyKeys: body.stories } : {}),
        options: {
          ...(body.format ? { format: body.format } : {}),
          ...(count ? { count } : {}),
          ...(body.kinds ? { kinds: body.kinds } : {}),
          ...(body.additionalContext ? { additionalContext: body.additionalContext } : {}),
          ...(body.language ? { language: body.language } : {}),
          ...(body.onlyChanged === undefined ? {} : { onlyChanged: body.onlyChanged }),
          ...(body.provider ? { provider: body.provider } : {}),
          ...(body.model ? { model: body.model } : {}),
          ...(body.offline ? { offline: true } : {}),
          ...(body.fillGaps === undefined ? {} : { fillGaps: body.fillGaps }),
          actor: actorOf(c),
        },
        ...(body.budget ? { budget: definedFields(body.budget) } : {}),
      });
      const logger = c.get('logger');
      void workspace.jobs.runInBackground(started.id).then(
        (result) => logger.info({ jobId: started.id, status: result.job.status }, 'job run ended'),
        (error: unknown) =>
          logger.error(
            { jobId: started.id, err: String(error) },
            'job run failed; a worker or resume can finish it',
          ),
      );
      return c.json(started, 202);
    })

    .openapi(listJobsRoute, async (c) =>
      c.json({ jobs: await workspace.jobs.list(c.req.valid('param').project) }, 200),
    )

    .openapi(getJobRoute, async (c) => c.json(await workspace.jobs.show(c.req.valid('param').id), 200))

    .openapi(streamJobEventsRoute, async (c) => {
      const { id } = c.req.valid('param');
      // An unknown id is a plain 404, before the stream starts.
      const first = await workspace.jobs.show(id);
      const storyKeys = new Map(first.tasks.map((task) => [task.id, task.storyKey]));
      return streamEvents(c, (send, signal) =>
        followJob(workspace, { id, storyKeys, pollInterval, send, signal }),
      );
    })

    .openapi(resumeJobRoute, async (c) => {
      const { id } = c.req.valid('param');
      const job = await workspace.jobs.reopen(id);
      const logger = c.get('logger');
      void workspace.jobs.runInBackground(id).then(
        (result) => logger.info({ jobId: id, status: result.job.status }, 'job run ended'),
        (error: unknown) =>
          logger.error({ jobId: id, err: String(error) }, 'job run failed; a worker or resume can finish it'),
      );
      return c.json(job, 202);
    })

    .openapi(cancelJobRoute, async (c) => c.json(await workspace.jobs.cancel(c.req.valid('param').id), 200));
}

/**
 * Sends a job's progress whenever it changes and the task events of its stories, wherever they
 * run (this server, another instance or a worker on the same PostgreSQL, through the job bus),
 * until the job ends or the client goes away; resolves with the job as it ended.
 */
async function followJob(
  workspace: Workspace,
  stream: {
    id: string;
    storyKeys: Map<string, string>;
    pollInterval: number;
    send: SendEvent;
    signal: AbortSignal;
  },
): Promise<JobView> {
  const { id, storyKeys, pollInterval, send, signal } = stream;
  let wake: () => void = () => undefined;
  const unsubscribe = workspace.jobs.subscribe(id, (event: JobEvent) => {
    if (event.kind === 'task-end' || event.kind === 'task-fail' || event.kind === 'task-retry') {
      send('task', { ...event, storyKey: storyKeys.get(event.taskId) ?? null });
    }
    if (event.kind === 'job-progress' || event.kind === 'job-end') wake();
  });
  // Events of runs on other server instances and workers come over the database (PostgreSQL);
  // the progress read from the database below stays right even when they cannot.
  await workspace.jobs.listening().catch(() => undefined);
  try {
    let last = '';
    for (;;) {
      const job: JobView = await workspace.jobs.get(id);
      const shown = JSON.stringify({ status: job.status, progress: job.progress });
      if (shown !== last) {
        last = shown;
        send('progress', { status: job.status, progress: job.progress });
      }
      if (['completed', 'failed', 'cancelled', 'budget-exhausted'].includes(job.status)) return job;
      if (signal.aborted) return job;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, pollInterval);
        wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    unsubscribe();
  }
}
