/**
 * Provider configuration: the zod schema (the single source of truth) and its resolution from
 * command-line flags, environment and config file, in one place.
 *
 * Order, per field: flags → `REQASE_*` → `OPENAI_BASE_URL` / `OPENAI_API_KEY` → config file →
 * preset → defaults. The environment is injected; nothing here reads `process.env`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigurationError } from '../shared/errors.ts';
import { maskSecret } from '../shared/secrets.ts';
import { normalizeBaseUrl } from './base-url.ts';
import {
  PROVIDER_PRESETS,
  isProviderPresetId,
  type ProviderPreset,
  type ProviderPresetId,
} from './presets.ts';

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
  deadlineMs: z.number().int().positive().default(300_000),
  /** Longest wait honoured from `Retry-After`, in ms. Default 30000. */
  maxRetryAfterMs: z.number().int().nonnegative().default(30_000),
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
  timeoutMs: z.number().int().positive().default(120_000),
  /** Headers added to every request (e.g. for a gateway). */
  extraHeaders: z.record(z.string(), z.string()).default({}),
  limits: ProviderLimitsSchema.default(ProviderLimitsSchema.parse({})),
});

export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;
export type ProviderConfigInput = z.input<typeof ProviderConfigSchema>;
export type ProviderLimits = z.infer<typeof ProviderLimitsSchema>;

/** The provider section of `reqase.config.yaml` / `reqase.config.json` (under `provider:`). */
const ConfigFileProviderSchema = z
  .object({
    preset: z.string().optional(),
    name: z.string().optional(),
    baseUrl: z.string().optional(),
    /** Use a bare-host base URL as given, without adding /v1 (servers that serve at the root). */
    baseUrlExact: z.boolean().optional(),
    apiKey: z.string().optional(),
    /** Name of an environment variable holding the key (keeps the key out of the file). */
    apiKeyEnv: z.string().optional(),
    authHeader: z.enum(['authorization', 'api-key', 'x-api-key']).optional(),
    model: z.string().optional(),
    temperature: z.number().optional(),
    maxTokens: z.number().optional(),
    timeoutMs: z.number().optional(),
    extraHeaders: z.record(z.string(), z.string()).optional(),
    limits: ProviderLimitsSchema.partial().optional(),
  })
  .strict();
const ConfigFileSchema = z.looseObject({ provider: ConfigFileProviderSchema.optional() });

/** Command-line flags as the CLI parsed them (strings are accepted for numbers). */
export interface ProviderFlags {
  /** `--provider`: a preset id. */
  provider?: string;
  /** `--base-url`. */
  baseUrl?: string;
  /** `--api-key`. */
  apiKey?: string;
  /** `--model`. */
  model?: string;
  /** `--temperature`. */
  temperature?: number | string;
  /** `--max-tokens`. */
  maxTokens?: number | string;
  /** `--timeout` in ms. */
  timeoutMs?: number | string;
}

export interface ResolveProviderOptions {
  flags?: ProviderFlags;
  /** The environment (e.g. `process.env`), injected. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Path of the config file (`--config`); otherwise `REQASE_CONFIG`, then `reqase.config.{yaml,yml,json}` in `cwd`. */
  configFile?: string;
  /** Directory to look for the config file in. */
  cwd?: string;
  /** Reads a text file, `undefined` when it does not exist. Default: node:fs. */
  readTextFile?: (path: string) => string | undefined;
}

export type ProviderResolution =
  | {
      kind: 'configured';
      config: ProviderConfig;
      /** What was changed or assumed, in plain sentences (show them to the user). */
      notices: string[];
      /** Where base URL, model and key came from, e.g. `{ baseUrl: 'REQASE_BASE_URL' }`. */
      sources: { baseUrl: string; model: string; apiKey: string };
    }
  | { kind: 'none'; notices: string[]; reason: string };

const configFileNames = ['reqase.config.yaml', 'reqase.config.yml', 'reqase.config.json'];

function defaultReadTextFile(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

type Candidate<Value> = { value: Value | undefined; source: string };

function firstGiven<Value>(
  candidates: Array<Candidate<Value>>,
): { value: Value; source: string } | undefined {
  for (const candidate of candidates) {
    if (candidate.value !== undefined && candidate.value !== null && candidate.value !== '') {
      return { value: candidate.value, source: candidate.source };
    }
  }
  return undefined;
}

function numberFrom(value: number | string | undefined, names: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) {
    throw new ConfigurationError(`${names} must be a number, got "${String(value)}".`, {
      fix: `Give a number with ${names}.`,
    });
  }
  return number;
}

/**
 * Resolves the provider configuration. Returns `{ kind: 'none' }` when no model is configured at
 * all (the CLI then uses the offline engine); throws `ConfigurationError` naming both the flag and
 * the environment variable when a configuration is started but unusable.
 *
 * @example
 * const resolution = resolveProviderConfig({ flags: { model: 'llama3.1' }, env: process.env, cwd: process.cwd() });
 * if (resolution.kind === 'configured') createChatClient(resolution.config);
 */
export function resolveProviderConfig(options: ResolveProviderOptions = {}): ProviderResolution {
  const flags = options.flags ?? {};
  const env = options.env ?? {};
  const notices: string[] = [];
  const file = loadConfigFile(options, env);
  const fileProvider = file?.provider;

  const presetChoice = firstGiven<string>([
    { value: flags.provider, source: '--provider' },
    { value: env.REQASE_PROVIDER, source: 'REQASE_PROVIDER' },
    { value: fileProvider?.preset, source: file ? `${file.path} (provider.preset)` : 'config file' },
  ]);
  let preset: ProviderPreset | undefined;
  if (presetChoice) {
    const id = presetChoice.value.toLowerCase();
    if (!isProviderPresetId(id)) {
      throw new ConfigurationError(
        `Unknown provider "${presetChoice.value}" (from ${presetChoice.source}).`,
        {
          fix: `Use one of ${Object.keys(PROVIDER_PRESETS).join(', ')} with --provider or REQASE_PROVIDER, or leave it out and give --base-url.`,
        },
      );
    }
    preset = PROVIDER_PRESETS[id];
  }

  const fileSource = file ? file.path : 'config file';
  const fileKey =
    fileProvider?.apiKey ?? (fileProvider?.apiKeyEnv ? env[fileProvider.apiKeyEnv] : undefined) ?? undefined;
  const explicitBaseUrl = firstGiven<string>([
    { value: flags.baseUrl, source: '--base-url' },
    { value: env.REQASE_BASE_URL, source: 'REQASE_BASE_URL' },
    { value: env.OPENAI_BASE_URL, source: 'OPENAI_BASE_URL' },
    { value: fileProvider?.baseUrl, source: fileSource },
  ]);
  let apiKey = firstGiven<string>([
    { value: flags.apiKey, source: '--api-key' },
    { value: env.REQASE_API_KEY, source: 'REQASE_API_KEY' },
    { value: env.OPENAI_API_KEY, source: 'OPENAI_API_KEY' },
    { value: fileKey, source: fileProvider?.apiKeyEnv ? fileProvider.apiKeyEnv : fileSource },
  ]);
  const explicitModel = firstGiven<string>([
    { value: flags.model, source: '--model' },
    { value: env.REQASE_MODEL, source: 'REQASE_MODEL' },
    { value: fileProvider?.model, source: fileSource },
  ]);

  if (!preset && !explicitBaseUrl && !apiKey && !explicitModel) {
    return {
      kind: 'none',
      notices,
      reason:
        'No model is configured (no --provider, --base-url, --model or --api-key, no REQASE_* or OPENAI_* variables, no provider in a config file).',
    };
  }
  if (fileProvider?.apiKey) {
    notices.push(
      `The config file ${fileSource} holds an API key; prefer apiKeyEnv (the name of an environment variable).`,
    );
  }

  let baseUrlChoice =
    explicitBaseUrl ?? (preset ? { value: preset.baseUrl, source: `preset ${preset.id}` } : undefined);
  if (!baseUrlChoice) {
    baseUrlChoice = { value: PROVIDER_PRESETS.openai.baseUrl, source: 'default (OpenAI)' };
    preset = PROVIDER_PRESETS.openai;
    notices.push(`No base URL given; using OpenAI at ${PROVIDER_PRESETS.openai.baseUrl}.`);
  }
  if (baseUrlChoice.value.includes('YOUR-RESOURCE')) {
    throw new ConfigurationError(`The ${preset?.label ?? 'provider'} base URL needs your resource name.`, {
      fix: `Give the full base URL with --base-url or REQASE_BASE_URL, e.g. ${baseUrlChoice.value.replace('YOUR-RESOURCE', 'my-resource')}.`,
    });
  }
  const baseUrlNames = baseUrlChoice.source.startsWith('preset') ? '--provider' : baseUrlChoice.source;
  const exact =
    /^(1|true|yes)$/i.test(env.REQASE_BASE_URL_EXACT ?? '') || fileProvider?.baseUrlExact === true;
  const normalized = normalizeBaseUrl(
    baseUrlChoice.value,
    `${baseUrlNames === '--base-url' ? '--base-url or REQASE_BASE_URL' : baseUrlNames}`,
    { exact },
  );
  notices.push(...normalized.notices);
  if (baseUrlChoice.source === 'OPENAI_BASE_URL') {
    notices.push('Using OPENAI_BASE_URL from the environment (REQASE_BASE_URL is not set).');
  }

  const model =
    explicitModel ??
    (preset?.defaultModel ? { value: preset.defaultModel, source: `preset ${preset.id}` } : undefined);
  if (!model) {
    throw new ConfigurationError('No model is configured for the endpoint.', {
      fix: 'Give the model name with --model or REQASE_MODEL (as the endpoint lists it at GET /v1/models).',
    });
  }
  if (!explicitModel) notices.push(`No model given; using ${model.value} (the ${preset?.label} default).`);

  // A key from the environment or the config file goes only to the origin it was configured for:
  // a base URL or preset given as a flag (or by an API caller) on another origin gets no key.
  let keyWithheld: string | undefined;
  const targetOrigin = new URL(normalized.url).origin;
  const keyOrigin =
    apiKey && apiKey.source !== '--api-key'
      ? configuredOrigin({ env, fileProvider, fileSource, exact })
      : targetOrigin;
  if (apiKey && keyOrigin !== targetOrigin) {
    keyWithheld = `${apiKey.source} is not sent to ${targetOrigin}: a key from the environment or the config file goes only to the base URL it is configured with (${keyOrigin ?? 'none usable'}).`;
    notices.push(`${keyWithheld} Give a key for this endpoint with --api-key.`);
    apiKey = undefined;
  }

  const needsKey = preset?.requiresApiKey === true || normalized.url.startsWith('https://api.openai.com');
  if (needsKey && !apiKey) {
    throw new ConfigurationError(
      `${preset?.label ?? 'The endpoint'} needs an API key and none is given.${keyWithheld ? ` ${keyWithheld}` : ''}`,
      {
        fix: keyWithheld
          ? 'Give the key for this endpoint with --api-key, or set REQASE_BASE_URL (or REQASE_PROVIDER) to it so that REQASE_API_KEY belongs to it.'
          : 'Give the key with --api-key or REQASE_API_KEY (OPENAI_API_KEY also works), or apiKeyEnv in the config file.',
      },
    );
  }
  if (apiKey?.source === 'OPENAI_API_KEY') {
    notices.push('Using OPENAI_API_KEY from the environment (REQASE_API_KEY is not set).');
  }

  const temperature =
    numberFrom(flags.temperature, '--temperature') ??
    numberFrom(env.REQASE_TEMPERATURE, 'REQASE_TEMPERATURE') ??
    fileProvider?.temperature;
  const maxTokens =
    numberFrom(flags.maxTokens, '--max-tokens') ??
    numberFrom(env.REQASE_MAX_TOKENS, 'REQASE_MAX_TOKENS') ??
    fileProvider?.maxTokens;
  const timeoutMs =
    numberFrom(flags.timeoutMs, '--timeout') ??
    numberFrom(env.REQASE_TIMEOUT_MS, 'REQASE_TIMEOUT_MS') ??
    fileProvider?.timeoutMs;

  const input: ProviderConfigInput = {
    name: fileProvider?.name ?? preset?.id ?? 'custom',
    ...(preset ? { preset: preset.id } : {}),
    baseUrl: normalized.url,
    ...(apiKey ? { apiKey: apiKey.value } : {}),
    authHeader: fileProvider?.authHeader ?? preset?.authHeader ?? 'authorization',
    model: model.value,
    ...(temperature === undefined ? {} : { temperature }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(fileProvider?.extraHeaders ? { extraHeaders: fileProvider.extraHeaders } : {}),
    limits: ProviderLimitsSchema.parse(fileProvider?.limits ?? {}),
  };
  const parsed = ProviderConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigurationError(`The provider configuration is not valid: ${problems}.`, {
      fix: 'Check --temperature / REQASE_TEMPERATURE (0 to 2), --max-tokens / REQASE_MAX_TOKENS and --timeout / REQASE_TIMEOUT_MS (positive whole numbers), and the provider section of the config file.',
    });
  }
  return {
    kind: 'configured',
    config: parsed.data,
    notices,
    sources: {
      baseUrl: baseUrlChoice.source,
      model: model.source,
      apiKey: apiKey?.source ?? 'none',
    },
  };
}

/**
 * The origin the environment and config file configure, flags left out: `REQASE_BASE_URL`,
 * `OPENAI_BASE_URL`, the file's baseUrl, else the preset of `REQASE_PROVIDER` or the file, else
 * OpenAI. `undefined` when that base URL is not usable (then no configured key is sent anywhere else).
 */
function configuredOrigin(options: {
  env: Readonly<Record<string, string | undefined>>;
  fileProvider: z.infer<typeof ConfigFileProviderSchema> | undefined;
  fileSource: string;
  exact: boolean;
}): string | undefined {
  const { env, fileProvider } = options;
  const presetId = (env.REQASE_PROVIDER || fileProvider?.preset || '').toLowerCase();
  const presetBaseUrl = isProviderPresetId(presetId) ? PROVIDER_PRESETS[presetId].baseUrl : undefined;
  const baseUrl =
    firstGiven<string>([
      { value: env.REQASE_BASE_URL, source: 'REQASE_BASE_URL' },
      { value: env.OPENAI_BASE_URL, source: 'OPENAI_BASE_URL' },
      { value: fileProvider?.baseUrl, source: options.fileSource },
    ])?.value ??
    presetBaseUrl ??
    PROVIDER_PRESETS.openai.baseUrl;
  try {
    return new URL(normalizeBaseUrl(baseUrl, 'REQASE_BASE_URL', { exact: options.exact }).url).origin;
  } catch {
    return undefined;
  }
}

/** True when the resolution found a usable model (otherwise the CLI falls back to the offline engine). */
export function isModelConfigured(
  resolution: ProviderResolution,
): resolution is Extract<ProviderResolution, { kind: 'configured' }> {
  return resolution.kind === 'configured';
}

/** A copy safe to print or log: the key masked (`sk-…a1b2`). */
export function redactedProviderConfig(
  config: ProviderConfig,
): Omit<ProviderConfig, 'apiKey'> & { apiKey: string } {
  return { ...config, apiKey: maskSecret(config.apiKey) };
}

function loadConfigFile(
  options: ResolveProviderOptions,
  env: Readonly<Record<string, string | undefined>>,
): { path: string; provider: z.infer<typeof ConfigFileProviderSchema> | undefined } | undefined {
  const read = options.readTextFile ?? defaultReadTextFile;
  const cwd = options.cwd ?? '.';
  const explicit = options.configFile ?? env.REQASE_CONFIG;
  let path: string | undefined;
  let text: string | undefined;
  if (explicit) {
    path = isAbsolute(explicit) ? explicit : join(cwd, explicit);
    text = read(path);
    if (text === undefined) {
      throw new ConfigurationError(`The config file ${path} does not exist.`, {
        fix: 'Check the path given with --config or REQASE_CONFIG.',
      });
    }
  } else {
    for (const name of configFileNames) {
      const candidate = join(cwd, name);
      const candidateText = read(candidate);
      if (candidateText !== undefined) {
        path = candidate;
        text = candidateText;
        break;
      }
    }
  }
  if (path === undefined || text === undefined) return undefined;
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new ConfigurationError(`The config file ${path} cannot be read: ${(cause as Error).message}.`, {
      fix: 'Fix the YAML/JSON syntax of the file (or point --config / REQASE_CONFIG at another file).',
      cause,
    });
  }
  const parsed = ConfigFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigurationError(`The provider section of ${path} is not valid: ${problems}.`, {
      fix: 'Allowed keys under provider: preset, name, baseUrl, apiKeyEnv, apiKey, authHeader, model, temperature, maxTokens, timeoutMs, extraHeaders, limits.',
    });
  }
  return { path, provider: parsed.data.provider };
}
