/** Finish reasons: the standard ones kept, the aliases servers send mapped, a missing one taken as `stop`. */

const finishReasonAliases: Record<string, string> = {
  eos: 'stop',
  eos_token: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  end: 'stop',
  finished: 'stop',
  complete: 'stop',
  max_tokens: 'length',
  model_length: 'length',
  max_length: 'length',
  token_limit: 'length',
  safety: 'content_filter',
  recitation: 'content_filter',
  blocklist: 'content_filter',
  prohibited_content: 'content_filter',
  spii: 'content_filter',
};
const standardFinishReasons = new Set(['stop', 'length', 'content_filter', 'tool_calls', 'function_call']);

/** True for the finish reasons OpenAI defines (`stop`, `length`, `content_filter`, `tool_calls`, `function_call`). */
export function isStandardFinishReason(finishReason: string): boolean {
  return standardFinishReasons.has(finishReason);
}

/** Maps a server's finish reason to the standard one, with a warning when it was not standard. */
export function normalizeFinishReason(raw: unknown): { finishReason: string; warning?: string } {
  if (raw === undefined || raw === null || raw === '') {
    return { finishReason: 'stop', warning: 'The endpoint sent no finish_reason; assumed "stop".' };
  }
  const text = String(raw);
  if (standardFinishReasons.has(text)) return { finishReason: text };
  const lower = text.toLowerCase();
  const mapped = standardFinishReasons.has(lower) ? lower : finishReasonAliases[lower];
  if (mapped) {
    return {
      finishReason: mapped,
      warning: `The endpoint sent finish_reason "${text}"; treated as "${mapped}".`,
    };
  }
  return { finishReason: text, warning: `The endpoint sent an unknown finish_reason "${text}"; kept as is.` };
}
