/** The deviations the compatibility layer absorbs, listed for documentation (README) and for the endpoint check. */

/** A deviation from the contract that the client absorbs, for documentation (README). */
export interface ToleratedDeviation {
  id: string;
  /** What the server does. */
  deviation: string;
  /** What the client does about it. */
  handling: string;
}

/** Every deviation the compatibility layer absorbs (each one adds a warning to the answer). */
export const TOLERATED_DEVIATIONS: readonly ToleratedDeviation[] = [
  {
    id: 'content-parts',
    deviation: '`message.content` is an array of `{ type: "text", text }` parts',
    handling: 'the text parts are joined in order',
  },
  {
    id: 'think-tags',
    deviation: 'reasoning inside `<think>…</think>` in the content (DeepSeek-R1, Qwen3 on Ollama, llama.cpp)',
    handling: 'the blocks are removed from the answer text and returned as `reasoning`',
  },
  {
    id: 'reasoning-field',
    deviation: 'reasoning in `reasoning_content` or `reasoning` next to `content` (vLLM, OpenRouter, Groq)',
    handling: 'returned as `reasoning`, never mixed into the answer text',
  },
  {
    id: 'missing-usage',
    deviation: 'no `usage` (or incomplete usage), common in streams and on local servers',
    handling: 'tokens estimated at about 4 characters per token and marked `estimated: true`',
  },
  {
    id: 'missing-metadata',
    deviation: 'no `id`, `object` or `created`',
    handling: 'ignored; the answer is used as is',
  },
  {
    id: 'finish-reason-alias',
    deviation:
      'finish reasons such as `eos`, `eos_token`, `end_turn`, `stop_sequence`, `STOP`, `max_tokens`, `MAX_TOKENS`, `SAFETY`, or none at all',
    handling: 'mapped to `stop`, `length` or `content_filter` (a missing one counts as `stop`)',
  },
  {
    id: 'non-json-content-type',
    deviation: 'a JSON body sent with another content type (e.g. `text/plain`)',
    handling: 'parsed as JSON anyway',
  },
  {
    id: 'stream-without-role',
    deviation: 'a stream whose first delta carries no `role`',
    handling: 'the role is taken to be `assistant`',
  },
  {
    id: 'stream-ignored',
    deviation: 'a plain JSON answer to a request with `stream: true`',
    handling: 'read as one piece and passed on as a single text delta',
  },
  {
    id: 'stream-without-done',
    deviation: 'a stream that ends without `data: [DONE]`',
    handling: 'the end of the connection ends the answer',
  },
];
