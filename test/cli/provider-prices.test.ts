/**
 * `reqase provider add --input-price N --output-price N` stores the prices; `provider show` prints
 * them; a bad price is a usage error (exit 2); `compare` uses a stored price when none is given.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enginesToCompare, storedTokenPrice } from '../../src/app/compare.ts';
import { runReqaseInProcess } from '../support/reqase-in-process.ts';

let dataDirectory: string;

beforeAll(() => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-cli-prices-'));
  vi.stubEnv('REQASE_DATA_DIR', dataDirectory);
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('provider prices on the command line', () => {
  it('stores and shows prices; a price that is not a number is a usage error', async () => {
    const added = await runReqaseInProcess([
      'provider',
      'add',
      'team',
      '--base-url',
      'http://127.0.0.1:9/v1',
      '--model',
      'm',
      '--input-price',
      '0.15',
      '--output-price',
      '0.6',
      '--json',
    ]);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).provider).toMatchObject({
      inputPricePerMillionTokens: 0.15,
      outputPricePerMillionTokens: 0.6,
    });
    const shown = await runReqaseInProcess(['provider', 'show', 'team']);
    expect(shown.stdout).toContain('price $0.15 in / $0.6 out per million tokens');

    const bad = await runReqaseInProcess(['provider', 'add', 'team', '--input-price', 'cheap']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--input-price');
  });

  it('compare falls back to the stored price, and a given price wins', async () => {
    const lookup = async () => ({ name: 'team' }) as never;
    const stored = async (name: string) =>
      name === 'team'
        ? storedTokenPrice({ inputPricePerMillionTokens: 0.15, outputPricePerMillionTokens: 0.6 })
        : undefined;
    const [fallback] = await enginesToCompare({ providers: ['team'], offline: false }, lookup, stored);
    expect(fallback?.price).toEqual({ input: 0.15, output: 0.6 });
    const [given] = await enginesToCompare(
      { providers: ['team'], offline: false, prices: ['team=1/2'] },
      lookup,
      stored,
    );
    expect(given?.price).toEqual({ input: 1, output: 2 });
    expect(
      storedTokenPrice({ inputPricePerMillionTokens: 0.15, outputPricePerMillionTokens: null }),
    ).toBeUndefined();
  });
});
