import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { trackChild } from './child-processes.ts';

const root = join(import.meta.dirname, '..', '..');
const bundled = join(root, '.test-build', 'cli', 'main.js');

/**
 * The script that runs `reqase`: the CLI bundled by the global setup (test/support/global-setup.ts)
 * when it is there, else `bin/reqase.js` (a single file run outside `npm test`'s setup).
 */
export function reqaseEntry(): string {
  return existsSync(bundled) ? bundled : join(root, 'bin', 'reqase.js');
}

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ReqaseProcessOptions {
  /** Working directory of the command. Default: the repository. */
  cwd?: string;
  /** `REQASE_DATA_DIR` of the command: every test gets its own. */
  dataDirectory: string;
  /** Variables added to a minimal environment (PATH, HOME, NO_COLOR, REQASE_DATA_DIR). */
  env?: Record<string, string>;
  /** Written to standard input, which is otherwise closed. */
  input?: string | Buffer;
  /** HOME of the command. Default: this process's. */
  home?: string;
}

/** Runs the real `reqase …` in a child process as a user would, and collects its exit code and output. */
export function runReqase(args: string[], options: ReqaseProcessOptions): Promise<CommandRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [reqaseEntry(), ...args], {
      cwd: options.cwd ?? root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: options.home ?? process.env.HOME ?? '',
        REQASE_DATA_DIR: options.dataDirectory,
        NO_COLOR: '1',
        ...options.env,
      },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // Its own process group, killed whole when the test ends (also on a timeout).
      detached: true,
    });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
