import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { pino } from 'pino';
import {
  resolveSettings,
  ensureWebAppBuilt,
  findPackageRoot,
  loadWorkspace,
  workspaceTokens,
} from '../app/index.ts';
import { authenticationRequiredFor, startServer } from '../server/index.ts';
import { ConfigurationError } from '../shared/errors.ts';
import { runCommand } from './run-command.ts';
import { isServeProcess, reportListening, runServeProcesses } from './serve-processes.ts';
import { usageError } from './workspace-command.ts';

interface ServeFlags {
  port: string;
  host: string;
  allowedHost?: string[];
  processes?: string;
}

const collectHosts = (value: string, previous: string[] = []) => [...previous, value];

/** `reqase serve`: the HTTP API and the web app, from one process or from `--processes N`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the HTTP API and the web app (SQLite by default, PostgreSQL with DATABASE_URL)')
    .option('--port <n>', 'port to listen on', '4173')
    .option('--host <address>', 'address to bind; beyond loopback an API token is required', '127.0.0.1')
    .option(
      '--allowed-host <name>',
      'a host name the server answers to besides localhost, 127.0.0.1 and [::1] (repeatable; default REQASE_ALLOWED_HOSTS, comma-separated)',
      collectHosts,
    )
    .option(
      '--processes <n>',
      'server processes sharing the port, one per core to use (default REQASE_SERVE_PROCESSES, else 1)',
    )
    .action(async (flags: ServeFlags) => {
      await runCommand(() => serve(flags));
      // A server process stays alive while its channel to the primary is open, and closing the
      // channel ends it with code 0: it exits with its own code instead, after serving or after an
      // error (everything is closed by then; its standard error is a pipe, written synchronously).
      if (isServeProcess()) process.exit();
    });
}

/** Serves in this process, or starts `--processes` server processes and waits for them. */
async function serve(flags: ServeFlags): Promise<number | void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageError(
      `--port must be a port number, got "${flags.port}".`,
      'Give e.g. --port 4173 (0 picks a free port).',
    );
  }
  await ensureWebAppBuilt({
    packageRoot: findPackageRoot(import.meta.dirname),
    onProgress: (event) =>
      process.stderr.write(
        event.kind === 'web-build-start'
          ? 'Building the web app (first start only)…\n'
          : `Built the web app in ${(event.milliseconds / 1000).toFixed(1)} s.\n`,
      ),
  });
  const settings = resolveSettings();
  const allowedHosts = resolveAllowedHosts(flags.allowedHost, settings.env.REQASE_ALLOWED_HOSTS);
  const processes = resolveProcesses(flags.processes, settings.env.REQASE_SERVE_PROCESSES);
  const workspace = await loadWorkspace(settings);
  const tokens = workspaceTokens(workspace);
  const authenticationRequired = authenticationRequiredFor(flags.host);
  if (authenticationRequired && (await tokens.list()).length === 0) {
    await workspace.close();
    throw new ConfigurationError(
      `Refusing to serve on ${flags.host} without authentication: no API token exists yet.`,
      {
        fix: 'Run `reqase token create NAME` first (then send it as `Authorization: Bearer <token>`, or paste it into the web login), or bind to 127.0.0.1.',
      },
    );
  }
  const announce = (url: string, suffix = '') =>
    process.stderr.write(
      `Reqase Lite is serving on ${url} (API reference: ${url}/api/docs)` +
        `${authenticationRequired ? '; API tokens required' : ''}${suffix}. Press Ctrl+C to stop.\n`,
    );
  if (processes > 1 && !isServeProcess()) {
    // The database was opened once above (migrations run, tokens read) before the processes start.
    await workspace.close();
    return runServeProcesses({
      processes,
      onListening: (url) => announce(url, `; ${processes} processes`),
    });
  }
  const server = await startServer({
    ...(process.stderr.isTTY ? { logger: readableLogger(settings.env.REQASE_LOG_LEVEL) } : {}),
    settings,
    host: flags.host,
    port,
    authenticationRequired,
    allowedHosts,
    tokens,
    workspace: { workspace, tokens },
  }).catch(async (error: unknown) => {
    await workspace.close();
    throw listenError(error, flags.host, port);
  });
  if (isServeProcess()) reportListening(server.url);
  else announce(server.url);
  await untilStopped(server, workspace);
}

/**
 * Resolves once the server and the workspace have closed after Ctrl+C or SIGTERM (or, in a server
 * process, once its primary is gone).
 */
function untilStopped(
  server: { close(): Promise<unknown> },
  workspace: { close(): Promise<unknown> },
): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      // A server process gets Ctrl+C from the terminal and SIGTERM from its primary: the first
      // stops it, the others are ignored. Alone, a second Ctrl+C ends the process at once.
      if (stopping) return;
      stopping = true;
      if (!isServeProcess()) {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      void server
        .close()
        .then(() => workspace.close())
        .finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // A server process whose primary is gone stops too: no connection reaches it any more.
    if (isServeProcess()) process.on('disconnect', stop);
  });
}

/** What the system said when the server could not listen, as an error that says what to do. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return new ConfigurationError(`Another program already listens on ${host}:${port}.`, {
      fix: `Stop it, or serve on another port: --port ${port === 65535 ? 4173 : port + 1} (--port 0 picks a free one).`,
    });
  }
  if (code === 'EACCES') {
    return new ConfigurationError(`This user may not listen on ${host}:${port}.`, {
      fix: 'Use a port above 1023, e.g. --port 4173, or run with the right to bind low ports.',
    });
  }
  if (code === 'EADDRNOTAVAIL') {
    return new ConfigurationError(`${host} is not an address of this machine.`, {
      fix: 'Give one of its addresses with --host, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every address).',
    });
  }
  return error;
}

/** `--processes` when given, else `REQASE_SERVE_PROCESSES`, else 1: a whole number from 1 to 64. */
function resolveProcesses(flag: string | undefined, environment: string | undefined): number {
  const text = (flag ?? environment ?? '1').trim();
  const count = Number(text);
  if (!/^\d+$/.test(text) || count < 1 || count > 64) {
    throw usageError(
      `"${text}" is not a number of server processes (from ${flag === undefined ? 'REQASE_SERVE_PROCESSES' : '--processes'}).`,
      'Give a whole number from 1 to 64, e.g. --processes 2 on a machine with two cores.',
    );
  }
  return count;
}

/** `--allowed-host` values when given, else `REQASE_ALLOWED_HOSTS` (comma-separated); plain host names only. */
function resolveAllowedHosts(flagValues: string[] | undefined, environment: string | undefined): string[] {
  const fromFlags = (flagValues ?? []).map((value) => value.trim()).filter(Boolean);
  const names = fromFlags.length
    ? fromFlags
    : (environment ?? '')
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean);
  for (const name of names) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d+)?$/i.test(name)) {
      throw usageError(
        `"${name}" is not a host name (from ${fromFlags.length ? '--allowed-host' : 'REQASE_ALLOWED_HOSTS'}).`,
        'Give a bare host name such as reqase.example.com, without scheme or path.',
      );
    }
  }
  return names;
}

/**
 * On a terminal, one readable line per request ("14:02:11 GET /api/projects 200 3 ms") instead of
 * pino's JSON, which stays the format for files, pipes and log collectors.
 */
function readableLogger(level = 'info'): pino.Logger {
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          const time = new Date(Number(entry.time)).toTimeString().slice(0, 8);
          const request =
            entry.method !== undefined
              ? `${String(entry.method)} ${String(entry.path)} ${String(entry.status)} ${String(entry.ms)} ms`
              : String(entry.msg ?? '');
          const detail = entry.err ? ` ${JSON.stringify(entry.err)}` : '';
          process.stderr.write(`${time} ${request}${detail}\n`);
        } catch {
          process.stderr.write(`${line}\n`);
        }
      }
      done();
    },
  });
  return pino({ level }, lines);
}
