import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.ts';
import { findNulCharacter, NUL_CHARACTER, quoteForMessage, refuseNulCharacter } from './nul-character.ts';

describe('findNulCharacter', () => {
  it('gives the path of the first string with NUL, through objects and arrays', () => {
    expect(findNulCharacter(`a${NUL_CHARACTER}b`)).toEqual([]);
    expect(findNulCharacter({ name: `a${NUL_CHARACTER}` })).toEqual(['name']);
    expect(
      findNulCharacter({ steps: [{ action: 'ok' }, { action: 'ok' }, { action: `x${NUL_CHARACTER}` }] }),
    ).toEqual(['steps', '2', 'action']);
  });

  it('finds NUL in a key too', () => {
    expect(findNulCharacter({ [`ke${NUL_CHARACTER}y`]: 'value' })).toEqual([`ke${NUL_CHARACTER}y`]);
  });

  it('is undefined for clean values, numbers and null', () => {
    expect(findNulCharacter({ name: 'clean', count: 3, nothing: null, list: ['a', 'b'] })).toBeUndefined();
  });
});

describe('quoteForMessage', () => {
  it('escapes control characters as JSON and shortens long text', () => {
    expect(quoteForMessage(`a${NUL_CHARACTER}b`)).toBe('"a\\u0000b"');
    expect(quoteForMessage('x'.repeat(100), 5)).toBe('"xxxxx…"');
  });
});

describe('refuseNulCharacter', () => {
  it('throws an invalid-input error naming the field, with the NUL shown escaped', () => {
    let thrown: unknown;
    try {
      refuseNulCharacter({ name: 'Shop', testCaseRules: `one${NUL_CHARACTER}two` }, 'The project');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect((thrown as InvalidInputError).message).toContain('The project holds a NUL character');
    expect((thrown as InvalidInputError).message).toContain('testCaseRules');
    expect((thrown as InvalidInputError).fix).toBe('Remove the NUL character from testCaseRules.');
  });

  it('does nothing for clean fields', () => {
    expect(() => refuseNulCharacter({ name: 'Shop' }, 'The project')).not.toThrow();
  });
});
