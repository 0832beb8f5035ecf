import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../shared/errors.ts';
import { normalizeBaseUrl } from './base-url.ts';

describe('normalizeBaseUrl', () => {
  it('leaves a correct base URL alone', () => {
    expect(normalizeBaseUrl('http://localhost:8000/v1')).toEqual({
      url: 'http://localhost:8000/v1',
      notices: [],
    });
    expect(normalizeBaseUrl('https://openrouter.ai/api/v1').notices).toEqual([]);
  });

  it('adds /v1 to a bare host and says so', () => {
    const result = normalizeBaseUrl('http://localhost:11434');
    expect(result.url).toBe('http://localhost:11434/v1');
    expect(result.notices.join(' ')).toMatch(/added "\/v1"/);
  });

  it('keeps a bare host as given when asked to (servers that serve at the root)', () => {
    const result = normalizeBaseUrl('http://localhost:9000/', 'REQASE_BASE_URL', { exact: true });
    expect(result.url).toBe('http://localhost:9000');
    expect(result.notices.join(' ')).not.toMatch(/added "\/v1"/);
    expect(normalizeBaseUrl('http://localhost:9000').notices.join(' ')).toMatch(/REQASE_BASE_URL_EXACT=1/);
  });

  it('removes a trailing slash and a pasted /chat/completions', () => {
    const result = normalizeBaseUrl('https://example.com/v1/chat/completions/');
    expect(result.url).toBe('https://example.com/v1');
    expect(result.notices).toHaveLength(2);
    expect(result.notices.join(' ')).toMatch(/trailing slash/);
    expect(result.notices.join(' ')).toMatch(/\/chat\/completions/);
  });

  it('keeps a non-standard path such as Azure’s /openai/v1', () => {
    expect(normalizeBaseUrl('https://r.openai.azure.com/openai/v1/').url).toBe(
      'https://r.openai.azure.com/openai/v1',
    );
  });

  it('adds a scheme: http for local hosts, https otherwise', () => {
    expect(normalizeBaseUrl('localhost:1234/v1').url).toBe('http://localhost:1234/v1');
    expect(normalizeBaseUrl('api.groq.com/openai/v1').url).toBe('https://api.groq.com/openai/v1');
  });

  it('refuses what is not an http URL, naming flag and variable', () => {
    for (const bad of ['', 'ftp://host/v1', 'http://']) {
      const error = (() => {
        try {
          normalizeBaseUrl(bad);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).remedies).toContainEqual(
        expect.objectContaining({ kind: 'set-setting', setting: 'baseUrl' }),
      );
    }
  });
});
