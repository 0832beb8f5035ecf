/**
 * Wire shapes of stored providers (keys write-only, shown masked) and API tokens.
 */
import { z } from '@hono/zod-openapi';
import { foldRenamedProviderKeys, type RENAMED_PROVIDER_KEYS } from '../app/index.ts';
import { timestamp } from './workspace-schemas.ts';

/** Which header carries a provider's API key. */
const ApiKeyHeaderSchema = z.enum(['authorization', 'api-key', 'x-api-key']);

export const ProviderCheckSchema = z
  .object({
    verdict: z.enum(['compatible', 'not-compatible']),
    summary: z.string().openapi({ description: 'What works, or the cause of the failure, in one line.' }),
    checkedAt: timestamp,
  })
  .openapi('ProviderCheck');

const timeout = z.number().int().positive().optional();

/** How the OpenAPI document shows a field kept under its former name. */
function formerNameOf(field: string) {
  return {
    deprecated: true,
    description: `Deprecated: the former name of ${field}, still accepted (with a notice).`,
  };
}

/** US dollars per million tokens: write `null` to remove a stored price. */
const price = z.number().nonnegative().max(1_000_000).nullable().optional();

export const ProviderSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    baseUrl: z.string(),
    model: z.string(),
    temperature: z.number().nullable(),
    maxTokens: z.number().nullable(),
    timeoutMilliseconds: z.number().nullable(),
    extraHeaders: z
      .record(z.string(), z.string())
      .openapi({ description: 'Header names with their values masked (values may be secrets).' }),
    apiKeyHeader: ApiKeyHeaderSchema.nullable().openapi({
      description: 'Header carrying the key; null: Bearer (api-key for Azure OpenAI URLs).',
    }),
    limits: z.record(z.string(), z.number()),
    hasApiKey: z.boolean(),
    apiKeyMasked: z.string().openapi({ example: 'sk-…a1b2' }),
    structuredOutputMode: z.string().nullable(),
    lastCheck: ProviderCheckSchema.nullable().openapi({
      description: 'The last connection check of this stored provider; null until one ran.',
    }),
    inputPricePerMillionTokens: z
      .number()
      .nullable()
      .openapi({ description: 'US dollars per million prompt tokens; null: not priced.' }),
    outputPricePerMillionTokens: z
      .number()
      .nullable()
      .openapi({ description: 'US dollars per million completion tokens; null: not priced.' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Provider');

export const ProviderPresetSchema = z
  .object({
    id: z.string().openapi({ example: 'vllm' }),
    label: z.string().openapi({ example: 'vLLM' }),
    baseUrl: z.string().openapi({ example: 'http://localhost:8000/v1' }),
    requiresApiKey: z.boolean(),
    authHeader: ApiKeyHeaderSchema,
    defaultModel: z.string().optional(),
    quirks: z.string(),
  })
  .openapi('ProviderPreset');

export const AddProviderSchema = z
  .object({
    name: z.string().min(1).max(100),
    preset: z.string().max(50).optional(),
    baseUrl: z.string().max(2000).optional(),
    model: z.string().max(200).optional(),
    apiKey: z.string().max(4000).nullable().optional().openapi({
      description:
        'Write-only; null removes the stored key, absent keeps it while the base URL keeps its origin (a new scheme, host or port drops it, with a notice).',
    }),
    apiKeyHeader: ApiKeyHeaderSchema.optional().openapi({
      description: 'Header carrying the key: authorization (Bearer, default), api-key or x-api-key.',
    }),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    timeoutMilliseconds: timeout.openapi({ description: 'Timeout of one attempt, in milliseconds.' }),
    timeoutMs: timeout.openapi(formerNameOf('timeoutMilliseconds')), // deprecated alias
    extraHeaders: z.record(z.string(), z.string()).optional().openapi({
      description:
        'Write-only values (stored encrypted, shown masked); absent keeps the stored headers while the base URL keeps its origin.',
    }),
    limits: z.record(z.string(), z.number()).optional().openapi({
      description:
        'concurrency, requestsPerMinute, tokensPerMinute, maxRetries, deadlineMilliseconds, maxRetryAfterMilliseconds (their former names ending in Ms are still accepted, with a notice).',
    }),
    inputPricePerMillionTokens: price.openapi({
      description: 'US dollars per million prompt tokens (cost estimates); null removes it, absent keeps it.',
    }),
    outputPricePerMillionTokens: price.openapi({
      description:
        'US dollars per million completion tokens (cost estimates); null removes it, absent keeps it.',
    }),
  })
  .openapi('AddProvider');

type AddProvider = z.infer<typeof AddProviderSchema>;

/**
 * The request body with deprecated fields moved to their new names, and a notice for each (the
 * answer's `notices` carries them).
 */
export function withRenamedFieldsFolded(body: AddProvider): {
  body: Omit<AddProvider, keyof typeof RENAMED_PROVIDER_KEYS>;
  notices: string[];
} {
  const { value, notices } = foldRenamedProviderKeys(body);
  return { body: value, notices };
}

export const ServedModelsSchema = z
  .object({
    models: z.array(
      z.object({
        id: z.string().openapi({ example: 'qwen2.5-7b-instruct' }),
        ownedBy: z.string().optional(),
      }),
    ),
  })
  .openapi('ServedModels');

export const AddedProviderSchema = z
  .object({ provider: ProviderSchema, notices: z.array(z.string()) })
  .openapi('AddedProvider');

export const TokenSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: timestamp, lastUsedAt: timestamp.nullable() })
  .openapi('ApiToken');

export const CreatedTokenSchema = z
  .object({
    token: z.string().openapi({ description: 'Shown once; only its hash is stored.' }),
    record: TokenSchema,
  })
  .openapi('CreatedApiToken');
