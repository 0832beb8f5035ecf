/**
 * The runs of jobs in this process and their listeners: a cancel stops the local runs before it
 * returns, the server starts a job in the background once, and event streams subscribe here.
 * Over the job bus (PostgreSQL `LISTEN/NOTIFY`) the events of runs in other processes reach this
 * one's listeners, and a cancel sent by another process stops the runs here at once.
 */
import {
  createLocalJobBus,
  type JobBus,
  type JobBusMessage,
  type JobEvent,
  type JobEventListener,
} from '../../jobs/index.ts';
import type { JobRunOptions, JobRunResult } from './job-types.ts';

interface LocalRun {
  controller: AbortController;
  done: Promise<JobRunResult>;
}

export interface JobRunRegistry {
  /**
   * Registers a run of the job (before the first await, so a cancel right after reaches it) and
   * starts `work` with a signal that aborts on `options.signal` or `stop`.
   */
  start(
    jobId: string,
    options: Pick<JobRunOptions, 'signal'>,
    work: (signal: AbortSignal) => Promise<JobRunResult>,
  ): Promise<JobRunResult>;
  /** The first run of the job going on here, if any. */
  running(jobId: string): Promise<JobRunResult> | undefined;
  /** Aborts the job's runs (every job's without an id) and waits for them to end. */
  stop(reason: string, jobId?: string): Promise<void>;
  subscribe(jobId: string, listener: JobEventListener): () => void;
  /**
   * Tells the run's own listener and every subscriber, here and in the other processes on the
   * bus; a failing listener never stops the job.
   */
  emit(jobId: string, event: JobEvent, own?: JobEventListener): void;
  /** Resolves once events and cancels of other processes reach this one. */
  listening(): Promise<void>;
  /** Tells the other processes on the bus to stop their runs of the job. */
  announceCancel(jobId: string, reason: string): Promise<void>;
  /** Stops listening to the bus and closes it. */
  close(): Promise<void>;
}

/** Events other processes need: what an event stream shows (not the start of each story). */
const SHARED_EVENTS: ReadonlySet<JobEvent['kind']> = new Set([
  'task-end',
  'task-fail',
  'task-retry',
  'job-progress',
  'job-end',
]);

export function createJobRunRegistry(bus: JobBus = createLocalJobBus()): JobRunRegistry {
  const runs = new Map<string, Set<LocalRun>>();
  const listeners = new Map<string, Set<JobEventListener>>();
  let unsubscribeBus: (() => void) | undefined;

  function stopLocal(reason: string, jobId?: string): Promise<void> {
    const local =
      jobId === undefined ? [...runs.values()].flatMap((set) => [...set]) : [...(runs.get(jobId) ?? [])];
    for (const entry of local) entry.controller.abort(reason);
    return Promise.allSettled(local.map((entry) => entry.done)).then(() => undefined);
  }

  function receive(message: JobBusMessage): void {
    if (message.kind === 'cancel') {
      void stopLocal(message.reason, message.jobId);
      return;
    }
    for (const listener of listeners.get(message.jobId) ?? []) safely(listener, message.event);
  }

  /** Listens to the bus once something here cares: a run (for cancels) or a listener. */
  function listen(): void {
    unsubscribeBus ??= bus.subscribe(receive);
  }

  return {
    start(jobId, options, work) {
      listen();
      const controller = new AbortController();
      const onAbort = () => controller.abort(options.signal?.reason);
      if (options.signal?.aborted) controller.abort(options.signal.reason);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const set = runs.get(jobId) ?? new Set<LocalRun>();
      runs.set(jobId, set);
      const local: LocalRun = { controller, done: Promise.resolve(undefined as unknown as JobRunResult) };
      set.add(local);
      local.done = (async () => {
        try {
          return await work(controller.signal);
        } finally {
          options.signal?.removeEventListener('abort', onAbort);
          set.delete(local);
          if (set.size === 0 && runs.get(jobId) === set) runs.delete(jobId);
        }
      })();
      return local.done;
    },

    running(jobId) {
      const existing = runs.get(jobId);
      return existing?.size ? [...existing][0]!.done : undefined;
    },

    stop: stopLocal,

    subscribe(jobId, listener) {
      listen();
      const set = listeners.get(jobId) ?? new Set<JobEventListener>();
      set.add(listener);
      listeners.set(jobId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(jobId);
      };
    },

    emit(jobId, event, own) {
      safely(own, event);
      for (const listener of listeners.get(jobId) ?? []) safely(listener, event);
      // Fire and forget: a lost message only delays what other processes read from the database.
      if (SHARED_EVENTS.has(event.kind)) bus.publish({ kind: 'event', jobId, event }).catch(() => undefined);
    },

    async listening() {
      listen();
      await bus.listening();
    },

    async announceCancel(jobId, reason) {
      await bus.publish({ kind: 'cancel', jobId, reason });
    },

    async close() {
      unsubscribeBus?.();
      await bus.close();
    },
  };
}

function safely(listener: JobEventListener | undefined, event: JobEvent): void {
  try {
    listener?.(event);
  } catch {
    // A closed terminal or event stream must not stop the job.
  }
}
