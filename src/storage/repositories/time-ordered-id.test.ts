import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id.ts';

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the time, so later ids sort after earlier ones', () => {
    const earlier = timeOrderedId(Date.UTC(2026, 11, 2, 9, 0, 0));
    const later = timeOrderedId(Date.UTC(2026, 11, 2, 9, 0, 0, 1));
    expect(earlier).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(earlier.replace('-', '').slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 2, 9, 0, 0));
    expect(later > earlier).toBe(true);
    const sameMillisecond = new Set(Array.from({ length: 1000 }, () => timeOrderedId(0)));
    expect(sameMillisecond.size).toBe(1000);
  });
});
