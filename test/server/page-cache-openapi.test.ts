/**
 * The OpenAPI document declares what the page cache adds to the routes it keeps: the
 * `If-None-Match` header, the page's `ETag` and the 304 answer — and only on those routes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkspaceServer, type WorkspaceServer } from './workspace-server.ts';

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, { headers?: Record<string, unknown> }>;
}

let served: WorkspaceServer;

beforeAll(async () => {
  served = await startWorkspaceServer('sqlite');
});
afterAll(async () => {
  await served?.dispose();
});

async function document(): Promise<{ paths: Record<string, { get?: Operation }> }> {
  const response = await served.call('GET', '/api/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as { paths: Record<string, { get?: Operation }> };
}

it('declares 304, ETag and If-None-Match on the cached routes, once however often it is asked for', async () => {
  await document();
  const { paths } = await document();
  for (const path of [
    '/api/projects/{project}',
    '/api/projects/{project}/stories',
    '/api/projects/{project}/test-cases',
  ]) {
    const operation = paths[path]!.get!;
    expect(operation.responses['304'], path).toBeDefined();
    expect(operation.responses['200']!.headers, path).toHaveProperty('ETag');
    expect(
      operation.parameters?.filter((parameter) => parameter.name === 'If-None-Match'),
      path,
    ).toEqual([expect.objectContaining({ in: 'header' })]);
  }
  expect(paths['/api/projects']!.get!.responses['304']).toBeUndefined();
  expect(paths['/api/projects/{project}/stories/{key}']!.get!.responses['304']).toBeUndefined();
});
