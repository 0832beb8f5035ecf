/**
 * Admission control for reads. Under more requests than the server can answer, Node accepts every
 * one, starts all their handlers together, and one event-loop turn then runs the synchronous
 * SQLite work of all of them: measured with 200 clients, turns of up to 10.8 s and 10 s client
 * timeouts while the median stayed low (see bench/load.ts). Here at most `concurrency` reads run
 * at once; the others wait their turn in arrival order, so waiting is shared fairly, and a read that
 * could not start within `maxWaitMilliseconds` is answered 503 with Retry-After instead of late.
 */
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from './context.ts';
import { HttpError } from './errors.ts';

export interface ReadAdmissionOptions {
  /** Reads handled at once. Default: 8. */
  concurrency?: number;
  /** How long a read may wait for its turn before it is answered 503, in ms. Default: 5000. */
  maxWaitMilliseconds?: number;
  /** Paths admitted at once whatever the load (health, for load balancers). Default: `/api/health`. */
  exemptPaths?: readonly string[];
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
  let running = 0;
  const waiting: Array<{ admit: () => void }> = [];

  // The next read starts on a later event-loop turn: admitted straight away, a whole queue of
  // reads (synchronous SQLite behind promises) would run in one turn of microtasks, and no
  // socket, timer or write would be served meanwhile.
  const release = () => {
    const next = waiting.shift();
    if (next) setImmediate(next.admit);
    else running -= 1;
  };

  return async (c, next) => {
    const read = c.req.method === 'GET' || c.req.method === 'HEAD';
    if (
      !read ||
      exemptPaths.has(c.req.path) ||
      (c.req.header('accept') ?? '').includes('text/event-stream')
    ) {
      return next();
    }
    if (running < concurrency) {
      running += 1;
    } else {
      const admitted = await new Promise<boolean>((resolve) => {
        const entry = {
          admit: () => {
            clearTimeout(timer);
            resolve(true);
          },
        };
        const timer = setTimeout(() => {
          const index = waiting.indexOf(entry);
          if (index < 0) return; // already given a slot, starting on the next turn
          waiting.splice(index, 1);
          resolve(false);
        }, maxWaitMilliseconds);
        waiting.push(entry);
      });
      // Admitted: the slot of the request that finished passed straight to this one.
      if (!admitted) {
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
      release();
    }
  };
}
