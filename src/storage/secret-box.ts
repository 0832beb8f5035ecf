import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '../shared/errors.ts';
import { SecretKeyChangedError } from './errors.ts';

/** The environment variable holding the 32-byte secret key, as base64 or hex. */
export const SECRET_KEY_ENVIRONMENT_VARIABLE = 'REQASE_SECRET_KEY';
/** The key file created in the data directory when the variable is not set. */
export const SECRET_KEY_FILE_NAME = 'secret.key';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** Encrypts and decrypts short secrets (API keys) with AES-256-GCM. */
export interface SecretBox {
  /** A versioned string `v1:<iv>:<tag>:<ciphertext>` (base64 parts); a new random IV each time. */
  encrypt(plainText: string): string;
  /** Throws a `SecretKeyChangedError` when the value was encrypted under another key. */
  decrypt(stored: string): string;
}

/**
 * @example
 * const box = createSecretBox(randomBytes(32));
 * box.decrypt(box.encrypt('sk-live-…')) // 'sk-live-…'
 */
export function createSecretBox(key: Uint8Array, options: { keySource?: string } = {}): SecretBox {
  if (key.length !== KEY_BYTES) {
    throw new ConfigurationError(`The secret key must be ${KEY_BYTES} bytes long, not ${key.length}.`);
  }
  const keySource = options.keySource ?? 'the secret key';
  return {
    encrypt(plainText) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const cipherText = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), cipherText.toString('base64')].join(
        ':',
      );
    },
    decrypt(stored) {
      const parts = stored.split(':');
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw new SecretKeyChangedError(
          'A stored secret is not in a format this version of Reqase Lite can read.',
          {
            fix: "Store the provider's API key again.",
            remedies: [{ kind: 'run-action', action: 'add-provider-key' }],
          },
        );
      }
      const [, iv, tag, cipherText] = parts as [string, string, string, string];
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(cipherText, 'base64')), decipher.final()]).toString(
          'utf8',
        );
      } catch (error) {
        throw new SecretKeyChangedError(
          `A stored API key cannot be decrypted: the secret key changed since it was saved (now using ${keySource}).`,
          {
            fix: `Restore the previous ${SECRET_KEY_ENVIRONMENT_VARIABLE} or ${SECRET_KEY_FILE_NAME} file, or store the provider's API key again.`,
            remedies: [
              { kind: 'set-setting', setting: 'secretKey' },
              { kind: 'run-action', action: 'add-provider-key' },
            ],
            cause: error,
          },
        );
      }
    },
  };
}

/**
 * Reads a 32-byte key written as 64 hex digits or as base64. `source` names where it came from
 * in the error.
 */
export function parseSecretKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-f]{64}$/i.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const decoded = Buffer.from(
      trimmed,
      trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
    );
    if (decoded.length === KEY_BYTES) key = decoded;
  }
  if (!key) {
    throw new ConfigurationError(`${source} is not a 32-byte key written as base64 or 64 hex digits.`, {
      fix: 'Create one with `openssl rand -base64 32` (or `openssl rand -hex 32`).',
    });
  }
  return key;
}

export interface SecretKeyOptions {
  /** The environment to read `REQASE_SECRET_KEY` from (the caller passes `process.env`). */
  env: Record<string, string | undefined>;
  /** Where the key file lives when the variable is not set. Required in that case. */
  dataDirectory?: string;
}

export interface LoadedSecretKey {
  key: Buffer;
  /** `REQASE_SECRET_KEY` or the key file's path: where the key came from, for messages. */
  source: string;
  /** True when the key file was created by this call. */
  created: boolean;
}

/**
 * The secret key: `REQASE_SECRET_KEY` when set, else `<dataDirectory>/secret.key`, created on
 * first use with owner-only permissions (0600). Losing that file makes stored API keys unreadable.
 *
 * @example
 * const { key } = await loadOrCreateSecretKey({ env: process.env, dataDirectory });
 */
export async function loadOrCreateSecretKey(options: SecretKeyOptions): Promise<LoadedSecretKey> {
  const fromEnvironment = options.env[SECRET_KEY_ENVIRONMENT_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') {
    return {
      key: parseSecretKey(fromEnvironment, SECRET_KEY_ENVIRONMENT_VARIABLE),
      source: SECRET_KEY_ENVIRONMENT_VARIABLE,
      created: false,
    };
  }
  if (!options.dataDirectory) {
    throw new ConfigurationError(`No secret key to encrypt API keys with.`, {
      fix: `Set ${SECRET_KEY_ENVIRONMENT_VARIABLE} (e.g. \`export ${SECRET_KEY_ENVIRONMENT_VARIABLE}=$(openssl rand -base64 32)\`) or give a data directory for the key file.`,
    });
  }
  const path = join(options.dataDirectory, SECRET_KEY_FILE_NAME);
  await mkdir(options.dataDirectory, { recursive: true, mode: 0o700 });
  // Write a temporary file, then hard-link it into place: the link fails when the key file
  // exists, so two first runs never overwrite each other's key nor read a half-written file.
  const temporaryPath = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporaryPath, randomBytes(KEY_BYTES).toString('base64') + '\n', {
    mode: 0o600,
    flag: 'wx',
  });
  try {
    await chmod(temporaryPath, 0o600);
    await link(temporaryPath, path);
    return { key: await readKeyFile(path), source: path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporaryPath).catch(() => undefined);
  }
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) await chmod(path, 0o600);
  return { key: await readKeyFile(path), source: path, created: false };
}

async function readKeyFile(path: string): Promise<Buffer> {
  return parseSecretKey(await readFile(path, 'utf8'), `The key file ${path}`);
}
