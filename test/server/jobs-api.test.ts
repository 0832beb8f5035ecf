import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace } from '../../src/app/workspace/index.ts';
import { workspaceTokens } from '../../src/server/tokens.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { readEvents, startTestServer, type TestServer } from './server-setup.ts';

const apiKey = 'sk-test-jobs-api-0123456789abcdef';
const backlog = ['SHOP-1', 'SHOP-2', 'SHOP-3', 'SHOP-4']
  .map(
    (key, index) => `# ${key}: Checkout step ${index + 1}

As a shopper I want checkout step ${index + 1} so that I can buy.

## Acceptance Criteria

- Step ${index + 1} accepts valid input.
- Step ${index + 1} rejects invalid input with a message.
`,
  )
  .join('\n');

function answer(prompt: string): string {
  const key = /SHOP-\d+/.exec(prompt)?.[0] ?? 'unknown';
  return JSON.stringify({
    testCases: [
      {
        title: `${key} valid input`,
        kind: 'positive',
        priority: 'high',
        steps: [{ action: 'Enter valid input', expected: 'Accepted' }],
        covers: ['AC-1'],
      },
      {
        title: `${key} invalid input`,
        kind: 'negative',
        priority: 'high',
        steps: [{ action: 'Enter invalid input', expected: 'A message is shown' }],
        covers: ['AC-2'],
      },
    ],
  });
}

let server: TestServer;
let workspace: Workspace;
let endpoint: FakeLlmEndpoint;

beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({
    apiKey,
    scenario: {
      default: ({ request }) => ({
        kind: 'answer',
        text: answer((request.messages ?? []).map((message) => String(message.content)).join('\n')),
        latency: { timeToFirstTokenMs: 1500 },
      }),
    },
  });
  const first = await startTestServer();
  await first.close();
  workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: first.dataDirectory }, first.dataDirectory));
  const tokens = workspaceTokens(workspace);
  server = await startTestServer({ workspace: { workspace, tokens }, tokens });
  await call('POST', '/api/projects', { name: 'Shop', defaultFormat: 'manual' });
  const imported = await call('POST', '/api/projects/Shop/stories/import', {
    content: backlog,
    fileName: 'backlog.md',
  });
  expect(imported.status).toBe(200);
});

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
  await endpoint?.close();
});

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

interface JobBody {
  id: string;
  status: string;
  progress: { total: number; done: number; failed: number; remaining: number; testCases: number };
  tasks?: Array<{ storyKey: string; status: string; testCaseCount: number }>;
}

describe('bulk job routes over real HTTP', () => {
  it('starts a job that runs in the server, streams its progress until it ends, and shows each story', async () => {
    const started = await call('POST', '/api/projects/Shop/jobs', {
      all: true,
      offline: true,
      format: 'bdd',
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as JobBody & { engine: { kind: string } };
    expect(job).toMatchObject({ status: 'queued', engine: { kind: 'rules' }, progress: { total: 4 } });

    const stream = await call('GET', `/api/jobs/${job.id}/events`, undefined, {
      accept: 'text/event-stream',
    });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readEvents(stream, () => undefined);
    const last = events.at(-1)!;
    expect(last.event).toBe('done');
    expect(last.data).toMatchObject({ id: job.id, status: 'completed', progress: { done: 4, remaining: 0 } });
    expect(events.filter((event) => event.event === 'progress').length).toBeGreaterThanOrEqual(1);

    const shown = (await (await call('GET', `/api/jobs/${job.id}`)).json()) as JobBody;
    expect(shown.status).toBe('completed');
    expect(shown.tasks?.map((task) => task.storyKey).sort()).toEqual([
      'SHOP-1',
      'SHOP-2',
      'SHOP-3',
      'SHOP-4',
    ]);
    expect(shown.tasks?.every((task) => task.status === 'done' && task.testCaseCount === 2)).toBe(true);
    const cases = (await (await call('GET', '/api/projects/Shop/test-cases')).json()) as {
      testCases: Array<{ gherkin?: string | null }>;
    };
    expect(cases.testCases).toHaveLength(8);
    expect(cases.testCases.every((testCase) => testCase.gherkin?.includes('Scenario'))).toBe(true);

    const listed = (await (await call('GET', '/api/projects/Shop/jobs')).json()) as { jobs: JobBody[] };
    expect(listed.jobs.map((item) => item.id)).toContain(job.id);
  });

  it('sends task events live and cancels a running job, which stops in the server at once', async () => {
    const provider = await call('POST', '/api/providers', {
      name: 'slow-llm',
      baseUrl: endpoint.url,
      model: 'fake-model',
      apiKey,
      limits: { concurrency: 1 },
    });
    expect(provider.status).toBeLessThan(300);
    const started = await call('POST', '/api/projects/Shop/jobs', {
      stories: ['SHOP-1', 'SHOP-2', 'SHOP-3', 'SHOP-4'],
      provider: 'slow-llm',
      fillGaps: false,
      // These stories were generated by the test above: generate again rather than skip them.
      onlyChanged: false,
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as JobBody;

    const stream = await call('GET', `/api/jobs/${job.id}/events`, undefined, {
      accept: 'text/event-stream',
    });
    let cancelled: Promise<Response> | undefined;
    const events = await readEvents(stream, (event) => {
      // Cancel once the model answered a first story: one at a time (the provider's limit), so others wait.
      if (event.event === 'task' && !cancelled) cancelled = call('POST', `/api/jobs/${job.id}/cancel`, {});
    });
    const cancelResponse = await cancelled!;
    expect(cancelResponse.status).toBe(200);
    expect(((await cancelResponse.json()) as JobBody).status).toBe('cancelled');
    const task = events.find((event) => event.event === 'task')?.data as { kind: string; storyKey: string };
    expect(task.kind).toBe('task-end');
    expect(task.storyKey).toMatch(/^SHOP-\d$/);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'cancelled' } });

    const shown = (await (await call('GET', `/api/jobs/${job.id}`)).json()) as JobBody;
    expect(shown.status).toBe('cancelled');
    expect(shown.progress.done).toBeGreaterThanOrEqual(1);
    expect(shown.progress.done).toBeLessThan(4);
    expect(shown.tasks?.some((item) => item.status === 'running')).toBe(false);
    // Nothing half-stored: only done stories have cases from this provider.
    const cases = (await (await call('GET', '/api/projects/Shop/test-cases?limit=1000')).json()) as {
      total: number;
    };
    expect(cases.total).toBe(8 + shown.progress.done * 2);

    // Resumed, the job finishes the other stories only.
    const resumed = await call('POST', `/api/jobs/${job.id}/resume`, {});
    expect(resumed.status).toBe(202);
    const resumedEvents = await readEvents(
      await call('GET', `/api/jobs/${job.id}/events`, undefined, { accept: 'text/event-stream' }),
      () => undefined,
    );
    expect(resumedEvents.at(-1)).toMatchObject({
      event: 'done',
      data: { status: 'completed', progress: { done: 4, failed: 0 } },
    });
    const allCases = (await (await call('GET', '/api/projects/Shop/test-cases?limit=1000')).json()) as {
      total: number;
    };
    expect(allCases.total).toBe(16);
    expect((await call('POST', `/api/jobs/${job.id}/resume`, {})).status).toBe(400);
  });

  it('answers unknown jobs with 404 and bad bodies with 400, and documents the routes', async () => {
    const missing = await call('GET', '/api/jobs/no-such-job');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { fix: string } }).error.fix).toMatch(/reqase job list/);
    expect((await call('GET', '/api/jobs/no-such-job/events')).status).toBe(404);
    expect((await call('POST', '/api/jobs/no-such-job/cancel', {})).status).toBe(404);
    const noStories = await call('POST', '/api/projects/Shop/jobs', { offline: true });
    expect(noStories.status).toBe(400);
    expect(((await noStories.json()) as { error: { message: string } }).error.message).toMatch(
      /Name the stories/,
    );
    expect(
      (await call('POST', '/api/projects/Shop/jobs', { all: true, budget: { maxTestCases: 0 } })).status,
    ).toBe(400);
    expect((await call('POST', '/api/projects/Nope/jobs', { all: true })).status).toBe(404);

    const document = (await (await call('GET', '/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths['/api/projects/{project}/jobs'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(document.paths['/api/jobs/{id}']?.get).toBeDefined();
    expect(document.paths['/api/jobs/{id}/events']?.get).toBeDefined();
    expect(document.paths['/api/jobs/{id}/cancel']?.post).toBeDefined();
    expect(document.paths['/api/jobs/{id}/resume']?.post).toBeDefined();
  });
});
