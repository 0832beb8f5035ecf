import { vi } from 'vitest';
import { runReqaseCli } from '../../src/cli/program.ts';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `reqase …args` in this process through `runReqaseCli` (the function `bin/reqase.js`
 * calls), capturing standard output and error. Quick (no process start, no `tsx`); the
 * environment is this process's, so set `REQASE_DATA_DIR` (e.g. `vi.stubEnv`) first.
 */
export async function runReqaseInProcess(args: string[]): Promise<InProcessRun> {
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  let stdout = '';
  let stderr = '';
  const capture = (append: (text: string) => void) => (chunk: string | Uint8Array) => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)));
  const error = vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)));
  try {
    const code = await runReqaseCli(['node', 'reqase', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    error.mockRestore();
    process.exitCode = previousExitCode;
  }
}
