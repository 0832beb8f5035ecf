/**
 * Admission control for reads. Under more requests than the server can answer, Node accepts every
 * one, starts all their handlers together, and one event-loop turn then runs the synchronous
 * SQLite work of all of them: measured with 200 clients, turns of up to 10.8 s and 10 s client
 * timeouts while the median stayed low (see bench/load.ts). Here reads start in arrival order,
 * at most `concurrency` at once and for at most `turnMilliseconds` of one turn of the event loop;
 * the rest wait for a later turn, so sockets, timers and writes are served in between, and a read
 * that could not start within `maxWaitMilliseconds` is answered 503 with Retry-After instead of late.
 */
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from './context.ts';
import { HttpError } from './errors.ts';

export interface ReadAdmissionOptions {
  /** Reads handled at once. Default: 8. */
  concurrency?: number;
  /** How long a read may wait for its turn before it is answered 503, in ms. Default: 5000. */
  maxWaitMilliseconds?: number;
  /**
   * How long reads may run in one turn of the event loop before the next read waits for a later
   * turn, in ms. Default: 5. A read of SQLite runs to its end without giving the turn back: 200
   * of them that arrived together took one 225 ms turn, in which no other socket or timer was served.
   */
  turnMilliseconds?: number;
  /** Paths admitted at once whatever the load (health, for load balancers). Default: `/api/health`. */
  exemptPaths?: readonly string[];
}

interface Waiter {
  admit(): void;
  /** Resolves when the admitted read has ended. */
  ended: Promise<void>;
  end(): void;
}

/**
 * Limits concurrent `GET`/`HEAD` requests (event streams excepted: they last). Writes pass
 * straight through: they are few, and some (generation, push) run for minutes.
 *
 * @example app.use('/api/*', readAdmission({ concurrency: 8 }));
 */
export function readAdmission(options: ReadAdmissionOptions = {}): MiddlewareHandler<ServerEnv> {
  const concurrency = options.concurrency ?? 8;
  const maxWaitMilliseconds = options.maxWaitMilliseconds ?? 5000;
  const exemptPaths = new Set(options.exemptPaths ?? ['/api/health']);
  const turns = turnClock(options.turnMilliseconds ?? 5);
  let running = 0;
  const waiting: Waiter[] = [];
  let pumping = false;

  const canStart = () => running < concurrency && turns.hasTimeLeft();

  // Starts waiting reads in order while the turn has time left; the rest on a later turn. A read
  // of SQLite ends in the microtasks that follow its start, so its time counts before the next
  // starts; one that waits for I/O (PostgreSQL) lets the next start on the next turn.
  const pump = async () => {
    while (waiting.length > 0 && canStart()) {
      const waiter = waiting.shift()!;
      running += 1;
      waiter.admit();
      await Promise.race([waiter.ended, new Promise<void>((resolve) => setImmediate(resolve))]);
    }
    pumping = false;
    // Out of time in this turn: go on in the next. Out of slots: the next read to end starts
    // the pump again (rescheduling now would spin every turn while reads wait on I/O).
    if (waiting.length > 0 && running < concurrency) schedulePump();
  };
  const schedulePump = () => {
    if (pumping) return;
    pumping = true;
    setImmediate(() => void pump());
  };

  const waitForTurn = (): Promise<Waiter | undefined> =>
    new Promise((resolve) => {
      let end!: () => void;
      const ended = new Promise<void>((settle) => (end = settle));
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(timer);
          resolve(waiter);
        },
        ended,
        end,
      };
      const timer = setTimeout(() => {
        const index = waiting.indexOf(waiter);
        if (index < 0) return; // already started
        waiting.splice(index, 1);
        resolve(undefined);
      }, maxWaitMilliseconds);
      waiting.push(waiter);
      schedulePump();
    });

  return async (c, next) => {
    const read = c.req.method === 'GET' || c.req.method === 'HEAD';
    if (
      !read ||
      exemptPaths.has(c.req.path) ||
      (c.req.header('accept') ?? '').includes('text/event-stream')
    ) {
      return next();
    }
    // Behind waiting reads, a new one waits too: arrival order is kept.
    let waiter: Waiter | undefined;
    if (waiting.length === 0 && canStart()) {
      running += 1;
    } else {
      waiter = await waitForTurn();
      if (waiter === undefined) {
        c.header('Retry-After', '1');
        throw new HttpError(
          503,
          'overloaded',
          `The server is answering more requests than it can; this one waited ${maxWaitMilliseconds} ms for its turn.`,
          { fix: 'Try again after the Retry-After delay (1 s), or send fewer requests at once.' },
        );
      }
    }
    try {
      await next();
    } finally {
      running -= 1;
      waiter?.end();
      if (waiting.length > 0) schedulePump();
    }
  };
}

/**
 * The time reads have had in the current turn of the event loop. A turn's clock starts with its
 * first read and stops at the next check phase (`setImmediate`), where waiting reads get a turn
 * of their own: reads started then are timed from there.
 */
function turnClock(turnMilliseconds: number) {
  let started: number | undefined;
  return {
    hasTimeLeft(): boolean {
      const now = performance.now();
      if (started === undefined) {
        started = now;
        setImmediate(() => (started = undefined));
      }
      return now - started < turnMilliseconds;
    },
  };
}
