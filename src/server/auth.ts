/**
 * Authentication and forgery protection.
 *
 * - `authenticationRequiredFor(host)` decides, from the bound address alone, whether the API needs
 *   a token: loopback (127.0.0.0/8, ::1, localhost) does not; anything else does.
 * - With authentication on, every `/api` route except the public ones (health and the session
 *   routes of the login) needs `Authorization: Bearer <token>` or a session cookie made by
 *   `POST /api/session`. Sessions are stored in the workspace's database bound to their token, and
 *   looked up on every request, so a revoked token ends them wherever it was revoked.
 * - On every write (any method but GET/HEAD/OPTIONS), whatever the authentication: a browser
 *   request from another site is refused (`Sec-Fetch-Site: cross-site`/`same-site`, or an
 *   `Origin` other than the server's own). A write carried by the session cookie also needs the
 *   double-submit header `X-CSRF-Token` equal to the session's CSRF token.
 * - The Host header is checked by `host-guard.ts` (DNS rebinding).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { SessionService } from '../app/index.ts';
import type { ServerEnv } from './context.ts';
import { HttpError } from './errors.ts';

/** Cookie holding the session id (HttpOnly). */
export const SESSION_COOKIE = 'reqase_session';
/** Cookie holding the CSRF token, readable by the page so it can echo it in `X-CSRF-Token`. */
export const CSRF_COOKIE = 'reqase_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** A session lasts this long after login, in ms (12 hours). */
const sessionLifetimeMilliseconds = 12 * 60 * 60 * 1000;

/** Checks API tokens; the app's token service (hashed in storage) stands behind it. */
export interface TokenVerifier {
  /** The token's id and name when the token is known and not revoked. */
  verify(token: string): Promise<{ id: string; name: string } | undefined>;
}

/**
 * True when a server bound to `host` must require authentication: everything but loopback.
 *
 * @example authenticationRequiredFor('127.0.0.1') // false
 * @example authenticationRequiredFor('0.0.0.0') // true
 */
export function authenticationRequiredFor(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return false;
  if (isIP(bare) === 4) return !bare.startsWith('127.');
  if (isIP(bare) === 6) return !(bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare));
  return true;
}

/** A signed-in browser: the token it logged in with. */
export interface Session {
  tokenId: string;
  tokenName: string;
}

/**
 * Where browser sessions live. The server keeps them in the workspace's database
 * (`workspaceSessions`), so a token revoked by any process ends them; `MemorySessionStore` serves
 * a server without a workspace.
 */
export interface SessionStore {
  /** Opens a session; the clear id goes only into the cookie. */
  create(tokenId: string, tokenName: string): Promise<{ sessionId: string }>;
  /** The session when it exists, has not expired, and its token is still valid. */
  find(sessionId: string): Promise<Session | undefined>;
  remove(sessionId: string): Promise<void>;
  /** Ends every session opened with a token (when the token is revoked). */
  removeForToken(tokenId: string): Promise<void>;
}

/** Sessions in this process's memory (a server without a workspace): a restart signs browsers out. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session & { expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async create(tokenId: string, tokenName: string): Promise<{ sessionId: string }> {
    const sessionId = randomBytes(32).toString('base64url');
    this.sessions.set(hash(sessionId), {
      tokenId,
      tokenName,
      expiresAt: this.now() + sessionLifetimeMilliseconds,
    });
    return { sessionId };
  }

  async find(sessionId: string): Promise<Session | undefined> {
    const key = hash(sessionId);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return { tokenId: session.tokenId, tokenName: session.tokenName };
  }

  async remove(sessionId: string): Promise<void> {
    this.sessions.delete(hash(sessionId));
  }

  async removeForToken(tokenId: string): Promise<void> {
    for (const [key, session] of this.sessions) if (session.tokenId === tokenId) this.sessions.delete(key);
  }
}

/** The workspace's stored sessions (see `workspaceSessions`) as the server's session store. */
export function storedSessionStore(sessions: SessionService): SessionStore {
  return {
    async create(tokenId) {
      return { sessionId: (await sessions.open(tokenId, sessionLifetimeMilliseconds)).sessionId };
    },
    find: (sessionId) => sessions.find(sessionId),
    remove: (sessionId) => sessions.close(sessionId),
    removeForToken: (tokenId) => sessions.closeForToken(tokenId),
  };
}

/**
 * The session's CSRF token, derived from its id so that nothing secret is stored for it: the page
 * reads it from the CSRF cookie, another site can neither read it nor compute it.
 */
function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`reqase-csrf\0${sessionId}`).digest('base64url');
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function sameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWrite(method: string): boolean {
  return !safeMethods.has(method.toUpperCase());
}

/** The server's own origin as the request reached it (scheme and Host header). */
export function ownOrigin(c: Context): string {
  return new URL(c.req.url).origin;
}

/** Whether the request came in over HTTPS (directly or as a proxy says). */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/**
 * Refuses writes a page of another site makes through the browser, on every server (a loopback
 * server too: any page the user visits could otherwise post to it).
 */
export function crossSiteWriteGuard(allowedOrigins: readonly string[] = []): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    if (!isWrite(c.req.method)) return next();
    const fetchSite = c.req.header('sec-fetch-site');
    if (fetchSite === 'cross-site' || fetchSite === 'same-site') {
      throw forbiddenCrossSite();
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== ownOrigin(c) && !allowedOrigins.includes(origin)) {
      throw forbiddenCrossSite();
    }
    return next();
  };
}

function forbiddenCrossSite(): HttpError {
  return new HttpError(403, 'cross_site_request', 'Writes from another site’s page are refused.', {
    fix: 'Use the Reqase Lite web app served by this server, or call the API with `Authorization: Bearer <token>` from a script.',
  });
}

export interface AuthenticationOptions {
  required: boolean;
  tokens: TokenVerifier;
  sessions: SessionStore;
  /** Paths (exact) anyone may call, whatever the method. */
  publicPaths: ReadonlySet<string>;
}

/** Sets `principal` on every request, and refuses anonymous ones when authentication is required. */
export function authentication(options: AuthenticationOptions): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const record = match?.[1] ? await options.tokens.verify(match[1]) : undefined;
      if (!record) {
        throw new HttpError(401, 'unauthorized', 'The API token is not valid (unknown or revoked).', {
          fix: 'Create a token with `reqase token create NAME` and send it as `Authorization: Bearer <token>`.',
        });
      }
      c.set('principal', { kind: 'token', tokenId: record.id, tokenName: record.name, via: 'bearer' });
      return next();
    }
    const sessionId = getCookie(c, SESSION_COOKIE);
    // Looked up on every request: an expired session or a revoked token is refused at once.
    const session = sessionId ? await options.sessions.find(sessionId) : undefined;
    if (sessionId && session) {
      if (isWrite(c.req.method) && !options.publicPaths.has(c.req.path)) {
        const given = c.req.header(CSRF_HEADER) ?? '';
        if (!sameSecret(given, csrfTokenFor(sessionId))) {
          throw new HttpError(403, 'csrf_token_invalid', 'This write lacks the session’s CSRF token.', {
            fix: `Send the value of the ${CSRF_COOKIE} cookie (also returned by POST /api/session) in the X-CSRF-Token header.`,
          });
        }
      }
      c.set('principal', {
        kind: 'token',
        tokenId: session.tokenId,
        tokenName: session.tokenName,
        via: 'session',
      });
      return next();
    }
    c.set('principal', { kind: 'anonymous' });
    if (options.required && !options.publicPaths.has(c.req.path)) {
      throw new HttpError(401, 'unauthorized', 'This server requires authentication.', {
        fix: 'Send `Authorization: Bearer <token>` (create one with `reqase token create NAME`), or log in through the web app.',
      });
    }
    return next();
  };
}

/** Opens a browser session for a valid token: session cookie (HttpOnly) and CSRF cookie. */
export async function openSession(
  c: Context<ServerEnv>,
  token: string,
  options: Pick<AuthenticationOptions, 'tokens' | 'sessions'>,
): Promise<{ csrfToken: string; tokenName: string }> {
  const record = await options.tokens.verify(token);
  if (!record) {
    throw new HttpError(401, 'unauthorized', 'The API token is not valid (unknown or revoked).', {
      fix: 'Paste a token created with `reqase token create NAME` (it is shown once, when created).',
    });
  }
  const { sessionId } = await options.sessions.create(record.id, record.name);
  const csrfToken = csrfTokenFor(sessionId);
  const secure = isHttps(c);
  const maxAge = Math.floor(sessionLifetimeMilliseconds / 1000);
  setCookie(c, SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'Strict', secure, maxAge });
  setCookie(c, CSRF_COOKIE, csrfToken, { path: '/', httpOnly: false, sameSite: 'Strict', secure, maxAge });
  return { csrfToken, tokenName: record.name };
}

export async function closeSession(c: Context<ServerEnv>, sessions: SessionStore): Promise<void> {
  const sessionId = getCookie(c, SESSION_COOKIE);
  if (sessionId) await sessions.remove(sessionId);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  deleteCookie(c, CSRF_COOKIE, { path: '/' });
}

/** The CSRF token of the request's session, when it has one. */
export async function sessionCsrfToken(
  c: Context<ServerEnv>,
  sessions: SessionStore,
): Promise<string | undefined> {
  const sessionId = getCookie(c, SESSION_COOKIE);
  return sessionId && (await sessions.find(sessionId)) ? csrfTokenFor(sessionId) : undefined;
}
