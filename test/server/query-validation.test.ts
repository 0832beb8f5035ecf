/**
 * Every enumerated query parameter of the API answers 400 naming the allowed values when given
 * something else, never 500 (issue 11, item 11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workspace } from '../../src/app/workspace/index.ts';
import { type TestServer, startWorkspaceServer } from './server-setup.ts';

let server: TestServer;
let workspace: Workspace;

beforeAll(async () => {
  const started = await startWorkspaceServer();
  server = started;
  workspace = started.workspace;
  const created = await fetch(`${server.url}/api/projects`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'P' }),
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
});

async function expectRefused(path: string, parameter: string, allowed: string[]): Promise<void> {
  const response = await fetch(`${server.url}${path}`);
  const body = (await response.json()) as { error?: { code?: string; message?: string; fix?: string } };
  expect(response.status, JSON.stringify(body)).toBe(400);
  expect(body.error?.code).toBe('invalid_input');
  expect(body.error?.message).toContain(parameter);
  for (const value of allowed) expect(body.error?.message).toContain(value);
}

describe('query parameters with a fixed set of values', () => {
  const statuses = ['draft', 'accepted', 'rejected'];

  it('refuses an unknown test case status in the case list with 400 naming the statuses', async () => {
    await expectRefused('/api/projects/P/test-cases?status=bogus', 'status', statuses);
    await expectRefused('/api/projects/P/test-cases?status=draft,bogus', 'status', statuses);
  });

  it('refuses an unknown test case status in the export with 400 naming the statuses', async () => {
    await expectRefused('/api/projects/P/export?to=csv&status=bogus', 'status', statuses);
  });

  it('refuses an unknown export target and needsReview value with 400 naming the allowed values', async () => {
    await expectRefused('/api/projects/P/export?to=bogus', 'to', ['xray-json', 'testrail', 'cucumber']);
    await expectRefused('/api/projects/P/test-cases?needsReview=maybe', 'needsReview', ['true', 'false']);
  });

  it('still accepts known statuses, spaces and empty items included', async () => {
    const list = await fetch(`${server.url}/api/projects/P/test-cases?status=draft,%20accepted,`);
    expect(list.status).toBe(200);
    const exported = await fetch(`${server.url}/api/projects/P/export?to=csv&status=accepted`);
    expect(exported.status).toBe(200);
  });

  it('keeps the status parameters documented as strings in the OpenAPI document', async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, { get?: { parameters?: Array<{ name: string; schema?: { type?: string } }> } }>;
    };
    const parameters = document.paths['/api/projects/{project}/test-cases']?.get?.parameters ?? [];
    expect(parameters.find((parameter) => parameter.name === 'status')?.schema?.type).toBe('string');
  });
});
