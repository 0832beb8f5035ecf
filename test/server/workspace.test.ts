import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workspace } from '../../src/app/workspace/index.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { readEvents, type TestServer, startWorkspaceServer } from './server-setup.ts';

const apiKey = 'sk-stored-provider-key-0123456789';
const storyFile = `# SHOP-1 Sign in

As a shopper I want to sign in so that I see my orders.

## Acceptance criteria
- Valid credentials open the account dashboard
- A wrong password shows "Invalid email or password"
`;
const modelAnswer = JSON.stringify({
  testCases: [
    {
      title: 'Valid credentials open the dashboard',
      kind: 'positive',
      priority: 'high',
      steps: [
        { action: 'Sign in with a valid email and password', expected: 'The account dashboard is shown' },
      ],
      covers: ['AC-1'],
    },
    {
      title: 'Wrong password is refused',
      kind: 'negative',
      priority: 'high',
      steps: [
        {
          action: 'Sign in with a wrong password',
          expected: 'The message "Invalid email or password" is shown',
        },
      ],
      covers: ['AC-2'],
    },
  ],
});

let server: TestServer;
let workspace: Workspace;
let endpoint: FakeLlmEndpoint;

beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({
    apiKey,
    scenario: { default: { kind: 'answer', text: modelAnswer } },
  });
  const started = await startWorkspaceServer();
  server = started;
  workspace = started.workspace;
});

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
  await endpoint?.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response;
}

describe('workspace routes on SQLite', () => {
  it('lists the provider presets with their base URL and quirks, before any stored provider', async () => {
    const response = await call('GET', '/api/providers/presets');
    expect(response.status).toBe(200);
    const { presets } = (await response.json()) as {
      presets: Array<{ id: string; baseUrl: string; quirks: string; authHeader: string }>;
    };
    expect(presets.map((preset) => preset.id)).toEqual([
      'openai',
      'litellm',
      'localai',
      'vllm',
      'fastchat',
      'ollama',
      'lmstudio',
      'openrouter',
      'groq',
      'azure-openai',
    ]);
    expect(presets.find((preset) => preset.id === 'ollama')?.baseUrl).toBe('http://localhost:11434/v1');
    expect(presets.find((preset) => preset.id === 'azure-openai')?.authHeader).toBe('api-key');
    expect(presets.every((preset) => preset.quirks.length > 10)).toBe(true);
  });

  it('creates, lists and refuses a duplicate project', async () => {
    expect((await call('POST', '/api/projects', { name: 'Shop', defaultFormat: 'manual' })).status).toBe(201);
    const duplicate = await call('POST', '/api/projects', { name: 'Shop' });
    expect(duplicate.status).toBe(409);
    const listed = (await (await call('GET', '/api/projects')).json()) as {
      projects: Array<{ name: string }>;
    };
    expect(listed.projects.map((project) => project.name)).toContain('Shop');
    expect((await call('GET', '/api/projects/Nope')).status).toBe(404);
  });

  it('stores a provider with its key write-only, and checks it', async () => {
    const added = await call('POST', '/api/providers', {
      name: 'fake',
      baseUrl: endpoint.url,
      model: 'fake-model',
      apiKey,
    });
    expect(added.status).toBe(200);
    const addedText = await added.text();
    expect(addedText).not.toContain(apiKey);
    expect(JSON.parse(addedText).provider).toMatchObject({ hasApiKey: true, apiKeyMasked: 'sk-…6789' });
    const shown = await (await call('GET', '/api/providers/fake')).text();
    expect(shown).not.toContain(apiKey);
    const check = await call('POST', '/api/providers/fake/check', { timeoutSeconds: 10 });
    expect(check.status).toBe(200);
    const report = await check.text();
    expect(report).not.toContain(apiKey);
    const parsed = JSON.parse(report) as {
      responseMode?: string;
      checks: Array<{ id: string; status: string }>;
    };
    expect(parsed.checks[0]).toMatchObject({ id: 'reachable', status: 'pass' });
    // The fake answers JSON whatever the response_format: json_schema counts as honoured, and the
    // stored provider (which had learned nothing yet) remembers it for its generations.
    expect(parsed.responseMode).toBe('json_schema');
    const after = (await (await call('GET', '/api/providers/fake')).json()) as {
      structuredOutputMode: string;
    };
    expect(after.structuredOutputMode).toBe('json_schema');
  });

  it('imports a story (JSON body and multipart upload) and lists it with its coverage status', async () => {
    const imported = await call('POST', '/api/projects/Shop/stories/import', {
      content: storyFile,
      fileName: 'shop.md',
    });
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { stories: Array<{ status: string }> }).stories[0]?.status).toBe(
      'created',
    );

    const form = new FormData();
    form.set('file', new Blob([storyFile], { type: 'text/markdown' }), 'shop.md');
    const uploaded = await fetch(`${server.url}/api/projects/Shop/stories/import`, {
      method: 'POST',
      body: form,
    });
    expect(uploaded.status).toBe(200);
    expect(((await uploaded.json()) as { stories: Array<{ status: string }> }).stories[0]?.status).toBe(
      'unchanged',
    );

    const listed = (await (await call('GET', '/api/projects/Shop/stories')).json()) as {
      stories: Array<{ key: string; coverage: { status: string; criteria: number } }>;
    };
    expect(listed.stories[0]).toMatchObject({
      key: 'SHOP-1',
      coverage: { status: 'not-generated', criteria: 2 },
    });
  });

  it('generates for a stored story with the stored provider, streaming, and stores the cases', async () => {
    const response = await call(
      'POST',
      '/api/projects/Shop/stories/SHOP-1/generate',
      { provider: 'fake', fillGaps: false },
      { accept: 'text/event-stream' },
    );
    const events = await readEvents(response, () => {});
    const names = events.map((event) => event.event);
    expect(names.filter((name) => name === 'test-case')).toHaveLength(2);
    expect(names.at(-1)).toBe('done');
    const done = events.at(-1)?.data as { testCases: Array<{ status: string }> };
    expect(done.testCases).toHaveLength(2);
    expect(done.testCases.every((testCase) => testCase.status === 'draft')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(apiKey);

    const story = (await (await call('GET', '/api/projects/Shop/stories/SHOP-1')).json()) as {
      uncovered: string[];
      testCases: unknown[];
    };
    expect(story.testCases).toHaveLength(2);
    expect(story.uncovered).toEqual([]);
  });

  it('carries each case’s quality in the case list and a case, as the story page scores it', async () => {
    type Quality = { score: number; findings: Array<{ rule: string; fix: string }> };
    type Scored = { id: string; displayId: string; quality: Quality };
    const listCases = async () =>
      (
        (await (await call('GET', '/api/projects/Shop/test-cases?story=SHOP-1&quality=true')).json()) as {
          testCases: Scored[];
        }
      ).testCases;
    const storyQuality = async () =>
      (
        (await (await call('GET', '/api/projects/Shop/stories/SHOP-1')).json()) as {
          quality: { cases: Array<{ testCaseId: string } & Quality> };
        }
      ).quality;

    const listed = await listCases();
    expect(listed).toHaveLength(2);
    // A plain list does not pay for scoring: quality only when asked for.
    const plain = (await (await call('GET', '/api/projects/Shop/test-cases?story=SHOP-1')).json()) as {
      testCases: Array<Partial<Scored>>;
    };
    expect(plain.testCases.map((testCase) => testCase.quality)).toEqual([undefined, undefined]);
    const story = await storyQuality();
    for (const testCase of listed) {
      const { testCaseId: _testCaseId, ...expected } = story.cases.find(
        (caseQuality) => caseQuality.testCaseId === testCase.displayId,
      )!;
      expect(testCase.quality).toEqual(expected);
      const one = await call('GET', `/api/test-cases/${testCase.id}`);
      expect(((await one.json()) as Scored).quality).toEqual(expected);
    }

    // Scored on read: an edit that cuts a quote shows at once, with its fix.
    const second = listed[1]!;
    const edited = await call('PATCH', `/api/test-cases/${second.id}`, {
      steps: [
        {
          action: 'Sign in with a wrong password',
          expected: 'The message "Invalid email or password is shown',
        },
      ],
    });
    expect(edited.status).toBe(200);
    const after = (await listCases()).find((testCase) => testCase.id === second.id)!;
    expect(after.quality.score).toBeLessThanOrEqual(second.quality.score - 25);
    expect(after.quality.findings).toContainEqual(
      expect.objectContaining({ rule: 'broken-text', fix: expect.stringContaining('both quote marks') }),
    );

    const document = (await (await call('GET', '/api/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(document.components.schemas.ScoredTestCase?.required).toContain('quality');
    expect(document.components.schemas.TestCaseQuality?.properties).toHaveProperty('findings');
    const jobTask = (
      document.components.schemas.JobDetails?.properties?.tasks as { items: { required: string[] } }
    ).items;
    expect(jobTask.required).toContain('skipped');
  });

  it('edits, accepts, rejects and shows the history of test cases', async () => {
    const listed = (await (await call('GET', '/api/projects/Shop/test-cases?story=SHOP-1')).json()) as {
      testCases: Array<{ id: string; version: number }>;
    };
    const [first, second] = listed.testCases;
    const edited = await call('PATCH', `/api/test-cases/${first!.id}`, {
      title: 'Sign in opens the dashboard',
    });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { version: number }).version).toBe(2);
    const stale = await call('PATCH', `/api/test-cases/${first!.id}`, { title: 'Again', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    const invalid = await call('PATCH', `/api/test-cases/${first!.id}`, { kind: 'sideways' });
    expect(invalid.status).toBe(400);

    const accepted = await call('POST', '/api/test-cases/accept', { ids: [first!.id] });
    expect(await accepted.json()).toMatchObject({ changed: 1 });
    const rejected = await call('POST', '/api/test-cases/reject', {
      project: 'Shop',
      story: 'SHOP-1',
      allDrafts: true,
    });
    expect(await rejected.json()).toMatchObject({ changed: 1, ids: [second!.id] });

    const history = (await (await call('GET', `/api/test-cases/${first!.id}/history`)).json()) as {
      versions: Array<{ version: number }>;
    };
    expect(history.versions.map((version) => version.version)).toEqual([1]);
  });

  it('pages the case list by cursor as by offset, and refuses a cursor it did not give', async () => {
    type Page = { testCases: Array<{ id: string }>; total: number; nextCursor: string | null };
    const list = async (query: string) => {
      const response = await call('GET', `/api/projects/Shop/test-cases?${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as Page;
    };
    const whole = await list('limit=100');
    expect(whole.testCases.length).toBeGreaterThan(1);
    expect(whole.nextCursor).toBeNull();

    const walked: string[] = [];
    let page = await list('limit=1');
    expect(page.total).toBe(whole.total);
    for (;;) {
      walked.push(...page.testCases.map((testCase) => testCase.id));
      if (page.nextCursor === null) break;
      page = await list(`limit=1&cursor=${encodeURIComponent(page.nextCursor)}`);
    }
    expect(walked).toEqual(whole.testCases.map((testCase) => testCase.id));
    expect((await list('limit=1&offset=1')).testCases.map((testCase) => testCase.id)).toEqual([walked[1]]);

    const firstCursor = (await list('limit=1')).nextCursor!;
    const both = await call('GET', `/api/projects/Shop/test-cases?cursor=${firstCursor}&offset=1`);
    expect(both.status).toBe(400);
    const foreign = await call('GET', '/api/projects/Shop/test-cases?cursor=not-a-cursor');
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({ error: { fix: expect.stringContaining('nextCursor') } });
  });

  it('exports Xray JSON as an attachment', async () => {
    const response = await call('GET', '/api/projects/Shop/export?to=xray-json&status=accepted');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
    const text = await response.text();
    expect(text).toContain('Sign in opens the dashboard');
    expect(text).not.toContain('Wrong password is refused');
    const unknownTarget = await call('GET', '/api/projects/Shop/export?to=pdf');
    expect(unknownTarget.status).toBe(400);
  });

  it('never writes the provider key to the log', () => {
    expect(server.log()).toContain('"path":"/api/providers"');
    expect(server.log()).not.toContain(apiKey);
    for (const name of readdirSync(server.dataDirectory)) {
      if (name.endsWith('.db'))
        expect(readFileSync(join(server.dataDirectory, name)).includes(apiKey)).toBe(false);
    }
  });
});
