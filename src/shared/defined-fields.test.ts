import { describe, expect, it } from 'vitest';
import { definedFields } from './defined-fields.ts';

describe('definedFields', () => {
  it('leaves out the fields set to undefined and keeps the others, falsy values included', () => {
    const fields = definedFields({
      model: 'gpt-4o',
      provider: undefined,
      offline: false,
      count: 0,
      note: null,
    });
    expect(fields).toEqual({ model: 'gpt-4o', offline: false, count: 0, note: null });
    expect(Object.keys(fields)).toEqual(['model', 'offline', 'count', 'note']);
  });

  it('returns a new object and leaves its argument alone', () => {
    const given = { a: 1, b: undefined };
    const fields = definedFields(given);
    expect(fields).not.toBe(given);
    expect(Object.keys(given)).toEqual(['a', 'b']);
  });

  it('gives a type whose optional fields no longer accept undefined, required fields kept', () => {
    const given: { name: string; model?: string | undefined } = { name: 'Shop', model: undefined };
    const fields: { name: string; model?: string } = definedFields(given);
    expect(fields).toEqual({ name: 'Shop' });
  });
});
