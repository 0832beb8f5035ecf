/** The provider configuration schema: the single source of truth for what a provider is. */
import { z } from 'zod';
import { maskSecret } from '../../shared/secrets.ts';
import { PROVIDER_PRESETS, type ProviderPresetId } from '../presets.ts';

export const ProviderLimitsSchema = z.object({
  /** Requests in flight at once for this provider. Default 4. */
  concurrency: z.number().int().positive().default(4),
  /** Requests started per rolling minute; unset means no limit. */
  requestsPerMinute: z.number().int().positive().optional(),
  /** Tokens (prompt estimate + max tokens, then actual usage) per rolling minute; unset means no limit. */
  tokensPerMinute: z.number().int().positive().optional(),
  /** Retries after the first attempt on 408/409/429/5xx and connection errors. Default 3. */
  maxRetries: z.number().int().nonnegative().default(3),
  /** Overall deadline for one call, retries and waits included, in ms. Default 300000 (5 min). */
  deadlineMilliseconds: z.number().int().positive().default(300_000),
  /** Longest wait honoured from `Retry-After`, in ms. Default 30000. */
  maxRetryAfterMilliseconds: z.number().int().nonnegative().default(30_000),
});

export const ProviderConfigSchema = z.object({
  /** Name shown to people, e.g. "ollama" or "team-vllm". */
  name: z.string().min(1).default('custom'),
  /** The preset this config started from, if any. */
  preset: z.enum(Object.keys(PROVIDER_PRESETS) as [ProviderPresetId, ...ProviderPresetId[]]).optional(),
  /** Base URL without the endpoint path, e.g. `http://localhost:8000/v1`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** API key; optional for local servers. Never logged. */
  apiKey: z.string().min(1).optional(),
  /** Header carrying the key besides `Authorization: Bearer`. Default `authorization` (Bearer only). */
  authHeader: z.enum(['authorization', 'api-key', 'x-api-key']).default('authorization'),
  /** Model identifier as the endpoint knows it. */
  model: z.string().min(1),
  /** Sampling temperature, 0 to 2. Default 0.7 (the contract's example). */
  temperature: z.number().min(0).max(2).default(0.7),
  /** Most tokens in one answer. Default 2000. */
  maxTokens: z.number().int().positive().default(2000),
  /** Timeout of one attempt in ms (for streams: longest silence between chunks). Default 120000. */
  timeoutMilliseconds: z.number().int().positive().default(120_000),
  /** Headers added to every request (e.g. for a gateway). */
  extraHeaders: z.record(z.string(), z.string()).default({}),
  limits: ProviderLimitsSchema.default(ProviderLimitsSchema.parse({})),
});

export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;
export type ProviderConfigInput = z.input<typeof ProviderConfigSchema>;
export type ProviderLimits = z.infer<typeof ProviderLimitsSchema>;

/** A copy safe to print or log: the key masked (`sk-…a1b2`). */
export function redactedProviderConfig(
  config: ProviderConfig,
): Omit<ProviderConfig, 'apiKey'> & { apiKey: string } {
  return { ...config, apiKey: maskSecret(config.apiKey) };
}
