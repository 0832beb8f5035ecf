/**
 * The real server over a stored workspace on SQLite (a temporary data directory) or PostgreSQL
 * (a new random schema, dropped afterwards), for suites that must hold on both databases.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace, workspaceTokens } from '../../src/app/workspace/index.ts';
import { POSTGRES_URL, TEST_SECRET_KEY, type TestDialect } from '../storage/storage-setup.ts';
import { startTestServer, type TestServer } from './server-setup.ts';

export interface WorkspaceServer {
  server: TestServer;
  workspace: Workspace;
  /** `fetch` on the server with a JSON body when one is given. */
  call(method: string, path: string, body?: unknown): Promise<Response>;
  dispose(): Promise<void>;
}

export async function startWorkspaceServer(dialect: TestDialect): Promise<WorkspaceServer> {
  const first = await startTestServer();
  await first.close();
  const schema = `reqase_test_${randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = {
    REQASE_DATA_DIR: first.dataDirectory,
    ...(dialect === 'postgres' ? { DATABASE_URL: POSTGRES_URL } : {}),
  };
  const workspace = openWorkspace(resolveSettings(env, first.dataDirectory), {
    secretKey: TEST_SECRET_KEY,
    ...(dialect === 'postgres' ? { postgresSchema: schema } : {}),
  });
  const tokens = workspaceTokens(workspace);
  const server = await startTestServer({ workspace: { workspace, tokens }, tokens, env });
  return {
    server,
    workspace,
    call: (method, path, body) =>
      fetch(`${server.url}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      }),
    async dispose() {
      await server.dispose();
      await workspace.close();
      rmSync(first.dataDirectory, { recursive: true, force: true });
      if (dialect === 'postgres') {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      }
    },
  };
}
