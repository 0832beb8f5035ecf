import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_LONGEST } from './longest-first-sequencer.ts';

describe('longest-first-sequencer.ts', () => {
  it('names only test files that exist (a renamed or split file would silently lose its head start)', () => {
    const root = join(import.meta.dirname, '..', '..');
    expect(KNOWN_LONGEST.filter((file) => !existsSync(join(root, file)))).toEqual([]);
  });
});
