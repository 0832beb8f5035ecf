import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

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

/** Runs the real `node bin/reqase.js …` as a user would, and collects its exit code and output. */
export function runReqase(args: string[], options: ReqaseProcessOptions): Promise<CommandRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'reqase.js'), ...args], {
      cwd: options.cwd ?? root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: options.home ?? process.env.HOME ?? '',
        REQASE_DATA_DIR: options.dataDirectory,
        NO_COLOR: '1',
        ...options.env,
      },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
