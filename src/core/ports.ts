import type { Usage } from './model.ts';

/**
 * What core needs from a language model. The app layer adapts the OpenAI-compatible client in
 * `src/llm/` to this port; core never imports `llm/`.
 */
export interface LanguageModel {
  complete(request: CompletionRequest): Promise<CompletionAnswer>;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** How the answer's structure is requested from the endpoint. */
export type ResponseFormatRequest =
  | { kind: 'json_schema'; name: string; schema: Record<string, unknown> }
  | { kind: 'json_object' }
  | { kind: 'text' };

export interface CompletionRequest {
  messages: ChatMessage[];
  /** Overrides the provider's temperature for this call. */
  temperature?: number;
  /** Overrides the provider's max tokens for this call. */
  maxTokens?: number;
  responseFormat?: ResponseFormatRequest;
  /** Stream the answer; `onTextDelta` then receives each piece of text as it arrives. */
  stream?: boolean;
  onTextDelta?: (delta: string) => void;
  signal?: AbortSignal;
}

export interface CompletionAnswer {
  /** The answer text, with reasoning (`<think>` blocks, `reasoning_content`) removed. */
  text: string;
  /** Reasoning the model sent apart from its answer, if any. */
  reasoning?: string;
  /** Normalised finish reason: `stop`, `length`, `content_filter`, `tool_calls` or another string. */
  finishReason: string;
  /** True when the answer stopped at the token limit (`finish_reason` "length"). */
  truncated: boolean;
  usage: Usage;
  latencyMilliseconds: number;
  /** The model named by the endpoint's answer. */
  model: string;
  /** Deviations from the contract that were absorbed, in plain words (never silent). */
  warnings: string[];
}
