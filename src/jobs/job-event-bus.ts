/**
 * Job messages between the processes that share a database: progress events of a run, so a client
 * following the job on any server instance sees them, and cancellations, so the instance running
 * the job stops it at once. On PostgreSQL through `LISTEN/NOTIFY`; a single SQLite process needs
 * none (`createLocalJobBus`).
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { deliver } from './bus-listeners.ts';
import type { JobEvent } from './types.ts';

/** What goes over the bus. */
export type JobBusMessage =
  { kind: 'event'; jobId: string; event: JobEvent } | { kind: 'cancel'; jobId: string; reason: string };

export type JobBusListener = (message: JobBusMessage) => void;

export interface JobBus {
  /** Sends to every other process on the bus (never back to this one). */
  publish(message: JobBusMessage): Promise<void>;
  /** Messages of other processes; returns the unsubscribe function. */
  subscribe(listener: JobBusListener): () => void;
  /** Resolves once messages of other processes are received (rejects when the bus cannot listen). */
  listening(): Promise<void>;
  close(): Promise<void>;
}

/** The bus of a single process: nothing to tell anyone. */
export function createLocalJobBus(): JobBus {
  return {
    publish: async () => undefined,
    subscribe: () => () => undefined,
    listening: async () => undefined,
    close: async () => undefined,
  };
}

export interface PgJobBusOptions {
  connectionString: string;
  /** The `NOTIFY` channel. Default: `reqase_jobs`. */
  channel?: string;
  /** Reports a lost connection (it is opened again on the next publish or subscribe). */
  onError?: (error: Error) => void;
}

/** A `NOTIFY` payload must stay under 8000 bytes: long error texts are cut. */
const MAX_TEXT = 1000;

/**
 * The bus over PostgreSQL `LISTEN/NOTIFY`, on one connection of its own opened on first use.
 *
 * @example
 * const bus = createPgJobBus({ connectionString: process.env.DATABASE_URL! });
 * bus.subscribe((message) => console.log(message.kind, message.jobId));
 * await bus.publish({ kind: 'cancel', jobId, reason: 'cancelled by user' });
 */
export function createPgJobBus(options: PgJobBusOptions): JobBus {
  const channel = options.channel ?? 'reqase_jobs';
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) {
    throw new Error(`"${channel}" is not a usable NOTIFY channel: use lower-case letters, digits and _.`);
  }
  const origin = randomBytes(8).toString('hex');
  const listeners = new Set<JobBusListener>();
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let sending: Promise<void> = Promise.resolve();

  const receive = (notification: pg.Notification) => {
    if (notification.channel !== channel || !notification.payload) return;
    let parsed: { origin: string; message: JobBusMessage };
    try {
      parsed = JSON.parse(notification.payload) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.origin === origin) return;
    deliver(listeners, parsed.message);
  };

  function connection(): Promise<pg.Client> {
    if (closed) return Promise.reject(new Error('The job bus is closed.'));
    connecting ??= (async () => {
      const client = new pg.Client({ connectionString: options.connectionString });
      client.on('notification', receive);
      client.on('error', (error) => {
        connecting = undefined;
        options.onError?.(error);
        void client.end().catch(() => undefined);
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${channel}`);
      } catch (error) {
        connecting = undefined;
        await client.end().catch(() => undefined);
        throw error;
      }
      return client;
    })();
    return connecting;
  }

  return {
    publish(message) {
      const payload = JSON.stringify({ origin, message: shortened(message) });
      // One query at a time on the connection: notifications leave in the order they were sent.
      const sent = sending.then(async () => {
        const client = await connection();
        await client.query('select pg_notify($1, $2)', [channel, payload]);
      });
      sending = sent.catch(() => undefined);
      return sent;
    },
    subscribe(listener) {
      listeners.add(listener);
      // Listen at once, so that nothing sent from now on is missed.
      connection().catch((error: Error) => options.onError?.(error));
      return () => listeners.delete(listener);
    },
    async listening() {
      await connection();
    },
    async close() {
      closed = true;
      listeners.clear();
      const open = connecting;
      connecting = undefined;
      if (open) await (await open.catch(() => undefined))?.end().catch(() => undefined);
    },
  };
}

function shortened(message: JobBusMessage): JobBusMessage {
  if (message.kind !== 'event') return { ...message, reason: message.reason.slice(0, MAX_TEXT) };
  const { event } = message;
  if (event.kind === 'task-fail' || event.kind === 'task-retry') {
    return { ...message, event: { ...event, error: event.error.slice(0, MAX_TEXT) } };
  }
  return message;
}
