import { describe, expect, it } from 'vitest';
import { capitalize, singleLine } from './text.ts';

describe('singleLine', () => {
  it('folds line breaks and runs of white space into one space and trims the ends', () => {
    expect(singleLine('  Log in\n\tas   admin \r\n')).toBe('Log in as admin');
    expect(singleLine(' \n ')).toBe('');
  });
});

describe('capitalize', () => {
  it('upper-cases the first character and leaves the rest as it is', () => {
    expect(capitalize('high')).toBe('High');
    expect(capitalize('mEDIUM priority')).toBe('MEDIUM priority');
    expect(capitalize('')).toBe('');
  });
});
