/**
 * scale-out: `reqase serve` as one and as two instances (child processes) on one PostgreSQL
 * schema, read API requests from many clients for a fixed time, spread evenly over the instances
 * (as a load balancer would); throughput for each and the ratio. Skipped with a note when no
 * PostgreSQL answers. On one machine both instances share its cores with PostgreSQL and the
 * clients, so the ratio shows what a second instance adds here, not on separate machines.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { NewTestCase } from '../src/core/repositories.ts';
import { openDatabase } from '../src/storage/index.ts';
import { BENCH_POSTGRES_URL } from './bulk.ts';
import { runClients, startApiServer, type ApiServer } from './support/api-server.ts';
import { percentile, type Figure } from './support.ts';

export interface ScaleOutOptions {
  clients: number;
  seconds: number;
  /** Stored test cases (50 per story). */
  testCases: number;
}

const PROJECT = 'Scale';

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A project with stories of 50 cases each in its own schema. */
async function seed(url: string, schema: string, testCases: number): Promise<void> {
  const storage = await openDatabase({ url, postgresSchema: schema, secretKey: randomBytes(32) });
  try {
    const project = await storage.projects.create({ name: PROJECT });
    let batch: NewTestCase[] = [];
    for (let storyNumber = 1; storyNumber * 50 <= testCases; storyNumber++) {
      const key = `SCALE-${storyNumber}`;
      const story = await storage.stories.save(project.id, {
        key,
        summary: `Feature ${storyNumber}: pay for the cart`,
        description: `As a shopper I want feature ${storyNumber} so that I can pay.`,
        acceptanceCriteria: [{ id: 'AC-1', text: 'Card payments are accepted and the order is confirmed' }],
        outOfScope: [],
        notes: [],
        source: 'markdown',
        contentHash: key,
      });
      for (let caseNumber = 1; caseNumber <= 50; caseNumber++) {
        batch.push({
          projectId: project.id,
          storyId: story.id,
          caseNumber,
          status: caseNumber % 3 === 0 ? 'accepted' : 'draft',
          title: `${key} case ${caseNumber}: a paid order is confirmed`,
          kind: 'positive',
          priority: 'high',
          preconditions: ['A cart with two items'],
          steps: [{ action: 'Pay with a valid card', expected: 'The order is confirmed' }],
          covers: ['AC-1'],
          engine: 'llm',
          warnings: [],
        });
      }
      if (batch.length >= 2000) {
        await storage.testCases.insertMany(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await storage.testCases.insertMany(batch);
  } finally {
    await storage.close();
  }
}

/** Read requests only: the figure is what instances serve, not what one database writes. */
function requestFor(base: string, round: number) {
  const project = `${base}/api/projects/${PROJECT}`;
  switch (round % 4) {
    case 0:
      return { url: `${project}/test-cases?limit=50&offset=${(round * 50) % 500}`, route: 'list cases' };
    case 1:
      return { url: `${project}/stories`, route: 'list stories' };
    case 2:
      return { url: project, route: 'show the project' };
    default:
      return { url: `${project}/jobs`, route: 'list jobs' };
  }
}

async function measure(servers: ApiServer[], options: ScaleOutOptions) {
  // Client n always talks to instance n mod count, as a round-robin balancer assigns connections.
  const result = await runClients(options.clients, options.seconds, (client, round) =>
    requestFor(servers[client % servers.length]!.url, round),
  );
  const errors = [...result.errors.values()].reduce((sum, count) => sum + count, 0);
  return {
    perSecond: result.total / (result.elapsedMilliseconds / 1000),
    p99: percentile(result.latencies, 0.99),
    errors,
    total: result.total,
  };
}

export async function benchmarkScaleOut(options: ScaleOutOptions): Promise<Figure[]> {
  const url = BENCH_POSTGRES_URL;
  if (!(await postgresAnswers(url))) {
    return [
      {
        benchmark: 'scale-out (PostgreSQL)',
        metric: 'skipped',
        value: NaN,
        unit: '',
        note: 'no PostgreSQL; set REQASE_BENCH_POSTGRES_URL',
      },
    ];
  }
  const schema = `reqase_bench_scale_${randomBytes(5).toString('hex')}`;
  await seed(url, schema, options.testCases);
  // Every instance opens the same schema: the search path goes with the connection string.
  const databaseUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const directories = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'reqase-bench-scale-')));
  const servers: ApiServer[] = [];
  try {
    const env = (directory: string) => ({
      DATABASE_URL: databaseUrl,
      REQASE_PGBOSS_SCHEMA: `${schema}_boss`,
      REQASE_DATA_DIR: directory,
    });
    servers.push(await startApiServer(directories[0]!, env(directories[0]!)));
    // A short warm-up so neither phase pays for first requests.
    await runClients(4, 1, (_, round) => requestFor(servers[0]!.url, round));
    const one = await measure(servers, options);
    servers.push(await startApiServer(directories[1]!, env(directories[1]!)));
    await runClients(4, 1, (_, round) => requestFor(servers[1]!.url, round));
    const two = await measure(servers, options);
    const benchmark = 'scale-out (PostgreSQL, read API)';
    const machine = `${cpus().length} cores shared by the instances, PostgreSQL and the clients`;
    return [
      {
        benchmark,
        metric: 'throughput, 1 instance',
        value: one.perSecond,
        unit: 'req/s',
        note: `${options.clients} clients for ${options.seconds} s; p99 ${one.p99.toFixed(0)} ms; ${one.errors} errors of ${one.total}`,
      },
      {
        benchmark,
        metric: 'throughput, 2 instances',
        value: two.perSecond,
        unit: 'req/s',
        baseline: one.perSecond,
        baselineLabel: '1 instance',
        note: `clients spread evenly; p99 ${two.p99.toFixed(0)} ms; ${two.errors} errors of ${two.total}; ${machine}`,
      },
    ];
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const name of [schema, `${schema}_boss`])
        await client.query(`drop schema if exists "${name}" cascade`);
    } finally {
      await client.end();
    }
  }
}
