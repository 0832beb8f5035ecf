/**
 * `npm run bench [-- --json] [-- --only overhead,offline]`: every benchmark, printed as a table with
 * the baseline measured in the same run. Never part of `npm test`.
 */
import { cpus, totalmem } from 'node:os';
import { benchmarkFirstTestCase } from './first-test-case.ts';
import { benchmarkOffline } from './offline.ts';
import { benchmarkOverhead } from './overhead.ts';
import { benchmarkStart } from './start.ts';
import { printTable, type Figure } from './support.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined;

const benchmarks: Record<string, () => Promise<Figure[]> | Figure[]> = {
  overhead: () =>
    benchmarkOverhead({ iterations: 30, latency: { timeToFirstTokenMs: 100, tokensPerSecond: 2000 } }),
  'first-test-case': () =>
    benchmarkFirstTestCase({ iterations: 5, latency: { timeToFirstTokenMs: 200, tokensPerSecond: 400 } }),
  offline: () => benchmarkOffline({ rounds: 200 }),
  start: () => benchmarkStart({ runs: 5 }),
};

const figures: Figure[] = [];
for (const [name, run] of Object.entries(benchmarks)) {
  if (only && !only.has(name)) continue;
  if (!json) process.stderr.write(`running ${name}…\n`);
  figures.push(...(await run()));
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, figures }, null, 2)}\n`);
} else {
  process.stdout.write(`Machine: ${machine}\n\n`);
  printTable(figures);
}
