/**
 * api: with many stored test cases (SQLite), the latency of typical list and filter routes one
 * request at a time (median, p95), requests per second with concurrent clients, and the memory
 * of the server process (`reqase serve` in a child process). Baseline: `GET /api/health` in the
 * same run, on the same server.
 */
import {
  API_PROJECT,
  runClients,
  seedWorkspace,
  startApiServer,
  timedRequest,
} from './support/api-server.ts';
import { median, percentile, type Figure } from './support.ts';

export interface ApiOptions {
  testCases: number;
  /** Sequential requests per route for the latency figures (fewer when `latencySeconds` runs out). */
  latencyRequests: number;
  /** Time budget of the sequential requests of one route, in seconds. */
  latencySeconds: number;
  /** Concurrent clients for the throughput figure. */
  clients: number;
  throughputSeconds: number;
}

const PAGE = 50;
const CASES_PER_STORY = 100;
const mebibytes = (bytes: number | undefined) => (bytes === undefined ? NaN : bytes / 2 ** 20);

export async function benchmarkApi(options: ApiOptions): Promise<Figure[]> {
  const seeded = await seedWorkspace(options.testCases, CASES_PER_STORY);
  const server = await startApiServer(seeded.directory).catch((error: unknown) => {
    seeded.remove();
    throw error;
  });
  try {
    const cases = `${server.url}/api/projects/${API_PROJECT}/test-cases`;
    const storyAt = (round: number) => seeded.storyKeys[(round * 7919) % seeded.storyKeys.length]!;
    const deepOffset = Math.max(0, options.testCases - 2 * PAGE);
    // The cursor of the case just before the deep page: the keyset route asks for the same page.
    const beforeDeep = await timedRequest(`${cases}?limit=1&offset=${Math.max(0, deepOffset - 1)}`, {
      parse: true,
    });
    const deepCursor = (beforeDeep.body as { nextCursor?: string | null } | undefined)?.nextCursor;
    if (!deepCursor) throw new Error(`api: the page before the deep page gave no nextCursor`);
    const routes: Array<{
      metric: string;
      url: (round: number) => string;
      /** The number of cases the answer must hold, and its total. */
      expect?: { count: number; total: number };
    }> = [
      { metric: 'GET /api/health', url: () => `${server.url}/api/health` },
      {
        metric: `status=accepted&limit=${PAGE}`,
        url: () => `${cases}?status=accepted&limit=${PAGE}`,
        expect: { count: PAGE, total: seeded.statusCounts.accepted },
      },
      {
        metric: `story=<key>&limit=${PAGE}`,
        url: (round) => `${cases}?story=${storyAt(round)}&limit=${PAGE}`,
        expect: { count: PAGE, total: CASES_PER_STORY },
      },
      {
        metric: `limit=${PAGE}&offset=${deepOffset}`,
        url: () => `${cases}?limit=${PAGE}&offset=${deepOffset}`,
        expect: { count: PAGE, total: options.testCases },
      },
      {
        metric: `limit=${PAGE}&cursor=<case ${deepOffset}> (keyset)`,
        url: () => `${cases}?limit=${PAGE}&cursor=${encodeURIComponent(deepCursor)}`,
        expect: { count: PAGE, total: options.testCases },
      },
    ];

    const memoryBefore = server.memory();
    const latency = new Map<string, number[]>();
    for (const route of routes) {
      const times: number[] = [];
      const end = performance.now() + options.latencySeconds * 1000;
      for (
        let round = -3;
        round < options.latencyRequests && (round < 5 || performance.now() < end);
        round += 1
      ) {
        const outcome = await timedRequest(route.url(round + 3), { parse: true });
        if (!outcome.ok) throw new Error(`api: ${route.metric} answered ${outcome.error}`);
        if (route.expect) {
          const body = outcome.body as { testCases: unknown[]; total: number };
          if (body.testCases.length !== route.expect.count || body.total !== route.expect.total) {
            throw new Error(
              `api: ${route.metric} gave ${body.testCases.length} cases of ${body.total}, expected ${route.expect.count} of ${route.expect.total}`,
            );
          }
        }
        if (round >= 0) times.push(outcome.ms); // the first three warm up
      }
      latency.set(route.metric, times);
    }

    const listRoutes = routes.slice(1);
    // First pages, as people and the web app ask for them; the deep page's latency is above.
    const firstPages = listRoutes.slice(0, 2);
    const health = await runClients(options.clients, Math.max(2, options.throughputSeconds / 3), () => ({
      url: `${server.url}/api/health`,
    }));
    const lists = await runClients(options.clients, options.throughputSeconds, (client, round) => {
      const route = firstPages[(client + round) % firstPages.length]!;
      return { url: route.url(client * 1000 + round) };
    });
    const memoryAfter = server.memory();

    const healthTimes = latency.get('GET /api/health')!;
    const sizeNote = `${options.testCases.toLocaleString('en')} cases in ${seeded.storyKeys.length} stories (SQLite), seeded in ${(seeded.seedMilliseconds / 1000).toFixed(1)} s`;
    const figures: Figure[] = [];
    for (const route of listRoutes) {
      const times = latency.get(route.metric)!;
      figures.push(
        {
          benchmark: 'api',
          metric: `${route.metric}, median`,
          value: median(times),
          unit: 'ms',
          baseline: median(healthTimes),
          baselineLabel: 'GET /api/health',
          note:
            route === listRoutes[0]
              ? `${sizeNote}; ${times.length} sequential requests`
              : `${times.length} sequential requests`,
        },
        {
          benchmark: 'api',
          metric: `${route.metric}, p95`,
          value: percentile(times, 0.95),
          unit: 'ms',
          baseline: percentile(healthTimes, 0.95),
          baselineLabel: 'GET /api/health',
        },
      );
    }
    const errorNote = (errors: Map<string, number>) =>
      errors.size === 0 ? 'no errors' : [...errors].map(([kind, count]) => `${count} × ${kind}`).join(', ');
    figures.push(
      {
        benchmark: 'api',
        metric: `first pages (status, story), ${options.clients} clients`,
        value: lists.total / (lists.elapsedMilliseconds / 1000),
        unit: 'req/s',
        baseline: health.total / (health.elapsedMilliseconds / 1000),
        baselineLabel: 'GET /api/health',
        note: `${lists.total} requests in ${(lists.elapsedMilliseconds / 1000).toFixed(1)} s, p95 ${percentile(lists.latencies, 0.95).toFixed(0)} ms; ${errorNote(lists.errors)}`,
      },
      {
        benchmark: 'api',
        metric: 'server memory (RSS), idle',
        value: mebibytes(memoryBefore?.rss),
        unit: 'MiB',
        note: memoryBefore ? 'reqase serve in its own process' : 'not measured: /proc is missing',
      },
      {
        benchmark: 'api',
        metric: 'server memory (RSS), after load',
        value: mebibytes(memoryAfter?.rss),
        unit: 'MiB',
        note: `peak ${mebibytes(memoryAfter?.peak).toFixed(0)} MiB`,
      },
    );
    if (lists.errors.size > 0 || health.errors.size > 0) {
      process.stderr.write(
        `api: errors under load: ${errorNote(lists.errors)}; health ${errorNote(health.errors)}\n`,
      );
    }
    return figures;
  } finally {
    await server.stop();
    seeded.remove();
  }
}
