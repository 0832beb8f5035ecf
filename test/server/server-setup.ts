/**
 * Starts the real server on 127.0.0.1, port 0, with a temporary data directory, an in-memory
 * token verifier and a log captured in memory (to search it for keys).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, workspaceTokens, type Workspace } from '../../src/app/workspace/index.ts';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/index.ts';

export interface TestServer extends RunningServer {
  /** Everything the server logged, one JSON line per entry. */
  log(): string;
  dataDirectory: string;
  dispose(): Promise<void>;
}

export const validToken = 'rql_test-token-0123456789abcdefghijklmnop';

export async function startTestServer(
  options: Partial<StartServerOptions> & { env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-server-'));
  let logged = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logged += chunk.toString();
      callback();
    },
  });
  const server = await startServer({
    settings: resolveSettings({ REQASE_DATA_DIR: dataDirectory, ...options.env }, dataDirectory),
    authenticationRequired: false,
    tokens: {
      verify: async (token) => (token === validToken ? { id: 'token-1', name: 'tests' } : undefined),
    },
    logger: pino({ level: 'info' }, stream),
    webDirectory: join(dataDirectory, 'no-web-build'),
    host: '127.0.0.1',
    port: 0,
    ...options,
  });
  return {
    ...server,
    dataDirectory,
    log: () => logged,
    async dispose() {
      await server.close();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

/**
 * The real server on a workspace of its own (projects, stories, cases, tokens), with the workspace
 * open in the test too, to seed it or read what the server stored. \`dispose\` stops the server,
 * closes the workspace and removes its directory.
 *
 * @example
 * const server = await startWorkspaceServer();
 * await server.workspace.projects.create({ name: 'Shop' });
 */
export async function startWorkspaceServer(
  options: Partial<StartServerOptions> & { env?: Record<string, string> } = {},
): Promise<TestServer & { workspace: Workspace; workspaceDirectory: string }> {
  const workspaceDirectory = mkdtempSync(join(tmpdir(), 'reqase-workspace-'));
  const workspace = openWorkspace(
    resolveSettings({ REQASE_DATA_DIR: workspaceDirectory }, workspaceDirectory),
  );
  try {
    const tokens = workspaceTokens(workspace);
    const server = await startTestServer({
      workspace: { workspace, tokens },
      tokens,
      ...options,
      env: { REQASE_DATA_DIR: workspaceDirectory, ...options.env },
    });
    return {
      ...server,
      workspace,
      workspaceDirectory,
      async dispose() {
        await server.dispose();
        await workspace.close();
        rmSync(workspaceDirectory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await workspace.close();
    rmSync(workspaceDirectory, { recursive: true, force: true });
    throw error;
  }
}

/** Reads a server-sent event stream, calling `onEvent` as each event arrives. */
export async function readEvents(
  response: Response,
  onEvent: (event: { event: string; data: unknown }) => void,
): Promise<Array<{ event: string; data: unknown }>> {
  const events: Array<{ event: string; data: unknown }> = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length === 0) continue;
      const event = { event: name, data: JSON.parse(data.join('\n')) as unknown };
      events.push(event);
      onEvent(event);
    }
  }
  return events;
}
