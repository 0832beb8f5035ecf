import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Settings every command shares, resolved once from the environment (injected).
 *
 * | setting | environment variable | default |
 * | --- | --- | --- |
 * | data directory | `REQASE_DATA_DIR` | `$XDG_DATA_HOME/reqase`, else `~/.local/share/reqase` |
 * | database | `DATABASE_URL` (`postgres://…`) | SQLite file `reqase.db` in the data directory |
 * | secret key | `REQASE_SECRET_KEY` (32 bytes, base64 or hex) | key file `secret.key` in the data directory |
 */
export interface AppSettings {
  dataDirectory: string;
  /** `postgres://…` for PostgreSQL; undefined for the embedded SQLite file. */
  databaseUrl: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export function resolveSettings(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): AppSettings {
  const dataDirectory = env.REQASE_DATA_DIR
    ? resolve(cwd, env.REQASE_DATA_DIR)
    : join(env.XDG_DATA_HOME ? resolve(env.XDG_DATA_HOME) : join(homedir(), '.local', 'share'), 'reqase');
  const databaseUrl = env.DATABASE_URL?.trim() ? env.DATABASE_URL.trim() : undefined;
  return { dataDirectory, databaseUrl, env, cwd };
}
