import type { ProviderInput, ProviderRecord } from '../../core/index.ts';
import {
  PROVIDER_PRESETS,
  ProviderConfigSchema,
  ProviderLimitsSchema,
  isProviderPresetId,
  normalizeBaseUrl,
  type ProviderLimits,
  type ProviderPreset,
} from '../../llm/index.ts';
import { definedFields } from '../../shared/defined-fields.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import type { WorkspaceContext } from './context.ts';
import type { AddedProvider, AddProviderInput } from './providers.ts';

/** What adding a provider works from: the input, its preset, the provider it replaces, the notices so far. */
interface ProviderDraft {
  input: AddProviderInput;
  name: string;
  preset: ProviderPreset | undefined;
  existing: ProviderRecord | undefined;
  notices: string[];
}

/**
 * Adds the provider, or replaces the one of that name: the input checked step by step (name, preset,
 * base URL, model, settings), the replaced provider's values and secrets kept where the input leaves
 * them out.
 */
export async function addProvider(
  context: WorkspaceContext,
  input: AddProviderInput,
): Promise<AddedProvider> {
  const storage = await context.storage();
  const name = checkedProviderName(input.name);
  const preset = presetNamed(input.preset);
  const existing = await storage.providers.get(name);
  const draft: ProviderDraft = { input, name, preset, existing, notices: [] };
  const baseUrl = baseUrlOf(draft);
  const model = modelOf(draft);
  const settings = checkedSettings(draft, baseUrl, model);
  const provider = await storage.providers.save(providerToSave(draft, baseUrl, model, settings));
  return { provider, notices: draft.notices };
}

function checkedProviderName(given: string | undefined): string {
  const name = given?.trim() ?? '';
  if (!/^[\w.-]{1,100}$/.test(name)) {
    throw new InvalidInputError(`"${given}" is not a usable provider name.`, {
      fix: 'Use letters, digits, dots, dashes and underscores (e.g. team-vllm).',
    });
  }
  return name;
}

function presetNamed(given: string | undefined): ProviderPreset | undefined {
  if (given === undefined) return undefined;
  const id = given.toLowerCase();
  if (!isProviderPresetId(id)) {
    throw new InvalidInputError(`Unknown provider preset "${given}".`, {
      fix: `Use one of ${Object.keys(PROVIDER_PRESETS).join(', ')}, or give a base URL and a model.`,
      remedies: [
        { kind: 'change-value', field: 'preset', allowed: Object.keys(PROVIDER_PRESETS) },
        { kind: 'set-setting', setting: 'baseUrl' },
      ],
    });
  }
  return PROVIDER_PRESETS[id];
}

/** The base URL given, else the preset's, else the stored one; normalised (what changed is a notice). */
function baseUrlOf({ input, name, preset, existing, notices }: ProviderDraft): string {
  const rawBaseUrl = input.baseUrl ?? preset?.baseUrl ?? existing?.baseUrl;
  if (!rawBaseUrl) {
    throw new InvalidInputError(`The provider "${name}" needs a base URL.`, {
      fix: 'Give a base URL (e.g. http://localhost:8000/v1) or a preset (e.g. ollama).',
      remedies: [
        { kind: 'set-setting', setting: 'baseUrl', example: 'http://localhost:8000/v1' },
        { kind: 'change-value', field: 'preset', example: 'ollama' },
      ],
    });
  }
  if (rawBaseUrl.includes('YOUR-RESOURCE')) {
    const example = rawBaseUrl.replace('YOUR-RESOURCE', 'my-resource');
    throw new InvalidInputError(`The ${preset?.label ?? 'provider'} base URL needs your resource name.`, {
      fix: `Give the full base URL, e.g. ${example}.`,
      remedies: [{ kind: 'set-setting', setting: 'baseUrl', example }],
    });
  }
  const normalized = normalizeBaseUrl(rawBaseUrl, 'the base URL');
  notices.push(...normalized.notices);
  return normalized.url;
}

/** The model given, else the stored one, else the preset's default (said in a notice). */
function modelOf({ input, name, preset, existing, notices }: ProviderDraft): string {
  const model = input.model ?? existing?.model ?? preset?.defaultModel;
  if (!model) {
    throw new InvalidInputError(`The provider "${name}" needs a model.`, {
      fix: 'Give the model name as the endpoint lists it at GET /v1/models.',
      remedies: [{ kind: 'set-setting', setting: 'model' }],
    });
  }
  if (!input.model && !existing && preset?.defaultModel) {
    notices.push(`No model given; using ${model} (the ${preset.label} default).`);
  }
  return model;
}

interface CheckedSettings {
  /** As parsed: a limit given as `undefined` is dropped from the stored limits by `providerToSave`. */
  limits: { [Limit in keyof ProviderLimits]?: ProviderLimits[Limit] | undefined };
  prices: Pick<AddProviderInput, 'inputPricePerMillionTokens' | 'outputPricePerMillionTokens'>;
}

/** The limits, prices and client settings given, checked against the llm schemas. */
function checkedSettings({ input, name }: ProviderDraft, baseUrl: string, model: string): CheckedSettings {
  const limits = ProviderLimitsSchema.partial().safeParse(input.limits ?? {});
  const prices = checkedPrices(input);
  const checked = ProviderConfigSchema.safeParse({
    name,
    baseUrl,
    model,
    ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
    ...(input.maxTokens === undefined ? {} : { maxTokens: input.maxTokens }),
    ...(input.timeoutMilliseconds === undefined ? {} : { timeoutMilliseconds: input.timeoutMilliseconds }),
    ...(input.extraHeaders ? { extraHeaders: input.extraHeaders } : {}),
  });
  if (!checked.success || !limits.success) {
    const issues = [...(checked.error?.issues ?? []), ...(limits.error?.issues ?? [])];
    throw new InvalidInputError(
      `The provider settings are not valid: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}.`,
      {
        fix: 'Temperature is 0 to 2; max tokens, timeout and limits are positive whole numbers.',
      },
    );
  }
  return { limits: limits.data, prices };
}

/** The record to store: the input over the replaced provider's values, its secrets kept or dropped. */
function providerToSave(
  draft: ProviderDraft,
  baseUrl: string,
  model: string,
  { limits, prices }: CheckedSettings,
): ProviderInput {
  const { input, name, existing } = draft;
  const { apiKey, extraHeaders, apiKeyHeader } = secretsToSave(draft, baseUrl);
  return {
    name,
    baseUrl,
    model,
    temperature: input.temperature ?? existing?.temperature ?? null,
    maxTokens: input.maxTokens ?? existing?.maxTokens ?? null,
    timeoutMilliseconds: input.timeoutMilliseconds ?? existing?.timeoutMilliseconds ?? null,
    ...(extraHeaders === undefined ? {} : { extraHeaders }),
    ...(apiKeyHeader === undefined ? {} : { apiKeyHeader }),
    limits: definedFields({ ...(existing?.limits ?? {}), ...limits }),
    ...prices,
    ...(apiKey === undefined ? {} : { apiKey }),
    // A changed endpoint or model must learn its response mode again.
    ...(existing && (existing.baseUrl !== baseUrl || existing.model !== model)
      ? { structuredOutputMode: null }
      : {}),
  };
}

/** `undefined`: keep what is stored. */
type SecretsToSave = {
  [Field in 'apiKey' | 'extraHeaders' | 'apiKeyHeader']: Exclude<ProviderInput[Field], undefined> | undefined;
};

/**
 * The key, extra headers and key header to store (`undefined` keeps the stored ones): as given, else
 * kept while the origin stays (`secretsKeptFor`). A preset that needs a key and has none is a notice.
 */
function secretsToSave({ input, preset, existing, notices }: ProviderDraft, baseUrl: string): SecretsToSave {
  if (preset?.requiresApiKey && input.apiKey == null && !existing?.hasApiKey) {
    notices.push(`${preset.label} needs an API key; add one to this provider before generating.`);
  }
  const secrets = existing ? secretsKeptFor(existing, baseUrl, input) : {};
  if (secrets.notice) notices.push(secrets.notice);
  return {
    apiKey: input.apiKey === undefined ? secrets.apiKey : input.apiKey === '' ? null : input.apiKey,
    extraHeaders: input.extraHeaders ?? secrets.extraHeaders,
    apiKeyHeader:
      input.apiKeyHeader ??
      (existing || !preset || preset.authHeader === 'authorization' ? undefined : preset.authHeader),
  };
}
/**
 * What of the stored secrets (key, extra headers) a re-save keeps when none are given: all of them
 * while the base URL stays on its origin (scheme, host, port); none when it moves, so a stored key
 * never goes to an address it was not given for. The notice says what was dropped.
 */
function secretsKeptFor(
  existing: ProviderRecord,
  newBaseUrl: string,
  input: Pick<AddProviderInput, 'apiKey' | 'extraHeaders'>,
): { apiKey?: null; extraHeaders?: Record<string, string>; notice?: string } {
  const before = new URL(existing.baseUrl).origin;
  const after = new URL(newBaseUrl).origin;
  if (before === after) return {};
  const dropKey = input.apiKey === undefined && existing.hasApiKey;
  const dropHeaders = input.extraHeaders === undefined && Object.keys(existing.extraHeaders).length > 0;
  if (!dropKey && !dropHeaders) return {};
  const dropped = [dropKey ? 'API key' : '', dropHeaders ? 'extra headers' : '']
    .filter(Boolean)
    .join(' and ');
  return {
    ...(dropKey ? { apiKey: null } : {}),
    ...(dropHeaders ? { extraHeaders: {} } : {}),
    notice:
      `The stored ${dropped} ${dropKey && dropHeaders ? 'were' : 'was'} removed because the base URL changed ` +
      `from ${before} to ${after}: secrets are only sent to the address they were given for. ` +
      `Give the ${dropped} again if ${after} needs ${dropKey && dropHeaders ? 'them' : 'it'}.`,
  };
}

/** The prices given, each a finite number of US dollars ≥ 0 (or null to remove it). */
function checkedPrices(
  input: Pick<AddProviderInput, 'inputPricePerMillionTokens' | 'outputPricePerMillionTokens'>,
): Pick<AddProviderInput, 'inputPricePerMillionTokens' | 'outputPricePerMillionTokens'> {
  const prices: Pick<AddProviderInput, 'inputPricePerMillionTokens' | 'outputPricePerMillionTokens'> = {};
  for (const field of ['inputPricePerMillionTokens', 'outputPricePerMillionTokens'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (value !== null && !(Number.isFinite(value) && value >= 0)) {
      throw new InvalidInputError(
        `The price ${field} must be a number of US dollars, 0 or more; got ${value}.`,
        {
          fix: 'Give the price per million tokens as the provider lists it, e.g. 0.15.',
          remedies: [{ kind: 'change-value', field, example: '0.15' }],
        },
      );
    }
    prices[field] = value;
  }
  return prices;
}
