/**
 * Child processes for tests that end with the test, whatever happens: each child leads its own
 * process group (`detached`), is registered when started, and the whole group is killed when the
 * test finishes — passed, failed or timed out — so nothing is left running (a `reqase` that
 * spawned its own children included). Waiting is on events (a line, the exit), never on time.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface TestChild {
  process: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first line of stdout or stderr matching `pattern` (rejects if the child exits first). */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (or the signal's name) once the child has exited. */
  exited: Promise<number | string>;
  /** Sends a signal to the child's whole process group. */
  signal(signal: NodeJS.Signals): void;
}

const running = new Set<ChildProcess>();
/** Children that end with the current test (see `test/support/end-children.ts`). */
const endingWithTest = new Set<ChildProcess>();

/** Kills the process group of every child still running (used by the hooks and at exit). */
export function killAllChildren(): void {
  for (const child of running) killGroup(child, 'SIGKILL');
}

/** Kills the children started during the current test; run after each test by the setup file. */
export async function killTestChildren(): Promise<void> {
  const children = [...endingWithTest];
  endingWithTest.clear();
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          killGroup(child, 'SIGKILL');
        }),
    ),
  );
}

/**
 * Registers a child spawned elsewhere (with `detached: true`, so it leads its own process group)
 * to be killed with its group when the current test ends, or with the file.
 */
export function trackChild(child: ChildProcess, endWith: 'test' | 'file' = 'test'): void {
  running.add(child);
  if (endWith === 'test') endingWithTest.add(child);
  child.once('close', () => {
    running.delete(child);
    endingWithTest.delete(child);
  });
}

process.once('exit', killAllChildren);

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Starts a child in its own process group; the group is killed when the current test finishes
 * (`endWith: 'test'`, the default) or when the file's tests are done (`'file'`, for a child
 * started in `beforeAll`), by the hooks of test/support/end-children.ts.
 *
 * @example
 * const server = startChild(process.execPath, ['bin/reqase.js', 'serve', '--port', '0']);
 * const line = await server.waitForLine(/serving on (\S+)/);
 */
export function startChild(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { endWith?: 'test' | 'file' } = {},
): TestChild {
  const { endWith = 'test', ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions, detached: true });
  trackChild(child, endWith);
  let stdout = '';
  let stderr = '';
  const lineWaiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const offer = (text: string): void => {
    for (const waiter of lineWaiters) {
      const line = text.split('\n').find((candidate) => waiter.pattern.test(candidate));
      if (line !== undefined) {
        lineWaiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    offer(stdout);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    offer(stderr);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', () => resolve('spawn-error'));
    child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    signal: (signal) => killGroup(child, signal),
    waitForLine: (pattern) =>
      new Promise<string>((resolve, reject) => {
        const already = `${stdout}\n${stderr}`.split('\n').find((line) => pattern.test(line));
        if (already !== undefined) return resolve(already);
        const waiter = { pattern, resolve };
        lineWaiters.add(waiter);
        void exited.then((code) => {
          if (!lineWaiters.has(waiter)) return;
          lineWaiters.delete(waiter);
          reject(
            new Error(`The process exited (${code}) before printing a line matching ${pattern}.\n${stderr}`),
          );
        });
      }),
  };
}
