import type { ProviderPreset } from './api.ts';

/**
 * Presets shown when the server has no presets route (GET /api/providers/presets). A minimal copy
 * of src/llm/presets.ts: only what the form fills in. The server stays the judge of every value.
 */
export const FALLBACK_PRESETS: ProviderPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    requiresApiKey: true,
    defaultModel: 'gpt-4o-mini',
  },
  { id: 'litellm', label: 'LiteLLM proxy', baseUrl: 'http://localhost:4000/v1', requiresApiKey: false },
  { id: 'localai', label: 'LocalAI', baseUrl: 'http://localhost:8080/v1', requiresApiKey: false },
  { id: 'vllm', label: 'vLLM', baseUrl: 'http://localhost:8000/v1', requiresApiKey: false },
  { id: 'fastchat', label: 'FastChat', baseUrl: 'http://localhost:8000/v1', requiresApiKey: false },
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', requiresApiKey: false },
  { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', requiresApiKey: false },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', requiresApiKey: true },
  { id: 'groq', label: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', requiresApiKey: true },
  {
    id: 'azure-openai',
    label: 'Azure OpenAI',
    baseUrl: 'https://YOUR-RESOURCE.openai.azure.com/openai/v1',
    requiresApiKey: true,
  },
];
