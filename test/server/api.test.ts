import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT } from '../../src/server/index.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { readEvents, startTestServer, type TestServer } from './server-setup.ts';

const apiKey = 'sk-test-server-0123456789abcdef';
const story = {
  key: 'SHOP-1',
  summary: 'Sign in with email and password',
  description: 'As a shopper I want to sign in so that I see my orders.',
  acceptanceCriteria: [
    'Valid credentials open the account dashboard',
    'A wrong password shows "Invalid email or password"',
  ],
};
const modelAnswer = JSON.stringify({
  testCases: [
    {
      title: 'Sign in with valid credentials',
      kind: 'positive',
      priority: 'high',
      preconditions: ['A registered shopper exists'],
      steps: [
        { action: 'Open the sign-in page', data: '', expected: 'The sign-in form is shown' },
        {
          action: 'Enter a valid email and password and select Sign in',
          data: 'maria@example.com / Passw0rd!',
          expected: 'The account dashboard is shown',
        },
      ],
      covers: ['AC-1'],
    },
    {
      title: 'Wrong password shows a neutral error',
      kind: 'negative',
      priority: 'high',
      preconditions: ['A registered shopper exists'],
      steps: [
        {
          action: 'Enter a registered email with a wrong password and select Sign in',
          data: 'maria@example.com / wrong',
          expected: 'The message "Invalid email or password" is shown',
        },
      ],
      covers: ['AC-2'],
    },
  ],
});

let endpoint: FakeLlmEndpoint;
let server: TestServer;

beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({ apiKey });
  server = await startTestServer();
});

afterAll(async () => {
  await server?.dispose();
  await endpoint?.close();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('system routes', () => {
  it('answers health without authentication', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', authenticationRequired: false });
  });

  it('serves an OpenAPI document listing every route with its error shape', async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/session', '/api/generate', '/api/providers/check']),
    );
    expect(document.paths['/api/generate']?.post?.responses).toHaveProperty('502');
    expect(document.components.schemas).toHaveProperty('Error');
    expect(document.components.schemas).toHaveProperty('TestCase');
  });

  it('serves a reference page and a page saying how to build the web app', async () => {
    const docs = await fetch(`${server.url}/api/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/api/openapi.json');
    const home = await fetch(`${server.url}/`);
    expect(await home.text()).toContain('npm run build');
  });
});

describe('errors', () => {
  it('answers 404 with the error shape for an unknown API route', async () => {
    const response = await fetch(`${server.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toContain('/api/nothing-here');
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await post('/api/generate', '{"story": ');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; fix: string } };
    expect(body.error).toMatchObject({ code: 'invalid_input' });
    expect(body.error.message).toContain('not valid JSON');
  });

  it('answers 400 naming the invalid field', async () => {
    const response = await post('/api/generate', { story, format: 'poem' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toContain('format');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await fetch(`${server.url}/api/providers/check`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'unsupported_media_type',
    );
  });

  it('answers 413 for a body over the limit, before reading it all', async () => {
    const response = await post('/api/providers/check', { baseUrl: 'x'.repeat(DEFAULT_BODY_LIMIT + 10) });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { code: string; fix: string } };
    expect(body.error.code).toBe('payload_too_large');
    expect(body.error.fix).toBeTruthy();
  });

  it('maps an LLM authentication failure to 502 with its fix, never showing the key', async () => {
    const wrongKey = 'sk-wrong-key-abcdef0123456789';
    endpoint.setScenario({ default: { kind: 'answer', text: modelAnswer } });
    const response = await post('/api/generate', {
      story,
      provider: { baseUrl: endpoint.url, model: 'fake-model', apiKey: wrongKey },
    });
    expect(response.status).toBe(502);
    const text = await response.text();
    const body = JSON.parse(text) as { error: { code: string; message: string; fix: string } };
    expect(body.error.code).toBe('llm_authentication');
    expect(body.error.fix).toMatch(/key/i);
    expect(text).not.toContain(wrongKey);
    expect(server.log()).not.toContain(wrongKey);
  });
});

describe('ad-hoc generation', () => {
  it('generates offline without a model', async () => {
    const response = await post('/api/generate', { story, format: 'bdd', offline: true });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      engine: { kind: string };
      results: Array<{
        engine: string;
        testCases: Array<{ gherkin?: string; covers: string[] }>;
        story: { key: string };
      }>;
    };
    expect(body.engine.kind).toBe('rules');
    expect(body.results).toHaveLength(1);
    expect(body.results[0]?.story.key).toBe('SHOP-1');
    expect(body.results[0]?.testCases.length).toBeGreaterThan(0);
    expect(body.results[0]?.testCases[0]?.gherkin).toContain('Scenario');
  });

  it('reads a story given as text in any supported format', async () => {
    const content =
      '# SHOP-7 Reset password\n\n## Acceptance criteria\n- A reset link is emailed\n- The link expires after 24 hours\n';
    const response = await post('/api/generate', { content, offline: true });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      results: Array<{ story: { key: string; acceptanceCriteria: unknown[] } }>;
    };
    expect(body.results[0]?.story.acceptanceCriteria).toHaveLength(2);
  });

  it('streams each test case while the endpoint is still answering, then done', async () => {
    // About 150 tokens at 200 tokens per second: the answer takes most of a second to stream.
    endpoint.setScenario({
      default: { kind: 'answer', text: modelAnswer, latency: { tokensPerSecond: 200 } },
    });
    const response = await post(
      '/api/generate',
      { story, fillGaps: false, provider: { baseUrl: endpoint.url, model: 'fake-model', apiKey } },
      { accept: 'text/event-stream' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const inFlightAtFirstCase: number[] = [];
    const events = await readEvents(response, (event) => {
      if (event.event === 'test-case' && inFlightAtFirstCase.length === 0) {
        inFlightAtFirstCase.push(endpoint.concurrency().inFlight);
      }
    });
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('engine');
    expect(names.filter((name) => name === 'test-case')).toHaveLength(2);
    expect(names.at(-1)).toBe('done');
    expect(names.indexOf('test-case')).toBeLessThan(names.indexOf('done'));
    // The first case arrived while the endpoint was still sending the rest of the answer.
    expect(inFlightAtFirstCase).toEqual([1]);
    const first = events.find((event) => event.event === 'test-case')?.data as {
      storyKey: string;
      testCase: { covers: string[]; kind: string };
    };
    expect(first.storyKey).toBe('SHOP-1');
    expect(first.testCase).toMatchObject({ covers: ['AC-1'], kind: 'positive' });
    const done = events.at(-1)?.data as { results: Array<{ testCases: unknown[]; engine: string }> };
    expect(done.results[0]?.engine).toBe('llm');
    expect(done.results[0]?.testCases).toHaveLength(2);
    const wire = JSON.stringify(events);
    expect(wire).not.toContain(apiKey);
  });

  it('ends a stream with an error event carrying code and fix', async () => {
    endpoint.setScenario({ default: { kind: 'answer', text: modelAnswer } });
    const response = await post(
      '/api/generate',
      {
        story,
        provider: { baseUrl: endpoint.url, model: 'fake-model', apiKey: 'sk-not-the-right-key-987654' },
      },
      { accept: 'text/event-stream' },
    );
    const events = await readEvents(response, () => {});
    const last = events.at(-1);
    expect(last?.event).toBe('error');
    expect(last?.data).toMatchObject({ code: 'llm_authentication' });
    expect((last?.data as { fix?: string }).fix).toBeTruthy();
    expect(JSON.stringify(events)).not.toContain('sk-not-the-right-key-987654');
  });
});

describe('endpoint check', () => {
  it('returns the check report with the key masked', async () => {
    endpoint.setScenario({ default: { kind: 'answer', text: modelAnswer } });
    const response = await post('/api/providers/check', {
      baseUrl: endpoint.url,
      model: 'fake-model',
      apiKey,
      timeoutSeconds: 10,
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const report = JSON.parse(text) as {
      compatible: boolean;
      checks: Array<{ id: string; status: string }>;
      curl: string;
    };
    expect(report.checks.find((check) => check.id === 'reachable')?.status).toBe('pass');
    expect(report.checks.find((check) => check.id === 'auth')?.status).toBe('pass');
    expect(text).not.toContain(apiKey);
    expect(server.log()).not.toContain(apiKey);
  });

  it('refuses a check with nothing to check', async () => {
    const response = await post('/api/providers/check', {});
    expect(response.status).toBe(400);
  });
});
