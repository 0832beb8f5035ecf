import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox, loadOrCreateSecretKey, parseSecretKey } from './secret-box.ts';

describe('createSecretBox', () => {
  const key = randomBytes(32);

  it('round-trips a secret through a versioned string with a fresh IV each time', () => {
    const box = createSecretBox(key);
    const first = box.encrypt('sk-live-abcdef123456');
    const second = box.encrypt('sk-live-abcdef123456');
    expect(first).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('abcdef123456');
    expect(Buffer.from(first.split(':')[1]!, 'base64')).toHaveLength(12);
    expect(box.decrypt(first)).toBe('sk-live-abcdef123456');
    expect(box.decrypt(second)).toBe('sk-live-abcdef123456');
  });

  it('says the secret key changed when another key encrypted the value', () => {
    const stored = createSecretBox(key).encrypt('sk-live-abcdef123456');
    const other = createSecretBox(randomBytes(32), { keySource: 'REQASE_SECRET_KEY' });
    expect(() => other.decrypt(stored)).toThrow(/secret key changed/);
    try {
      other.decrypt(stored);
    } catch (error) {
      expect(error).toMatchObject({
        code: 'secret_key_changed',
        fix: expect.stringContaining('REQASE_SECRET_KEY'),
      });
    }
  });

  it('refuses a tampered value and a key of the wrong length', () => {
    const box = createSecretBox(key);
    const [version, iv, tag, cipherText] = box.encrypt('secret value').split(':') as [
      string,
      string,
      string,
      string,
    ];
    const flipped = Buffer.from(cipherText, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.decrypt([version, iv, tag, flipped.toString('base64')].join(':'))).toThrow(
      /cannot be decrypted/,
    );
    expect(() => box.decrypt('plain text')).toThrow(/format/);
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('parseSecretKey', () => {
  it('reads base64 and hex keys of 32 bytes and names the source of a bad one', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('base64'), 'X')).toEqual(key);
    expect(parseSecretKey(key.toString('hex'), 'X')).toEqual(key);
    expect(parseSecretKey(key.toString('base64url'), 'X')).toEqual(key);
    expect(() => parseSecretKey('too-short', 'REQASE_SECRET_KEY')).toThrow(
      /REQASE_SECRET_KEY is not a 32-byte key/,
    );
    expect(() => parseSecretKey(randomBytes(16).toString('base64'), 'REQASE_SECRET_KEY')).toThrow(/32-byte/);
  });
});

describe('loadOrCreateSecretKey', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'reqase-secret-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('prefers REQASE_SECRET_KEY and creates no file then', async () => {
    const key = randomBytes(32);
    const loaded = await loadOrCreateSecretKey({
      env: { REQASE_SECRET_KEY: key.toString('hex') },
      dataDirectory: directory,
    });
    expect(loaded).toEqual({ key, source: 'REQASE_SECRET_KEY', created: false });
    await expect(stat(join(directory, 'secret.key'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(loadOrCreateSecretKey({ env: { REQASE_SECRET_KEY: 'nope' } })).rejects.toMatchObject({
      code: 'configuration',
    });
  });

  it('creates an owner-only key file on first run and reuses it afterwards', async () => {
    const first = await loadOrCreateSecretKey({ env: {}, dataDirectory: directory });
    const path = join(directory, 'secret.key');
    expect(first).toMatchObject({ source: path, created: true });
    expect(first.key).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateSecretKey({ env: {}, dataDirectory: directory });
    expect(second).toMatchObject({ created: false });
    expect(second.key).toEqual(first.key);
    expect((await readFile(path, 'utf8')).trim()).toBe(first.key.toString('base64'));
  });

  it('gives every concurrent first run the same key', async () => {
    const keys = await Promise.all(
      Array.from({ length: 5 }, () => loadOrCreateSecretKey({ env: {}, dataDirectory: directory })),
    );
    expect(keys.filter((loaded) => loaded.created)).toHaveLength(1);
    for (const loaded of keys) expect(loaded.key).toEqual(keys[0]!.key);
  });

  it('tightens a key file readable by others, and reports a corrupt one', async () => {
    const path = join(directory, 'secret.key');
    await writeFile(path, randomBytes(32).toString('base64'), { mode: 0o644 });
    await loadOrCreateSecretKey({ env: {}, dataDirectory: directory });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await writeFile(path, 'garbage');
    await expect(loadOrCreateSecretKey({ env: {}, dataDirectory: directory })).rejects.toThrow(
      /key file .*secret.key is not a 32-byte key/,
    );
  });

  it('asks for a key when there is neither variable nor data directory', async () => {
    await expect(loadOrCreateSecretKey({ env: {} })).rejects.toMatchObject({
      code: 'configuration',
      fix: expect.stringContaining('REQASE_SECRET_KEY'),
    });
  });
});
