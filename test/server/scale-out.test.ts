/**
 * Two `reqase serve` instances on one PostgreSQL schema, as behind a load balancer: a job started
 * through one is followed to its end on the other (its story events come over LISTEN/NOTIFY, as
 * the second instance runs nothing), a cancel through the second stops the run in the first, and
 * a browser session opened on one is valid on the other, and a review made through one is seen by
 * the next read through the other (whose page cache held the page before).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace, workspaceTokens } from '../../src/app/workspace/index.ts';
import { backlogAnswer, checkoutBacklog, promptOf, storyKeyIn } from '../support/backlog.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { describeDialect, isAvailable, POSTGRES_URL, TEST_SECRET_KEY } from '../storage/storage-setup.ts';
import { readEvents, startTestServer, type TestServer } from './server-setup.ts';

const apiKey = 'sk-test-scale-out-0123456789abcdef';
const suffix = randomBytes(5).toString('hex');
const schema = `reqase_test_scale_${suffix}`;
const bossSchema = `reqase_test_scale_boss_${suffix}`;

interface Instance {
  server: TestServer;
  workspace: Workspace;
}

interface JobBody {
  id: string;
  status: string;
  progress: { total: number; done: number; running: number; remaining: number };
  tasks?: Array<{ status: string }>;
}

let endpoint: FakeLlmEndpoint;
let instances: Instance[] = [];
let token: string;
/** Story keys whose request the endpoint leaves unanswered (the cancel test). */
const hanging = new Set<string>();

async function startInstance(): Promise<Instance> {
  const first = await startTestServer();
  await first.close();
  const env = {
    REQASE_DATA_DIR: first.dataDirectory,
    DATABASE_URL: POSTGRES_URL,
    REQASE_PGBOSS_SCHEMA: bossSchema,
  };
  const workspace = openWorkspace(resolveSettings(env, first.dataDirectory), {
    secretKey: TEST_SECRET_KEY,
    postgresSchema: schema,
  });
  const tokens = workspaceTokens(workspace);
  const server = await startTestServer({
    authenticationRequired: true,
    workspace: { workspace, tokens },
    tokens,
    env,
  });
  rmSync(first.dataDirectory, { recursive: true, force: true });
  return { server, workspace };
}

function call(instance: Instance, method: string, path: string, body?: unknown) {
  return fetch(`${instance.server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

function follow(
  instance: Instance,
  jobId: string,
  onEvent: (event: { event: string; data: unknown }) => void,
) {
  return fetch(`${instance.server.url}/api/jobs/${jobId}/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
  }).then((response) => readEvents(response, onEvent));
}

describe.skipIf(!isAvailable('postgres'))(describeDialect('two server instances', 'postgres'), () => {
  beforeAll(async () => {
    endpoint = await startFakeLlmEndpoint({
      apiKey,
      scenario: {
        default: ({ request }) => {
          const key = storyKeyIn(promptOf(request));
          return hanging.has(key)
            ? { kind: 'hang' }
            : { kind: 'answer', text: backlogAnswer(key), latency: { timeToFirstTokenMilliseconds: 200 } };
        },
      },
    });
    // One after the other: the first migrates the schema.
    instances = [await startInstance()];
    instances.push(await startInstance());
    token = (await workspaceTokens(instances[0]!.workspace).create('scale-out tests')).token;
    const [one] = instances;
    expect(
      (await call(one!, 'POST', '/api/projects', { name: 'Shop', defaultFormat: 'manual' })).status,
    ).toBe(201);
    const imported = await call(one!, 'POST', '/api/projects/Shop/stories/import', {
      content: checkoutBacklog(['SHOP-1', 'SHOP-2', 'SHOP-3', 'SHOP-4', 'SHOP-5', 'SHOP-6']),
      fileName: 'backlog.md',
    });
    expect(imported.status).toBe(200);
    const provider = await call(one!, 'POST', '/api/providers', {
      name: 'shared-llm',
      baseUrl: endpoint.url,
      model: 'fake-model',
      apiKey,
      limits: { concurrency: 1 },
    });
    expect(provider.status).toBeLessThan(300);
  });

  afterAll(async () => {
    for (const instance of instances) {
      await instance.server.dispose();
      await instance.workspace.close();
    }
    await endpoint?.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      for (const name of [schema, bossSchema]) await client.query(`drop schema if exists "${name}" cascade`);
    } finally {
      await client.end();
    }
  });

  it('follows a job started on instance 1 to its end on instance 2, story by story', async () => {
    const [one, two] = instances as [Instance, Instance];
    // Instance 2 listens to the database (as it does once it streams any job).
    await two.workspace.jobs.listening();
    const started = await call(one, 'POST', '/api/projects/Shop/jobs', {
      stories: ['SHOP-1', 'SHOP-2', 'SHOP-3'],
      provider: 'shared-llm',
      fillGaps: false,
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as JobBody;
    expect(one.workspace.jobs.isRunningHere(job.id)).toBe(true);

    const events = await follow(two, job.id, () => undefined);
    expect(two.workspace.jobs.isRunningHere(job.id)).toBe(false);
    expect(events.at(-1)).toMatchObject({
      event: 'done',
      data: { status: 'completed', progress: { done: 3 } },
    });
    // Each story's end reached instance 2 from the run on instance 1.
    const ended = events
      .filter((event) => event.event === 'task')
      .map((event) => (event.data as { kind: string; storyKey: string }).storyKey);
    expect(ended.sort()).toEqual(['SHOP-1', 'SHOP-2', 'SHOP-3']);
    const shown = (await (await call(two, 'GET', `/api/jobs/${job.id}`)).json()) as JobBody;
    expect(shown.status).toBe('completed');
  });

  it('cancels through instance 2 a job running on instance 1, which stops there', async () => {
    const [one, two] = instances as [Instance, Instance];
    for (const key of ['SHOP-4', 'SHOP-5', 'SHOP-6']) hanging.add(key);
    const started = await call(one, 'POST', '/api/projects/Shop/jobs', {
      stories: ['SHOP-4', 'SHOP-5', 'SHOP-6'],
      provider: 'shared-llm',
      fillGaps: false,
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as JobBody;
    const run = one.workspace.jobs.runInBackground(job.id);
    await one.workspace.jobs.listening();

    let cancelled: Promise<Response> | undefined;
    const events = await follow(two, job.id, (event) => {
      // Cancel once instance 1 holds a story (its request hangs at the endpoint).
      const progress = (event.data as { progress?: { running: number } }).progress;
      if (event.event === 'progress' && (progress?.running ?? 0) > 0 && !cancelled) {
        cancelled = call(two, 'POST', `/api/jobs/${job.id}/cancel`, {});
      }
    });
    expect((await cancelled!).status).toBe(200);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'cancelled' } });

    // The run on instance 1 ended and gave its stories back, nothing stored.
    const result = await run;
    expect(result.job.status).toBe('cancelled');
    expect(result.completed).toBe(0);
    expect(one.workspace.jobs.isRunningHere(job.id)).toBe(false);
    const shown = (await (await call(one, 'GET', `/api/jobs/${job.id}`)).json()) as JobBody;
    expect(shown.tasks?.some((task) => task.status === 'running')).toBe(false);
    expect(shown.progress.done).toBe(0);
  });

  it('shows on instance 2 a review made on instance 1, though instance 2 cached the pages before', async () => {
    const [one, two] = instances as [Instance, Instance];
    const page = async <Body>(path: string) => (await (await call(two, 'GET', path)).json()) as Body;
    const drafts = '/api/projects/Shop/test-cases?status=draft&limit=20';
    type CaseList = { testCases: Array<{ id: string }>; total: number };
    type Counts = { testCases: { accepted: number } };
    const before = await page<CaseList>(drafts);
    expect(await page<CaseList>(drafts)).toEqual(before);
    const shown = await page<Counts>('/api/projects/Shop');
    const accepted = before.testCases[0]!.id;
    expect((await call(one, 'POST', '/api/test-cases/accept', { ids: [accepted] })).status).toBe(200);
    const after = await page<CaseList>(drafts);
    expect(after.total).toBe(before.total - 1);
    expect(after.testCases.map((testCase) => testCase.id)).not.toContain(accepted);
    expect((await page<Counts>('/api/projects/Shop')).testCases.accepted).toBe(shown.testCases.accepted + 1);
  });

  it('accepts on instance 2 a browser session opened on instance 1', async () => {
    const [one, two] = instances as [Instance, Instance];
    const login = await fetch(`${one.server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    expect((await fetch(`${two.server.url}/api/projects`, { headers: { cookie } })).status).toBe(200);
    const write = await fetch(`${two.server.url}/api/projects`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Made on instance 2' }),
    });
    expect(write.status).toBe(201);
    // Signed out on instance 2, the session is gone on instance 1 too.
    await fetch(`${two.server.url}/api/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect((await fetch(`${one.server.url}/api/projects`, { headers: { cookie } })).status).toBe(401);
  });
});
