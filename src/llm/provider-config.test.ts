import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../shared/errors.ts';
import { PROVIDER_PRESETS } from './presets.ts';
import { isModelConfigured, redactedProviderConfig, resolveProviderConfig } from './provider-config.ts';

const files = (entries: Record<string, string>) => (path: string) => entries[path];

function configured(result: ReturnType<typeof resolveProviderConfig>) {
  if (result.kind !== 'configured') throw new Error(`expected a configuration, got: ${result.reason}`);
  return result;
}

function thrown(action: () => unknown): ConfigurationError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('resolve.ts: resolveProviderConfig', () => {
  it('keeps a bare-host base URL as given with REQASE_BASE_URL_EXACT or baseUrlExact in the config file', () => {
    const fromEnv = configured(
      resolveProviderConfig({
        env: { REQASE_BASE_URL: 'http://root-server:9000', REQASE_MODEL: 'm', REQASE_BASE_URL_EXACT: '1' },
        cwd: '/work',
        readTextFile: files({}),
      }),
    );
    expect(fromEnv.config.baseUrl).toBe('http://root-server:9000');
    const fromFile = configured(
      resolveProviderConfig({
        env: {},
        cwd: '/work',
        readTextFile: files({
          '/work/reqase.config.yaml':
            'provider:\n  baseUrl: http://root-server:9000\n  baseUrlExact: true\n  model: m\n',
        }),
      }),
    );
    expect(fromFile.config.baseUrl).toBe('http://root-server:9000');
    const normal = configured(
      resolveProviderConfig({
        env: { REQASE_BASE_URL: 'http://root-server:9000', REQASE_MODEL: 'm' },
        cwd: '/work',
        readTextFile: files({}),
      }),
    );
    expect(normal.config.baseUrl).toBe('http://root-server:9000/v1');
  });

  it('says "none" when nothing is configured (the CLI then goes offline)', () => {
    const result = resolveProviderConfig({ env: { HOME: '/home/x' }, cwd: '/work', readTextFile: files({}) });
    expect(result.kind).toBe('none');
    expect(isModelConfigured(result)).toBe(false);
  });

  it('takes flags over REQASE_* over OPENAI_* over the config file', () => {
    const env = {
      REQASE_BASE_URL: 'http://reqase-env:8000/v1',
      REQASE_MODEL: 'env-model',
      OPENAI_BASE_URL: 'http://openai-env:8000/v1',
      OPENAI_API_KEY: 'sk-openai-env-key-123456',
      REQASE_API_KEY: 'sk-reqase-env-key-123456',
    };
    const readTextFile = files({
      '/work/reqase.config.yaml':
        'provider:\n  baseUrl: http://file:8000/v1\n  model: file-model\n  maxTokens: 999\n',
    });
    const fromEnv = configured(resolveProviderConfig({ env, cwd: '/work', readTextFile }));
    expect(fromEnv.config).toMatchObject({
      baseUrl: 'http://reqase-env:8000/v1',
      model: 'env-model',
      apiKey: 'sk-reqase-env-key-123456',
      maxTokens: 999,
      temperature: 0.7,
    });
    expect(fromEnv.sources).toEqual({
      baseUrl: 'REQASE_BASE_URL',
      model: 'REQASE_MODEL',
      apiKey: 'REQASE_API_KEY',
    });

    const fromFlags = configured(
      resolveProviderConfig({
        flags: {
          baseUrl: 'http://flag:1/v1',
          model: 'flag-model',
          apiKey: 'sk-flag-key-1234567',
          maxTokens: '50',
        },
        env,
        cwd: '/work',
        readTextFile,
      }),
    );
    expect(fromFlags.config).toMatchObject({
      baseUrl: 'http://flag:1/v1',
      model: 'flag-model',
      maxTokens: 50,
    });

    const openaiOnly = configured(
      resolveProviderConfig({
        env: { OPENAI_BASE_URL: env.OPENAI_BASE_URL, OPENAI_API_KEY: env.OPENAI_API_KEY },
        cwd: '/work',
        readTextFile,
      }),
    );
    expect(openaiOnly.config).toMatchObject({ baseUrl: 'http://openai-env:8000/v1', model: 'file-model' });
    expect(openaiOnly.notices.join(' ')).toMatch(/OPENAI_BASE_URL/);

    const fileOnly = configured(resolveProviderConfig({ env: {}, cwd: '/work', readTextFile }));
    expect(fileOnly.config).toMatchObject({ baseUrl: 'http://file:8000/v1', model: 'file-model' });
  });

  it('uses a preset for base URL, auth header and default model', () => {
    const ollama = configured(
      resolveProviderConfig({ flags: { provider: 'ollama', model: 'llama3.1' }, env: {} }),
    );
    expect(ollama.config).toMatchObject({
      baseUrl: 'http://localhost:11434/v1',
      preset: 'ollama',
      name: 'ollama',
    });
    expect(ollama.config.apiKey).toBeUndefined();
    const openai = configured(resolveProviderConfig({ env: { OPENAI_API_KEY: 'sk-only-openai-key-0000' } }));
    expect(openai.config).toMatchObject({ baseUrl: PROVIDER_PRESETS.openai.baseUrl, model: 'gpt-4o-mini' });
    expect(openai.notices.join(' ')).toMatch(/OpenAI/);
    const azure = configured(
      resolveProviderConfig({
        flags: {
          provider: 'azure-openai',
          baseUrl: 'https://mine.openai.azure.com/openai/v1',
          model: 'deploy',
        },
        env: {
          REQASE_API_KEY: 'azure-key-0123456789',
          REQASE_BASE_URL: 'https://mine.openai.azure.com/openai/v1',
        },
      }),
    );
    expect(azure.config.authHeader).toBe('api-key');
  });

  it('reads a JSON config file named by REQASE_CONFIG, with the key from apiKeyEnv', () => {
    const result = configured(
      resolveProviderConfig({
        env: { REQASE_CONFIG: 'conf/team.json', TEAM_KEY: 'team-key-0123456789' },
        cwd: '/repo',
        readTextFile: files({
          '/repo/conf/team.json': JSON.stringify({
            provider: {
              preset: 'vllm',
              model: 'qwen',
              apiKeyEnv: 'TEAM_KEY',
              limits: { concurrency: 8, requestsPerMinute: 60 },
              extraHeaders: { 'x-team': 'qa' },
            },
          }),
        }),
      }),
    );
    expect(result.config).toMatchObject({
      baseUrl: 'http://localhost:8000/v1',
      apiKey: 'team-key-0123456789',
      extraHeaders: { 'x-team': 'qa' },
      limits: { concurrency: 8, requestsPerMinute: 60, maxRetries: 3 },
    });
    expect(result.sources.apiKey).toBe('TEAM_KEY');
  });

  it('normalises the base URL with a notice', () => {
    const result = configured(
      resolveProviderConfig({
        flags: { baseUrl: 'http://localhost:8000/chat/completions', model: 'm' },
        env: {},
      }),
    );
    expect(result.config.baseUrl).toBe('http://localhost:8000/v1');
    expect(result.notices.join(' ')).toMatch(/chat\/completions/);
  });

  it('sends a key from the environment or config file only to the origin it is configured with', () => {
    const env = { REQASE_BASE_URL: 'http://gpu-box:8000/v1', REQASE_API_KEY: 'sk-server-own-key-0123456789' };
    const elsewhere = configured(
      resolveProviderConfig({ flags: { baseUrl: 'http://127.0.0.1:9999/v1', model: 'm' }, env }),
    );
    expect(elsewhere.config.apiKey).toBeUndefined();
    expect(elsewhere.sources.apiKey).toBe('none');
    expect(elsewhere.notices.join(' ')).toMatch(
      /REQASE_API_KEY is not sent to http:\/\/127\.0\.0\.1:9999.*configured with \(http:\/\/gpu-box:8000\)/,
    );
    // The same origin (another path) and an explicit key are the user's own choice.
    const samePlace = configured(
      resolveProviderConfig({ flags: { baseUrl: 'http://gpu-box:8000/openai/v1', model: 'm' }, env }),
    );
    expect(samePlace.config.apiKey).toBe(env.REQASE_API_KEY);
    const explicit = configured(
      resolveProviderConfig({
        flags: { baseUrl: 'http://127.0.0.1:9999/v1', model: 'm', apiKey: 'sk-given-here-0123456789' },
        env,
      }),
    );
    expect(explicit.config.apiKey).toBe('sk-given-here-0123456789');
    // A key without a configured base URL belongs to the configured preset, else to OpenAI.
    const ollama = configured(
      resolveProviderConfig({
        flags: { provider: 'ollama', model: 'm' },
        env: { OPENAI_API_KEY: 'sk-openai-0123456789' },
      }),
    );
    expect(ollama.config.apiKey).toBeUndefined();
    const groq = thrown(() =>
      resolveProviderConfig({
        flags: { provider: 'groq', model: 'm' },
        env: { REQASE_API_KEY: 'gsk-0123456789abc' },
      }),
    );
    expect(groq.message).toMatch(/REQASE_API_KEY is not sent to https:\/\/api\.groq\.com/);
    expect(groq.remedies).toContainEqual(expect.objectContaining({ setting: 'apiKey' }));
    const viaPreset = configured(
      resolveProviderConfig({
        flags: { model: 'm' },
        env: { REQASE_PROVIDER: 'groq', REQASE_API_KEY: 'gsk-0123456789abc' },
      }),
    );
    expect(viaPreset.config.apiKey).toBe('gsk-0123456789abc');
  });

  it('errors name the environment variable, and the setting as a remedy each surface words', () => {
    const noModel = thrown(() =>
      resolveProviderConfig({ flags: { baseUrl: 'http://localhost:8000/v1' }, env: {} }),
    );
    expect(noModel.fix).toMatch(/REQASE_MODEL/);
    expect(noModel.remedies).toEqual([{ kind: 'set-setting', setting: 'model' }]);
    const noKey = thrown(() =>
      resolveProviderConfig({ flags: { provider: 'groq', model: 'llama' }, env: {} }),
    );
    expect(noKey.fix).toMatch(/REQASE_API_KEY/);
    expect(noKey.remedies).toContainEqual(expect.objectContaining({ setting: 'apiKey' }));
    const unknown = thrown(() => resolveProviderConfig({ flags: { provider: 'nope' }, env: {} }));
    expect(unknown.fix).toMatch(/REQASE_PROVIDER/);
    expect(unknown.remedies).toContainEqual(expect.objectContaining({ setting: 'provider' }));
    expect(
      thrown(() =>
        resolveProviderConfig({ flags: { model: 'm', baseUrl: 'http://h/v1', temperature: 'hot' }, env: {} }),
      ).message,
    ).toMatch(/The temperature given/);
    expect(
      thrown(() =>
        resolveProviderConfig({
          flags: { model: 'm', baseUrl: 'http://h/v1' },
          env: { REQASE_TEMPERATURE: '5' },
        }),
      ).fix,
    ).toMatch(/REQASE_TEMPERATURE/);
    expect(
      thrown(() =>
        resolveProviderConfig({
          flags: { provider: 'azure-openai', model: 'd' },
          env: { REQASE_API_KEY: 'k-0123456789ab' },
        }),
      ).fix,
    ).toMatch(/REQASE_BASE_URL/);
    expect(
      thrown(() =>
        resolveProviderConfig({ configFile: 'missing.yaml', cwd: '/x', env: {}, readTextFile: files({}) }),
      ).fix,
    ).toMatch(/REQASE_CONFIG/);
  });

  it('reads the millisecond settings under their names, and under their former names with a notice', () => {
    const resolve = (provider: string) =>
      configured(
        resolveProviderConfig({
          env: {},
          cwd: '/w',
          readTextFile: files({
            '/w/reqase.config.yaml': `provider:\n  model: m\n  baseUrl: http://h/v1\n${provider}`,
          }),
        }),
      );
    const current = resolve(
      '  timeoutMilliseconds: 4000\n  limits:\n    deadlineMilliseconds: 9000\n    maxRetryAfterMilliseconds: 700\n',
    );
    expect(current.config.timeoutMilliseconds).toBe(4000);
    expect(current.config.limits).toMatchObject({
      deadlineMilliseconds: 9000,
      maxRetryAfterMilliseconds: 700,
    });
    expect(current.notices.join(' ')).not.toMatch(/deprecated/);

    const former = resolve('  timeoutMs: 4000\n  limits:\n    deadlineMs: 9000\n    maxRetryAfterMs: 700\n'); // former names
    expect(former.config.timeoutMilliseconds).toBe(4000);
    expect(former.config.limits).toMatchObject({
      deadlineMilliseconds: 9000,
      maxRetryAfterMilliseconds: 700,
    });
    expect(former.config.limits).not.toHaveProperty('deadlineMs'); // former name
    expect(former.notices).toEqual([
      '/w/reqase.config.yaml: provider.timeoutMs is deprecated; use provider.timeoutMilliseconds (same value).', // former name
      '/w/reqase.config.yaml: provider.limits.deadlineMs is deprecated; use provider.limits.deadlineMilliseconds (same value).', // former name
      '/w/reqase.config.yaml: provider.limits.maxRetryAfterMs is deprecated; use provider.limits.maxRetryAfterMilliseconds (same value).', // former name
    ]);

    const both = resolve('  timeoutMilliseconds: 4000\n  timeoutMs: 1\n'); // former name beside the new one
    expect(both.config.timeoutMilliseconds).toBe(4000);
    expect(both.notices.join(' ')).toMatch(/timeoutMs is deprecated and ignored/); // former name
  });

  it('refuses unknown keys in the provider section', () => {
    const error = thrown(() =>
      resolveProviderConfig({
        env: {},
        cwd: '/w',
        readTextFile: files({ '/w/reqase.config.yaml': 'provider:\n  modle: typo\n' }),
      }),
    );
    expect(error.message).toMatch(/provider/);
  });

  it('masks the key when the config is shown', () => {
    const result = configured(
      resolveProviderConfig({
        flags: { model: 'm', baseUrl: 'http://h/v1', apiKey: 'sk-abcdefghijklmnop1234' },
        env: {},
      }),
    );
    const shown = JSON.stringify(redactedProviderConfig(result.config));
    expect(shown).not.toContain('sk-abcdefghijklmnop1234');
    expect(shown).toContain('sk-…1234');
  });
});
