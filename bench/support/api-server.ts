/**
 * The API benchmarks' set-up: a SQLite workspace seeded with many stored test cases, and
 * `reqase serve` on it in a child process (so its memory is its own), on 127.0.0.1 only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewTestCase, TestCaseStatus } from '../../src/core/repositories.ts';
import { openDatabase } from '../../src/storage/index.ts';
import { createInterface } from 'node:readline';
import { sendRequest } from './http-client.ts';
import { PROJECT_ROOT, residentMemory, startChild, type BenchChild } from './child-process.ts';

export const API_PROJECT = 'Bench';

export interface SeededWorkspace {
  directory: string;
  projectName: string;
  storyKeys: string[];
  /** Every case id, in insertion order. */
  caseIds: string[];
  /** How many cases of each status were stored. */
  statusCounts: Record<TestCaseStatus, number>;
  seedMilliseconds: number;
  /**
   * With `scored`: how long scoring every case took (`refreshQuality`, as a server does on a
   * story's first read after its cases were stored or the scorer changed), included in `seedMilliseconds`.
   */
  scoreMilliseconds?: number;
  remove(): void;
}

/** 30% accepted, 10% rejected, the rest draft, spread evenly over every story. */
function statusOf(index: number): TestCaseStatus {
  const tenth = index % 10;
  if (tenth < 3) return 'accepted';
  if (tenth === 9) return 'rejected';
  return 'draft';
}

/**
 * Stores `testCases` cases over stories of `casesPerStory` each, in transactions of a few
 * thousand rows through the repository's `insertMany` (with case numbers given, so no lookups).
 * `scored`: every case's quality score stored too, as in a workspace in use, where each story was
 * scored on its first read; without it the server scores each story on its first read.
 */
export async function seedWorkspace(
  testCases: number,
  casesPerStory: number,
  options: { scored?: boolean } = {},
): Promise<SeededWorkspace> {
  let scoreMilliseconds: number | undefined;
  const directory = mkdtempSync(join(tmpdir(), 'reqase-bench-api-'));
  const started = performance.now();
  const storage = await openDatabase({ dataDirectory: directory });
  const storyKeys: string[] = [];
  const caseIds: string[] = [];
  const statusCounts: Record<TestCaseStatus, number> = { draft: 0, accepted: 0, rejected: 0 };
  try {
    const project = await storage.projects.create({ name: API_PROJECT });
    const storyCount = Math.ceil(testCases / casesPerStory);
    let batch: NewTestCase[] = [];
    let index = 0;
    for (let storyNumber = 1; storyNumber <= storyCount; storyNumber += 1) {
      const key = `API-${storyNumber}`;
      storyKeys.push(key);
      const story = await storage.stories.save(project.id, {
        key,
        summary: `Feature ${storyNumber}: pay for the cart`,
        description: `As a shopper I want feature ${storyNumber} so that I can pay.`,
        acceptanceCriteria: [
          { id: 'AC-1', text: 'Card payments are accepted and the order is confirmed' },
          { id: 'AC-2', text: 'A declined card shows "Payment declined"' },
          { id: 'AC-3', text: 'A receipt is e-mailed within 5 minutes' },
        ],
        outOfScope: [],
        notes: [],
        source: 'markdown',
        contentHash: key,
      });
      for (
        let caseNumber = 1;
        caseNumber <= casesPerStory && index < testCases;
        caseNumber += 1, index += 1
      ) {
        const status = statusOf(index);
        statusCounts[status] += 1;
        batch.push({
          projectId: project.id,
          storyId: story.id,
          caseNumber,
          status,
          title: `${key} case ${caseNumber}: a declined card keeps the cart`,
          kind: caseNumber % 3 === 0 ? 'negative' : 'positive',
          priority: caseNumber % 4 === 0 ? 'low' : 'high',
          preconditions: ['A cart with two items worth 40.00 EUR', 'The shopper is signed in'],
          steps: [
            { action: 'Open the checkout page', expected: 'The order summary is shown' },
            {
              action: 'Pay with the card 4000 0000 0000 0002',
              data: '4000 0000 0000 0002',
              expected: 'The message "Payment declined" is shown',
            },
            { action: 'Open the cart', expected: 'Both items are still in the cart' },
          ],
          covers: [`AC-${(caseNumber % 3) + 1}`],
          engine: 'llm',
          warnings: [],
        });
        if (batch.length >= 5000) {
          caseIds.push(...(await storage.testCases.insertMany(batch)).map((record) => record.id));
          batch = [];
        }
      }
    }
    if (batch.length > 0)
      caseIds.push(...(await storage.testCases.insertMany(batch)).map((record) => record.id));
    if (options.scored) {
      const scoringStarted = performance.now();
      await storage.testCases.refreshQuality({ projectId: project.id });
      scoreMilliseconds = performance.now() - scoringStarted;
    }
  } finally {
    await storage.close();
  }
  return {
    directory,
    projectName: API_PROJECT,
    storyKeys,
    caseIds,
    statusCounts,
    seedMilliseconds: performance.now() - started,
    ...(scoreMilliseconds === undefined ? {} : { scoreMilliseconds }),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** What `server-diagnostics.mjs` measured inside the server since the previous reading. */
export interface ServerDiagnostics {
  eventLoopDelayP50Milliseconds: number;
  eventLoopDelayP99Milliseconds: number;
  eventLoopDelayMaxMilliseconds: number;
  /** Synchronous writes of the request log to standard error, their total and longest time. */
  stderrWrites: number;
  stderrWriteMilliseconds: number;
  stderrWriteMaxMilliseconds: number;
  /** Writes that found the standard-error pipe full (EAGAIN). */
  stderrFull: number;
  /** better-sqlite3 statements run, their total and longest (synchronous) time. */
  statements: number;
  statementMilliseconds: number;
  statementMaxMilliseconds: number;
  /** CPU time (user + system) of the server process, and the wall time it was measured over. */
  cpuMilliseconds: number;
  wallMilliseconds: number;
  garbageCollectionMilliseconds: number;
  /** The statements that took the most time in all, with how often they ran. */
  slowestStatements: { sql: string; count: number; milliseconds: number }[];
  /** Handler times (`ms`) of the request log lines, as the server measured them. */
  handlerMilliseconds: number[];
}

export interface ApiServer {
  url: string;
  pid: number;
  process: BenchChild;
  /** Resident memory of the server process now, and its peak so far, in bytes. */
  memory(): { rss: number; peak: number } | undefined;
  /** The server's own figures since the previous call (see `server-diagnostics.mjs`). */
  diagnostics(): Promise<ServerDiagnostics>;
  stop(): Promise<void>;
}

const DIAGNOSTICS_MODULE = join(PROJECT_ROOT, 'bench', 'support', 'server-diagnostics.mjs');

/**
 * Node options for the benchmarked server: `BENCH_SERVER_CPU_PROFILE` (a directory) writes a CPU
 * profile of the server (`--cpu-prof`, written when it stops) to see where its time goes;
 * `BENCH_SERVER_NODE_ARGS` adds options of its own (`--trace-gc`, say), separated by spaces.
 */
function profilingArguments(): string[] {
  const directory = process.env.BENCH_SERVER_CPU_PROFILE;
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return [...extra, ...(directory ? ['--cpu-prof', `--cpu-prof-dir=${directory}`] : [])];
}

/**
 * `reqase serve --host 127.0.0.1 --port 0` on the workspace, as a user would start it, with
 * `server-diagnostics.mjs` preloaded. `env` adds to (or overrides) the server's environment.
 */
export async function startApiServer(
  directory: string,
  env: Record<string, string> = {},
): Promise<ApiServer> {
  const server = startChild(
    [
      ...profilingArguments(),
      '--import',
      DIAGNOSTICS_MODULE,
      'bin/reqase.js',
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
    ],
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      REQASE_DATA_DIR: directory,
      // The default log level (info: one line per request), as users run it; the pipe is drained.
      ...env,
    },
  );
  let handlerMilliseconds: number[] = [];
  createInterface({ input: server.child.stderr! }).on('line', (text) => {
    if (!text.includes('"ms":')) return;
    try {
      const entry = JSON.parse(text) as { ms?: unknown };
      if (typeof entry.ms === 'number') handlerMilliseconds.push(entry.ms);
    } catch {
      // not a request line
    }
  });
  try {
    const line = await server.waitFor(
      (candidate) =>
        typeof candidate.stderrLine === 'string' && /serving on http:\/\//.test(candidate.stderrLine),
      60_000,
    );
    const url = /serving on (http:\/\/[^\s]+?)\s/.exec(String(line.stderrLine))?.[1];
    if (!url) throw new Error(`could not read the server URL from: ${String(line.stderrLine)}`);
    const pid = server.child.pid!;
    const diagnostics = async (): Promise<ServerDiagnostics> => {
      const seen = server.lines.length;
      const answer = server.waitFor(
        (candidate) => typeof candidate.diagnostics === 'object' && server.lines.indexOf(candidate) >= seen,
        10_000,
      );
      process.kill(pid, 'SIGUSR2');
      const line = await answer;
      const measured = {
        ...(line.diagnostics as Omit<ServerDiagnostics, 'handlerMilliseconds'>),
        handlerMilliseconds,
      };
      handlerMilliseconds = [];
      return measured;
    };
    return {
      url,
      pid,
      process: server,
      memory: () => residentMemory(pid),
      diagnostics,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

export interface RequestOutcome {
  ok: boolean;
  status: number;
  ms: number;
  /** The parsed body when `parse` was asked for and the answer was JSON. */
  body?: unknown;
  error?: string;
}

/**
 * One request with a deadline; never throws. The body is always read (so the connection is
 * reused) and parsed only when asked.
 */
export async function timedRequest(
  url: string,
  init: { method?: string; body?: unknown; parse?: boolean; timeoutMilliseconds?: number } = {},
): Promise<RequestOutcome> {
  const started = performance.now();
  try {
    const answer = await sendRequest(url, {
      method: init.method ?? 'GET',
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      timeoutMilliseconds: init.timeoutMilliseconds ?? 15_000,
    });
    const ms = performance.now() - started;
    const ok = answer.status >= 200 && answer.status < 300;
    const outcome: RequestOutcome = { ok, status: answer.status, ms };
    if (init.parse) outcome.body = JSON.parse(answer.text) as unknown;
    if (!ok) outcome.error = `HTTP ${answer.status}`;
    return outcome;
  } catch (error) {
    const name =
      error instanceof Error ? (error.name === 'TimeoutError' ? error.name : error.message) : 'error';
    return { ok: false, status: 0, ms: performance.now() - started, error: name };
  }
}

/**
 * `clients` concurrent loops, each sending the request `next()` chooses, one at a time, until
 * `seconds` have passed. Counts and latencies of every request, errors by kind.
 */
export async function runClients(
  clients: number,
  seconds: number,
  next: (client: number, round: number) => { url: string; method?: string; body?: unknown; route?: string },
  /** Each request's own bound; a request still running at the deadline ends within it. */
  requestTimeoutMilliseconds = 10_000,
): Promise<{
  latencies: number[];
  /** Latencies by the `route` label `next` gave, when it gave one. */
  byRoute: Map<string, number[]>;
  errors: Map<string, number>;
  total: number;
  elapsedMilliseconds: number;
}> {
  const latencies: number[] = [];
  const byRoute = new Map<string, number[]>();
  const errors = new Map<string, number>();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let round = 0; performance.now() < end; round += 1) {
        const request = next(client, round);
        const outcome = await timedRequest(request.url, {
          ...(request.method ? { method: request.method } : {}),
          ...(request.body === undefined ? {} : { body: request.body }),
          timeoutMilliseconds: requestTimeoutMilliseconds,
        });
        latencies.push(outcome.ms);
        if (request.route !== undefined) {
          const times = byRoute.get(request.route) ?? [];
          times.push(outcome.ms);
          byRoute.set(request.route, times);
        }
        if (!outcome.ok)
          errors.set(outcome.error ?? 'error', (errors.get(outcome.error ?? 'error') ?? 0) + 1);
      }
    }),
  );
  return {
    latencies,
    byRoute,
    errors,
    total: latencies.length,
    elapsedMilliseconds: performance.now() - started,
  };
}
