/** start: wall time of `reqase --help` and `reqase generate --offline`, against a bare `node -e ""`. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type Figure } from './support.ts';

function wallTime(args: string[], env: NodeJS.ProcessEnv, runs: number): number {
  const times: number[] = [];
  for (let index = 0; index <= runs; index += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
    if (index > 0) times.push(performance.now() - started);
  }
  return median(times);
}

export function benchmarkStart(options: { runs: number }): Figure[] {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-bench-'));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, REQASE_DATA_DIR: dataDirectory };
  try {
    const node = wallTime(['-e', ''], env, options.runs);
    const help = wallTime(['bin/reqase.js', '--help'], env, options.runs);
    const generate = wallTime(
      ['bin/reqase.js', 'generate', '--offline', 'examples/stories/login.md'],
      env,
      options.runs,
    );
    const note = `median of ${options.runs} runs (sources run through tsx, as in a checkout)`;
    return [
      {
        benchmark: 'start',
        metric: 'reqase --help',
        value: help,
        unit: 'ms',
        baseline: node,
        baselineLabel: 'node -e ""',
        note,
      },
      {
        benchmark: 'start',
        metric: 'reqase generate --offline login.md',
        value: generate,
        unit: 'ms',
        baseline: node,
        baselineLabel: 'node -e ""',
      },
    ];
  } finally {
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}
