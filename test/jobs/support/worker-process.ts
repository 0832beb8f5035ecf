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
import { runJobWorker } from '../../../src/jobs/index.ts';
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

try {
  const result = await runJobWorker({
    storage,
    jobId: options.jobId,
    workerId: options.workerId,
    concurrency: options.concurrency,
    leaseMilliseconds: options.leaseMilliseconds,
    heartbeatIntervalMilliseconds: Math.max(20, Math.floor(options.leaseMilliseconds / 4)),
    pollIntervalMilliseconds: 50,
    generateForStory: async (story, { signal }) => {
      // Some tens of ms, like a fast endpoint; random so kills land at different points.
      await new Promise((resolve) => setTimeout(resolve, options.delayMilliseconds * (0.5 + Math.random())));
      signal.throwIfAborted();
      return completionFor(story);
    },
    onEvent: (event) => print({ ...event, workerId: options.workerId }),
  });
  print({
    kind: 'worker-result',
    reason: result.reason,
    status: result.job?.status,
    completed: result.completed,
  });
} finally {
  await storage.close();
}
