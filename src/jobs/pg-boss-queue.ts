import PgBoss from 'pg-boss';
import type { JobRecord, JobTaskRecord } from '../core/repositories.ts';
import { ConfigurationError } from '../shared/errors.ts';
import {
  claimAheadOf,
  createTaskExecutor,
  DEFAULT_LEASE_MILLISECONDS,
  defaultWorkerId,
  JobSource,
  type JobWorkerOptions,
  type JobWorkerResult,
} from './job-worker.ts';
import { isFinalJobStatus, type JobQueue } from './jobs.ts';
import type { TaskExecutor } from './task-executor.ts';
import type { JobStorage } from './types.ts';

/**
 * On PostgreSQL, pg-boss carries one message per task so `reqase worker` processes on any number
 * of machines share a job. The job tables stay the truth: a message is a trigger to claim a task
 * of its job (`claimNextTask`, SKIP LOCKED) and the result is stored with the idempotent
 * `completeTask`, so a redelivered or duplicated message never stores a story twice.
 */

/** The pg-boss queue bulk generation uses. */
export const GENERATION_QUEUE_NAME = 'reqase-generation';

export interface PgBossConnectionOptions {
  /** The PostgreSQL database (`DATABASE_URL`); pg-boss keeps its tables there. */
  connectionString: string;
  /** pg-boss's own schema. Default: `pgboss`. Tests give each run its own. */
  schema?: string;
  /** Default: `reqase-generation`. */
  queueName?: string;
  /**
   * How long a message may stay taken by a worker that stopped answering before pg-boss hands it
   * out again, in seconds; also the longest one story may take. Default: 900.
   */
  messageExpireSeconds?: number;
}

/** The message of one task (or, without `taskId`, a wake-up for any task of the job). */
interface TaskMessage {
  jobId: string;
  taskId?: string;
}

export interface PgBossJobQueue extends JobQueue {
  close(): Promise<void>;
}

function resolveConnection(options: PgBossConnectionOptions) {
  if (!/^postgres(ql)?:\/\//i.test(options.connectionString)) {
    throw new ConfigurationError('The pg-boss queue needs a PostgreSQL database.', {
      fix: 'Use a PostgreSQL database (DATABASE_URL) for the shared queue, or run jobs in-process on SQLite.',
      remedies: [{ kind: 'set-setting', setting: 'jobQueueDatabase' }],
    });
  }
  const schema = options.schema ?? 'pgboss';
  if (!/^[a-z_][a-z0-9_]*$/i.test(schema)) {
    throw new ConfigurationError(`"${schema}" is not a usable pg-boss schema name.`, {
      fix: 'Use letters, digits and underscores only, starting with a letter.',
    });
  }
  return {
    schema,
    queueName: options.queueName ?? GENERATION_QUEUE_NAME,
    expireInSeconds: options.messageExpireSeconds ?? 900,
  };
}

async function startBoss(options: PgBossConnectionOptions, extra: PgBoss.ConstructorOptions = {}) {
  const { schema, queueName, expireInSeconds } = resolveConnection(options);
  const boss = new PgBoss({ connectionString: options.connectionString, schema, max: 4, ...extra });
  // Errors of background maintenance must not crash the process; the next run retries.
  boss.on('error', () => undefined);
  await boss.start();
  await createQueue(boss, queueName, { name: queueName, retryLimit: 20, retryDelay: 1, expireInSeconds });
  return { boss, queueName, expireInSeconds };
}

/** How many times a queue creation that PostgreSQL ended as a deadlock is tried again. */
const QUEUE_CREATION_ATTEMPTS = 5;

/**
 * pg-boss's `createQueue`, again when PostgreSQL ended it as a deadlock victim (40P01). Two
 * processes or requests creating the queue at once on a database where it does not exist yet
 * (the first two job starts) lock the queue row and the job table in opposite orders, and one
 * of them is rolled back; run again, it finds the queue the other created and does nothing.
 */
async function createQueue(boss: PgBoss, name: string, options: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(name, options);
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== '40P01' || attempt >= QUEUE_CREATION_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/**
 * Opens the pg-boss queue on which `createJob` announces tasks.
 *
 * @example
 * const queue = await createPgBossQueue({ connectionString: process.env.DATABASE_URL! });
 * await createJob(storage, { projectId, storyIds }, { queue });
 * await queue.close();
 */
export async function createPgBossQueue(options: PgBossConnectionOptions): Promise<PgBossJobQueue> {
  // A sender only: no maintenance or scheduling from processes that merely create jobs.
  const { boss, queueName } = await startBoss(options, { supervise: false, schedule: false });
  return {
    async enqueueTasks(jobId, taskIds) {
      for (let index = 0; index < taskIds.length; index += 500) {
        await boss.insert(
          taskIds.slice(index, index + 500).map((taskId) => ({
            name: queueName,
            data: { jobId, taskId } satisfies TaskMessage,
          })),
        );
      }
    },
    close: () => boss.stop({ graceful: false, wait: true }),
  };
}

export interface PgBossWorkerOptions
  extends
    PgBossConnectionOptions,
    Omit<JobWorkerOptions, 'jobId' | 'stopWhenIdle' | 'pollIntervalMilliseconds' | 'signal'> {
  /** How often an idle worker asks pg-boss for messages, in seconds (at least 0.5). Default: 1. */
  pollingIntervalSeconds?: number;
  /**
   * How often this worker puts back tasks left by a crashed worker (expired lease) and sends
   * wake-up messages for tasks without one, in ms. Default: half the lease, so a killed worker's
   * stories run again at most 1.5 leases after it died (15 s with the default lease).
   */
  sweepIntervalMilliseconds?: number;
}

export interface PgBossWorker {
  readonly workerId: string;
  /** Stops taking messages, gives running tasks back (they get a new message), and closes pg-boss. */
  stop(): Promise<Omit<JobWorkerResult, 'reason' | 'job'>>;
}

/**
 * Starts a worker (`reqase worker` on PostgreSQL) that takes task messages from pg-boss, up to
 * `concurrency` at a time, until `stop()`.
 *
 * @example
 * const worker = await startPgBossWorker({ connectionString, storage, generateForStory, concurrency: 4 });
 * process.once('SIGTERM', () => void worker.stop());
 */
export async function startPgBossWorker(options: PgBossWorkerOptions): Promise<PgBossWorker> {
  const { storage } = options;
  const leaseMilliseconds = options.leaseMilliseconds ?? DEFAULT_LEASE_MILLISECONDS;
  const workerId = options.workerId ?? defaultWorkerId();
  // Slots waiting at the provider's limit (`claimAhead`) are pollers too.
  const concurrency = (options.concurrency ?? 4) + claimAheadOf(options);
  const onEvent = options.onEvent ?? (() => undefined);
  const executor = createTaskExecutor(options, {
    workerId,
    leaseMilliseconds,
    onEvent,
    onChange: () => undefined,
  });
  const { boss, queueName } = await startBoss(options);
  const handler = new TaskMessageHandler({
    boss,
    queueName,
    executor,
    source: new JobSource({ storage, jobId: undefined, workerId, leaseMilliseconds, onEvent }),
    storage,
    workerId,
    leaseMilliseconds,
    clock: options.clock ?? (() => new Date()),
    drainMilliseconds: Math.min(((options.messageExpireSeconds ?? 900) * 1000) / 3, 5 * 60_000),
  });

  // One pg-boss poller per concurrency slot: each takes one message at a time.
  for (let slot = 0; slot < concurrency; slot++) {
    await boss.work<TaskMessage>(
      queueName,
      { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
      async (messages) => {
        for (const message of messages) {
          if (handler.stopping)
            throw new Error('The worker is stopping; the message goes to another worker.');
          await handler.handle(message.data);
        }
      },
    );
  }

  let sweeping = false;
  const sweepTimer = setInterval(
    () => {
      if (sweeping || handler.stopping) return;
      sweeping = true;
      handler
        .sweep()
        .catch(() => undefined) // The database may be briefly unreachable; the next sweep tries again.
        .finally(() => (sweeping = false));
    },
    options.sweepIntervalMilliseconds ?? leaseMilliseconds / 2,
  );
  sweepTimer.unref?.();

  return {
    workerId,
    async stop() {
      if (!handler.stopping) {
        handler.stopping = true;
        clearInterval(sweepTimer);
        await boss.offWork(queueName);
        await executor.abort('worker-stopped');
        executor.close();
        await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
      }
      return { ...executor.counts };
    },
  };
}

interface TaskMessageHandlerSettings {
  boss: PgBoss;
  queueName: string;
  executor: TaskExecutor;
  source: JobSource;
  storage: JobStorage;
  workerId: string;
  leaseMilliseconds: number;
  clock: () => Date;
  /**
   * A slot that got a task keeps claiming from the same job instead of going back to pg-boss,
   * whose poller waits out its polling interval between messages; the tables stay the source of
   * truth, so the messages of tasks drained this way just find nothing to claim. A drain is
   * bounded in time so one pg-boss message never stays active near its expiry.
   */
  drainMilliseconds: number;
}

/** What a pg-boss worker does with a task message, and its sweep for tasks of crashed workers. */
class TaskMessageHandler {
  /** Set by `stop()`: no new message or task is taken. */
  stopping = false;
  readonly #settings: TaskMessageHandlerSettings;

  constructor(settings: TaskMessageHandlerSettings) {
    this.#settings = settings;
  }

  async send(message: TaskMessage, startAfter?: Date): Promise<void> {
    const { boss, queueName, clock } = this.#settings;
    await boss.send(queueName, message, startAfter && startAfter > clock() ? { startAfter } : {});
  }

  async handle(message: TaskMessage): Promise<void> {
    const { storage, source, executor, workerId, leaseMilliseconds } = this.#settings;
    const job = await storage.jobs.get(message.jobId);
    if (!job || isFinalJobStatus(job.status)) return;
    await source.startJob(job);
    const task = await storage.jobs.claimNextTask(job.id, workerId, leaseMilliseconds);
    if (task) {
      await this.#drain(job, task);
      await executor.settleJob(job.id);
      return;
    }
    // Nothing claimable: this message's task is done, failed, waiting for its backoff or leased
    // to another worker. Keep one message for it while it is not finished.
    if (message.taskId !== undefined) {
      const own = await storage.jobs.getTask(message.taskId);
      if (own && (own.status === 'pending' || own.status === 'running')) {
        const wakeAt = own.status === 'pending' ? own.availableAt : own.lockedUntil;
        await this.send(message, wakeAt ? new Date(new Date(wakeAt).getTime() + 50) : undefined);
        return;
      }
    }
    await executor.settleJob(job.id);
  }

  /** Runs the claimed task, then keeps claiming from its job (see `drainMilliseconds`). */
  async #drain(job: JobRecord, first: JobTaskRecord): Promise<void> {
    const { storage, workerId, leaseMilliseconds, drainMilliseconds } = this.#settings;
    const drainUntil = Date.now() + drainMilliseconds;
    let task: JobTaskRecord | undefined = first;
    let current: JobRecord | undefined = job;
    while (task && current && !this.stopping) {
      await this.#runTask(current, task);
      current = await storage.jobs.get(job.id);
      if (!current || isFinalJobStatus(current.status) || this.stopping) break;
      if (Date.now() > drainUntil) {
        await this.send({ jobId: job.id }); // Hand the rest of the job back to pg-boss.
        break;
      }
      task = await storage.jobs.claimNextTask(job.id, workerId, leaseMilliseconds);
    }
  }

  async #runTask(job: JobRecord, task: JobTaskRecord): Promise<void> {
    const { storage, executor } = this.#settings;
    const outcome = await executor.start(task, job).settled;
    // The task is pending again (a retry after its backoff, or given back by a stopping
    // worker): it needs a message of its own.
    if (outcome === 'retry' || outcome === 'released') {
      const after = await storage.jobs.getTask(task.id);
      const current = await storage.jobs.get(job.id);
      if (after?.status === 'pending' && current && !isFinalJobStatus(current.status)) {
        await this.send(
          { jobId: job.id, taskId: task.id },
          after.availableAt ? new Date(after.availableAt) : undefined,
        );
      }
    }
  }

  /**
   * A worker killed mid-way leaves its messages "active" in pg-boss until they expire, and its
   * tasks leased until their lease ends. The sweep puts expired leases back to pending and, when
   * fewer messages wait than tasks do, sends wake-up messages for the difference. Extra wake-ups
   * are harmless: a message that finds nothing to claim is simply acknowledged.
   */
  async sweep(): Promise<void> {
    const { storage, boss, queueName } = this.#settings;
    const jobs = await storage.jobs.list({ status: ['queued', 'running'] });
    if (jobs.length === 0) return;
    let pendingTotal = 0;
    const pendingByJob: Array<[string, number]> = [];
    for (const job of jobs) {
      await storage.jobs.recoverExpiredLeases(job.id);
      const { pending } = await storage.jobs.progress(job.id);
      pendingTotal += pending;
      pendingByJob.push([job.id, pending]);
    }
    let missing = pendingTotal - ((await boss.getQueueSize(queueName)) ?? 0);
    for (const [jobId, pending] of pendingByJob) {
      for (let index = 0; index < pending && missing > 0; index++, missing--) await this.send({ jobId });
    }
  }
}
