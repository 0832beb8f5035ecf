/**
 * A JSON response whose one large array is serialised a slice at a time, with a turn of the event
 * loop between slices. `c.json` of a 10,000-story import result is one synchronous
 * `JSON.stringify` of several megabytes (a fifth of a second and more), during which no other
 * request is answered. The bytes are the same JSON, with the array's field last.
 */

import type { TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';

/** Items serialised between two turns of the event loop. */
const ITEMS_PER_SLICE = 200;

/**
 * The answer's type is the one `c.json(value, 200)` has (hono's `JSONRespondReturn`), so a route
 * returning it is checked against the response schema it declares, as with `c.json`.
 */
export type JsonInSlicesResponse<Value> = Response & TypedResponse<JSONParsed<Value>, 200, 'json'>;

/**
 * @example
 * return jsonInSlices(await workspace.stories.importStories(project, input), 'stories');
 */
export function jsonInSlices<Value extends object>(
  value: Value,
  field: keyof Value & string,
): JsonInSlicesResponse<Value> {
  const { [field]: items, ...rest } = value as Record<string, unknown>;
  const list = Array.isArray(items) ? items : [];
  const head = JSON.stringify(rest).slice(0, -1);
  const encoder = new TextEncoder();
  let index = -1;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index < 0) {
        controller.enqueue(encoder.encode(`${head}${head === '{' ? '' : ','}${JSON.stringify(field)}:[`));
        index = 0;
        return;
      }
      await new Promise((resolve) => setImmediate(resolve));
      const slice = list.slice(index, index + ITEMS_PER_SLICE).map((item) => JSON.stringify(item) ?? 'null');
      const separator = index === 0 ? '' : ',';
      index += ITEMS_PER_SLICE;
      controller.enqueue(encoder.encode(`${slice.length > 0 ? separator : ''}${slice.join(',')}`));
      if (index >= list.length) {
        controller.enqueue(encoder.encode(']}'));
        controller.close();
      }
    },
  });
  // The body is the JSON of `value`: the type says so, as `c.json` declares its own answer.
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'application/json' },
  }) as JsonInSlicesResponse<Value>;
}
