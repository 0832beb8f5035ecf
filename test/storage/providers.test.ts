import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  type TestDatabase,
} from './storage-setup.ts';

const API_KEY = 'sk-proj-VERYSECRET-0123456789abcdef';

const provider = {
  name: 'local',
  baseUrl: 'http://127.0.0.1:11434/v1',
  model: 'qwen2.5',
  temperature: 0.2,
  maxTokens: 2000,
  timeoutMilliseconds: 60_000,
  extraHeaders: { 'X-Team': 'qa' },
  limits: { requestsPerMinute: 60, concurrency: 2 },
  apiKey: API_KEY,
};

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('providers', dialect), () => {
    let testDatabase: TestDatabase;
    beforeEach(async () => {
      testDatabase = await createTestDatabase(dialect);
    });
    afterEach(async () => {
      await testDatabase.dispose();
    });

    it('shows only a masked key in list and get; the key itself only through getWithSecret', async () => {
      const { storage } = await testDatabase.open();
      const saved = await storage.providers.save(provider);
      expect(saved).toMatchObject({
        name: 'local',
        temperature: 0.2,
        hasApiKey: true,
        apiKeyMasked: 'sk-…cdef',
      });
      expect(saved.limits).toEqual({ requestsPerMinute: 60, concurrency: 2 });
      expect(saved.extraHeaders).toEqual({ 'X-Team': '…****' });
      expect((await storage.providers.getWithSecret('local'))!.extraHeaders).toEqual({ 'X-Team': 'qa' });
      expect(JSON.stringify(await storage.providers.list())).not.toContain(API_KEY);
      expect(JSON.stringify(await storage.providers.get('local'))).not.toContain(API_KEY);
      expect(JSON.stringify(await storage.providers.getById(saved.id))).not.toContain(API_KEY);
      expect('apiKey' in (await storage.providers.get('local'))!).toBe(false);
      expect((await storage.providers.getWithSecret('local'))!.apiKey).toBe(API_KEY);
    });

    it('keeps the key when updated without one, removes it with null, and learns the output mode', async () => {
      const { storage } = await testDatabase.open();
      const saved = await storage.providers.save(provider);
      const updated = await storage.providers.save({
        name: 'local',
        baseUrl: 'http://127.0.0.1:8000/v1',
        model: 'm2',
      });
      expect(updated.id).toBe(saved.id);
      expect(updated.baseUrl).toBe('http://127.0.0.1:8000/v1');
      expect((await storage.providers.getWithSecret('local'))!.apiKey).toBe(API_KEY);

      await storage.providers.setStructuredOutputMode('local', 'json_object');
      expect((await storage.providers.get('local'))!.structuredOutputMode).toBe('json_object');
      await expect(storage.providers.setStructuredOutputMode('nope', 'text')).rejects.toMatchObject({
        code: 'not_found',
      });

      const withoutKey = await storage.providers.save({ ...provider, apiKey: null });
      expect(withoutKey).toMatchObject({
        hasApiKey: false,
        apiKeyMasked: '(none)',
        structuredOutputMode: 'json_object',
      });
      expect((await storage.providers.getWithSecret('local'))!.apiKey).toBeNull();
      expect(await storage.providers.remove('local')).toBe(true);
      expect(await storage.providers.list()).toEqual([]);
    });

    it('stores the key encrypted, never in clear', async () => {
      const { storage, database } = await testDatabase.open();
      await storage.providers.save(provider);
      const row = await database.selectFrom('providers').selectAll().executeTakeFirstOrThrow();
      expect(row.api_key_encrypted).toMatch(/^v1:/);
      expect(JSON.stringify(row)).not.toContain('VERYSECRET');
      await storage.close();

      if (testDatabase.sqliteFile) {
        // The raw bytes of every database file (main file, WAL, shared memory) after closing.
        const directory = join(testDatabase.sqliteFile, '..');
        const files = (await readdir(directory)).filter((name) => name.startsWith('reqase.db'));
        expect(files).toContain('reqase.db');
        for (const name of files) {
          const bytes = await readFile(join(directory, name));
          expect(bytes.length).toBeGreaterThan(0);
          expect(bytes.includes(Buffer.from('VERYSECRET'))).toBe(false);
        }
        const main = await readFile(testDatabase.sqliteFile);
        // The provider row did reach the file: its (non-secret) base URL is there.
        expect(main.includes(Buffer.from('http://127.0.0.1:11434/v1'))).toBe(true);
      }
    });

    it('stores extra header values encrypted and shows them masked; absent keeps them, {} clears them', async () => {
      const headerSecret = 'sk-HEADERSECRET-9f8e7d6c5b4a3210';
      const { storage, database } = await testDatabase.open();
      const saved = await storage.providers.save({
        ...provider,
        extraHeaders: { 'x-api-key': headerSecret },
      });
      expect(saved.extraHeaders).toEqual({ 'x-api-key': 'sk-…3210' });
      expect(JSON.stringify(await storage.providers.list())).not.toContain('HEADERSECRET');
      const row = await database.selectFrom('providers').selectAll().executeTakeFirstOrThrow();
      expect(row.extra_headers_encrypted).toMatch(/^v1:/);
      expect(JSON.stringify(row)).not.toContain('HEADERSECRET');
      expect((await storage.providers.getWithSecret('local'))!.extraHeaders).toEqual({
        'x-api-key': headerSecret,
      });

      const { extraHeaders: _headers, ...withoutHeaders } = provider;
      await storage.providers.save({ ...withoutHeaders, model: 'm2' });
      expect((await storage.providers.getWithSecret('local'))!.extraHeaders).toEqual({
        'x-api-key': headerSecret,
      });
      await storage.providers.save({ ...provider, extraHeaders: {} });
      expect((await storage.providers.getWithSecret('local'))!.extraHeaders).toEqual({});
      await storage.close();

      if (testDatabase.sqliteFile) {
        const directory = join(testDatabase.sqliteFile, '..');
        for (const name of (await readdir(directory)).filter((file) => file.startsWith('reqase.db'))) {
          expect((await readFile(join(directory, name))).includes(Buffer.from('HEADERSECRET')), name).toBe(
            false,
          );
        }
      }
    });

    it('masks clear header values saved before encryption, and still sends them', async () => {
      const { storage, database } = await testDatabase.open();
      await storage.providers.save({ ...provider, extraHeaders: {} });
      await database
        .updateTable('providers')
        .set({ extra_headers: JSON.stringify({ 'x-api-key': 'sk-legacy-plain-0123456789' }) })
        .execute();
      expect((await storage.providers.get('local'))!.extraHeaders).toEqual({ 'x-api-key': 'sk-…6789' });
      expect((await storage.providers.getWithSecret('local'))!.extraHeaders).toEqual({
        'x-api-key': 'sk-legacy-plain-0123456789',
      });
    });

    it('keeps the header that carries the key', async () => {
      const { storage } = await testDatabase.open();
      expect((await storage.providers.save(provider)).apiKeyHeader).toBeNull();
      expect((await storage.providers.save({ ...provider, apiKeyHeader: 'x-api-key' })).apiKeyHeader).toBe(
        'x-api-key',
      );
      expect((await storage.providers.save(provider)).apiKeyHeader).toBe('x-api-key');
    });

    it('creates an owner-only key file in the data directory when no key is given', async () => {
      const directory = await mkdtemp(join(tmpdir(), 'reqase-key-'));
      try {
        const { storage } = await testDatabase.open({ secretKey: undefined, dataDirectory: directory });
        const { apiKey: _apiKey, ...providerWithoutKey } = provider;
        await storage.providers.save({ ...providerWithoutKey, extraHeaders: {} });
        // No API key or header stored yet: no key file needed.
        await expect(stat(join(directory, 'secret.key'))).rejects.toMatchObject({ code: 'ENOENT' });
        await storage.providers.save(provider);
        expect((await stat(join(directory, 'secret.key'))).mode & 0o777).toBe(0o600);
        await storage.close();
        const reopened = await testDatabase.open({ secretKey: undefined, dataDirectory: directory });
        expect((await reopened.storage.providers.getWithSecret('local'))!.apiKey).toBe(API_KEY);
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });

    it('says the secret key changed when the key cannot decrypt a stored API key', async () => {
      const first = await testDatabase.open();
      await first.storage.providers.save(provider);
      await first.storage.close();
      const { storage } = await testDatabase.open({ secretKey: Buffer.alloc(32, 9) });
      expect((await storage.providers.list())[0]!.apiKeyMasked).toBe('sk-…cdef');
      const failure = await storage.providers.getWithSecret('local').catch((error: unknown) => error);
      expect(failure).toMatchObject({
        code: 'secret_key_changed',
        message: expect.stringContaining('secret key changed'),
        fix: expect.stringContaining('REQASE_SECRET_KEY'),
      });
      expect(String((failure as Error).message)).not.toContain(API_KEY);
    });

    it('stores prices and the last check; an update without them keeps them, null removes a price', async () => {
      const { storage } = await testDatabase.open();
      const saved = await storage.providers.save({
        ...provider,
        inputPricePerMillionTokens: 0.15,
        outputPricePerMillionTokens: 0.6,
      });
      expect(saved).toMatchObject({ inputPricePerMillionTokens: 0.15, outputPricePerMillionTokens: 0.6 });
      expect(saved.lastCheck).toBeNull();
      await storage.providers.recordCheck('local', {
        verdict: 'not-compatible',
        summary: "Model 'qwen2.5' not found; this endpoint serves: llama3.",
        checkedAt: '2026-12-02T09:00:00.000Z',
      });
      const checked = (await storage.providers.get('local'))!;
      expect(checked.lastCheck).toEqual({
        verdict: 'not-compatible',
        summary: "Model 'qwen2.5' not found; this endpoint serves: llama3.",
        checkedAt: '2026-12-02T09:00:00.000Z',
      });
      expect(checked.updatedAt).toBe(saved.updatedAt);

      const kept = await storage.providers.save({
        name: 'local',
        baseUrl: provider.baseUrl,
        model: 'llama3',
      });
      expect(kept).toMatchObject({ inputPricePerMillionTokens: 0.15, outputPricePerMillionTokens: 0.6 });
      expect(kept.lastCheck?.verdict).toBe('not-compatible');
      const cleared = await storage.providers.save({
        name: 'local',
        baseUrl: provider.baseUrl,
        model: 'llama3',
        inputPricePerMillionTokens: null,
      });
      expect(cleared).toMatchObject({ inputPricePerMillionTokens: null, outputPricePerMillionTokens: 0.6 });
      await expect(
        storage.providers.recordCheck('absent', { verdict: 'compatible', summary: '', checkedAt: '' }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
