/**
 * `npm run bench [-- --json] [-- --only overhead,offline]`: every benchmark, printed as a table with
 * the baseline measured in the same run. Never part of `npm test`.
 */
import { cpus, totalmem } from 'node:os';
import { benchmarkApi } from './api.ts';
import { benchmarkBulk } from './bulk.ts';
import { benchmarkCheck } from './check.ts';
import { benchmarkDashboard } from './dashboard.ts';
import { benchmarkExport } from './export.ts';
import { benchmarkFirstTestCase } from './first-test-case.ts';
import { benchmarkImport } from './import.ts';
import { benchmarkLoad } from './load.ts';
import { benchmarkOffline } from './offline.ts';
import { benchmarkOverhead } from './overhead.ts';
import { benchmarkPromptTokens } from './prompt-tokens.ts';
import { benchmarkPush } from './push.ts';
import { benchmarkCorpus } from './corpus.ts';
import { benchmarkQuality } from './quality.ts';
import { benchmarkScaleOut } from './scale-out.ts';
import { benchmarkReviewFirstPaint } from './review-first-paint.ts';
import { benchmarkReviewTable } from './review-table.ts';
import { benchmarkStart } from './start.ts';
import { printTable, type Figure } from './support.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',')) : undefined;
/** `BENCH_QUICK=1`: smaller sizes for the slow benchmarks (bulk, check, api, load), for a quick look. */
const quick = process.env.BENCH_QUICK === '1';

const benchmarks: Record<string, () => Promise<Figure[]> | Figure[]> = {
  overhead: () =>
    benchmarkOverhead({
      iterations: 30,
      latency: { timeToFirstTokenMilliseconds: 100, tokensPerSecond: 2000 },
    }),
  'prompt-tokens': () => benchmarkPromptTokens(),
  'first-test-case': () =>
    benchmarkFirstTestCase({
      iterations: 5,
      latency: { timeToFirstTokenMilliseconds: 200, tokensPerSecond: 400 },
    }),
  offline: () => benchmarkOffline({ rounds: 200 }),
  quality: () => benchmarkQuality({ rounds: 100 }),
  dashboard: () => benchmarkDashboard({ testCases: quick ? 2000 : 10_000, warmRuns: 5 }),
  corpus: () => benchmarkCorpus({ rounds: 50 }),
  start: () => benchmarkStart({ runs: 5 }),
  bulk: () =>
    benchmarkBulk({
      stories: quick ? 200 : 1000,
      concurrency: 8,
      answerMilliseconds: 250,
      rateLimitedShare: 0.05,
      postgresWorker: process.env.BENCH_BULK_POSTGRES_WORKER === 'tables' ? 'tables' : 'pg-boss',
    }),
  check: () =>
    benchmarkCheck({
      runs: 5,
      hangRuns: quick ? 1 : 3,
      hangTimeoutMilliseconds: 2000,
      latency: { timeToFirstTokenMilliseconds: 100, tokensPerSecond: 500 },
    }),
  api: () =>
    benchmarkApi({
      testCases: quick ? 20_000 : 100_000,
      latencyRequests: quick ? 40 : 100,
      latencySeconds: quick ? 4 : 8,
      clients: 50,
      throughputSeconds: quick ? 4 : 10,
    }),
  'review-table': () => benchmarkReviewTable({ testCases: 10_000, rounds: quick ? 3 : 10 }),
  'review-first-paint': () =>
    benchmarkReviewFirstPaint({ testCases: 10_000, baselineCases: 100, runs: quick ? 5 : 20 }),
  // One server process, then two behind the same port (`reqase serve --processes 2`).
  load: async () => {
    const options = {
      clients: 200,
      seconds: quick ? 30 : 60,
      warmUpSeconds: quick ? 5 : 10,
      testCases: 10_000,
    };
    return [...(await benchmarkLoad(options)), ...(await benchmarkLoad({ ...options, processes: 2 }))];
  },
  'scale-out': () => benchmarkScaleOut({ clients: 50, seconds: quick ? 5 : 15, testCases: 5000 }),
  import: () => benchmarkImport({ stories: quick ? 2000 : 10_000, idleRequests: 50 }),
  export: () => benchmarkExport({ testCases: quick ? 2000 : 10_000, idleSeconds: quick ? 2 : 5 }),
  // Full size paces 1,000 cases at TestRail Cloud's 180 requests a minute (about 6 minutes).
  push: () => benchmarkPush({ cases: 1000, testRailRequestsPerMinute: quick ? 1800 : 180 }),
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
