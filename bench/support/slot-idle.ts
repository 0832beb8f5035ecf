/**
 * Where the provider's slots idle during a bulk run: from the times requests reached the fake
 * endpoint and how long each held its slot, the gap between a slot freeing and the next request
 * starting in it. A 429 frees its slot at once (the wait for its Retry-After is the client's,
 * outside the slot), so its gap counts as idle too: that is what the floor grants.
 */
import { percentile } from '../support.ts';

export interface SlotRequest {
  /** When the request reached the endpoint (`performance.now()`). */
  startedAt: number;
  /** How long it held its slot: the answer time, 0 for a 429. */
  heldMilliseconds: number;
}

export interface SlotIdle {
  /** Gaps between a slot freeing and the next request starting in it, in ms. */
  meanGapMilliseconds: number;
  p95GapMilliseconds: number;
  maxGapMilliseconds: number;
  /** Every gap added up, in slot-seconds, and as a share of slots × wall time. */
  idleSlotSeconds: number;
  idleShare: number;
}

/**
 * Replays the requests over `concurrency` slots that all free at `startedAt`: each request takes
 * the slot that freed first, so its gap is how long that slot waited for it.
 */
export function slotIdle(
  requests: SlotRequest[],
  concurrency: number,
  startedAt: number,
  wallMilliseconds: number,
): SlotIdle {
  const freeAt = Array.from({ length: concurrency }, () => startedAt);
  const gaps: number[] = [];
  for (const request of [...requests].sort((left, right) => left.startedAt - right.startedAt)) {
    let slot = 0;
    for (let index = 1; index < freeAt.length; index++) if (freeAt[index]! < freeAt[slot]!) slot = index;
    gaps.push(Math.max(0, request.startedAt - freeAt[slot]!));
    freeAt[slot] = Math.max(freeAt[slot]!, request.startedAt) + request.heldMilliseconds;
  }
  const total = gaps.reduce((sum, gap) => sum + gap, 0);
  return {
    meanGapMilliseconds: gaps.length ? total / gaps.length : NaN,
    p95GapMilliseconds: percentile(gaps, 0.95),
    maxGapMilliseconds: gaps.length ? Math.max(...gaps) : NaN,
    idleSlotSeconds: total / 1000,
    idleShare: total / (concurrency * wallMilliseconds),
  };
}
