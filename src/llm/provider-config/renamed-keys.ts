/**
 * The provider keys renamed to the `Milliseconds` spelling: still read from a config file's
 * `provider:` section and from a provider request body (the server reaches this through
 * src/app/index.ts), each with a notice. One table for both.
 */
import { foldRenamedKeys, type RenamedKeys } from '../../shared/renamed-keys.ts';

export const RENAMED_PROVIDER_KEYS = {
  timeoutMs: 'timeoutMilliseconds', // deprecated alias
} as const satisfies RenamedKeys;
export const RENAMED_PROVIDER_LIMIT_KEYS = {
  deadlineMs: 'deadlineMilliseconds', // deprecated alias
  maxRetryAfterMs: 'maxRetryAfterMilliseconds', // deprecated alias
} as const satisfies RenamedKeys;

/**
 * A provider's fields (and its `limits`) with former key names moved to their new names, and a
 * notice for each; `where` prefixes the keys in the notices (`provider.` in a config file).
 */
export function foldRenamedProviderKeys<Provider extends object>(
  provider: Provider,
  where = '',
): { value: Omit<Provider, keyof typeof RENAMED_PROVIDER_KEYS>; notices: string[] } {
  const top = foldRenamedKeys(provider, RENAMED_PROVIDER_KEYS, where);
  const limits = (top.value as { limits?: unknown }).limits;
  const foldedLimits =
    typeof limits === 'object' && limits !== null && !Array.isArray(limits)
      ? foldRenamedKeys(limits, RENAMED_PROVIDER_LIMIT_KEYS, `${where}limits.`)
      : undefined;
  return {
    value: foldedLimits ? { ...top.value, limits: foldedLimits.value } : top.value,
    notices: [...top.notices, ...(foldedLimits?.notices ?? [])],
  };
}
