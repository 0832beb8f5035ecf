import { describe, expect, it } from 'vitest';
import { foldRenamedKeys } from './renamed-keys.ts';

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
