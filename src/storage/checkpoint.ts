import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer looks at the write-ahead log, in milliseconds. */
const POLL_INTERVAL_MILLISECONDS = 200;

/**
 * The worker's code, evaluated (not a file): it needs no entry in the CLI bundle or dist/, and
 * loads better-sqlite3 from the path the parent resolved. It runs a PASSIVE checkpoint whenever
 * the -wal file changed since the last look, and a TRUNCATE checkpoint when asked to close.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driverPath);
const connection = new Database(workerData.path, { timeout: workerData.busyTimeoutMilliseconds });
connection.pragma('wal_autocheckpoint = 0');
const walPath = workerData.path + '-wal';
let lastSeen = '';
function walState() {
  try { const stats = statSync(walPath); return stats.size + ':' + stats.mtimeMs; } catch { return ''; }
}
function checkpoint(mode) {
  try { return connection.pragma('wal_checkpoint(' + mode + ')')[0]; } catch (error) { return { error: String(error && error.message) }; }
}
const timer = setInterval(() => {
  const state = walState();
  if (state === lastSeen) return;
  const result = checkpoint('PASSIVE');
  lastSeen = walState();
  parentPort.postMessage({ kind: 'checkpointed', result });
}, workerData.pollIntervalMilliseconds);
parentPort.on('message', (message) => {
  if (message.kind !== 'close') return;
  clearInterval(timer);
  const result = checkpoint('TRUNCATE');
  connection.close();
  parentPort.postMessage({ kind: 'closed', result });
  parentPort.close();
});
parentPort.postMessage({ kind: 'ready' });
`;

export interface CheckpointerLogger {
  debug?(details: Record<string, unknown>, message: string): void;
}

/** Checkpoints a SQLite WAL database from a worker thread, off the writer's event loop. */
export interface Checkpointer {
  /** Runs a last TRUNCATE checkpoint and stops the worker. Call after the main connection closed. */
  close(): Promise<void>;
}

/**
 * Starts the checkpoint worker for the SQLite file at `path`. `onFailure` is called (once) when
 * the worker cannot start or stops on an error: the caller turns automatic checkpoints back on.
 * Never throws; the worker never keeps the process alive.
 */
export function startCheckpointer(options: {
  path: string;
  busyTimeoutMilliseconds: number;
  logger?: CheckpointerLogger;
  onFailure: () => void;
  /** Called once the worker has its connection open and checkpoints. */
  onReady?: () => void;
  onCheckpoint?: (result: unknown) => void;
}): Checkpointer {
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    options.logger?.debug?.(
      { error: (error as Error)?.message ?? String(error) },
      'SQLite checkpoint worker unavailable: automatic checkpoints are back on',
    );
    options.onFailure();
  };
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path: options.path,
        driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
        busyTimeoutMilliseconds: options.busyTimeoutMilliseconds,
        pollIntervalMilliseconds: POLL_INTERVAL_MILLISECONDS,
      },
    });
  } catch (error) {
    fail(error);
    return { close: async () => undefined };
  }
  worker.unref();
  let exited = false;
  let closing = false;
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  worker.on('error', fail);
  worker.on('message', (message: { kind: string; result?: unknown }) => {
    if (message.kind === 'checkpointed') options.onCheckpoint?.(message.result);
    else if (message.kind === 'ready' && !closing) options.onReady?.();
  });
  void exit.then(() => {
    if (!closing) fail(new Error('the checkpoint worker stopped'));
  });
  return {
    async close() {
      if (closing) return exit;
      closing = true;
      if (exited) return;
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (message: { kind: string }) => {
          if (message.kind === 'closed') resolve();
        });
      });
      worker.postMessage({ kind: 'close' });
      await Promise.race([closed, exit]);
      await worker.terminate();
    },
  };
}
