import type {
  ProjectRecord,
  PushedCaseRecord,
  PushJobCounts,
  PushJobRecord,
  StoryRecord,
  TestCaseRecord,
  TestCaseStatus,
} from '../../core/index.ts';
import { InvalidInputError, NotFoundError, ReqaseError } from '../../shared/errors.ts';
import type { Storage } from '../../storage/index.ts';
import { requireProject, requireStory, type WorkspaceContext } from './context.ts';
import { resolveConnection } from './connections.ts';
import { createTestRailPushAdapter } from './push-targets/testrail.ts';
import type { PushAction, PushAdapter, PushItem, PushRecorder } from './push-targets/types.ts';
import { createXrayCloudPushAdapter } from './push-targets/xray-cloud.ts';
import { createXrayServerPushAdapter } from './push-targets/xray-server.ts';
import { createZephyrScalePushAdapter } from './push-targets/zephyr-scale.ts';
import { PushRequestSchema, PushTargetSchema, type PushRequest } from './push-request.ts';

export { PushRequestSchema, PushTargetSchema, type PushRequest, type PushTarget } from './push-request.ts';

export type PushCaseOutcome =
  'created' | 'updated' | 'unchanged' | 'failed' | 'would-create' | 'would-update';

export interface PushCaseResult {
  testCaseId: string;
  /** `SHOP-1/TC-3`. */
  reference: string;
  outcome: PushCaseOutcome;
  externalKey: string | null;
  error: string | null;
}

export interface PushResult {
  /** Null for a dry run (nothing is recorded). */
  jobId: string | null;
  target: string;
  dryRun: boolean;
  counts: PushJobCounts;
  cases: PushCaseResult[];
  /** Requests sent to the tool (retries included). */
  requests: number;
  /** What the push left out on purpose, e.g. a story link it could not make. */
  warnings: string[];
}

export type PushState = 'not-pushed' | 'up-to-date' | 'out-of-date';

export interface PushStatusResult {
  target: string;
  cases: Array<{
    testCaseId: string;
    reference: string;
    state: PushState;
    externalKey: string | null;
    version: number;
  }>;
}

export interface PushService {
  /**
   * Pushes the selected cases: new ones are created, ones edited since their last push updated,
   * others left alone. Credentials are checked before anything is written. Recorded as a push job.
   */
  push(request: PushRequest): Promise<PushResult>;
  /** Runs a push job again from where it stopped: nothing already created is created twice. */
  resume(jobId: string): Promise<PushResult>;
  /** Per case: not pushed, up to date, or out of date (edited after its last push). */
  status(request: Omit<PushRequest, 'dryRun'>): Promise<PushStatusResult>;
  listJobs(projectName: string): Promise<PushJobRecord[]>;
}

export function createPushService(context: WorkspaceContext): PushService {
  return {
    push: (request) => runPush(context, parseRequest(request), undefined),
    resume: (jobId) => resumePush(context, jobId),
    status: (request) => pushStatus(context, request),
    listJobs: (projectName) => listPushJobs(context, projectName),
  };
}

async function resumePush(context: WorkspaceContext, jobId: string): Promise<PushResult> {
  const storage = await context.storage();
  const job = await storage.pushJobs.get(jobId);
  if (!job) {
    throw new NotFoundError(`There is no push job ${jobId}.`, {
      fix: 'List the push jobs of the project.',
      remedies: [{ kind: 'run-action', action: 'list-push-jobs' }],
    });
  }
  return runPush(context, parseRequest(job.options), job);
}

async function pushStatus(
  context: WorkspaceContext,
  request: Omit<PushRequest, 'dryRun'>,
): Promise<PushStatusResult> {
  const storage = await context.storage();
  const parsed = parseRequest(request);
  const project = await requireProject(storage, parsed.project);
  const adapter = await adapterFor(context, parsed, project.defaultFormat === 'generic');
  const items = await plan(storage, project, parsed, adapter.target);
  return {
    target: adapter.target,
    cases: items.map((item) => ({
      testCaseId: item.testCase.id,
      reference: referenceOf(item),
      state: stateFor(item.testCase, item.pushed),
      externalKey: item.pushed?.externalKey ?? null,
      version: item.testCase.version,
    })),
  };
}

async function listPushJobs(context: WorkspaceContext, projectName: string): Promise<PushJobRecord[]> {
  const storage = await context.storage();
  const project = await requireProject(storage, projectName);
  return storage.pushJobs.list(project.id);
}

async function adapterFor(
  context: WorkspaceContext,
  request: PushRequest,
  generic: boolean,
): Promise<PushAdapter> {
  const connection = await resolveConnection(context, request.to, { connection: request.connection });
  if (request.to === 'testrail') return createTestRailPushAdapter(connection, context.connectors);
  if (request.to === 'zephyr-scale') return createZephyrScalePushAdapter(connection, context.connectors);
  if (request.to === 'xray-server')
    return createXrayServerPushAdapter(connection, context.connectors, { generic });
  return createXrayCloudPushAdapter(connection, context.connectors, { generic });
}

/** The cases the request selects, each with its story, what the last push to `target` recorded, and what to do. */
async function plan(
  storage: Storage,
  project: ProjectRecord,
  request: PushRequest,
  target: string,
): Promise<PushItem[]> {
  const story = request.story ? await requireStory(storage, project, request.story) : undefined;
  const testCases = await storage.testCases.list({
    projectId: project.id,
    ...(story ? { storyId: story.id } : {}),
    status: (request.status ?? ['accepted']) as TestCaseStatus[],
  });
  const { stories, issueIds } = await storiesOf(storage, testCases);
  const pushed = new Map<string, PushedCaseRecord>(
    (
      await storage.pushedCases.listByTarget(
        target,
        testCases.map((testCase) => testCase.id),
      )
    ).map((record) => [record.testCaseId, record]),
  );
  return testCases.map((testCase) => {
    const record = pushed.get(testCase.id);
    return {
      testCase,
      story: stories.get(testCase.storyId) as StoryRecord,
      storyIssueId: issueIds.get(testCase.storyId),
      pushed: record,
      action: actionFor(testCase, record),
    };
  });
}

/** The stories of the cases by id, and the Jira issue id of those imported from Jira. */
async function storiesOf(
  storage: Storage,
  testCases: readonly TestCaseRecord[],
): Promise<{ stories: Map<string, StoryRecord>; issueIds: Map<string, string> }> {
  const stories = new Map<string, StoryRecord>();
  const issueIds = new Map<string, string>();
  // Side by side: on PostgreSQL the pool's connections share the lookups (one story after the
  // other paid a round trip each, twice).
  await Promise.all(
    [...new Set(testCases.map((testCase) => testCase.storyId))].map(async (storyId) => {
      const [found, issue] = await Promise.all([
        storage.stories.get(storyId),
        storage.storyIssues.get(storyId),
      ]);
      if (found) stories.set(found.id, found);
      if (issue) issueIds.set(storyId, issue.issueId);
    }),
  );
  return { stories, issueIds };
}

/** What a push run has done so far: the counts, one result per case, and the warnings. */
interface PushTally {
  counts: PushJobCounts;
  results: Map<string, PushCaseResult>;
  warnings: string[];
}

/**
 * Plans the push, then (unless a dry run) checks the credentials, opens or reopens the job, and
 * sends the cases that are new or changed, recording each as the adapter reports it.
 */
async function runPush(
  context: WorkspaceContext,
  request: PushRequest,
  existingJob: PushJobRecord | undefined,
): Promise<PushResult> {
  const storage = await context.storage();
  const project = await requireProject(storage, request.project);
  const adapter = await adapterFor(context, request, project.defaultFormat === 'generic');
  const items = await plan(storage, project, request, adapter.target);
  const tally = tallyOf(items, request.dryRun);
  if (request.dryRun)
    return resultOf(tally, { jobId: null, target: adapter.target, dryRun: true, requests: 0 });
  // Wrong credentials fail here, before a job or any case is written.
  await adapter.prepare();
  const job =
    existingJob ??
    (await storage.pushJobs.create({ projectId: project.id, target: adapter.target, options: request }));
  if (existingJob) await storage.pushJobs.reopen(existingJob.id);
  await sendItems(storage, adapter, job, items, tally);
  return resultOf(tally, {
    jobId: job.id,
    target: adapter.target,
    dryRun: false,
    requests: adapter.requestCount(),
  });
}

/** Every case as unchanged (or, in a dry run, as what the push would do), and the unchanged ones counted. */
function tallyOf(items: readonly PushItem[], dryRun: boolean | undefined): PushTally {
  const counts: PushJobCounts = { total: items.length, created: 0, updated: 0, unchanged: 0, failed: 0 };
  const results = new Map<string, PushCaseResult>();
  for (const item of items) {
    const unchanged = item.action === 'unchanged';
    if (unchanged) counts.unchanged += 1;
    results.set(item.testCase.id, {
      testCaseId: item.testCase.id,
      reference: referenceOf(item),
      outcome: dryRun
        ? unchanged
          ? 'unchanged'
          : item.action === 'create'
            ? 'would-create'
            : 'would-update'
        : 'unchanged',
      externalKey: item.pushed?.externalKey ?? null,
      error: null,
    });
  }
  return { counts, results, warnings: [] };
}

function resultOf(
  tally: PushTally,
  run: Pick<PushResult, 'jobId' | 'target' | 'dryRun' | 'requests'>,
): PushResult {
  return {
    jobId: run.jobId,
    target: run.target,
    dryRun: run.dryRun,
    counts: tally.counts,
    cases: [...tally.results.values()],
    requests: run.requests,
    warnings: tally.warnings,
  };
}

/** Sends the new and changed cases; the job ends failed when a case failed or the adapter threw. */
async function sendItems(
  storage: Storage,
  adapter: PushAdapter,
  job: PushJobRecord,
  items: readonly PushItem[],
  tally: PushTally,
): Promise<void> {
  const recorder = recorderFor(storage, adapter.target, tally);
  try {
    await adapter.push(
      items.filter((item) => item.action !== 'unchanged'),
      recorder,
    );
    await recorder.flush();
  } catch (error) {
    // What was answered before the error is kept; were this write lost too, those cases are
    // still marked creating and the resume finds them.
    await recorder.flush().catch(() => undefined);
    const message = error instanceof ReqaseError ? error.message : String((error as Error)?.message ?? error);
    await storage.pushJobs.finish(job.id, 'failed', tally.counts, message).catch(() => undefined);
    throw error;
  }
  await storage.pushJobs.finish(job.id, tally.counts.failed > 0 ? 'failed' : 'completed', tally.counts);
}

/** Results held before a write of their own (they are written sooner with the next marks). */
const RESULTS_PER_WRITE = 100;

interface PushedEntry {
  testCaseId: string;
  externalId: string;
  externalKey: string | null;
  version: number;
}

/**
 * Writes what the adapter reports to storage and to the tally: marks and batches before the call
 * returns, results in batches (with the next marks, every `RESULTS_PER_WRITE`, and at `flush`),
 * each batch one transaction instead of a write per case.
 */
function recorderFor(
  storage: Storage,
  target: string,
  tally: PushTally,
): PushRecorder & { flush(): Promise<void> } {
  const { counts, results, warnings } = tally;
  let pending: PushedEntry[] = [];
  async function write(marked: readonly PushItem[] = []): Promise<void> {
    const entries = pending;
    pending = [];
    if (marked.length === 0) {
      if (entries.length > 0) await storage.pushedCases.recordPushedMany(target, entries);
      return;
    }
    await storage.transaction(async (transaction) => {
      await transaction.pushedCases.recordPushedMany(target, entries);
      await transaction.pushedCases.markCreating(
        target,
        marked.map((item) => ({ testCaseId: item.testCase.id, version: item.testCase.version })),
      );
    });
  }
  return {
    flush: () => write(),
    warn(message) {
      if (!warnings.includes(message)) warnings.push(message);
    },
    markCreating: (marked) => write(marked),
    async setBatch(entries) {
      await storage.pushedCases.setBatch(
        target,
        entries.map((entry) => ({ testCaseId: entry.item.testCase.id, batchId: entry.batchId })),
      );
    },
    async pushed(item, externalId, externalKey) {
      pending.push({ testCaseId: item.testCase.id, externalId, externalKey, version: item.testCase.version });
      const wasUpdate = item.action === 'update';
      if (wasUpdate) counts.updated += 1;
      else counts.created += 1;
      const result = results.get(item.testCase.id);
      if (result) Object.assign(result, { outcome: wasUpdate ? 'updated' : 'created', externalKey });
      if (pending.length >= RESULTS_PER_WRITE) await write();
    },
    async failed(item, error) {
      counts.failed += 1;
      if (item.action === 'create') await storage.pushedCases.clearCreating(target, item.testCase.id);
      const result = results.get(item.testCase.id);
      if (result) Object.assign(result, { outcome: 'failed', error });
    },
  };
}

/** `SHOP-1/TC-3`. */
function referenceOf(item: PushItem): string {
  return `${item.story.key}/${item.testCase.displayId}`;
}

function actionFor(testCase: TestCaseRecord, pushed: PushedCaseRecord | undefined): PushAction {
  if (!pushed || pushed.state === 'creating') return 'create';
  return pushed.pushedVersion === testCase.version ? 'unchanged' : 'update';
}

function stateFor(testCase: TestCaseRecord, pushed: PushedCaseRecord | undefined): PushState {
  if (!pushed || pushed.state !== 'pushed') return 'not-pushed';
  return pushed.pushedVersion === testCase.version ? 'up-to-date' : 'out-of-date';
}

/** The request, or an `InvalidInputError` naming the field (never a bare ZodError). */
function parseRequest(request: unknown): PushRequest {
  const parsed = PushRequestSchema.safeParse(request);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidInputError(
    `The push request is not usable: ${issue?.path.join('.') || 'request'} ${issue?.message}.`,
    {
      fix: `Give the project, and "to" as one of ${PushTargetSchema.options.join(', ')}.`,
    },
  );
}
