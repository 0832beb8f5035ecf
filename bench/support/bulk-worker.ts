/**
 * A bulk generation worker in its own process, for the bulk benchmark on PostgreSQL:
 *
 *   node --import tsx bench/support/bulk-worker.ts '<json options>'
 *
 * It opens the workspace on the given database and runs the job with the workspace's real
 * per-story generation (`generateForStoryRecord`: the stored provider, the model over HTTP, parse,
 * validate), stored by the jobs layer's `completeTask`. Prints `{"kind":"ready"}` once the
 * database is open, starts after a line on stdin, prints `{"kind":"worker-result",…}` and exits 0
 * when the job is final.
 */
import { createInterface } from 'node:readline';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace } from '../../src/app/workspace/index.ts';
import { isFinalJobStatus, runJobWorker } from '../../src/jobs/index.ts';
import { openDatabase } from '../../src/storage/index.ts';

interface BulkWorkerOptions {
  url: string;
  postgresSchema: string;
  /** Hex; the key the parent stored the provider's API key with. */
  secretKeyHex: string;
  dataDirectory: string;
  jobId: string;
  workerId: string;
  concurrency: number;
  /** `pg-boss` (default on PostgreSQL): `startPgBossWorker`; `tables`: `runJobWorker`. */
  mode: 'pg-boss' | 'tables';
  bossSchema: string;
  /** The process gives up (exit 3) after this long, so it never outlives the benchmark. */
  deadlineMilliseconds: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as BulkWorkerOptions;
const print = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + '\n');
const deadline = setTimeout(() => {
  process.stderr.write(
    `bulk worker ${options.workerId}: deadline of ${options.deadlineMilliseconds} ms reached\n`,
  );
  process.exit(3);
}, options.deadlineMilliseconds);
deadline.unref();

const secretKey = Buffer.from(options.secretKeyHex, 'hex');
const storage = await openDatabase({
  url: options.url,
  postgresSchema: options.postgresSchema,
  secretKey,
  maxConnections: 4,
});
// With DATABASE_URL the workspace's jobs go through pg-boss, as `reqase worker` does on PostgreSQL.
const env: Record<string, string> = {
  REQASE_DATA_DIR: options.dataDirectory,
  ...(options.mode === 'pg-boss'
    ? { DATABASE_URL: options.url, REQASE_PGBOSS_SCHEMA: options.bossSchema }
    : {}),
};
const workspace = openWorkspace(resolveSettings(env, options.dataDirectory), { storage, secretKey });
print({ kind: 'ready' });
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();

try {
  if (options.mode === 'tables') {
    const result = await runJobWorker({
      storage,
      workerId: options.workerId,
      concurrency: options.concurrency,
      // As the app does for a model: as many again wait at the shared client's limit.
      claimAhead: options.concurrency,
      generateForStory: workspace.generation.generateForStoryRecord,
      jobId: options.jobId,
    });
    print({
      kind: 'worker-result',
      completed: result.completed,
      retried: result.retried,
      failed: result.failed,
    });
  } else {
    // `reqase worker`: the workspace's pg-boss worker, stopped once the job is final.
    const controller = new AbortController();
    const working = workspace.jobs.work({
      signal: controller.signal,
      concurrency: options.concurrency,
      pollIntervalMilliseconds: 500,
    });
    for (;;) {
      const job = await storage.jobs.get(options.jobId);
      if (!job || isFinalJobStatus(job.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    controller.abort();
    const counts = await working;
    print({
      kind: 'worker-result',
      completed: counts.completed,
      retried: counts.retried,
      failed: counts.failed,
    });
  }
} finally {
  await workspace.close();
  await storage.close();
}
