import { describe, expect, it } from 'vitest';
import { foldRenamedProviderKeys } from './renamed-keys.ts';

describe('foldRenamedProviderKeys', () => {
  it('folds the provider keys and its limits, naming each former key where it was written', () => {
    const provider = { model: 'm', timeoutMs: 5000, limits: { deadlineMs: 90_000, concurrency: 2 } }; // former names
    expect(foldRenamedProviderKeys(provider, 'provider.')).toEqual({
      value: {
        model: 'm',
        timeoutMilliseconds: 5000,
        limits: { deadlineMilliseconds: 90_000, concurrency: 2 },
      },
      notices: [
        'provider.timeoutMs is deprecated; use provider.timeoutMilliseconds (same value).', // former name
        'provider.limits.deadlineMs is deprecated; use provider.limits.deadlineMilliseconds (same value).', // former name
      ],
    });
  });

  it('leaves a provider without former keys, or with limits that are not an object, as it is', () => {
    expect(foldRenamedProviderKeys({ model: 'm', limits: 'none' })).toEqual({
      value: { model: 'm', limits: 'none' },
      notices: [],
    });
  });
});
