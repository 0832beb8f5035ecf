import { inspect } from 'node:util';
import type { Clock } from '../../src/llm/index.ts';

/** A clock whose `sleep` returns at once and moves time forward; records every wait. */
export function createFakeClock(start = 1_000_000): Clock & { sleeps: number[] } {
  let time = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    sleep: async (milliseconds, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(milliseconds);
      time += milliseconds;
    },
  };
}

export const testKey = 'sk-test-SECRET0123456789abcdefWXYZ';

export const hello = { messages: [{ role: 'user' as const, content: 'Generate test cases for login' }] };

/** Everything a person or a log could see of an error, joined, to search for the key. */
export function everythingVisible(error: unknown): string {
  const parts: string[] = [inspect(error, { depth: 10, showHidden: true })];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '', String(current));
      try {
        parts.push(JSON.stringify(current));
      } catch {
        // Circular structures are fine to skip.
      }
      parts.push(JSON.stringify(Object.fromEntries(Object.entries(current))));
      current = current.cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  return parts.join('\n');
}
