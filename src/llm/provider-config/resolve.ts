/**
 * Resolution of the provider configuration from command-line flags, environment and config file.
 *
 * Order, per field: flags → `REQASE_*` → `OPENAI_BASE_URL` / `OPENAI_API_KEY` → config file →
 * preset → defaults. The environment is injected; nothing here reads `process.env`.
 */
import { ConfigurationError } from '../../shared/errors.ts';
import { normalizeBaseUrl, type NormalizedBaseUrl } from '../base-url.ts';
import { PROVIDER_PRESETS, isProviderPresetId, type ProviderPreset } from '../presets.ts';
import { loadConfigFile, type ConfigFileOptions, type ConfigFileProvider } from './config-file.ts';
import {
  ProviderConfigSchema,
  ProviderLimitsSchema,
  type ProviderConfig,
  type ProviderConfigInput,
} from './schema.ts';

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
  timeoutMilliseconds?: number | string;
}

export interface ResolveProviderOptions extends ConfigFileOptions {
  flags?: ProviderFlags;
  /** The environment (e.g. `process.env`), injected. */
  env?: Environment;
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

type Environment = Readonly<Record<string, string | undefined>>;

type Candidate<Value> = { value: Value | undefined; source: string };
type Chosen<Value> = { value: Value; source: string };

/** What the sources say before presets and defaults fill the gaps. */
interface Sources {
  flags: ProviderFlags;
  env: Environment;
  fileProvider: ConfigFileProvider | undefined;
  /** The config file's path, or "config file" when there is none. */
  fileSource: string;
  /** Use a bare-host base URL as given (REQASE_BASE_URL_EXACT or the file's baseUrlExact). */
  exact: boolean;
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
  const env = options.env ?? {};
  const file = loadConfigFile(options, env);
  const notices: string[] = [...(file?.notices ?? [])];
  const fileProvider = file?.provider;
  const sources: Sources = {
    flags: options.flags ?? {},
    env,
    fileProvider,
    fileSource: file ? file.path : 'config file',
    exact: /^(1|true|yes)$/i.test(env.REQASE_BASE_URL_EXACT ?? '') || fileProvider?.baseUrlExact === true,
  };
  let preset = choosePreset(sources, file ? `${file.path} (provider.preset)` : 'config file');
  const explicitBaseUrl = chooseExplicitBaseUrl(sources);
  const explicitModel = chooseExplicitModel(sources);
  const givenKey = chooseApiKey(sources);
  if (!preset && !explicitBaseUrl && !givenKey && !explicitModel) {
    return {
      kind: 'none',
      notices,
      reason:
        'No model is configured (no provider, base URL, model or API key given, no REQASE_* or OPENAI_* variables, no provider in a config file).',
    };
  }
  if (fileProvider?.apiKey) {
    notices.push(
      `The config file ${sources.fileSource} holds an API key; prefer apiKeyEnv (the name of an environment variable).`,
    );
  }
  const baseUrl = resolveBaseUrl(explicitBaseUrl, preset, sources, notices);
  preset = baseUrl.preset;
  const model = resolveModel(explicitModel, preset, notices);
  const apiKey = resolveApiKey(givenKey, baseUrl.normalized, preset, sources, notices);
  const config = buildConfig({ sources, preset, baseUrl: baseUrl.normalized.url, apiKey, model });
  return {
    kind: 'configured',
    config,
    notices,
    sources: { baseUrl: baseUrl.choice.source, model: model.source, apiKey: apiKey?.source ?? 'none' },
  };
}

/** True when the resolution found a usable model (otherwise the CLI falls back to the offline engine). */
export function isModelConfigured(
  resolution: ProviderResolution,
): resolution is Extract<ProviderResolution, { kind: 'configured' }> {
  return resolution.kind === 'configured';
}

/**
 * Where a value the caller gave (a command-line flag, an API request's field) came from, as
 * messages name it: words of no surface, so the web app and API can show them too.
 */
const GIVEN = {
  provider: 'the provider given',
  baseUrl: 'the base URL given',
  model: 'the model given',
  apiKey: 'the API key given',
  temperature: 'the temperature given',
  maxTokens: 'the max tokens given',
  timeout: 'the timeout given',
} as const;

function choosePreset(sources: Sources, filePresetSource: string): ProviderPreset | undefined {
  const presetChoice = firstGiven<string>([
    { value: sources.flags.provider, source: GIVEN.provider },
    { value: sources.env.REQASE_PROVIDER, source: 'REQASE_PROVIDER' },
    { value: sources.fileProvider?.preset, source: filePresetSource },
  ]);
  if (!presetChoice) return undefined;
  const id = presetChoice.value.toLowerCase();
  if (!isProviderPresetId(id)) {
    const presets = Object.keys(PROVIDER_PRESETS).join(', ');
    throw new ConfigurationError(`Unknown provider "${presetChoice.value}" (from ${presetChoice.source}).`, {
      fix: `Use one of ${presets} (REQASE_PROVIDER), or leave it out and give the base URL.`,
      remedies: [{ kind: 'set-setting', setting: 'provider', example: presets }],
    });
  }
  return PROVIDER_PRESETS[id];
}

function chooseExplicitBaseUrl(sources: Sources): Chosen<string> | undefined {
  return firstGiven<string>([
    { value: sources.flags.baseUrl, source: GIVEN.baseUrl },
    { value: sources.env.REQASE_BASE_URL, source: 'REQASE_BASE_URL' },
    { value: sources.env.OPENAI_BASE_URL, source: 'OPENAI_BASE_URL' },
    { value: sources.fileProvider?.baseUrl, source: sources.fileSource },
  ]);
}

function chooseExplicitModel(sources: Sources): Chosen<string> | undefined {
  return firstGiven<string>([
    { value: sources.flags.model, source: GIVEN.model },
    { value: sources.env.REQASE_MODEL, source: 'REQASE_MODEL' },
    { value: sources.fileProvider?.model, source: sources.fileSource },
  ]);
}

function chooseApiKey(sources: Sources): Chosen<string> | undefined {
  const { env, fileProvider } = sources;
  const fileKey =
    fileProvider?.apiKey ?? (fileProvider?.apiKeyEnv ? env[fileProvider.apiKeyEnv] : undefined) ?? undefined;
  return firstGiven<string>([
    { value: sources.flags.apiKey, source: GIVEN.apiKey },
    { value: env.REQASE_API_KEY, source: 'REQASE_API_KEY' },
    { value: env.OPENAI_API_KEY, source: 'OPENAI_API_KEY' },
    { value: fileKey, source: fileProvider?.apiKeyEnv ? fileProvider.apiKeyEnv : sources.fileSource },
  ]);
}

/** The base URL given, else the preset's, else OpenAI's (which then becomes the preset). */
function resolveBaseUrl(
  explicitBaseUrl: Chosen<string> | undefined,
  presetGiven: ProviderPreset | undefined,
  sources: Sources,
  notices: string[],
): { choice: Chosen<string>; normalized: NormalizedBaseUrl; preset: ProviderPreset | undefined } {
  let preset = presetGiven;
  let choice =
    explicitBaseUrl ?? (preset ? { value: preset.baseUrl, source: `preset ${preset.id}` } : undefined);
  if (!choice) {
    choice = { value: PROVIDER_PRESETS.openai.baseUrl, source: 'default (OpenAI)' };
    preset = PROVIDER_PRESETS.openai;
    notices.push(`No base URL given; using OpenAI at ${PROVIDER_PRESETS.openai.baseUrl}.`);
  }
  if (choice.value.includes('YOUR-RESOURCE')) {
    throw new ConfigurationError(`The ${preset?.label ?? 'provider'} base URL needs your resource name.`, {
      fix: `Give the full base URL (REQASE_BASE_URL), e.g. ${choice.value.replace('YOUR-RESOURCE', 'my-resource')}.`,
      remedies: [
        {
          kind: 'set-setting',
          setting: 'baseUrl',
          example: choice.value.replace('YOUR-RESOURCE', 'my-resource'),
        },
      ],
    });
  }
  const names = choice.source.startsWith('preset') ? GIVEN.provider : choice.source;
  const normalized = normalizeBaseUrl(choice.value, names, { exact: sources.exact });
  notices.push(...normalized.notices);
  if (choice.source === 'OPENAI_BASE_URL') {
    notices.push('Using OPENAI_BASE_URL from the environment (REQASE_BASE_URL is not set).');
  }
  return { choice, normalized, preset };
}

function resolveModel(
  explicitModel: Chosen<string> | undefined,
  preset: ProviderPreset | undefined,
  notices: string[],
): Chosen<string> {
  const model =
    explicitModel ??
    (preset?.defaultModel ? { value: preset.defaultModel, source: `preset ${preset.id}` } : undefined);
  if (!model) {
    throw new ConfigurationError('No model is configured for the endpoint.', {
      fix: 'Give the model name (REQASE_MODEL) as the endpoint lists it at GET /v1/models.',
      remedies: [{ kind: 'set-setting', setting: 'model' }],
    });
  }
  if (!explicitModel) notices.push(`No model given; using ${model.value} (the ${preset?.label} default).`);
  return model;
}

/**
 * The key to send, if any. A key from the environment or the config file goes only to the origin
 * it was configured for: a base URL or preset given as a flag (or by an API caller) on another
 * origin gets no key. Throws when the endpoint needs a key and has none.
 */
function resolveApiKey(
  givenKey: Chosen<string> | undefined,
  normalized: NormalizedBaseUrl,
  preset: ProviderPreset | undefined,
  sources: Sources,
  notices: string[],
): Chosen<string> | undefined {
  let apiKey = givenKey;
  let keyWithheld: string | undefined;
  const targetOrigin = new URL(normalized.url).origin;
  const keyOrigin = apiKey && apiKey.source !== GIVEN.apiKey ? configuredOrigin(sources) : targetOrigin;
  if (apiKey && keyOrigin !== targetOrigin) {
    keyWithheld = `${apiKey.source} is not sent to ${targetOrigin}: a key from the environment or the config file goes only to the base URL it is configured with (${keyOrigin ?? 'none usable'}).`;
    notices.push(`${keyWithheld} Give a key for this endpoint itself.`);
    apiKey = undefined;
  }
  const needsKey = preset?.requiresApiKey === true || normalized.url.startsWith('https://api.openai.com');
  if (needsKey && !apiKey) {
    throw new ConfigurationError(
      `${preset?.label ?? 'The endpoint'} needs an API key and none is given.${keyWithheld ? ` ${keyWithheld}` : ''}`,
      {
        fix: keyWithheld
          ? 'Give the key for this endpoint itself, or set REQASE_BASE_URL (or REQASE_PROVIDER) to it so that REQASE_API_KEY belongs to it.'
          : 'Give the key (REQASE_API_KEY; OPENAI_API_KEY also works), or apiKeyEnv in the config file.',
        remedies: [
          keyWithheld
            ? {
                kind: 'set-setting',
                setting: 'apiKey',
                note: 'a key for this endpoint itself, or set REQASE_BASE_URL (or REQASE_PROVIDER) to it so that REQASE_API_KEY belongs to it',
              }
            : {
                kind: 'set-setting',
                setting: 'apiKey',
                note: 'OPENAI_API_KEY also works, or apiKeyEnv in the config file',
              },
        ],
      },
    );
  }
  if (apiKey?.source === 'OPENAI_API_KEY') {
    notices.push('Using OPENAI_API_KEY from the environment (REQASE_API_KEY is not set).');
  }
  return apiKey;
}

/**
 * The origin the environment and config file configure, flags left out: `REQASE_BASE_URL`,
 * `OPENAI_BASE_URL`, the file's baseUrl, else the preset of `REQASE_PROVIDER` or the file, else
 * OpenAI. `undefined` when that base URL is not usable (then no configured key is sent anywhere else).
 */
function configuredOrigin(sources: Sources): string | undefined {
  const { env, fileProvider } = sources;
  const presetId = (env.REQASE_PROVIDER || fileProvider?.preset || '').toLowerCase();
  const presetBaseUrl = isProviderPresetId(presetId) ? PROVIDER_PRESETS[presetId].baseUrl : undefined;
  const baseUrl =
    firstGiven<string>([
      { value: env.REQASE_BASE_URL, source: 'REQASE_BASE_URL' },
      { value: env.OPENAI_BASE_URL, source: 'OPENAI_BASE_URL' },
      { value: fileProvider?.baseUrl, source: sources.fileSource },
    ])?.value ??
    presetBaseUrl ??
    PROVIDER_PRESETS.openai.baseUrl;
  try {
    return new URL(normalizeBaseUrl(baseUrl, 'REQASE_BASE_URL', { exact: sources.exact }).url).origin;
  } catch {
    return undefined;
  }
}

/** The resolved values checked by the schema, numbers from flags, environment or file. */
function buildConfig(resolved: {
  sources: Sources;
  preset: ProviderPreset | undefined;
  baseUrl: string;
  apiKey: Chosen<string> | undefined;
  model: Chosen<string>;
}): ProviderConfig {
  const { flags, env, fileProvider } = resolved.sources;
  const { preset, apiKey } = resolved;
  const temperature =
    numberFrom(flags.temperature, GIVEN.temperature) ??
    numberFrom(env.REQASE_TEMPERATURE, 'REQASE_TEMPERATURE') ??
    fileProvider?.temperature;
  const maxTokens =
    numberFrom(flags.maxTokens, GIVEN.maxTokens) ??
    numberFrom(env.REQASE_MAX_TOKENS, 'REQASE_MAX_TOKENS') ??
    fileProvider?.maxTokens;
  const timeoutMilliseconds =
    numberFrom(flags.timeoutMilliseconds, GIVEN.timeout) ??
    numberFrom(env.REQASE_TIMEOUT_MS, 'REQASE_TIMEOUT_MS') ??
    fileProvider?.timeoutMilliseconds;
  const input: ProviderConfigInput = {
    name: fileProvider?.name ?? preset?.id ?? 'custom',
    ...(preset ? { preset: preset.id } : {}),
    baseUrl: resolved.baseUrl,
    ...(apiKey ? { apiKey: apiKey.value } : {}),
    authHeader: fileProvider?.authHeader ?? preset?.authHeader ?? 'authorization',
    model: resolved.model.value,
    ...(temperature === undefined ? {} : { temperature }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(timeoutMilliseconds === undefined ? {} : { timeoutMilliseconds: timeoutMilliseconds }),
    ...(fileProvider?.extraHeaders ? { extraHeaders: fileProvider.extraHeaders } : {}),
    limits: ProviderLimitsSchema.parse(fileProvider?.limits ?? {}),
  };
  const parsed = ProviderConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigurationError(`The provider configuration is not valid: ${problems}.`, {
      fix: 'Check the temperature (REQASE_TEMPERATURE, 0 to 2), max tokens (REQASE_MAX_TOKENS) and timeout (REQASE_TIMEOUT_MS; positive whole numbers), and the provider section of the config file.',
      remedies: [
        { kind: 'set-setting', setting: 'temperature', note: '0 to 2' },
        { kind: 'set-setting', setting: 'maxTokens', note: 'a positive whole number' },
        { kind: 'set-setting', setting: 'timeout', note: 'a positive whole number' },
      ],
    });
  }
  return parsed.data;
}

function firstGiven<Value>(candidates: Array<Candidate<Value>>): Chosen<Value> | undefined {
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
    const subject = `${names.charAt(0).toUpperCase()}${names.slice(1)}`;
    throw new ConfigurationError(`${subject} must be a number, got "${String(value)}".`, {
      fix: `Give a number for ${names}.`,
    });
  }
  return number;
}
