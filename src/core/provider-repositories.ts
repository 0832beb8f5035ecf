/** Storage ports for LLM providers (split from repositories.ts to keep each file small). */
export type StructuredOutputMode = 'json_schema' | 'json_object' | 'text';

/** The header that carries the API key: `authorization` (as `Bearer KEY`), `api-key` or `x-api-key`. */
export type ApiKeyHeader = 'authorization' | 'api-key' | 'x-api-key';

export interface ProviderRecord {
  id: string;
  /** Unique across the workspace. */
  name: string;
  baseUrl: string;
  model: string;
  temperature: number | null;
  maxTokens: number | null;
  timeoutMilliseconds: number | null;
  /** Extra headers with their values masked (they may hold secrets); clear only from `getWithSecret`. */
  extraHeaders: Record<string, string>;
  /** Which header carries the key; null: decided by the base URL (Azure OpenAI: `api-key`, else Bearer). */
  apiKeyHeader: ApiKeyHeader | null;
  /** Rate and concurrency limits as the llm layer defines them (e.g. `requestsPerMinute`). */
  limits: Record<string, number>;
  /** True when an API key is stored. */
  hasApiKey: boolean;
  /** The key as `sk-…a1b2`, or `(none)`; the key itself only comes from `getWithSecret`. */
  apiKeyMasked: string;
  /** The structured output mode learned from the endpoint; null until learned. */
  structuredOutputMode: StructuredOutputMode | null;
  /** The last connection check run on this stored provider; null until one ran. */
  lastCheck: ProviderCheckRecord | null;
  /** US dollars per million prompt tokens, for cost estimates; null: not priced. */
  inputPricePerMillionTokens: number | null;
  /** US dollars per million completion tokens, for cost estimates; null: not priced. */
  outputPricePerMillionTokens: number | null;
  createdAt: string;
  updatedAt: string;
}

/** What a connection check concluded about a stored provider, and when. */
export interface ProviderCheckRecord {
  verdict: 'compatible' | 'not-compatible';
  /** One line: the root cause when not compatible, else what works. */
  summary: string;
  checkedAt: string;
}

/** The record with the key and the extra headers' values in clear. */
export interface ProviderWithSecret extends ProviderRecord {
  apiKey: string | null;
}

export interface ProviderInput {
  name: string;
  baseUrl: string;
  model: string;
  temperature?: number | null;
  maxTokens?: number | null;
  timeoutMilliseconds?: number | null;
  /** Stored encrypted (values may be secrets). On update, `undefined` keeps the stored headers. */
  extraHeaders?: Record<string, string>;
  /** On update, `undefined` keeps the stored choice; `null` lets the base URL decide. */
  apiKeyHeader?: ApiKeyHeader | null;
  limits?: Record<string, number>;
  /** Stored encrypted. On update, `undefined` keeps the stored key and `null` removes it. */
  apiKey?: string | null;
  structuredOutputMode?: StructuredOutputMode | null;
  /** On update, `undefined` keeps the stored price and `null` removes it. */
  inputPricePerMillionTokens?: number | null;
  /** On update, `undefined` keeps the stored price and `null` removes it. */
  outputPricePerMillionTokens?: number | null;
}

export interface ProviderRepository {
  /** Creates the provider or replaces the one with the same name (keeping its id). */
  save(provider: ProviderInput): Promise<ProviderRecord>;
  get(name: string): Promise<ProviderRecord | undefined>;
  getById(id: string): Promise<ProviderRecord | undefined>;
  /**
   * The record with the API key decrypted. Throws a `SecretKeyChangedError` when the key was
   * encrypted under another secret key.
   */
  getWithSecret(name: string): Promise<ProviderWithSecret | undefined>;
  /** Ordered by name. */
  list(): Promise<ProviderRecord[]>;
  setStructuredOutputMode(name: string, mode: StructuredOutputMode | null): Promise<void>;
  /** Stores the result of a connection check run on the provider (replacing the previous one). */
  recordCheck(name: string, check: ProviderCheckRecord): Promise<void>;
  /** False when absent. */
  remove(name: string): Promise<boolean>;
}
