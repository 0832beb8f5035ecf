/**
 * Known OpenAI-compatible providers with their usual base URL and known quirks.
 */

export type ProviderPresetId =
  | 'openai'
  | 'litellm'
  | 'localai'
  | 'vllm'
  | 'fastchat'
  | 'ollama'
  | 'lmstudio'
  | 'openrouter'
  | 'groq'
  | 'azure-openai';

export interface ProviderPreset {
  id: ProviderPresetId;
  /** Name shown to people. */
  label: string;
  /** Usual base URL; `YOUR-RESOURCE` marks a part the user must fill in. */
  baseUrl: string;
  /** True when the endpoint refuses requests without a key. */
  requiresApiKey: boolean;
  /** Header that carries the key (`authorization` means `Authorization: Bearer`). */
  authHeader: 'authorization' | 'api-key' | 'x-api-key';
  /** A model to use when none is given, where one is a safe bet. */
  defaultModel?: string;
  /** One line on the known quirks. */
  quirks: string;
}

export const PROVIDER_PRESETS: Readonly<Record<ProviderPresetId, ProviderPreset>> = {
  openai: {
    id: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    requiresApiKey: true,
    authHeader: 'authorization',
    defaultModel: 'gpt-4o-mini',
    quirks:
      'Reasoning models (o-series, gpt-5) accept only temperature 1 and count reasoning tokens against max tokens.',
  },
  litellm: {
    id: 'litellm',
    label: 'LiteLLM proxy',
    baseUrl: 'http://localhost:4000/v1',
    requiresApiKey: false,
    authHeader: 'authorization',
    quirks:
      'The model is the alias from the proxy config; with drop_params it silently drops parameters the upstream lacks (e.g. response_format).',
  },
  localai: {
    id: 'localai',
    label: 'LocalAI',
    baseUrl: 'http://localhost:8080/v1',
    requiresApiKey: false,
    authHeader: 'authorization',
    quirks:
      'The model is the name from its models folder or gallery; usage can be missing or zero on some backends.',
  },
  vllm: {
    id: 'vllm',
    label: 'vLLM',
    baseUrl: 'http://localhost:8000/v1',
    requiresApiKey: false,
    authHeader: 'authorization',
    quirks:
      'Errors come as a flat {object:"error",message} body; the model must match --served-model-name; reasoning parsers send reasoning_content.',
  },
  fastchat: {
    id: 'fastchat',
    label: 'FastChat',
    baseUrl: 'http://localhost:8000/v1',
    requiresApiKey: false,
    authHeader: 'authorization',
    quirks: 'Errors come as a flat {object:"error",message} body; response_format is not supported.',
  },
  ollama: {
    id: 'ollama',
    label: 'Ollama',
    baseUrl: 'http://localhost:11434/v1',
    requiresApiKey: false,
    authHeader: 'authorization',
    quirks:
      'Any key works; the model must be pulled first (ollama pull); reasoning models send <think> blocks or a reasoning field.',
  },
  lmstudio: {
    id: 'lmstudio',
    label: 'LM Studio',
    baseUrl: 'http://localhost:1234/v1',
    requiresApiKey: false,
    authHeader: 'authorization',
    quirks:
      'Any key works; the model must be loaded in LM Studio; json_schema works but json_object is refused.',
  },
  openrouter: {
    id: 'openrouter',
    label: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    requiresApiKey: true,
    authHeader: 'authorization',
    quirks:
      'Model ids are vendor/model; can answer HTTP 200 with an error body, and sends SSE comment lines while queueing.',
  },
  groq: {
    id: 'groq',
    label: 'Groq',
    baseUrl: 'https://api.groq.com/openai/v1',
    requiresApiKey: true,
    authHeader: 'authorization',
    quirks:
      'Refuses unsupported parameters with 400; tight per-minute limits answered with 429 and Retry-After.',
  },
  'azure-openai': {
    id: 'azure-openai',
    label: 'Azure OpenAI (v1 endpoint)',
    baseUrl: 'https://YOUR-RESOURCE.openai.azure.com/openai/v1',
    requiresApiKey: true,
    authHeader: 'api-key',
    quirks:
      'Fill in your resource name; the model is your deployment name; the key goes in the api-key header; content filters answer finish_reason content_filter.',
  },
};

/** True when `id` names a preset. */
export function isProviderPresetId(id: string): id is ProviderPresetId {
  return Object.hasOwn(PROVIDER_PRESETS, id);
}
