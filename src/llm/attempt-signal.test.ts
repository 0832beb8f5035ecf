import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttemptSignal } from './attempt-signal.ts';
import type { Clock } from './limits.ts';

/** Clock time follows vitest's fake timers, so the deadline and the timers agree. */
const clock: Clock = { now: () => Date.now(), sleep: async () => undefined };

describe('AttemptSignal', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires with attempt-timeout after the silence limit, and not before', () => {
    const attempt = new AttemptSignal({
      callerSignal: undefined,
      timeoutMilliseconds: 1000,
      deadlineAt: Infinity,
      clock,
    });
    vi.advanceTimersByTime(999);
    expect(attempt.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.abortCause).toBe('attempt-timeout');
  });

  it('starts the silence limit again on rearm (a chunk arrived)', () => {
    const attempt = new AttemptSignal({
      callerSignal: undefined,
      timeoutMilliseconds: 1000,
      deadlineAt: Infinity,
      clock,
    });
    vi.advanceTimersByTime(800);
    attempt.rearm();
    vi.advanceTimersByTime(800);
    expect(attempt.signal.aborted).toBe(false);
    vi.advanceTimersByTime(200);
    expect(attempt.abortCause).toBe('attempt-timeout');
  });

  it('fires with deadline when the call deadline comes before the silence limit', () => {
    const attempt = new AttemptSignal({
      callerSignal: undefined,
      timeoutMilliseconds: 1000,
      deadlineAt: 300,
      clock,
    });
    vi.advanceTimersByTime(300);
    expect(attempt.abortCause).toBe('deadline');
  });

  it('fires with cancelled when the caller aborts, also when it had already aborted', () => {
    const caller = new AbortController();
    const attempt = new AttemptSignal({
      callerSignal: caller.signal,
      timeoutMilliseconds: 1000,
      deadlineAt: Infinity,
      clock,
    });
    caller.abort();
    expect(attempt.abortCause).toBe('cancelled');
    const late = new AttemptSignal({
      callerSignal: caller.signal,
      timeoutMilliseconds: 1000,
      deadlineAt: Infinity,
      clock,
    });
    expect(late.abortCause).toBe('cancelled');
    late.dispose();
    attempt.dispose();
  });

  it('remembers the first cause only', () => {
    const caller = new AbortController();
    const attempt = new AttemptSignal({
      callerSignal: caller.signal,
      timeoutMilliseconds: 100,
      deadlineAt: Infinity,
      clock,
    });
    vi.advanceTimersByTime(100);
    caller.abort();
    expect(attempt.abortCause).toBe('attempt-timeout');
  });

  it('after dispose, neither the timer nor the caller fire it', () => {
    const caller = new AbortController();
    const attempt = new AttemptSignal({
      callerSignal: caller.signal,
      timeoutMilliseconds: 100,
      deadlineAt: Infinity,
      clock,
    });
    attempt.dispose();
    vi.advanceTimersByTime(1000);
    caller.abort();
    expect(attempt.signal.aborted).toBe(false);
    expect(attempt.abortCause).toBeUndefined();
  });
});
