/**
 * `reqase serve --processes 2` on SQLite, through the real command: two server processes behind
 * one port, one flow driven across both (a project made through one is read through the other),
 * and SIGTERM to the primary ends every process. Which process answered is read off the request
 * log (pino's `pid` with the `X-Request-Id` each answer carries).
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startChild, type TestChild } from '../support/child-processes.ts';
import { reqaseEntry } from '../support/reqase-process.ts';

interface Answer {
  status: number;
  requestId: string;
  body: string;
}

/** One request on a connection of its own (no keep-alive), so the primary hands each to a process. */
function send(url: string, path: string, method = 'GET', body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(
      `${url}${path}`,
      {
        method,
        agent: false,
        headers: text === undefined ? {} : { 'content-type': 'application/json' },
      },
      (incoming) => {
        let received = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (received += chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            requestId: String(incoming.headers['x-request-id'] ?? ''),
            body: received,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(text);
  });
}

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // The parent is the fourth field, after the command in parentheses.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}

/** The pid that logged each request id, from the JSON request log on standard error. */
function servedBy(stderr: string): Map<string, number> {
  const served = new Map<string, number>();
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { requestId?: string; pid?: number; msg?: string };
    if (entry.msg === 'request' && entry.requestId && entry.pid) served.set(entry.requestId, entry.pid);
  }
  return served;
}

describe('reqase serve --processes', { timeout: 120_000 }, () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  function serve(args: string[], env: Record<string, string> = {}): TestChild {
    const directory = mkdtempSync(join(tmpdir(), 'reqase-serve-processes-'));
    directories.push(directory);
    return startChild(process.execPath, [reqaseEntry(), 'serve', '--port', '0', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: directory,
        REQASE_DATA_DIR: directory,
        NO_COLOR: '1',
        ...env,
      },
    });
  }

  it('serves one workspace from two processes on one port, and SIGTERM ends them all', async () => {
    const server = serve(['--processes', '2']);
    const line = await server.waitForLine(/serving on http:\/\/\S+/);
    expect(line).toContain('2 processes');
    const url = /serving on (http:\/\/\S+?) /.exec(line)![1]!;
    const primary = server.process.pid!;
    const processes = childrenOf(primary);
    expect(processes).toHaveLength(2);

    const created = await send(url, '/api/projects', 'POST', { name: 'Shop' });
    expect(created.status).toBe(201);
    const reads: Answer[] = [];
    for (let index = 0; index < 6; index += 1) reads.push(await send(url, '/api/projects/Shop'));
    expect(reads.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(reads.every((answer) => (JSON.parse(answer.body) as { name: string }).name === 'Shop')).toBe(true);

    // Both processes answered, each from the same database (the log line of an answer is written
    // before its last byte is sent, so it is there once every answer has been read).
    await server.waitForLine(new RegExp(reads.at(-1)!.requestId));
    const served = servedBy(server.stderr());
    const answeredBy = new Set([created, ...reads].map((answer) => served.get(answer.requestId)));
    expect([...answeredBy].sort()).toEqual([...processes].sort());

    server.signal('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(processes.filter((pid) => childrenOf(primary).includes(pid))).toEqual([]);
    for (const pid of processes) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('refuses a number of processes that is not one', async () => {
    const server = serve([], { REQASE_SERVE_PROCESSES: 'two' });
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain(
      '"two" is not a number of server processes (from REQASE_SERVE_PROCESSES)',
    );
    expect(server.stderr()).toContain('--processes 2');
  });

  it('says when another program holds the port, with one process and with several', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      for (const args of [[], ['--processes', '2']]) {
        const server = serve(['--port', String(port), ...args]);
        expect(await server.exited).toBe(1);
        expect(server.stderr()).toContain(`Another program already listens on 127.0.0.1:${port}.`);
        expect(server.stderr()).toContain('--port 0 picks a free one');
        expect(server.stderr()).not.toContain('Unexpected error');
      }
    } finally {
      holder.close();
    }
  });

  it('stops every process and exits 1 when one of them dies', async () => {
    const server = serve(['--processes', '2']);
    await server.waitForLine(/serving on http:\/\/\S+/);
    const processes = childrenOf(server.process.pid!);
    expect(processes).toHaveLength(2);
    process.kill(processes[0]!, 'SIGKILL');
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('A server process ended (SIGKILL); stopping the others.');
    for (const pid of processes) expect(() => process.kill(pid, 0)).toThrow();
  });
});
