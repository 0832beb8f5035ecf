/**
 * DNS rebinding: a loopback server answers only to localhost, 127.0.0.0/8, [::1] and the names
 * given with `--allowed-host` / `REQASE_ALLOWED_HOSTS`; any other Host header gets 421 with a fix.
 * A server that requires a token checks the Host only when names are given. Over real HTTP
 * (node:http, since fetch does not let a caller set Host), and through the real `reqase serve`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace, workspaceTokens } from '../../src/app/workspace/index.ts';
import { startTestServer, validToken, type TestServer } from '../server/server-setup.ts';
import { reqaseEntry } from '../support/reqase-process.ts';

interface Answer {
  status: number;
  body: string;
}

/** One request to `url`'s address with the given Host header. */
function send(
  url: string,
  path: string,
  host: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        hostname: target.hostname,
        port: target.port,
        path,
        method: options.method ?? 'GET',
        headers: { host, ...options.headers },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

describe('a loopback server and the Host header', () => {
  let server: TestServer;
  let workspace: Workspace;
  let port: string;

  beforeAll(async () => {
    const created = await startTestServer();
    await created.close();
    workspace = openWorkspace(
      resolveSettings({ REQASE_DATA_DIR: created.dataDirectory }, created.dataDirectory),
    );
    const tokens = workspaceTokens(workspace);
    server = await startTestServer({
      workspace: { workspace, tokens },
      tokens,
      allowedHosts: ['reqase.lan'],
    });
    port = new URL(server.url).port;
  });

  afterAll(async () => {
    await server?.dispose();
    await workspace?.close();
  });

  it('refuses another host name with 421 and a fix, for reads and writes', async () => {
    const read = await send(server.url, '/api/tokens', `attacker.example:${port}`);
    expect(read.status).toBe(421);
    const error = (JSON.parse(read.body) as { error: { code: string; fix: string } }).error;
    expect(error.code).toBe('host_not_allowed');
    expect(error.fix).toMatch(/--allowed-host attacker\.example/);

    const write = await send(server.url, '/api/tokens', `attacker.example:${port}`, {
      method: 'POST',
      headers: { origin: `http://attacker.example:${port}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'stolen' }),
    });
    expect(write.status).toBe(421);
    const listed = await send(server.url, '/api/tokens', `127.0.0.1:${port}`);
    expect(listed.body).not.toContain('stolen');
    expect((await send(server.url, '/', `attacker.example:${port}`)).status).toBe(421);
  });

  it('answers to localhost, 127.0.0.1, [::1] and the allowed names, with any port', async () => {
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      'localhost',
      `REQASE.lan:${port}`,
      'reqase.lan:80',
    ]) {
      expect((await send(server.url, '/api/tokens', host)).status, host).toBe(200);
    }
  });
});

describe('a server requiring a token and the Host header', () => {
  it('leaves the Host alone unless names are given, then refuses others', async () => {
    const open = await startTestServer({ authenticationRequired: true });
    const listed = await startTestServer({ authenticationRequired: true, allowedHosts: ['reqase.lan'] });
    try {
      const authorization = { authorization: `Bearer ${validToken}` };
      expect((await send(open.url, '/api/health', 'anything.example')).status).toBe(200);
      expect(
        (await send(open.url, '/api/session', 'anything.example', { headers: authorization })).status,
      ).toBe(200);
      expect(
        (await send(listed.url, '/api/session', 'anything.example', { headers: authorization })).status,
      ).toBe(421);
      expect((await send(listed.url, '/api/session', 'reqase.lan', { headers: authorization })).status).toBe(
        200,
      );
    } finally {
      await open.dispose();
      await listed.dispose();
    }
  });
});

describe('reqase serve --allowed-host and REQASE_ALLOWED_HOSTS', { timeout: 180_000 }, () => {
  const children: ChildProcess[] = [];
  const directories: string[] = [];

  /** Starts `reqase serve --port 0`, resolving with its URL once it says where it serves. */
  function serve(args: string[], env: Record<string, string> = {}): Promise<string> {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-serve-host-'));
    directories.push(dataDirectory);
    const child = spawn(process.execPath, [reqaseEntry(), 'serve', '--port', '0', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dataDirectory,
        REQASE_DATA_DIR: dataDirectory,
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let stderr = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        stderr += chunk;
        const match = /serving on (http:\/\/\S+?) /.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`reqase serve exited with ${code}: ${stderr}`)));
    });
  }

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  it('answers to the names given, and refuses others', async () => {
    const [withFlag, withEnvironment] = await Promise.all([
      serve(['--allowed-host', 'flag.lan', '--allowed-host', 'second.lan']),
      serve([], { REQASE_ALLOWED_HOSTS: 'env.lan, other.lan' }),
    ]);
    expect((await send(withFlag, '/api/health', 'flag.lan')).status).toBe(200);
    expect((await send(withFlag, '/api/health', 'second.lan:8080')).status).toBe(200);
    expect((await send(withFlag, '/api/health', 'env.lan')).status).toBe(421);
    expect((await send(withEnvironment, '/api/health', 'other.lan')).status).toBe(200);
    expect((await send(withEnvironment, '/api/health', 'attacker.example')).status).toBe(421);
  });
});
