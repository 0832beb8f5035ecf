/**
 * A bulk worker in its own process, for the multi-process and crash tests:
 *
 *   node --import tsx test/jobs/support/worker-process.ts '<json options>'
 *
 * Options: { url?, dataDirectory?, postgresSchema?, jobId, workerId, concurrency, leaseMilliseconds,
 * delayMilliseconds, waitForGo? }. Prints one JSON line per progress event (and `{"kind":"ready"}`
 * once the database is open); with `waitForGo` it starts only after reading a line on stdin.
 * Exits 0 when the job is finished.
 */
import { createInterface } from 'node:readline';
import { isFinalJobStatus, runJobWorker, startPgBossWorker } from '../../../src/jobs/index.ts';
import type { GenerateForStory } from '../../../src/jobs/index.ts';
import { openDatabase } from '../../../src/storage/index.ts';
import { completionFor } from './stories.ts';

interface WorkerProcessOptions {
  url?: string;
  dataDirectory?: string;
  postgresSchema?: string;
  jobId: string;
  workerId: string;
  concurrency: number;
  leaseMilliseconds: number;
  delayMilliseconds: number;
  waitForGo?: boolean;
  /** `tables` (default): `runJobWorker`; `pg-boss`: `startPgBossWorker` in this pg-boss schema, until the job is final. */
  mode?: 'tables' | 'pg-boss';
  bossSchema?: string;
  /** pg-boss mode: how often expired leases are put back. Default: the worker's (half the lease). */
  sweepIntervalMilliseconds?: number;
}

/** The same key as the storage tests' (`TEST_SECRET_KEY`); no provider keys are stored here anyway. */
const TEST_SECRET_KEY = Buffer.alloc(32, 7);

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerProcessOptions;
const print = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + '\n');

const storage = await openDatabase({
  ...(options.url !== undefined && { url: options.url }),
  ...(options.dataDirectory !== undefined && { dataDirectory: options.dataDirectory }),
  ...(options.postgresSchema !== undefined && { postgresSchema: options.postgresSchema }),
  secretKey: TEST_SECRET_KEY,
  maxConnections: 4,
});
print({ kind: 'ready' });
if (options.waitForGo) {
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
}

// Some tens of ms, like a fast endpoint; random so kills land at different points.
const generateForStory: GenerateForStory = async (story, { signal }) => {
  await new Promise((resolve) => setTimeout(resolve, options.delayMilliseconds * (0.5 + Math.random())));
  signal.throwIfAborted();
  return completionFor(story);
};
const common = {
  storage,
  workerId: options.workerId,
  concurrency: options.concurrency,
  leaseMilliseconds: options.leaseMilliseconds,
  heartbeatIntervalMilliseconds: Math.max(20, Math.floor(options.leaseMilliseconds / 4)),
  generateForStory,
  onEvent: (event: Record<string, unknown>) => print({ ...event, workerId: options.workerId }),
};

try {
  if (options.mode === 'pg-boss') {
    const worker = await startPgBossWorker({
      ...common,
      connectionString: options.url!,
      schema: options.bossSchema!,
      pollingIntervalSeconds: 0.5,
      // Default: half the lease.
      ...(options.sweepIntervalMilliseconds
        ? { sweepIntervalMilliseconds: options.sweepIntervalMilliseconds }
        : {}),
    });
    for (;;) {
      const job = await storage.jobs.get(options.jobId);
      if (!job || isFinalJobStatus(job.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const counts = await worker.stop();
    print({ kind: 'worker-result', completed: counts.completed });
  } else {
    const result = await runJobWorker({ ...common, jobId: options.jobId, pollIntervalMilliseconds: 50 });
    print({
      kind: 'worker-result',
      reason: result.reason,
      status: result.job?.status,
      completed: result.completed,
    });
  }
} finally {
  await storage.close();
}
