/**
 * load: many concurrent API clients for a fixed time against `reqase serve` (SQLite, child
 * process, loopback), on a mix of read routes and a few review writes (accept or reject an
 * existing case), on a workspace whose cases are scored, as one in use has them (the scoring of a
 * cold workspace is its own figure). Errors are counted by kind, latency percentiles printed. Every client stops by
 * itself at the deadline; every request has its own timeout. `BENCH_SERVER_CPU_PROFILE=<directory>`
 * writes a CPU profile of the server (open it in Chrome's DevTools) to see where its time goes.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { API_PROJECT, runClients, seedWorkspace, startApiServer } from './support/api-server.ts';
import { median, percentile, type Figure } from './support.ts';

export interface LoadOptions {
  clients: number;
  seconds: number;
  /** Stored test cases the routes read (100 per story). */
  testCases: number;
  /**
   * The same load for this long first, not counted: a server that just started compiles its code
   * and fills its statement and story caches in its first seconds. Its p99 is reported on its own.
   */
  warmUpSeconds: number;
  /** `reqase serve --processes`: server processes behind the one port. Default 1. */
  processes?: number;
}

/** Route mix, in parts of 100. */
const MIX = [
  { share: 30, name: 'list accepted page' },
  { share: 20, name: 'list one story' },
  { share: 15, name: 'show a case' },
  { share: 10, name: 'list stories' },
  { share: 10, name: 'show the project' },
  { share: 10, name: 'health' },
  { share: 5, name: 'accept or reject a case' },
] as const;

/** The kernel's TCP counters (Linux), undefined elsewhere. */
function tcpCounters(): Record<string, number> | undefined {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('TcpExt:'));
    const names = lines[0]!.split(/\s+/);
    const values = lines[1]!.split(/\s+/);
    return Object.fromEntries(names.map((name, index) => [name, Number(values[index])]));
  } catch {
    return undefined;
  }
}

export async function benchmarkLoad(options: LoadOptions): Promise<Figure[]> {
  // Scores stored, as in a workspace in use: each story is scored on its first read after its
  // cases were stored (or the scorer changed), once. Left unscored, the run's first seconds would
  // score all 10,000 cases while the clients wait: a cold start, reported on its own below.
  const seeded = await seedWorkspace(options.testCases, 100, { scored: true });
  const processes = options.processes ?? 1;
  const server = await startApiServer(
    seeded.directory,
    processes > 1 ? { REQASE_SERVE_PROCESSES: String(processes) } : {},
  ).catch((error: unknown) => {
    seeded.remove();
    throw error;
  });
  try {
    const project = `${server.url}/api/projects/${API_PROJECT}`;
    const pick = <Item>(items: readonly Item[]) => items[Math.floor(Math.random() * items.length)]!;
    const acceptedPages = Math.max(1, Math.floor(seeded.statusCounts.accepted / 50));
    let writes = 0;
    const next = () => {
      let roll = Math.random() * 100;
      const route = MIX.find((entry) => (roll -= entry.share) < 0) ?? MIX[0];
      return { route: route.name, ...requestFor(route.name) };
    };
    const requestFor = (name: (typeof MIX)[number]['name']) => {
      switch (name) {
        case 'list accepted page':
          return {
            url: `${project}/test-cases?status=accepted&limit=50&offset=${50 * Math.floor(Math.random() * acceptedPages)}`,
          };
        case 'list one story':
          return { url: `${project}/test-cases?story=${pick(seeded.storyKeys)}&limit=50` };
        case 'show a case':
          return { url: `${server.url}/api/test-cases/${pick(seeded.caseIds)}` };
        case 'list stories':
          return { url: `${project}/stories?limit=50` };
        case 'show the project':
          return { url: project };
        case 'health':
          return { url: `${server.url}/api/health` };
        case 'accept or reject a case':
          writes += 1;
          return {
            url: `${server.url}/api/test-cases/${Math.random() < 0.5 ? 'accept' : 'reject'}`,
            method: 'POST',
            body: { ids: [pick(seeded.caseIds)] },
          };
      }
    };
    const warmUp = await runClients(options.clients, options.warmUpSeconds, next);
    writes = 0;
    const memoryBefore = server.memory();
    // The server's own figures are those of the process it reads them from: with several
    // processes, the primary, which serves nothing; only the clients' figures are reported then.
    if (processes === 1) await server.diagnostics(); // starts the server's figures afresh
    // The clients run in this process: its own event-loop delay says whether the load generator,
    // not the server, is what makes requests slow.
    const generatorDelay = monitorEventLoopDelay({ resolution: 1 });
    generatorDelay.enable();
    const generatorCpu = process.cpuUsage();
    const tcpBefore = tcpCounters();
    const result = await runClients(options.clients, options.seconds, next);
    generatorDelay.disable();
    const generatorCpuMilliseconds =
      (process.cpuUsage(generatorCpu).user + process.cpuUsage(generatorCpu).system) / 1000;
    const tcpAfter = tcpCounters();
    const inside = processes === 1 ? await server.diagnostics() : undefined;
    const memoryAfter = server.memory();
    const errors = [...result.errors.values()].reduce((sum, count) => sum + count, 0);
    const errorKinds =
      result.errors.size === 0
        ? 'none'
        : [...result.errors].map(([kind, count]) => `${count} × ${kind}`).join(', ');
    const benchmark = `load (${options.clients} clients${processes > 1 ? `, ${processes} server processes` : ''})`;
    const clientFigures: Figure[] = [
      {
        benchmark,
        metric: 'requests',
        value: result.total,
        unit: '',
        note: `${options.seconds} s; ${(result.total / (result.elapsedMilliseconds / 1000)).toFixed(0)} req/s; ${writes} writes; ${options.testCases.toLocaleString('en')} cases (SQLite)`,
      },
      { benchmark, metric: 'errors', value: errors, unit: '', note: errorKinds },
      {
        benchmark,
        metric: 'warm-up latency p99',
        value: percentile(warmUp.latencies, 0.99),
        unit: 'ms',
        note: `first ${options.warmUpSeconds} s after the server started, not counted above or below: ${warmUp.total} requests, p50 ${median(warmUp.latencies).toFixed(0)} ms, ${[...warmUp.errors.values()].reduce((sum, count) => sum + count, 0)} errors`,
      },
      {
        benchmark,
        metric: 'cold start: scoring every case',
        value: seeded.scoreMilliseconds ?? NaN,
        unit: 'ms',
        note: 'done before the clients start (refreshQuality); a server does it story by story on first reads',
      },
      { benchmark, metric: 'latency p50', value: median(result.latencies), unit: 'ms' },
      { benchmark, metric: 'latency p95', value: percentile(result.latencies, 0.95), unit: 'ms' },
      { benchmark, metric: 'latency p99', value: percentile(result.latencies, 0.99), unit: 'ms' },
      {
        benchmark,
        metric: 'latency max',
        value: result.latencies.reduce((highest, ms) => Math.max(highest, ms), 0),
        unit: 'ms',
        note: `mix: ${MIX.map((entry) => `${entry.share}% ${entry.name}`).join(', ')}`,
      },
      ...MIX.map((entry) => {
        const times = result.byRoute.get(entry.name) ?? [];
        return {
          benchmark,
          metric: `p95, ${entry.name}`,
          value: percentile(times, 0.95),
          unit: 'ms',
          note: `median ${median(times).toFixed(1)} ms, ${times.length} requests`,
        };
      }),
    ];
    if (inside === undefined) return clientFigures;
    return [
      ...clientFigures,
      {
        benchmark,
        metric: 'server event-loop delay p99',
        value: inside.eventLoopDelayP99Milliseconds,
        unit: 'ms',
        note: `median ${inside.eventLoopDelayP50Milliseconds.toFixed(1)} ms`,
      },
      {
        benchmark,
        metric: 'server event-loop delay max',
        value: inside.eventLoopDelayMaxMilliseconds,
        unit: 'ms',
      },
      {
        benchmark,
        metric: 'server handler time p99',
        value: percentile(inside.handlerMilliseconds, 0.99),
        unit: 'ms',
        note: `max ${Math.max(0, ...inside.handlerMilliseconds).toFixed(0)} ms over ${inside.handlerMilliseconds.length} logged requests (from the request log)`,
      },
      {
        benchmark,
        metric: 'server time in SQLite',
        value: inside.statementMilliseconds,
        unit: 'ms',
        note: `${inside.statements} statements, longest ${inside.statementMaxMilliseconds.toFixed(1)} ms`,
      },
      ...inside.slowestStatements.slice(0, 5).map((statement, index) => ({
        benchmark,
        metric: `server statement ${index + 1} by time`,
        value: statement.milliseconds,
        unit: 'ms',
        note: `${statement.count} runs: ${statement.sql.replace(/\s+/g, ' ').slice(0, 160)}`,
      })),
      {
        benchmark,
        metric: 'server CPU time',
        value: inside.cpuMilliseconds,
        unit: 'ms',
        note: `${((100 * inside.cpuMilliseconds) / inside.wallMilliseconds).toFixed(0)}% of one core over ${(inside.wallMilliseconds / 1000).toFixed(1)} s (100%: saturated; less while delayed: starved by other processes); GC ${inside.garbageCollectionMilliseconds.toFixed(0)} ms`,
      },
      {
        benchmark,
        metric: 'server time writing the log',
        value: inside.stderrWriteMilliseconds,
        unit: 'ms',
        note: `${inside.stderrWrites} writes, longest ${inside.stderrWriteMaxMilliseconds.toFixed(1)} ms, ${inside.stderrFull} found the pipe full`,
      },
      {
        benchmark,
        metric: 'load generator event-loop delay p99',
        value: generatorDelay.percentile(99) / 1e6,
        unit: 'ms',
        note: `max ${(generatorDelay.max / 1e6).toFixed(0)} ms; CPU ${((100 * generatorCpuMilliseconds) / result.elapsedMilliseconds).toFixed(0)}% of one core (the clients' own process)`,
      },
      {
        benchmark,
        metric: 'connections dropped (listen queue full)',
        value: (tcpAfter?.ListenDrops ?? NaN) - (tcpBefore?.ListenDrops ?? NaN),
        unit: '',
        note: `SYN retransmissions ${(tcpAfter?.TCPSynRetrans ?? NaN) - (tcpBefore?.TCPSynRetrans ?? NaN)} (Linux /proc/net/netstat, whole network namespace: other processes count too); a dropped SYN is sent again after 1, 3, 7, 15 s`,
      },
      {
        benchmark,
        metric: 'server memory (RSS)',
        value: (memoryAfter?.rss ?? NaN) / 2 ** 20,
        unit: 'MiB',
        note: `before ${((memoryBefore?.rss ?? NaN) / 2 ** 20).toFixed(0)} MiB, peak ${((memoryAfter?.peak ?? NaN) / 2 ** 20).toFixed(0)} MiB`,
      },
    ];
  } finally {
    await server.stop();
    seeded.remove();
  }
}
