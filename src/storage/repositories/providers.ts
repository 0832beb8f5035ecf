import type { Selectable } from 'kysely';
import type {
  ApiKeyHeader,
  ProviderInput,
  ProviderRecord,
  ProviderRepository,
  ProviderWithSecret,
  StructuredOutputMode,
} from '../../core/repositories.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { maskSecret } from '../../shared/secrets.ts';
import { fromJson, toJson, writeTransaction, type StorageContext } from '../context.ts';
import type { ProviderTable } from '../schema.ts';

export function createProviderRepository(context: StorageContext): ProviderRepository {
  const { database } = context;

  async function findRow(name: string) {
    return database.selectFrom('providers').selectAll().where('name', '=', name).executeTakeFirst();
  }

  return {
    save: (provider) => saveProvider(context, provider),

    async get(name) {
      const row = await findRow(name);
      return row && toProviderRecord(row);
    },

    async getById(id) {
      const row = await database.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toProviderRecord(row);
    },

    async getWithSecret(name): Promise<ProviderWithSecret | undefined> {
      const row = await findRow(name);
      if (!row) return undefined;
      const apiKey =
        row.api_key_encrypted === null ? null : (await context.secretBox()).decrypt(row.api_key_encrypted);
      const extraHeaders =
        row.extra_headers_encrypted === null
          ? fromJson<Record<string, string>>(row.extra_headers, {})
          : (JSON.parse((await context.secretBox()).decrypt(row.extra_headers_encrypted)) as Record<
              string,
              string
            >);
      return { ...toProviderRecord(row), extraHeaders, apiKey };
    },

    async list() {
      const rows = await database.selectFrom('providers').selectAll().orderBy('name').execute();
      return rows.map(toProviderRecord);
    },

    async setStructuredOutputMode(name, mode) {
      const result = await database
        .updateTable('providers')
        .set({ structured_output_mode: mode, updated_at: context.now() })
        .where('name', '=', name)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw providerNotFound(name);
    },

    async recordCheck(name, check) {
      // Not `updated_at`: a check observes the provider, it does not change its settings.
      const result = await database
        .updateTable('providers')
        .set({
          last_check_verdict: check.verdict,
          last_check_summary: check.summary,
          last_checked_at: check.checkedAt,
        })
        .where('name', '=', name)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw providerNotFound(name);
    },

    async remove(name) {
      const result = await database.deleteFrom('providers').where('name', '=', name).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

function providerNotFound(name: string): NotFoundError {
  return new NotFoundError(`There is no provider named "${name}".`, {
    fix: 'List the providers to find the right name.',
    remedies: [{ kind: 'run-action', action: 'list-providers' }],
  });
}

async function saveProvider(context: StorageContext, provider: ProviderInput): Promise<ProviderRecord> {
  // Encrypt before the transaction: resolving the secret key may touch the file system.
  const encryptedKey =
    provider.apiKey === undefined || provider.apiKey === null
      ? provider.apiKey
      : (await context.secretBox()).encrypt(provider.apiKey);
  // Header values are secrets too (`x-api-key: …`): encrypted, and only masked values in clear.
  const headers = provider.extraHeaders;
  const encryptedHeaders =
    headers === undefined || Object.keys(headers).length === 0
      ? null
      : (await context.secretBox()).encrypt(JSON.stringify(headers));
  return writeTransaction(context, async (transaction) => {
    const now = context.now();
    const values = {
      base_url: provider.baseUrl,
      model: provider.model,
      temperature: provider.temperature ?? null,
      max_tokens: provider.maxTokens ?? null,
      timeout_milliseconds: provider.timeoutMilliseconds ?? null,
      limits: toJson(provider.limits ?? {}),
      updated_at: now,
      ...(headers !== undefined && {
        extra_headers: toJson(maskHeaderValues(headers)),
        extra_headers_encrypted: encryptedHeaders,
      }),
      ...(provider.apiKeyHeader !== undefined && { api_key_header: provider.apiKeyHeader }),
      ...(provider.inputPricePerMillionTokens !== undefined && {
        input_price_per_million_tokens: provider.inputPricePerMillionTokens,
      }),
      ...(provider.outputPricePerMillionTokens !== undefined && {
        output_price_per_million_tokens: provider.outputPricePerMillionTokens,
      }),
      ...(provider.structuredOutputMode !== undefined && {
        structured_output_mode: provider.structuredOutputMode,
      }),
      ...(encryptedKey !== undefined && {
        api_key_encrypted: encryptedKey,
        api_key_masked: maskSecret(provider.apiKey),
      }),
    };
    const updated = await transaction
      .updateTable('providers')
      .set(values)
      .where('name', '=', provider.name)
      .returningAll()
      .executeTakeFirst();
    if (updated) return toProviderRecord(updated);
    const row: Selectable<ProviderTable> = {
      id: newId(),
      name: provider.name,
      structured_output_mode: null,
      api_key_encrypted: null,
      api_key_masked: maskSecret(null),
      extra_headers: toJson({}),
      extra_headers_encrypted: null,
      api_key_header: null,
      last_check_verdict: null,
      last_check_summary: null,
      last_checked_at: null,
      input_price_per_million_tokens: null,
      output_price_per_million_tokens: null,
      created_at: now,
      ...values,
    };
    await transaction.insertInto('providers').values(row).execute();
    return toProviderRecord(row);
  });
}

function maskHeaderValues(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, maskSecret(value)]));
}

/** The record as anyone may see it: the encrypted key never leaves this function. */
function toProviderRecord(row: Selectable<ProviderTable>): ProviderRecord {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.base_url,
    model: row.model,
    temperature: row.temperature === null ? null : Number(row.temperature),
    maxTokens: row.max_tokens,
    timeoutMilliseconds: row.timeout_milliseconds,
    // Rows saved before header encryption hold clear values: masked here, encrypted on the next save.
    extraHeaders:
      row.extra_headers_encrypted === null
        ? maskHeaderValues(fromJson<Record<string, string>>(row.extra_headers, {}))
        : fromJson<Record<string, string>>(row.extra_headers, {}),
    apiKeyHeader: (row.api_key_header as ApiKeyHeader | null) ?? null,
    limits: fromJson<Record<string, number>>(row.limits, {}),
    hasApiKey: row.api_key_encrypted !== null,
    apiKeyMasked: row.api_key_encrypted === null ? maskSecret(null) : row.api_key_masked,
    structuredOutputMode: row.structured_output_mode as StructuredOutputMode | null,
    lastCheck:
      row.last_check_verdict === null || row.last_checked_at === null
        ? null
        : {
            verdict: row.last_check_verdict === 'compatible' ? 'compatible' : 'not-compatible',
            summary: row.last_check_summary ?? '',
            checkedAt: row.last_checked_at,
          },
    inputPricePerMillionTokens: numberOrNull(row.input_price_per_million_tokens),
    outputPricePerMillionTokens: numberOrNull(row.output_price_per_million_tokens),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** PostgreSQL may hand numeric columns back as strings. */
function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}
