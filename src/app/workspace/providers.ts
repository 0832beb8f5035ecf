import type {
  ApiKeyHeader,
  ProviderCheckRecord,
  ProviderRecord,
  StructuredOutputMode,
} from '../../core/index.ts';
import type { CheckReport } from '../../llm/check/index.ts';
import {
  PROVIDER_PRESETS,
  ProviderConfigSchema,
  ProviderLimitsSchema,
  isProviderPresetId,
  normalizeBaseUrl,
  type ChatClientDependencies,
  type ProviderConfig,
  type ProviderLimits,
  type ProviderPreset,
} from '../../llm/index.ts';
import { ConfigurationError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import type { ProjectView } from './projects.ts';
import { requireProject, type WorkspaceContext } from './context.ts';
import { checkRecordOf, listServedModels, type ServedModel } from './provider-checks.ts';

export interface AddProviderInput {
  /** Unique name, e.g. `team-vllm`. Adding an existing name replaces it (the key is kept unless given). */
  name: string;
  /** A preset id (`openai`, `ollama`, `vllm`, …): fills the base URL and, where it has one, the model. */
  preset?: string;
  baseUrl?: string;
  model?: string;
  /**
   * Stored encrypted (AES-256-GCM). `null` removes a stored key; absent keeps it, unless the base
   * URL's origin (scheme, host, port) changes: a key is only ever sent where it was given.
   */
  apiKey?: string | null;
  /** Header carrying the key: `authorization` (Bearer, the default), `api-key` or `x-api-key`. Absent keeps it. */
  apiKeyHeader?: ApiKeyHeader;
  /** 0 to 2. Default: the client's (0.7). */
  temperature?: number;
  maxTokens?: number;
  /** Timeout of one attempt, in ms. */
  timeoutMs?: number;
  /**
   * Headers sent with every request; their values are treated as secrets (encrypted, shown masked).
   * Absent keeps the stored ones, unless the base URL's origin changes (then they are dropped).
   */
  extraHeaders?: Record<string, string>;
  /** Concurrency, requestsPerMinute, tokensPerMinute, maxRetries, deadlineMs, maxRetryAfterMs. */
  limits?: Partial<ProviderLimits>;
  /** US dollars per million prompt tokens (cost estimates). `null` removes it; absent keeps it. */
  inputPricePerMillionTokens?: number | null;
  /** US dollars per million completion tokens (cost estimates). `null` removes it; absent keeps it. */
  outputPricePerMillionTokens?: number | null;
}

export interface AddedProvider {
  provider: ProviderRecord;
  /** What was assumed or changed (base URL normalised, preset defaults), for the user to see. */
  notices: string[];
}

/** A stored provider ready for the client: the key decrypted, plus the remembered response mode. */
export interface ResolvedProvider {
  config: ProviderConfig;
  structuredOutputMode: StructuredOutputMode | null;
}

export interface ProviderService {
  add(input: AddProviderInput): Promise<AddedProvider>;
  /** Keys masked (`sk-…a1b2`); the key itself never leaves `resolveProvider`. */
  list(): Promise<ProviderRecord[]>;
  show(name: string): Promise<ProviderRecord>;
  remove(name: string): Promise<void>;
  /** Makes the provider the project's default (`null` clears it). */
  setDefault(projectName: string, providerName: string | null): Promise<ProjectView>;
  /** The stored provider with its key decrypted, as generation needs it. */
  resolveProvider(name: string): Promise<ResolvedProvider>;
  /** The presets (OpenAI, LiteLLM, LocalAI, vLLM, …) with their usual base URL and known quirks. */
  presets(): ProviderPreset[];
  /** Remembers the structured-output mode a check found, so generations start with it. */
  rememberResponseMode(name: string, mode: StructuredOutputMode): Promise<void>;
  /** Stores what a connection check of the stored provider concluded (shown on its card). */
  recordCheck(name: string, report: CheckReport): Promise<ProviderCheckRecord>;
  /** The models the provider's endpoint lists at `GET /models`, asked with its stored key. */
  listModels(
    name: string,
    options?: { signal?: AbortSignal; chatClient?: ChatClientDependencies },
  ): Promise<ServedModel[]>;
}

// eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
export function createProviderService(context: WorkspaceContext): ProviderService {
  async function requireProvider(name: string): Promise<ProviderRecord> {
    const storage = await context.storage();
    const provider = await storage.providers.get(name);
    if (!provider) throw providerNotFound(name);
    return provider;
  }

  return {
    presets: () => Object.values(PROVIDER_PRESETS),
    async rememberResponseMode(name, mode) {
      const storage = await context.storage();
      await requireProvider(name);
      await storage.providers.setStructuredOutputMode(name, mode);
    },
    async recordCheck(name, report) {
      const storage = await context.storage();
      const record = checkRecordOf(report, context.now().toISOString());
      await storage.providers.recordCheck(name, record);
      return record;
    },
    async listModels(name, options = {}) {
      const storage = await context.storage();
      const stored = await storage.providers.getWithSecret(name);
      if (!stored) throw providerNotFound(name);
      return listServedModels(providerConfigFrom(stored), options);
    },
    // eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
    async add(input) {
      const storage = await context.storage();
      const notices: string[] = [];
      const name = input.name?.trim() ?? '';
      if (!/^[\w.-]{1,100}$/.test(name)) {
        throw new InvalidInputError(`"${input.name}" is not a usable provider name.`, {
          fix: 'Use letters, digits, dots, dashes and underscores (e.g. team-vllm).',
        });
      }
      let preset;
      if (input.preset !== undefined) {
        const id = input.preset.toLowerCase();
        if (!isProviderPresetId(id)) {
          throw new InvalidInputError(`Unknown provider preset "${input.preset}".`, {
            fix: `Use one of ${Object.keys(PROVIDER_PRESETS).join(', ')}, or give a base URL and a model.`,
            remedies: [
              { kind: 'change-value', field: 'preset', allowed: Object.keys(PROVIDER_PRESETS) },
              { kind: 'set-setting', setting: 'baseUrl' },
            ],
          });
        }
        preset = PROVIDER_PRESETS[id];
      }
      const existing = await storage.providers.get(name);
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
        throw new InvalidInputError(`The ${preset?.label ?? 'provider'} base URL needs your resource name.`, {
          fix: `Give the full base URL, e.g. ${rawBaseUrl.replace('YOUR-RESOURCE', 'my-resource')}.`,
          remedies: [
            {
              kind: 'set-setting',
              setting: 'baseUrl',
              example: rawBaseUrl.replace('YOUR-RESOURCE', 'my-resource'),
            },
          ],
        });
      }
      const normalized = normalizeBaseUrl(rawBaseUrl, 'the base URL');
      notices.push(...normalized.notices);
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
      const limits = ProviderLimitsSchema.partial().safeParse(input.limits ?? {});
      const prices = checkedPrices(input);
      const checked = ProviderConfigSchema.safeParse({
        name,
        baseUrl: normalized.url,
        model,
        ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
        ...(input.maxTokens === undefined ? {} : { maxTokens: input.maxTokens }),
        ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
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
      if (preset?.requiresApiKey && input.apiKey == null && !existing?.hasApiKey) {
        notices.push(`${preset.label} needs an API key; add one to this provider before generating.`);
      }
      const secrets = existing ? secretsKeptFor(existing, normalized.url, input) : {};
      if (secrets.notice) notices.push(secrets.notice);
      const apiKey = input.apiKey === undefined ? secrets.apiKey : input.apiKey === '' ? null : input.apiKey;
      const extraHeaders = input.extraHeaders ?? secrets.extraHeaders;
      const apiKeyHeader =
        input.apiKeyHeader ??
        (existing || !preset || preset.authHeader === 'authorization' ? undefined : preset.authHeader);
      const provider = await storage.providers.save({
        name,
        baseUrl: normalized.url,
        model,
        temperature: input.temperature ?? existing?.temperature ?? null,
        maxTokens: input.maxTokens ?? existing?.maxTokens ?? null,
        timeoutMs: input.timeoutMs ?? existing?.timeoutMs ?? null,
        ...(extraHeaders === undefined ? {} : { extraHeaders }),
        ...(apiKeyHeader === undefined ? {} : { apiKeyHeader }),
        limits: dropUndefined({ ...(existing?.limits ?? {}), ...limits.data }),
        ...prices,
        ...(apiKey === undefined ? {} : { apiKey }),
        // A changed endpoint or model must learn its response mode again.
        ...(existing && (existing.baseUrl !== normalized.url || existing.model !== model)
          ? { structuredOutputMode: null }
          : {}),
      });
      return { provider, notices };
    },

    async list() {
      return (await context.storage()).providers.list();
    },

    show: requireProvider,

    async remove(name) {
      const storage = await context.storage();
      if (!(await storage.providers.remove(name))) throw providerNotFound(name);
    },

    async setDefault(projectName, providerName) {
      const storage = await context.storage();
      const project = await requireProject(storage, projectName);
      const provider = providerName === null ? null : await requireProvider(providerName);
      const updated = await storage.projects.update(project.id, { defaultProviderId: provider?.id ?? null });
      return { ...updated, defaultProvider: provider?.name ?? null };
    },

    async resolveProvider(name) {
      const storage = await context.storage();
      const stored = await storage.providers.getWithSecret(name);
      if (!stored) throw providerNotFound(name);
      return { config: providerConfigFrom(stored), structuredOutputMode: stored.structuredOutputMode };
    },
  };
}

/** The client configuration of a stored provider (defaults filled by the llm schema). */
export function providerConfigFrom(stored: ProviderRecord & { apiKey: string | null }): ProviderConfig {
  const parsed = ProviderConfigSchema.safeParse({
    name: stored.name,
    baseUrl: stored.baseUrl,
    model: stored.model,
    ...(stored.apiKey ? { apiKey: stored.apiKey } : {}),
    // Unset: Azure OpenAI is the one preset that needs `api-key`; everything else takes Bearer.
    authHeader:
      stored.apiKeyHeader ?? (/\.openai\.azure\.com/i.test(stored.baseUrl) ? 'api-key' : 'authorization'),
    ...(stored.temperature === null ? {} : { temperature: stored.temperature }),
    ...(stored.maxTokens === null ? {} : { maxTokens: stored.maxTokens }),
    ...(stored.timeoutMs === null ? {} : { timeoutMs: stored.timeoutMs }),
    extraHeaders: stored.extraHeaders,
    limits: ProviderLimitsSchema.parse(stored.limits ?? {}),
  });
  if (!parsed.success) {
    throw new ConfigurationError(
      `The stored provider "${stored.name}" is not usable: ${parsed.error.issues[0]?.message}.`,
      {
        fix: 'Add the provider again.',
        remedies: [{ kind: 'run-action', action: 'add-provider', provider: stored.name }],
      },
    );
  }
  return parsed.data;
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

function providerNotFound(name: string): NotFoundError {
  return new NotFoundError(`There is no provider named "${name}".`, {
    fix: 'List the providers, or add one.',
    remedies: [
      { kind: 'run-action', action: 'list-providers' },
      { kind: 'run-action', action: 'add-provider' },
    ],
  });
}

function dropUndefined(record: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Record<
    string,
    number
  >;
}
