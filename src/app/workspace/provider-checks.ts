/**
 * What a stored provider remembers of its connection checks, and the models its endpoint serves.
 * Kept apart from the provider service (add, list, remove) so each stays small.
 */
import type { ProviderCheckRecord } from '../../core/index.ts';
import type { CheckReport } from '../../llm/check/index.ts';
import type { ChatClientDependencies, ProviderConfig } from '../../llm/index.ts';
import { chatClientFor } from '../generation.ts';

/**
 * The one line a provider card shows for a check: what works, or the cause of the failure.
 *
 * @example checkRecordOf(report, new Date().toISOString()) // { verdict: 'compatible', summary: '…', checkedAt }
 */
export function checkRecordOf(
  report: Pick<CheckReport, 'compatible' | 'model' | 'baseUrl' | 'checks' | 'rootCause'>,
  checkedAt: string,
): ProviderCheckRecord {
  if (report.compatible) {
    const warnings = report.checks.filter((check) => check.status === 'warn').length;
    return {
      verdict: 'compatible',
      summary:
        `${report.model} at ${report.baseUrl} works with Reqase Lite` +
        (warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'}).` : '.'),
      checkedAt,
    };
  }
  const failed = report.checks.filter((check) => check.status === 'fail');
  const cause = report.rootCause?.message ?? failed[0]?.message ?? 'A check failed.';
  return { verdict: 'not-compatible', summary: cause, checkedAt };
}

/** A model the endpoint serves, as `GET /models` lists it. */
export interface ServedModel {
  id: string;
  ownedBy?: string;
}

/**
 * The models a provider's endpoint lists at `GET /models`, sorted by id. Uses the provider's key
 * server-side; the key never leaves this process.
 */
export async function listServedModels(
  config: ProviderConfig,
  options: { signal?: AbortSignal; chatClient?: ChatClientDependencies } = {},
): Promise<ServedModel[]> {
  const client = await chatClientFor(config, options.chatClient);
  const models = await client.listModels(options.signal ? { signal: options.signal } : {});
  return models
    .map((model) => ({ id: model.id, ...(model.ownedBy ? { ownedBy: model.ownedBy } : {}) }))
    .sort((first, second) => first.id.localeCompare(second.id));
}
