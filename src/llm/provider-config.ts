/**
 * Provider configuration: the zod schema (the single source of truth) and its resolution from
 * command-line flags, environment and config file, in one place.
 *
 * Order, per field: flags → `REQASE_*` → `OPENAI_BASE_URL` / `OPENAI_API_KEY` → config file →
 * preset → defaults. The environment is injected; nothing here reads `process.env`. The schema,
 * the config file and the resolution live in `provider-config/`; this file is their entry point.
 */
export {
  ProviderConfigSchema,
  ProviderLimitsSchema,
  redactedProviderConfig,
  type ProviderConfig,
  type ProviderConfigInput,
  type ProviderLimits,
} from './provider-config/schema.ts';
export {
  isModelConfigured,
  resolveProviderConfig,
  type ProviderFlags,
  type ProviderResolution,
  type ResolveProviderOptions,
} from './provider-config/resolve.ts';
