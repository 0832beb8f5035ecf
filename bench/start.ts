/**
 * start: wall time of `reqase --help` and `reqase generate --offline` against a bare `node -e ""`,
 * on the three paths a user meets: a checkout (bin/reqase.js runs the bundle it caches under
 * .build-cache/, after comparing the times and sizes of the bundle's sources with those recorded
 * when it was built), the same checkout through tsx (REQASE_BUILD_CACHE=0, as before the cache),
 * and the installed package (dist/, bundled here by scripts/build-cli.js as `npm run build` does,
 * into a scratch folder). Node 22.1 and later also keep a compile cache between runs
 * (bin/reqase.js); Node 20 has none, so there every start compiles the chunks it loads.
 * On a loaded machine wall times mislead: compare instruction counts of the same commands
 * (`valgrind --tool=callgrind node bin/reqase.js --help`), which the load does not change.
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

/** Bundles the CLI as `npm run build` does (scripts/build-cli.js) into a folder under node_modules/.cache. */
function buildDist(): string {
  const distDirectory = join(root, 'node_modules', '.cache', 'reqase-bench-dist', 'dist');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.js'), distDirectory], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('scripts/build-cli.js failed');
  return join(distDirectory, 'cli', 'main.js');
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
    const dist = buildDist();
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
