import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workspace } from '../../src/app/workspace/index.ts';
import { seedAcceptedCases } from '../connectors/connectors-support.ts';
import { fakeJiraStories, startFakeJira, type FakeJira } from '../support/fake-jira.ts';
import { startFakeTestRail, type FakeTestRail } from '../support/fake-testrail.ts';
import { type TestServer, startWorkspaceServer } from './server-setup.ts';

const API_KEY = 'testrail-api-key-0123456789';
const JIRA_TOKEN = 'jira-api-token-0123456789';

let server: TestServer;
let workspace: Workspace;
let testrail: FakeTestRail;
let jira: FakeJira;

beforeAll(async () => {
  testrail = await startFakeTestRail({ apiKey: API_KEY, requestsPerMinute: 1_000_000 });
  jira = await startFakeJira({ token: JIRA_TOKEN, issues: fakeJiraStories('SHOP', 3) });
  const started = await startWorkspaceServer();
  server = started;
  workspace = started.workspace;
  await seedAcceptedCases(await workspace.storage(), 4, 5);
});

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
  await testrail?.close();
  await jira?.close();
});

function call(method: string, path: string, body?: unknown) {
  return fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('connector routes over real HTTP', { timeout: 120_000 }, () => {
  it('stores connections with the secret write-only: every answer shows it masked', async () => {
    const added = await call('POST', '/api/connections', {
      name: 'team-testrail',
      kind: 'testrail',
      baseUrl: testrail.url,
      settings: { user: 'qa@example.com', projectId: '1', requestsPerMinute: '100000' },
      secret: API_KEY,
    });
    expect(added.status).toBe(201);
    const addedText = await added.text();
    expect(addedText).not.toContain(API_KEY);
    expect(JSON.parse(addedText)).toMatchObject({
      name: 'team-testrail',
      secretMasked: '…6789',
      hasSecret: true,
    });
    const listed = await call('GET', '/api/connections');
    const listedText = await listed.text();
    expect(listedText).not.toContain(API_KEY);
    expect(server.log()).not.toContain(API_KEY);

    const jiraAdded = await call('POST', '/api/connections', {
      name: 'team-jira',
      kind: 'jira',
      baseUrl: jira.url,
      settings: { user: 'qa@example.com' },
      secret: JIRA_TOKEN,
    });
    expect(jiraAdded.status).toBe(201);
  });

  it('imports stories from Jira', async () => {
    await call('POST', '/api/projects', { name: 'Jira' });
    const response = await call('POST', '/api/projects/Jira/stories/import-jira', {
      connection: 'team-jira',
      jql: 'project = SHOP',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { issues: number; stories: unknown[] };
    expect(body.issues).toBe(3);
    expect(body.stories).toHaveLength(3);
  });

  it('previews, pushes with per-case results, reports status and lists the job', async () => {
    const preview = await call('POST', '/api/projects/Shop/push', {
      to: 'testrail',
      connection: 'team-testrail',
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    const previewBody = (await preview.json()) as { jobId: null; cases: Array<{ outcome: string }> };
    expect(previewBody.jobId).toBeNull();
    expect(previewBody.cases.every((item) => item.outcome === 'would-create')).toBe(true);
    expect(testrail.cases.size).toBe(0);

    const pushed = await call('POST', '/api/projects/Shop/push', {
      to: 'testrail',
      connection: 'team-testrail',
    });
    expect(pushed.status).toBe(200);
    const body = (await pushed.json()) as {
      jobId: string;
      counts: { created: number };
      cases: Array<{ outcome: string; externalKey: string }>;
    };
    expect(body.counts.created).toBe(20);
    expect(body.cases.every((item) => item.outcome === 'created' && /^C\d+$/.test(item.externalKey))).toBe(
      true,
    );
    expect(testrail.cases.size).toBe(20);

    const status = await call('GET', '/api/projects/Shop/push/status?to=testrail&connection=team-testrail');
    expect(status.status).toBe(200);
    const statusBody = (await status.json()) as { cases: Array<{ state: string }> };
    expect(statusBody.cases.every((item) => item.state === 'up-to-date')).toBe(true);

    const jobs = (await (await call('GET', '/api/projects/Shop/push/jobs')).json()) as {
      jobs: Array<{ id: string; status: string }>;
    };
    expect(jobs.jobs[0]).toMatchObject({ id: body.jobId, status: 'completed' });
    const resumed = await call('POST', `/api/push-jobs/${body.jobId}/resume`);
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as { counts: { unchanged: number } }).counts.unchanged).toBe(20);
    expect(testrail.cases.size).toBe(20);
  });

  it('wrong credentials answer 502 with the connector error and its fix', async () => {
    await call('POST', '/api/connections', {
      name: 'wrong-testrail',
      kind: 'testrail',
      baseUrl: testrail.url,
      settings: { user: 'qa@example.com', projectId: '1' },
      secret: 'wrong-key-0000000000',
    });
    const response = await call('POST', '/api/projects/Shop/push', {
      to: 'testrail',
      connection: 'wrong-testrail',
    });
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).not.toContain('wrong-key-0000000000');
    const body = JSON.parse(text) as { error: { code: string; fix: string } };
    expect(body.error.code).toBe('connector_authentication');
    expect(body.error.fix).toMatch(/API key/);
  });

  it('an unknown target is a 400 naming the field', async () => {
    const response = await call('POST', '/api/projects/Shop/push', { to: 'zephyr' });
    expect(response.status).toBe(400);
  });
});
