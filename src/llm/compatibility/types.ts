/** The shapes the compatibility layer produces, whatever the server sent. */
import type { LlmErrorDetails } from '../errors.ts';

/** Token counts of one answer; `estimated` when the endpoint sent no usage. */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimated: boolean;
  /**
   * How many of the prompt tokens the provider served from its prompt cache
   * (`usage.prompt_tokens_details.cached_tokens`); absent when it does not say.
   */
  cachedTokens?: number;
}

export interface NormalizedCompletion {
  text: string;
  reasoning?: string;
  /** `stop`, `length`, `content_filter`, `tool_calls`, or the server's own value when unknown. */
  finishReason: string;
  truncated: boolean;
  usage: LlmUsage;
  model: string;
  id?: string;
  warnings: string[];
}

export interface NormalizeContext {
  /** All prompt text, to estimate prompt tokens when usage is missing. */
  promptText: string;
  /** The max tokens asked for (named in the truncation error). */
  maxTokens: number;
  /** Details copied onto any error thrown (status, request id, secrets). */
  errorDetails: LlmErrorDetails;
}
