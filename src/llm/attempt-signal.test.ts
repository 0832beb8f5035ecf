import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttemptSignal } from './attempt-signal.ts';
import type { Clock } from './limits.ts';

/** Clock time follows vitest's fake timers, so the deadline and the timers agree. */
const clock: Clock = { now: () => Date.now(), sleep: async () => undefined };

/** An attempt signal on that clock, with no caller signal and no call deadline unless given. */
function attemptSignal(options: {
  timeoutMilliseconds: number;
  deadlineAt?: number;
  callerSignal?: AbortSignal;
}) {
  return new AttemptSignal({ callerSignal: undefined, deadlineAt: Infinity, clock, ...options });
}

describe('AttemptSignal', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires with attempt-timeout after the silence limit, and not before', () => {
    const attempt = attemptSignal({ timeoutMilliseconds: 1000 });
    vi.advanceTimersByTime(999);
    expect(attempt.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.abortCause).toBe('attempt-timeout');
  });

  it('starts the silence limit again on rearm (a chunk arrived)', () => {
    const attempt = attemptSignal({ timeoutMilliseconds: 1000 });
    vi.advanceTimersByTime(800);
    attempt.rearm();
    vi.advanceTimersByTime(800);
    expect(attempt.signal.aborted).toBe(false);
    vi.advanceTimersByTime(200);
    expect(attempt.abortCause).toBe('attempt-timeout');
  });

  it('fires with deadline when the call deadline comes before the silence limit', () => {
    const attempt = attemptSignal({ timeoutMilliseconds: 1000, deadlineAt: 300 });
    vi.advanceTimersByTime(300);
    expect(attempt.abortCause).toBe('deadline');
  });

  it('fires with cancelled when the caller aborts, also when it had already aborted', () => {
    const caller = new AbortController();
    const attempt = attemptSignal({ timeoutMilliseconds: 1000, callerSignal: caller.signal });
    caller.abort();
    expect(attempt.abortCause).toBe('cancelled');
    const late = attemptSignal({ timeoutMilliseconds: 1000, callerSignal: caller.signal });
    expect(late.abortCause).toBe('cancelled');
    late.dispose();
    attempt.dispose();
  });

  it('remembers the first cause only', () => {
    const caller = new AbortController();
    const attempt = attemptSignal({ timeoutMilliseconds: 100, callerSignal: caller.signal });
    vi.advanceTimersByTime(100);
    caller.abort();
    expect(attempt.abortCause).toBe('attempt-timeout');
  });

  it('after dispose, neither the timer nor the caller fire it', () => {
    const caller = new AbortController();
    const attempt = attemptSignal({ timeoutMilliseconds: 100, callerSignal: caller.signal });
    attempt.dispose();
    vi.advanceTimersByTime(1000);
    caller.abort();
    expect(attempt.signal.aborted).toBe(false);
    expect(attempt.abortCause).toBeUndefined();
  });
});
