import { describe, expect, it } from 'vitest';
import { err, ok, type Result } from './result.ts';

function half(value: number): Result<number, string> {
  return value % 2 === 0 ? ok(value / 2) : err(`${value} is odd`);
}

describe('ok and err', () => {
  it('build the two sides of a Result, told apart by `ok`', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(err(new Error('no'))).toEqual({ ok: false, error: new Error('no') });
  });

  it('narrow in the caller: value on success, error on failure', () => {
    const even = half(8);
    const odd = half(7);
    expect(even.ok ? even.value : even.error).toBe(4);
    expect(odd.ok ? odd.value : odd.error).toBe('7 is odd');
  });
});
