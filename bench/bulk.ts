/**
 * bulk: a backlog of stories through a durable job, with the workspace's real per-story
 * generation (stored provider, model over HTTP, parse, validate; saved by the job's
 * `completeTask`), against the ideal wall time stories × answer time / concurrency. The fake
 * endpoint answers every request after a fixed time (no streaming) and answers a share of them
 * with 429 and `Retry-After: 1`. Afterwards the database must hold every story's test cases
 * exactly once: a lost story or a duplicated case makes the benchmark throw.
 *
 * Runs on SQLite in-process, then on PostgreSQL with two worker processes sharing the job through
 * pg-boss (skipped with a note when no PostgreSQL answers).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { resolveSettings } from '../src/app/settings.ts';
import { openWorkspace, type Workspace } from '../src/app/workspace/index.ts';
import type { Story } from '../src/core/index.ts';
import { createJob, createPgBossQueue } from '../src/jobs/index.ts';
import { parseStoryText } from '../src/formats/index.ts';
import { openDatabase, type Storage } from '../src/storage/index.ts';
import {
  startFakeLlmEndpoint,
  type BehaviourContext,
  type FakeBehaviour,
  type FakeLlmEndpoint,
} from '../test/support/fake-llm-endpoint.ts';
import { modelAnswerFor } from './overhead.ts';
import { startChild, type BenchChild } from './support/child-process.ts';
import { slotIdle, type SlotRequest } from './support/slot-idle.ts';
import type { Figure } from './support.ts';

export interface BulkOptions {
  stories: number;
  /** Requests in flight at once, in total (split over the worker processes on PostgreSQL). */
  concurrency: number;
  /** Time the fake endpoint takes for every answer, in ms. */
  answerMilliseconds: number;
  /** Share of requests answered 429 with `Retry-After: 1` (every 1/share-th request). */
  rateLimitedShare: number;
  /**
   * The worker the processes on PostgreSQL run: `pg-boss` (default, as `reqase worker` does on
   * PostgreSQL) or `tables` (`runJobWorker` claiming from the job tables).
   */
  postgresWorker?: 'pg-boss' | 'tables';
}

const apiKey = 'sk-bench-bulk-0000000000000000';
const PROVIDER_NAME = 'bench-llm';
const PROJECT_NAME = 'Backlog';
/** Override with `REQASE_BENCH_POSTGRES_URL` (or the tests' `REQASE_TEST_POSTGRES_URL`). */
export const BENCH_POSTGRES_URL =
  process.env.REQASE_BENCH_POSTGRES_URL ??
  process.env.REQASE_TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** Every example story with the answer a model would give for it. */
export function loadExamples(): Array<{ story: Story; answer: string; cases: number }> {
  const directory = 'examples/stories';
  return readdirSync(directory)
    .sort()
    .flatMap((file) => {
      const parsed = parseStoryText(readFileSync(join(directory, file)), { fileName: file });
      if (!parsed.ok) throw parsed.error;
      return parsed.value.map((story) => {
        const answer = modelAnswerFor(story);
        return { story, answer, cases: (JSON.parse(answer) as { testCases: unknown[] }).testCases.length };
      });
    });
}

/** The backlog: copies of the example stories with distinct keys and summaries. */
function backlogStories(count: number, examples: ReturnType<typeof loadExamples>) {
  return Array.from({ length: count }, (_, index) => {
    const example = examples[index % examples.length]!;
    return {
      story: {
        ...example.story,
        key: `BULK-${index + 1}`,
        summary: `${example.story.summary} (${index + 1})`,
      },
      expectedCases: example.cases,
    };
  });
}

async function startEndpoint(options: BulkOptions, examples: ReturnType<typeof loadExamples>) {
  const every = Math.round(1 / options.rateLimitedShare);
  const counts = { rateLimited: 0 };
  const slotRequests: SlotRequest[] = [];
  const behaviour = ({ request, index }: BehaviourContext): FakeBehaviour => {
    const startedAt = performance.now();
    // A rate limiter answers at once; a model takes its time.
    if (index % every === every - 1) {
      counts.rateLimited += 1;
      slotRequests.push({ startedAt, heldMilliseconds: 0 });
      return { kind: 'error', status: 429, retryAfter: 1, latency: { timeToFirstTokenMilliseconds: 0 } };
    }
    const prompt = (request.messages ?? [])
      .map((message) => (typeof message.content === 'string' ? message.content : ''))
      .join('\n');
    const example = examples.find((candidate) => prompt.includes(candidate.story.summary));
    slotRequests.push({ startedAt, heldMilliseconds: options.answerMilliseconds });
    return { kind: 'answer', text: example?.answer ?? '{"testCases": []}' };
  };
  const endpoint = await startFakeLlmEndpoint({
    apiKey,
    latency: { timeToFirstTokenMilliseconds: options.answerMilliseconds },
    scenario: { default: behaviour },
  });
  return Object.assign(endpoint, { rateLimited: () => counts.rateLimited, slotRequests });
}

type BulkEndpoint = Awaited<ReturnType<typeof startEndpoint>>;

/** A project with the stored provider and the backlog; returns the story ids. */
async function seedWorkspace(
  workspace: Workspace,
  storage: Storage,
  endpoint: FakeLlmEndpoint,
  backlog: ReturnType<typeof backlogStories>,
  providerConcurrency: number,
) {
  await workspace.projects.create({ name: PROJECT_NAME, defaultFormat: 'manual' });
  await workspace.providers.add({
    name: PROVIDER_NAME,
    baseUrl: endpoint.url,
    model: 'fake-model',
    apiKey,
    limits: { concurrency: providerConcurrency },
  });
  const project = await storage.projects.findByName(PROJECT_NAME);
  if (!project) throw new Error('the bench project was not created');
  const storyIds: string[] = [];
  for (const { story } of backlog) {
    storyIds.push((await storage.stories.save(project.id, { ...story, contentHash: story.key })).id);
  }
  return { projectId: project.id, storyIds };
}

/**
 * Counts what the database holds after the job: stories without their cases, and cases stored
 * more than once (a second generation of a story, or the same title twice in a story).
 */
async function verify(
  storage: Storage,
  projectId: string,
  jobId: string,
  backlog: ReturnType<typeof backlogStories>,
) {
  const job = await storage.jobs.get(jobId);
  if (!job) throw new Error('the job disappeared');
  const expected = new Map<string, number>();
  const keys = new Map<string, string>();
  for (const { story, expectedCases } of backlog) {
    const stored = await storage.stories.findByKey(projectId, story.key);
    if (!stored) throw new Error(`story ${story.key} disappeared`);
    expected.set(stored.id, expectedCases);
    keys.set(stored.id, story.key);
  }
  const testCases = await storage.testCases.list({ projectId });
  const byStory = new Map<string, { titles: Set<string>; generations: Set<string>; count: number }>();
  for (const testCase of testCases) {
    const entry = byStory.get(testCase.storyId) ?? { titles: new Set(), generations: new Set(), count: 0 };
    entry.titles.add(testCase.title);
    if (testCase.generationId) entry.generations.add(testCase.generationId);
    entry.count += 1;
    byStory.set(testCase.storyId, entry);
  }
  let lost = 0;
  let incomplete = 0;
  let duplicated = 0;
  const lostKeys: string[] = [];
  for (const [storyId, expectedCases] of expected) {
    const entry = byStory.get(storyId);
    if (!entry) {
      lost += 1;
      lostKeys.push(keys.get(storyId)!);
      continue;
    }
    // A story stored twice (a second generation) repeats its titles, so this counts it too.
    duplicated += entry.count - entry.titles.size;
    if (entry.titles.size < expectedCases) incomplete += 1;
  }
  return { job, lost, lostKeys, incomplete, duplicated, testCases: testCases.length };
}

function figuresFor(
  label: string,
  options: BulkOptions,
  run: { startedAt: number; wallMilliseconds: number },
  result: Awaited<ReturnType<typeof verify>>,
  endpoint: BulkEndpoint,
  extraNote: string,
): Figure[] {
  const ideal = (options.stories * options.answerMilliseconds) / options.concurrency;
  // Each 429 holds its slot for the Retry-After second before the retry. A story may take more
  // than one answered request (the generation fills criteria the first answer left uncovered), so
  // the floor counts the answered requests the run actually needed.
  const answered = endpoint.completionRequests().length - endpoint.rateLimited();
  const floorMilliseconds =
    (answered * options.answerMilliseconds + endpoint.rateLimited() * 1000) / options.concurrency;
  const { wallMilliseconds } = run;
  const requests = endpoint.completionRequests().length;
  const idle = slotIdle(endpoint.slotRequests, options.concurrency, run.startedAt, wallMilliseconds);
  if (result.lost > 0 || result.duplicated > 0 || result.job.progress.failed > 0) {
    throw new Error(
      `bulk (${label}): correctness invariant failed: ${result.lost} stories lost (${result.lostKeys.slice(0, 5).join(', ')}), ` +
        `${result.duplicated} test cases duplicated, ${result.job.progress.failed} tasks failed; job ${result.job.status}: ${result.job.error ?? ''}`,
    );
  }
  const benchmark = `bulk (${label})`;
  return [
    {
      benchmark,
      metric: `wall time, ${options.stories} stories`,
      value: wallMilliseconds / 1000,
      unit: 's',
      baseline: ideal / 1000,
      baselineLabel: `ideal: stories × ${options.answerMilliseconds} ms / ${options.concurrency}`,
      note: `${extraNote}; floor with the Retry-After waits ${(floorMilliseconds / 1000).toFixed(1)} s; highest in flight at the endpoint ${endpoint.concurrency().highest}`,
    },
    {
      benchmark,
      metric: 'wall time / floor',
      value: wallMilliseconds / floorMilliseconds,
      unit: '×',
      note: `goal ≤ 1.05; floor ${(floorMilliseconds / 1000).toFixed(1)} s = (${answered} answered requests × ${options.answerMilliseconds} ms + ${endpoint.rateLimited()} 429s × 1 s) / ${options.concurrency}`,
    },
    {
      benchmark,
      metric: 'slot idle between requests, mean',
      value: idle.meanGapMilliseconds,
      unit: 'ms',
      note:
        `time from a slot freeing (an answer or a 429) to the next request starting in it; p95 ${idle.p95GapMilliseconds.toFixed(1)} ms, ` +
        `max ${idle.maxGapMilliseconds.toFixed(0)} ms; ${idle.idleSlotSeconds.toFixed(1)} slot-seconds idle (${(idle.idleShare * 100).toFixed(1)}% of ${options.concurrency} slots × wall)`,
    },
    {
      benchmark,
      metric: 'stories lost',
      value: result.lost,
      unit: '',
      note: `${result.job.progress.done} done, ${result.incomplete} with fewer cases than answered; job ${result.job.status}`,
    },
    {
      benchmark,
      metric: 'test cases duplicated',
      value: result.duplicated,
      unit: '',
      note: `${result.testCases} stored`,
    },
    {
      benchmark,
      metric: 'tokens used',
      value: result.job.progress.tokens,
      unit: 'tokens',
      note: `${requests} requests for ${options.stories} stories (${endpoint.rateLimited()} answered 429)`,
    },
  ];
}

export async function runOnSqlite(
  options: BulkOptions,
  examples: ReturnType<typeof loadExamples>,
): Promise<Figure[]> {
  const backlog = backlogStories(options.stories, examples);
  const endpoint = await startEndpoint(options, examples);
  const directory = mkdtempSync(join(tmpdir(), 'reqase-bench-bulk-'));
  const secretKey = randomBytes(32);
  const storage = await openDatabase({ dataDirectory: directory, secretKey });
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory }, directory), {
    storage,
    secretKey,
  });
  try {
    const { projectId, storyIds } = await seedWorkspace(
      workspace,
      storage,
      endpoint,
      backlog,
      options.concurrency,
    );
    const job = await createJob(storage, {
      projectId,
      storyIds,
      options: { provider: PROVIDER_NAME, format: 'manual' },
    });
    const controller = new AbortController();
    // Bounded: a stuck job is stopped well past the ideal.
    const limit = setTimeout(
      () => controller.abort(),
      ((options.stories * options.answerMilliseconds) / options.concurrency) * 4 + 60_000,
    );
    // The app's run (`reqase jobs run`, the server): the provider's limits, stories claimed ahead.
    const startedAt = performance.now();
    const result = await workspace.jobs.run(job.id, { signal: controller.signal });
    const wallMilliseconds = performance.now() - startedAt;
    clearTimeout(limit);
    if (result.reason !== 'finished')
      throw new Error(`bulk (SQLite): the job did not finish (${result.reason})`);
    return figuresFor(
      'SQLite, in-process',
      options,
      { startedAt, wallMilliseconds },
      await verify(storage, projectId, job.id, backlog),
      endpoint,
      `one worker, concurrency ${options.concurrency}; ${result.retried} task retries`,
    );
  } finally {
    await workspace.close();
    await storage.close();
    await endpoint.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export async function runOnPostgres(
  options: BulkOptions,
  examples: ReturnType<typeof loadExamples>,
  workers: number,
): Promise<Figure[]> {
  const url = BENCH_POSTGRES_URL;
  const host = url.replace(/\/\/[^@/]*@/, '//');
  const mode = options.postgresWorker ?? 'pg-boss';
  const label = `PostgreSQL, ${workers} ${mode} worker processes`;
  if (!(await postgresAnswers(url))) {
    return [
      {
        benchmark: `bulk (${label})`,
        metric: 'skipped',
        value: NaN,
        unit: '',
        note: `no PostgreSQL at ${host}; set REQASE_BENCH_POSTGRES_URL`,
      },
    ];
  }
  const backlog = backlogStories(options.stories, examples);
  const endpoint = await startEndpoint(options, examples);
  const directory = mkdtempSync(join(tmpdir(), 'reqase-bench-bulk-'));
  const suffix = randomBytes(5).toString('hex');
  const schema = `reqase_bench_${suffix}`;
  const bossSchema = `reqase_bench_boss_${suffix}`;
  const secretKey = randomBytes(32);
  const perWorker = Math.ceil(options.concurrency / workers);
  const storage = await openDatabase({ url, postgresSchema: schema, secretKey, maxConnections: 4 });
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory }, directory), {
    storage,
    secretKey,
  });
  const children: BenchChild[] = [];
  try {
    // Each process has its own client: its limit is its share of the total concurrency.
    const { projectId, storyIds } = await seedWorkspace(workspace, storage, endpoint, backlog, perWorker);
    const queue =
      mode === 'pg-boss' ? await createPgBossQueue({ connectionString: url, schema: bossSchema }) : undefined;
    let jobId: string;
    try {
      jobId = (
        await createJob(
          storage,
          { projectId, storyIds, options: { provider: PROVIDER_NAME, format: 'manual' } },
          queue ? { queue } : {},
        )
      ).id;
    } finally {
      await queue?.close();
    }
    const deadlineMilliseconds =
      ((options.stories * options.answerMilliseconds) / options.concurrency) * 4 + 60_000;
    for (let index = 1; index <= workers; index += 1) {
      children.push(
        startChild([
          '--import',
          'tsx',
          'bench/support/bulk-worker.ts',
          JSON.stringify({
            url,
            postgresSchema: schema,
            secretKeyHex: secretKey.toString('hex'),
            dataDirectory: directory,
            jobId,
            workerId: `bench-worker-${index}`,
            concurrency: perWorker,
            mode,
            bossSchema,
            deadlineMilliseconds,
          }),
        ]),
      );
    }
    await Promise.all(children.map((child) => child.waitFor((line) => line.kind === 'ready', 60_000)));
    const started = performance.now();
    for (const child of children) child.child.stdin!.write('go\n');
    let wallMilliseconds = NaN;
    for (;;) {
      const job = await storage.jobs.get(jobId);
      if (job && ['completed', 'failed', 'cancelled', 'budget-exhausted'].includes(job.status)) {
        wallMilliseconds = performance.now() - started;
        break;
      }
      if (performance.now() - started > deadlineMilliseconds)
        throw new Error(`bulk (${label}): the job did not finish in ${deadlineMilliseconds} ms`);
      if (children.every((child) => child.child.exitCode !== null)) {
        throw new Error(
          `bulk (${label}): every worker exited before the job finished:\n${children.map((child) => child.stderr()).join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const exits = await Promise.all(children.map((child) => child.exited));
    const shares = children.map(
      (child) =>
        (child.lines.find((line) => line.kind === 'worker-result')?.completed as number | undefined) ?? 0,
    );
    if (exits.some((exit) => exit.code !== 0)) {
      throw new Error(
        `bulk (${label}): a worker failed:\n${children.map((child) => child.stderr()).join('\n')}`,
      );
    }
    return figuresFor(
      label,
      options,
      { startedAt: started, wallMilliseconds },
      await verify(storage, projectId, jobId, backlog),
      endpoint,
      `concurrency ${perWorker} each; stories per worker ${shares.join(' / ')}`,
    );
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await workspace.close();
    await storage.close();
    await endpoint.close();
    await dropSchemas(url, [schema, bossSchema]).catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
}

export async function benchmarkBulk(options: BulkOptions): Promise<Figure[]> {
  const examples = loadExamples();
  return [...(await runOnSqlite(options, examples)), ...(await runOnPostgres(options, examples, 2))];
}
