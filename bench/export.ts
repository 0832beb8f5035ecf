/**
 * export: large exports through the HTTP API, as users download them (`GET
 * /api/projects/{project}/export?to=…`), from `reqase serve` in a child process (SQLite, loopback)
 * over many stored cases, while `GET /api/health` is sent one request after another. For each of the
 * heaviest targets (Xray JSON, TestRail CSV, Cucumber .zip): the export's duration and size, health
 * latency during it, and the server's own event-loop delay (`monitorEventLoopDelay` inside the
 * server process, as in the load benchmark) and CPU time. Baseline: the same figures with health
 * alone on the same server, in the same run, just before.
 */
import {
  API_PROJECT,
  seedWorkspace,
  startApiServer,
  timedRequest,
  type ApiServer,
} from './support/api-server.ts';
import { median, percentile, type Figure } from './support.ts';

export interface ExportBenchOptions {
  /** Stored test cases (100 per story); every one is exported (all statuses asked for). */
  testCases: number;
  /** Seconds of health requests alone, for the baseline. */
  idleSeconds: number;
  /** Export targets to download, each once after a warm-up download. */
  targets?: readonly string[];
}

const HEAVIEST_TARGETS = ['xray-json', 'testrail', 'cucumber'] as const;

interface Span {
  health: number[];
  delayP99Milliseconds: number;
  delayMaxMilliseconds: number;
  cpuMilliseconds: number;
  wallMilliseconds: number;
}

/**
 * Health requests one after another until `done()` says stop; the server's figures since the
 * previous `server.diagnostics()` call (the caller starts them afresh just before).
 */
async function healthDuring(server: ApiServer, done: () => boolean): Promise<Span> {
  const health: number[] = [];
  // Every request sent before the end counts: one the export held up is what a user waits for.
  while (!done()) {
    const outcome = await timedRequest(`${server.url}/api/health`);
    if (!outcome.ok) throw new Error(`export: /api/health answered ${outcome.error}`);
    health.push(outcome.ms);
  }
  const inside = await server.diagnostics();
  return {
    health,
    delayP99Milliseconds: inside.eventLoopDelayP99Milliseconds,
    delayMaxMilliseconds: inside.eventLoopDelayMaxMilliseconds,
    cpuMilliseconds: inside.cpuMilliseconds,
    wallMilliseconds: inside.wallMilliseconds,
  };
}

async function download(url: string): Promise<{ ms: number; bytes: number; contentType: string }> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
  const body = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 200) {
    throw new Error(
      `export: ${url} answered ${response.status}: ${new TextDecoder().decode(body.slice(0, 300))}`,
    );
  }
  return {
    ms: performance.now() - started,
    bytes: body.length,
    contentType: response.headers.get('content-type') ?? '',
  };
}

export async function benchmarkExport(options: ExportBenchOptions): Promise<Figure[]> {
  const seeded = await seedWorkspace(options.testCases, 100);
  const server = await startApiServer(seeded.directory).catch((error: unknown) => {
    seeded.remove();
    throw error;
  });
  try {
    const exportUrl = (target: string) =>
      `${server.url}/api/projects/${API_PROJECT}/export?to=${target}&status=draft,accepted,rejected`;
    await server.diagnostics(); // starts the server's figures afresh
    const idleEnd = performance.now() + options.idleSeconds * 1000;
    const idle = await healthDuring(server, () => performance.now() >= idleEnd);
    const figures: Figure[] = [];
    for (const target of options.targets ?? HEAVIEST_TARGETS) {
      await download(exportUrl(target)); // warm-up: the statements, the code paths
      await server.diagnostics();
      let finished = false;
      const exported = download(exportUrl(target)).finally(() => (finished = true));
      const [span, result] = await Promise.all([healthDuring(server, () => finished), exported]);
      figures.push(...exportFigures(target, options.testCases, result, span, idle));
    }
    return figures;
  } finally {
    await server.stop();
    seeded.remove();
  }
}

function exportFigures(
  target: string,
  testCases: number,
  result: { ms: number; bytes: number; contentType: string },
  span: Span,
  idle: Span,
): Figure[] {
  const benchmark = `export ${target} (${testCases.toLocaleString('en')} cases)`;
  const baselineLabel = 'health alone';
  return [
    {
      benchmark,
      metric: 'export duration',
      value: result.ms,
      unit: 'ms',
      note: `${(result.bytes / 2 ** 20).toFixed(1)} MiB ${result.contentType.split(';')[0]}; server CPU ${span.cpuMilliseconds.toFixed(0)} ms; ${span.health.length} health answers during it`,
    },
    {
      benchmark,
      metric: 'health p50',
      value: median(span.health),
      unit: 'ms',
      baseline: median(idle.health),
      baselineLabel,
    },
    {
      benchmark,
      metric: 'health p99',
      value: percentile(span.health, 0.99),
      unit: 'ms',
      baseline: percentile(idle.health, 0.99),
      baselineLabel,
    },
    {
      benchmark,
      metric: 'server event-loop delay p99',
      value: span.delayP99Milliseconds,
      unit: 'ms',
      baseline: idle.delayP99Milliseconds,
      baselineLabel,
    },
    {
      benchmark,
      metric: 'server event-loop delay max',
      value: span.delayMaxMilliseconds,
      unit: 'ms',
      baseline: idle.delayMaxMilliseconds,
      baselineLabel,
      note: `server CPU ${((100 * span.cpuMilliseconds) / span.wallMilliseconds).toFixed(0)}% of one core during the export`,
    },
  ];
}
