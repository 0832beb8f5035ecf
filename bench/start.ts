/**
 * start: wall time of `reqase --help` and `reqase generate --offline` against a bare `node -e ""`,
 * on the three paths a user meets: a checkout (bin/reqase.js runs the bundle it caches under
 * .build-cache/), the same checkout through tsx (REQASE_BUILD_CACHE=0, as before the
 * cache), and the installed package (dist/, compiled here with tsc into a scratch folder).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type Figure } from './support.ts';

const root = join(import.meta.dirname, '..');
const story = 'examples/stories/login.md';

function run(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: 'ignore', cwd: root });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return performance.now() - started;
}

/** Median of `runs` runs after one warm-up run. */
function wallTime(args: string[], env: NodeJS.ProcessEnv, runs: number): number {
  run(args, env);
  return median(Array.from({ length: runs }, () => run(args, env)));
}

/** Compiles src/ with tsc, as `npm run build` does, into a folder under node_modules/.cache. */
function compileDist(): string {
  const outDirectory = join(root, 'node_modules', '.cache', 'reqase-bench-dist', 'dist');
  rmSync(outDirectory, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDirectory], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('tsc -p tsconfig.build.json failed');
  return join(outDirectory, 'cli', 'main.js');
}

export function benchmarkStart(options: { runs: number }): Figure[] {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-bench-'));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, REQASE_DATA_DIR: dataDirectory };
  const tsxEnv = { ...env, REQASE_BUILD_CACHE: '0' };
  try {
    const node = wallTime(['-e', ''], env, options.runs);
    rmSync(join(root, '.build-cache'), { recursive: true, force: true });
    const coldBuild = run(['bin/reqase.js', '--help'], env);
    const help = wallTime(['bin/reqase.js', '--help'], env, options.runs);
    const generate = wallTime(['bin/reqase.js', 'generate', '--offline', story], env, options.runs);
    const helpTsx = wallTime(['bin/reqase.js', '--help'], tsxEnv, options.runs);
    const generateTsx = wallTime(['bin/reqase.js', 'generate', '--offline', story], tsxEnv, options.runs);
    const dist = compileDist();
    const helpDist = wallTime([dist, '--help'], env, options.runs);
    const generateDist = wallTime([dist, 'generate', '--offline', story], env, options.runs);
    const figure = (metric: string, value: number, note?: string): Figure => ({
      benchmark: 'start',
      metric,
      value,
      unit: 'ms',
      baseline: node,
      baselineLabel: 'node -e ""',
      ...(note ? { note } : {}),
    });
    return [
      figure(
        'reqase --help (checkout, cached bundle)',
        help,
        `median of ${options.runs} runs after a warm-up`,
      ),
      figure('reqase generate --offline login.md (checkout, cached bundle)', generate),
      figure('reqase --help (installed package, dist/)', helpDist),
      figure('reqase generate --offline login.md (installed package, dist/)', generateDist),
      figure('reqase --help (checkout through tsx, REQASE_BUILD_CACHE=0)', helpTsx),
      figure('reqase generate --offline login.md (checkout through tsx)', generateTsx),
      figure('first start after a source change (bundle rebuilt)', coldBuild, 'once: esbuild bundles src/'),
    ];
  } finally {
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}
