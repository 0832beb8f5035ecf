/**
 * Child processes of the benchmarks (bulk workers, the API server): started with Node's own
 * binary, their JSON stdout lines collected, their stderr kept for error messages, and every one
 * killed at the end even when a benchmark throws.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BenchChild {
  child: ChildProcess;
  /** Every stdout line that parsed as a JSON object, in order. */
  lines: Array<Record<string, unknown>>;
  /** The last 20,000 characters of stderr. */
  stderr(): string;
  /** Resolves with the first line (JSON stdout, or raw stderr text with `stderrLine`) matching `test`. */
  waitFor(
    test: (line: Record<string, unknown>) => boolean,
    timeoutMilliseconds: number,
  ): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMilliseconds` if still running. */
  stop(graceMilliseconds?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
// A benchmark that throws leaves no process behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `node <args>` in the project root. Stderr lines are also offered to `waitFor` as
 * `{ stderrLine: text }`, so a server announcing its URL on stderr can be awaited.
 */
export function startChild(args: string[], env: NodeJS.ProcessEnv = process.env): BenchChild {
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    test: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }> = [];
  let stderr = '';
  const offer = (line: Record<string, unknown>) => {
    for (const waiter of [...waiters]) {
      if (waiter.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  createInterface({ input: child.stderr! }).on('line', (text) => {
    stderr = (stderr + text + '\n').slice(-20_000);
    offer({ stderrLine: text });
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    offer(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(test, timeoutMilliseconds) {
      const found = lines.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `a child process did not print the awaited line within ${timeoutMilliseconds} ms:\n${stderr}`,
            ),
          );
        }, timeoutMilliseconds);
        waiters.push({
          test,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(
            new Error(
              `a child process exited (${code ?? signal}) before printing the awaited line:\n${stderr}`,
            ),
          );
        });
      });
    },
    async stop(graceMilliseconds = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMilliseconds);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Resident memory of a process in bytes, and its peak (Linux `/proc`; undefined elsewhere).
 */
export function residentMemory(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const rss = kilobytes('VmRSS');
    const peak = kilobytes('VmHWM');
    return Number.isFinite(rss) ? { rss: rss * 1024, peak: peak * 1024 } : undefined;
  } catch {
    return undefined;
  }
}
