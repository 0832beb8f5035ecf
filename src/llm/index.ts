/**
 * The OpenAI-compatible LLM client: provider configuration and presets, the chat client with
 * retries, limits and streaming, errors with fixes, and the compatibility layer.
 * Knows nothing about stories or test cases.
 */
export {
  createChatClient,
  retryDelayMilliseconds,
  type ChatAnswer,
  type ChatClient,
  type ChatClientDependencies,
  type ChatClientEvent,
  type ChatMessage,
  type ChatRequest,
  type ModelInfo,
  type ResponseFormatRequest,
} from './client.ts';
export {
  ProviderConfigSchema,
  ProviderLimitsSchema,
  isModelConfigured,
  redactedProviderConfig,
  resolveProviderConfig,
  type ProviderConfig,
  type ProviderConfigInput,
  type ProviderFlags,
  type ProviderLimits,
  type ProviderResolution,
  type ResolveProviderOptions,
} from './provider-config.ts';
export {
  PROVIDER_PRESETS,
  isProviderPresetId,
  type ProviderPreset,
  type ProviderPresetId,
} from './presets.ts';
export { normalizeBaseUrl, type NormalizedBaseUrl } from './base-url.ts';
export {
  TOLERATED_DEVIATIONS,
  normalizeFinishReason,
  splitThinking,
  type LlmUsage,
  type ToleratedDeviation,
} from './compatibility.ts';
export {
  ConnectionLostError,
  ContentFilteredError,
  EndpointUnreachableError,
  ErrorInSuccessResponseError,
  IncorrectResponseStructureError,
  LlmAuthenticationError,
  LlmCancelledError,
  LlmError,
  LlmNotFoundError,
  LlmRateLimitedError,
  LlmRequestRejectedError,
  LlmServerError,
  LlmTimeoutError,
  MissingRequiredFieldsError,
  TruncatedAnswerError,
  errorFromHttpStatus,
  extractServerMessage,
  isRetryableFailure,
  type LlmErrorCode,
} from './errors.ts';
export { systemClock, type Clock } from './limits.ts';
