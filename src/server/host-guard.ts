/**
 * DNS rebinding protection: a page on `attacker.example` whose name is made to resolve to
 * 127.0.0.1 reaches a loopback server with `Host: attacker.example`, and the browser treats the
 * answers as same-origin. A server that answers only to its own names refuses those requests.
 */
import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from './context.ts';
import { HttpError } from './errors.ts';

export interface HostGuardOptions {
  /**
   * Check the Host header at all. A server without authentication (loopback) must; one that
   * requires a token checks only when `allowedHosts` names its host names.
   */
  enforce: boolean;
  /** Host names accepted besides `localhost`, `127.0.0.0/8` and `[::1]`, any port (`--allowed-host`). */
  allowedHosts: readonly string[];
}

/**
 * Refuses requests whose Host header names another host (421 Misdirected Request).
 *
 * @example app.use('*', hostGuard({ enforce: true, allowedHosts: ['reqase.lan'] }));
 */
export function hostGuard(options: HostGuardOptions): MiddlewareHandler<ServerEnv> {
  const allowed = new Set(options.allowedHosts.map(normalizeHostName));
  return async (c, next) => {
    if (!options.enforce) return next();
    const header = c.req.header('host') ?? '';
    const name = hostNameOf(header);
    if (name !== undefined && (isLoopbackName(name) || allowed.has(name))) return next();
    throw new HttpError(
      421,
      'host_not_allowed',
      `This server does not answer to the host "${header}" (protection against DNS rebinding).`,
      {
        fix:
          'Open it as http://localhost:PORT or http://127.0.0.1:PORT; if this name is really yours, start the server with ' +
          `--allowed-host ${name ?? 'NAME'} (or REQASE_ALLOWED_HOSTS=${name ?? 'NAME'}).`,
      },
    );
  };
}

/**
 * A host name as the guard compares it: lower case, without port, brackets kept for IPv6.
 *
 * @example normalizeHostName('Reqase.LAN:4173') // 'reqase.lan'
 */
export function normalizeHostName(host: string): string {
  return hostNameOf(host.trim()) ?? host.trim().toLowerCase();
}

function hostNameOf(header: string): string | undefined {
  if (header === '') return undefined;
  try {
    const hostname = new URL(`http://${header}`).hostname.toLowerCase();
    return hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  } catch {
    return undefined;
  }
}

function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name === '[::1]') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}
