import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { trackChild } from '../../support/child-processes.ts';
import { WORKER_BUNDLE } from '../../support/test-build.ts';

const WORKER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'worker-process.ts');
const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Every JSON line printed so far. */
  lines: Array<Record<string, unknown>>;
  /** Resolves with the first line matching `test`. */
  waitFor(test: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/**
 * A worker in a real child process: the bundle the global setup built, or the script under tsx
 * when there is none (`REQASE_TEST_NO_BUNDLE=1`).
 */
export function startWorkerProcess(options: Record<string, unknown>): WorkerProcess {
  const script = existsSync(WORKER_BUNDLE) ? [WORKER_BUNDLE] : ['--import', 'tsx', WORKER_SCRIPT];
  const child = spawn(process.execPath, [...script, JSON.stringify(options)], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  trackChild(child);
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    test: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code !== 0 && signal === null) process.stderr.write(`worker process failed:\n${stderr}\n`);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    lines,
    exited,
    waitFor(test) {
      const found = lines.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve });
        void exited.then(() =>
          reject(new Error(`the worker exited before printing the line awaited:\n${stderr}`)),
        );
      });
    },
  };
}

/** Kills every worker process still running (after a failed test). */
export function killWorkerProcesses(): void {
  for (const child of children) child.kill('SIGKILL');
}
