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
  type ChatClientDependencies,
  type ProviderConfig,
  type ProviderLimits,
  type ProviderPreset,
} from '../../llm/index.ts';
import { ConfigurationError, NotFoundError } from '../../shared/errors.ts';
import type { ProjectView } from './projects.ts';
import { requireProject, type WorkspaceContext } from './context.ts';
import { addProvider } from './provider-add.ts';
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
  timeoutMilliseconds?: number;
  /**
   * Headers sent with every request; their values are treated as secrets (encrypted, shown masked).
   * Absent keeps the stored ones, unless the base URL's origin changes (then they are dropped).
   */
  extraHeaders?: Record<string, string>;
  /** Concurrency, requestsPerMinute, tokensPerMinute, maxRetries, deadlineMilliseconds, maxRetryAfterMilliseconds. */
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

export function createProviderService(context: WorkspaceContext): ProviderService {
  return {
    presets: () => Object.values(PROVIDER_PRESETS),
    rememberResponseMode: (name, mode) => rememberResponseMode(context, name, mode),
    recordCheck: (name, report) => recordCheck(context, name, report),
    listModels: (name, options = {}) => listModels(context, name, options),
    add: (input) => addProvider(context, input),
    list: async () => (await context.storage()).providers.list(),
    show: (name) => requireProvider(context, name),
    remove: (name) => removeProvider(context, name),
    setDefault: (projectName, providerName) => setDefaultProvider(context, projectName, providerName),
    resolveProvider: (name) => resolveProvider(context, name),
  };
}

async function requireProvider(context: WorkspaceContext, name: string): Promise<ProviderRecord> {
  const storage = await context.storage();
  const provider = await storage.providers.get(name);
  if (!provider) throw providerNotFound(name);
  return provider;
}

async function rememberResponseMode(
  context: WorkspaceContext,
  name: string,
  mode: StructuredOutputMode,
): Promise<void> {
  const storage = await context.storage();
  await requireProvider(context, name);
  await storage.providers.setStructuredOutputMode(name, mode);
}

async function recordCheck(
  context: WorkspaceContext,
  name: string,
  report: CheckReport,
): Promise<ProviderCheckRecord> {
  const storage = await context.storage();
  const record = checkRecordOf(report, context.now().toISOString());
  await storage.providers.recordCheck(name, record);
  return record;
}

async function listModels(
  context: WorkspaceContext,
  name: string,
  options: { signal?: AbortSignal; chatClient?: ChatClientDependencies },
): Promise<ServedModel[]> {
  const storage = await context.storage();
  const stored = await storage.providers.getWithSecret(name);
  if (!stored) throw providerNotFound(name);
  return listServedModels(providerConfigFrom(stored), options);
}

async function removeProvider(context: WorkspaceContext, name: string): Promise<void> {
  const storage = await context.storage();
  if (!(await storage.providers.remove(name))) throw providerNotFound(name);
}

async function setDefaultProvider(
  context: WorkspaceContext,
  projectName: string,
  providerName: string | null,
): Promise<ProjectView> {
  const storage = await context.storage();
  const project = await requireProject(storage, projectName);
  const provider = providerName === null ? null : await requireProvider(context, providerName);
  const updated = await storage.projects.update(project.id, { defaultProviderId: provider?.id ?? null });
  return { ...updated, defaultProvider: provider?.name ?? null };
}

async function resolveProvider(context: WorkspaceContext, name: string): Promise<ResolvedProvider> {
  const storage = await context.storage();
  const stored = await storage.providers.getWithSecret(name);
  if (!stored) throw providerNotFound(name);
  return { config: providerConfigFrom(stored), structuredOutputMode: stored.structuredOutputMode };
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
    ...(stored.timeoutMilliseconds === null ? {} : { timeoutMilliseconds: stored.timeoutMilliseconds }),
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

function providerNotFound(name: string): NotFoundError {
  return new NotFoundError(`There is no provider named "${name}".`, {
    fix: 'List the providers, or add one.',
    remedies: [
      { kind: 'run-action', action: 'list-providers' },
      { kind: 'run-action', action: 'add-provider' },
    ],
  });
}
