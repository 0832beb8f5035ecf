import type { CompletionAnswer, CompletionRequest, LanguageModel } from '../core/ports.ts';
import type { ChatClient } from '../llm/index.ts';

/**
 * Adapts the OpenAI-compatible chat client to core's `LanguageModel` port. The two shapes are
 * kept alike on purpose, so this is a thin pass-through; `attempts` and `requestId` stay with llm.
 */
export function languageModelFrom(client: ChatClient): LanguageModel {
  return {
    async complete(request: CompletionRequest): Promise<CompletionAnswer> {
      const answer = await client.complete(request);
      return {
        text: answer.text,
        ...(answer.reasoning === undefined ? {} : { reasoning: answer.reasoning }),
        finishReason: answer.finishReason,
        truncated: answer.truncated,
        usage: answer.usage,
        latencyMilliseconds: answer.latencyMilliseconds,
        model: answer.model,
        warnings: answer.warnings,
      };
    },
  };
}
