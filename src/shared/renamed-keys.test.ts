import { describe, expect, it } from 'vitest';
import { foldRenamedKeys, foldRenamedProviderKeys } from './renamed-keys.ts';

describe('foldRenamedKeys', () => {
  const renamed = { colour: 'color' };

  it('moves a former key to its new name with a notice, and leaves other keys alone', () => {
    expect(foldRenamedKeys({ colour: 'red', size: 2 }, renamed, 'theme.')).toEqual({
      value: { color: 'red', size: 2 },
      notices: ['theme.colour is deprecated; use theme.color (same value).'],
    });
  });

  it('keeps the new key when both are given, and says the former one is ignored', () => {
    expect(foldRenamedKeys({ colour: 'red', color: 'blue' }, renamed)).toEqual({
      value: { color: 'blue' },
      notices: ['colour is deprecated and ignored: color is also given.'],
    });
  });

  it('says nothing when only new names (or an undefined former key) are given', () => {
    expect(foldRenamedKeys({ color: 'blue', colour: undefined }, renamed)).toEqual({
      value: { color: 'blue' },
      notices: [],
    });
  });
});

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
