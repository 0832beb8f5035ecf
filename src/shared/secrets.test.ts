import { describe, expect, it } from 'vitest';
import { maskSecret, redactSecrets } from './secrets.ts';

describe('maskSecret', () => {
  it('keeps the prefix and the last four characters only', () => {
    expect(maskSecret('sk-proj-abcdefgh1234a1b2')).toBe('sk-…a1b2');
    expect(maskSecret('0123456789abcdefWXYZ')).toBe('…WXYZ');
  });

  it('hides short keys entirely and says when there is none', () => {
    expect(maskSecret('short')).toBe('…****');
    expect(maskSecret(undefined)).toBe('(none)');
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence of the key', () => {
    const key = 'sk-test-0123456789abcdef';
    const text = `Bearer ${key} failed; retried with ${key}`;
    const redacted = redactSecrets(text, [key]);
    expect(redacted).not.toContain(key);
    expect(redacted).toContain('sk-…cdef');
  });
});
