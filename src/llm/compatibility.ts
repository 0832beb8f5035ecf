/**
 * The compatibility layer: turns what OpenAI-compatible servers actually send into one shape.
 * Deviations that are safe to absorb are normalized and each adds a warning to the answer (never
 * silently); deviations that make the answer unusable throw the named errors of `errors.ts`.
 *
 * The pieces live in `compatibility/` by deviation (finish reason, reasoning, usage, the body as a
 * whole) with the completion and the stream built from them; this file is their one entry point.
 */
export type { LlmUsage, NormalizeContext, NormalizedCompletion } from './compatibility/types.ts';
export { TOLERATED_DEVIATIONS, type ToleratedDeviation } from './compatibility/tolerated-deviations.ts';
export { normalizeFinishReason } from './compatibility/finish-reason.ts';
export { splitThinking } from './compatibility/reasoning.ts';
export { estimateTokens } from './compatibility/usage.ts';
export { parseNonJsonBody } from './compatibility/body.ts';
export { normalizeCompletion } from './compatibility/completion.ts';
export { ChatStreamAccumulator } from './compatibility/stream-accumulator.ts';
