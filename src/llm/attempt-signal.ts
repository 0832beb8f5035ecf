/**
 * The abort signal of one attempt. It fires when the caller cancels, when the attempt is silent
 * for longer than the timeout (re-armed on every stream chunk), or when the call's deadline comes,
 * and remembers which came first so that the error can say so.
 */
import type { Clock } from './limits.ts';

/** Why an attempt's signal fired. */
export type AbortCause = 'cancelled' | 'attempt-timeout' | 'deadline';

export interface AttemptSignalOptions {
  /** The caller's signal; its abort cancels the attempt. */
  callerSignal: AbortSignal | undefined;
  /** Longest silence of one attempt, in ms. */
  timeoutMilliseconds: number;
  /** When the whole call must end (clock time, ms); `Infinity` for none. */
  deadlineAt: number;
  clock: Clock;
}

export class AttemptSignal {
  private readonly controller = new AbortController();
  private firstCause: AbortCause | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallerAbort = (): void => this.abort('cancelled');

  constructor(private readonly options: AttemptSignalOptions) {
    if (options.callerSignal?.aborted) this.abort('cancelled');
    options.callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.rearm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the signal fired, `undefined` while it has not. */
  get abortCause(): AbortCause | undefined {
    return this.firstCause;
  }

  /** Starts the silence timer again (a chunk arrived). */
  rearm(): void {
    if (this.timer) clearTimeout(this.timer);
    const { clock, timeoutMilliseconds, deadlineAt } = this.options;
    const left = deadlineAt - clock.now();
    const wait = Math.max(1, Math.min(timeoutMilliseconds, left));
    this.timer = setTimeout(
      () => this.abort(left < timeoutMilliseconds ? 'deadline' : 'attempt-timeout'),
      wait,
    );
  }

  /** Stops the timer and stops listening to the caller's signal. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.options.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private abort(cause: AbortCause): void {
    if (this.firstCause) return;
    this.firstCause = cause;
    this.controller.abort(new Error(cause));
  }
}
