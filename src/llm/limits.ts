/**
 * Per-provider limits: a concurrency semaphore and rolling one-minute windows for requests and
 * tokens. Time comes from the injected clock so tests can run a minute in no time.
 */

export interface Clock {
  /** Milliseconds since some origin (Date.now by default). */
  now(): number;
  /** Waits `milliseconds`; rejects with the signal's reason when it aborts. */
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (milliseconds, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, milliseconds);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Lets at most `limit` holders in at once; the others wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<{ resolve: () => void; reject: (reason: unknown) => void }> = [];

  constructor(private readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  /** Resolves with a release function once a slot is free. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const entry = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          resolve(this.releaser());
        },
        reject,
      };
      const onAbort = (): void => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.resolve();
    };
  }
}

const windowMilliseconds = 60_000;

/** A reservation in the rolling window; `settle` replaces the estimate with actual usage. */
export interface RateReservation {
  settle(actualTokens: number): void;
}

/**
 * Requests-per-minute and tokens-per-minute over a rolling minute. `reserve` waits (with the
 * injected clock) until the request fits, then records it.
 */
export class RollingMinuteLimiter {
  private readonly entries: Array<{ at: number; tokens: number }> = [];

  constructor(
    private readonly limits: { requestsPerMinute?: number | undefined; tokensPerMinute?: number | undefined },
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.limits.requestsPerMinute !== undefined || this.limits.tokensPerMinute !== undefined;
  }

  async reserve(tokens: number, signal?: AbortSignal): Promise<RateReservation> {
    for (;;) {
      const now = this.clock.now();
      while (this.entries.length > 0 && (this.entries[0]?.at ?? 0) <= now - windowMilliseconds)
        this.entries.shift();
      const wait = this.waitFor(tokens, now);
      if (wait <= 0) break;
      await this.clock.sleep(wait, signal);
    }
    const entry = { at: this.clock.now(), tokens };
    this.entries.push(entry);
    return {
      settle: (actualTokens) => {
        entry.tokens = actualTokens;
      },
    };
  }

  /** Milliseconds until a request of `tokens` fits; 0 when it fits now. */
  private waitFor(tokens: number, now: number): number {
    const oldest = this.entries[0];
    if (!oldest) return 0;
    const untilOldestExpires = oldest.at + windowMilliseconds - now;
    const { requestsPerMinute, tokensPerMinute } = this.limits;
    if (requestsPerMinute !== undefined && this.entries.length >= requestsPerMinute)
      return untilOldestExpires;
    if (tokensPerMinute !== undefined) {
      const used = this.entries.reduce((sum, entry) => sum + entry.tokens, 0);
      if (used + tokens > tokensPerMinute) return untilOldestExpires;
    }
    return 0;
  }
}
