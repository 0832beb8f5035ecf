/** The provider section of the config file: where it is looked for, how it is read and checked. */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigurationError } from '../../shared/errors.ts';
import { foldRenamedProviderKeys } from './renamed-keys.ts';
import { ProviderLimitsSchema } from './schema.ts';

/**
 * The provider section as written, with former key names moved to their new names, and a notice
 * for each (`undefined` and non-objects pass through for the schema to judge).
 */
function withRenamedKeysFolded(provider: unknown): { provider: unknown; notices: string[] } {
  if (typeof provider !== 'object' || provider === null || Array.isArray(provider)) {
    return { provider, notices: [] };
  }
  const { value, notices } = foldRenamedProviderKeys(provider, 'provider.');
  return { provider: value, notices };
}

/**
 * The provider section of `reqase.config.yaml` / `reqase.config.json` (under `provider:`). Former
 * key names (RENAMED_PROVIDER_KEYS, RENAMED_PROVIDER_LIMIT_KEYS in renamed-keys.ts) are read as their new names.
 */
const ConfigFileProviderSchema = z.preprocess(
  (provider) => withRenamedKeysFolded(provider).provider,
  z
    .object({
      preset: z.string().optional(),
      name: z.string().optional(),
      baseUrl: z.string().optional(),
      /** Use a bare-host base URL as given, without adding /v1 (servers that serve at the root). */
      baseUrlExact: z.boolean().optional(),
      apiKey: z.string().optional(),
      /** Name of an environment variable holding the key (keeps the key out of the file). */
      apiKeyEnv: z.string().optional(),
      authHeader: z.enum(['authorization', 'api-key', 'x-api-key']).optional(),
      model: z.string().optional(),
      temperature: z.number().optional(),
      maxTokens: z.number().optional(),
      timeoutMilliseconds: z.number().optional(),
      extraHeaders: z.record(z.string(), z.string()).optional(),
      limits: ProviderLimitsSchema.partial().optional(),
    })
    .strict(),
);
const ConfigFileSchema = z.looseObject({ provider: ConfigFileProviderSchema.optional() });

export type ConfigFileProvider = z.infer<typeof ConfigFileProviderSchema>;

const configFileNames = ['reqase.config.yaml', 'reqase.config.yml', 'reqase.config.json'];

function defaultReadTextFile(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export interface ConfigFileOptions {
  /** Path of the config file (`--config`); otherwise `REQASE_CONFIG`, then `reqase.config.{yaml,yml,json}` in `cwd`. */
  configFile?: string;
  /** Directory to look for the config file in. */
  cwd?: string;
  /** Reads a text file, `undefined` when it does not exist. Default: node:fs. */
  readTextFile?: (path: string) => string | undefined;
}

/** The config file's path and provider section, `undefined` when there is no file. */
export function loadConfigFile(
  options: ConfigFileOptions,
  env: Readonly<Record<string, string | undefined>>,
): { path: string; provider: ConfigFileProvider | undefined; notices: string[] } | undefined {
  const read = options.readTextFile ?? defaultReadTextFile;
  const cwd = options.cwd ?? '.';
  const explicit = options.configFile ?? env.REQASE_CONFIG;
  let path: string | undefined;
  let text: string | undefined;
  if (explicit) {
    path = isAbsolute(explicit) ? explicit : join(cwd, explicit);
    text = read(path);
    if (text === undefined) {
      throw new ConfigurationError(`The config file ${path} does not exist.`, {
        fix: 'Check the path of the config file (REQASE_CONFIG).',
        remedies: [{ kind: 'set-setting', setting: 'configFile' }],
      });
    }
  } else {
    for (const name of configFileNames) {
      const candidate = join(cwd, name);
      const candidateText = read(candidate);
      if (candidateText !== undefined) {
        path = candidate;
        text = candidateText;
        break;
      }
    }
  }
  if (path === undefined || text === undefined) return undefined;
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new ConfigurationError(`The config file ${path} cannot be read: ${(cause as Error).message}.`, {
      fix: 'Fix the YAML/JSON syntax of the file (or point REQASE_CONFIG at another file).',
      cause,
    });
  }
  const parsed = ConfigFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigurationError(`The provider section of ${path} is not valid: ${problems}.`, {
      fix: 'Allowed keys under provider: preset, name, baseUrl, apiKeyEnv, apiKey, authHeader, model, temperature, maxTokens, timeoutMilliseconds, extraHeaders, limits.',
    });
  }
  const { notices } = withRenamedKeysFolded((data as { provider?: unknown } | null)?.provider);
  return { path, provider: parsed.data.provider, notices: notices.map((notice) => `${path}: ${notice}`) };
}
