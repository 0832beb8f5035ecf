/**
 * The job bus between the processes of one `reqase serve --processes N` (node:cluster): each
 * server process sends its messages to the primary over the IPC channel Node opens for it, and the
 * primary passes them on to every other server process. On SQLite, where there is no
 * `LISTEN/NOTIFY`, this is what lets an event stream opened on one process follow a job that runs
 * on another, and a cancel sent to one stop the run on another.
 */
import { deliver } from './bus-listeners.ts';
import type { JobBus, JobBusListener, JobBusMessage } from './job-event-bus.ts';

/** Set to `1` in the environment of each server process the primary starts. */
export const SERVE_PROCESS_VARIABLE = 'REQASE_SERVE_PROCESS';

/** The envelope on the IPC channel; anything else on it is not the bus's. */
interface BusEnvelope {
  reqaseJobBus: JobBusMessage;
}

/** What the bus needs of an IPC channel: `process` in a server process, a cluster worker in the primary. */
export interface IpcChannel {
  send?(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

function isEnvelope(message: unknown): message is BusEnvelope {
  return typeof message === 'object' && message !== null && 'reqaseJobBus' in message;
}

/**
 * The bus of a server process started by the primary (`process` has an IPC channel then).
 *
 * @example
 * const bus = createProcessJobBus();
 * bus.subscribe((message) => console.log(message.kind, message.jobId));
 */
export function createProcessJobBus(channel: IpcChannel = process): JobBus {
  if (typeof channel.send !== 'function') {
    throw new Error('This process has no IPC channel: a process job bus needs one (node:cluster).');
  }
  const listeners = new Set<JobBusListener>();
  const receive = (message: unknown) => {
    if (isEnvelope(message)) deliver(listeners, message.reqaseJobBus);
  };
  let attached = false;
  return {
    async publish(message) {
      // The channel is gone while the process shuts down: nobody is left to tell.
      try {
        channel.send?.({ reqaseJobBus: message } satisfies BusEnvelope);
      } catch {
        // ignored, see above
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!attached) {
        attached = true;
        channel.on('message', receive);
      }
      return () => listeners.delete(listener);
    },
    async listening() {
      // The primary relays from the moment the process exists: nothing to wait for.
    },
    async close() {
      listeners.clear();
      if (attached) channel.off('message', receive);
      attached = false;
    },
  };
}

/**
 * In the primary: passes each bus message a server process sends to every other one. Returns the
 * function that stops relaying for `channel` (when its process has ended).
 *
 * @example
 * cluster.on('fork', (worker) => relayJobBus(worker, () => Object.values(cluster.workers ?? {})));
 */
export function relayJobBus(channel: IpcChannel, others: () => Iterable<IpcChannel | undefined>): () => void {
  const relay = (message: unknown) => {
    if (!isEnvelope(message)) return;
    for (const other of others()) {
      if (other === undefined || other === channel) continue;
      try {
        other.send?.(message);
      } catch {
        // That process is ending; it no longer follows any job.
      }
    }
  };
  channel.on('message', relay);
  return () => channel.off('message', relay);
}
