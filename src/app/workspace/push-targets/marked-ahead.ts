import type { PushItem, PushRecorder } from './types.ts';

/** How many upcoming cases `sendMarkedAhead` marks in one write. */
export const MARK_AHEAD = 50;

/**
 * Sends the items one by one through `send`, first marking the new ones among the next
 * `MARK_AHEAD` as creating in one write (which also records the results reported so far), instead
 * of a write per case. A case marked but not sent yet is looked up by a resumed push and, not
 * found, created then.
 */
export async function sendMarkedAhead(
  items: readonly PushItem[],
  recorder: PushRecorder,
  send: (item: PushItem) => Promise<void>,
): Promise<void> {
  for (let start = 0; start < items.length; start += MARK_AHEAD) {
    const chunk = items.slice(start, start + MARK_AHEAD);
    // Only cases without a row: a `creating` row is kept as it is, and so is a `pushed` one.
    await recorder.markCreating(chunk.filter((item) => item.pushed === undefined));
    for (const item of chunk) await send(item);
  }
}

/**
 * `list`, asked once per key: what a resumed push looks for its marked cases in (a section's or a
 * folder's cases), as it was when the push first looked. Cases this push creates are not in it,
 * and need not be: only a case marked by an earlier push is looked for.
 */
export function listedOnce<Key, Value>(list: (key: Key) => Promise<Value>): (key: Key) => Promise<Value> {
  const listed = new Map<Key, Promise<Value>>();
  return (key) => {
    let value = listed.get(key);
    if (!value) {
      value = list(key);
      listed.set(key, value);
    }
    return value;
  };
}
