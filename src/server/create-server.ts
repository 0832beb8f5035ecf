/**
 * The HTTP server: the JSON API under `/api` (OpenAPI document at `/api/openapi.json`, a
 * reference page at `/api/docs`) and the built web app from `web/dist` with SPA fallback.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { serve, type ServerType } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import type { GenerationDependencies } from '../app/index.ts';
import type { AppSettings } from '../app/index.ts';
import { workspaceSessions } from '../app/index.ts';
import {
  authentication,
  crossSiteWriteGuard,
  MemorySessionStore,
  storedSessionStore,
  type SessionStore,
  type TokenVerifier,
} from './auth.ts';
import { createEndpointChecker } from '../app/index.ts';
import type { ServerEnv } from './context.ts';
import { readAdmission } from './admission.ts';
import { hostGuard } from './host-guard.ts';
import type { ServerDependencies } from './dependencies.ts';
import { renderDocsPage } from './docs-page.ts';
import { multipartReader } from './multipart-reader.ts';
import { nulCharacterGuard } from './nul-character-guard.ts';
import { PAGE_CACHE_PATH, pageCache, withCachedPageAnswers } from './page-cache.ts';
import { documentConfig, SECURITY_SCHEMES } from './openapi.ts';
import { mountApi } from './routes/index.ts';
import {
  DEFAULT_BODY_LIMIT,
  IMPORT_BODY_LIMIT,
  requestBodyLimit,
  requestContext,
  utf8JsonGuard,
} from './request-middleware.ts';
import { errorHandler, serveWebApp } from './web-app.ts';

export { DEFAULT_BODY_LIMIT, IMPORT_BODY_LIMIT };
import { createRouter } from './router.ts';
import type { TokenService, Workspace } from '../app/index.ts';

export interface CreateServerOptions {
  /** Resolved once by the caller (`resolveSettings()`). */
  settings: AppSettings;
  /**
   * Require a token (or a session) on every `/api` route but the public ones. Derive it from the
   * bound host with `authenticationRequiredFor(host)`; tests set it directly.
   */
  authenticationRequired: boolean;
  /** Verifies API tokens (the app's token service). */
  tokens: TokenVerifier;
  /** Stored workspace routes (projects, stories, review, export, providers, jobs); absent: not served. */
  workspace?: { workspace: Workspace; tokens: TokenService };
  /** Directory of the built web app. Default: `web/dist` of the package; missing: a page says how to build it. */
  webDirectory?: string;
  /** Default: pino at `info` on standard error (`REQASE_LOG_LEVEL` sets the level). */
  logger?: Logger;
  /** Chat client dependencies for generations (tests inject fetch). */
  generation?: GenerationDependencies;
  /** Default: the endpoint checker on the request's settings. */
  checkEndpoint?: ServerDependencies['checkEndpoint'];
  /** Origins besides the server's own allowed to write (e.g. a Vite dev server). Default none. */
  allowedOrigins?: string[];
  /**
   * Host names the server answers to besides `localhost`, `127.0.0.1` and `[::1]` (any port).
   * Without authentication the Host header is always checked (DNS rebinding); with it, only when
   * names are given here. Default none.
   */
  allowedHosts?: string[];
  /** Milliseconds clock for sessions. Default `Date.now`. */
  now?: () => number;
  /**
   * Where browser sessions live. Default: the workspace's database when `workspace` is given (so
   * revocation from any process ends them, restarts keep them, servers share them), else memory.
   */
  sessions?: SessionStore;
}

export interface ReqaseServer {
  /** The Hono app: `app.request(...)` or `app.fetch` to serve it. */
  app: OpenAPIHono<ServerEnv>;
  /** Sessions of browsers signed in (revoking a token ends its sessions). */
  sessions: SessionStore;
}

const packageRoot = findPackageRoot(import.meta.dirname);

function findPackageRoot(start: string): string {
  let directory = start;
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    directory = join(directory, '..');
  }
  return start;
}

function packageVersion(): string {
  try {
    const parsed = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return parsed.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Paths anyone may call, even when authentication is required: health, and the session routes the
 * login needs. The OpenAPI document and the reference page need a token like the rest (a browser
 * signed in sends its session cookie): the document tells an anonymous scanner every route.
 */
const publicPaths = new Set(['/api/health', '/api/session']);

/**
 * Builds the server (nothing listens yet; see `startServer`).
 *
 * @example
 * const { app } = createServer({ settings: resolveSettings(), authenticationRequired: false, tokens });
 * const response = await app.request('/api/health');
 */
export function createServer(options: CreateServerOptions): ReqaseServer {
  const settings = options.settings;
  const logger =
    options.logger ?? pino({ level: settings.env.REQASE_LOG_LEVEL ?? 'info' }, pino.destination(2));
  const sessions =
    options.sessions ??
    (options.workspace
      ? storedSessionStore(workspaceSessions(options.workspace.workspace, options.now))
      : new MemorySessionStore(options.now));
  const configuredSecrets = [settings.env.REQASE_API_KEY, settings.env.OPENAI_API_KEY].filter(
    (secret): secret is string => Boolean(secret),
  );
  const dependencies: ServerDependencies = {
    settings,
    generation: options.generation ?? {},
    checkEndpoint:
      options.checkEndpoint ??
      createEndpointChecker({ env: settings.env, cwd: settings.cwd }, options.generation?.chatClient?.fetch),
    tokens: options.tokens,
  };

  const app = createRouter();

  app.use('*', requestContext(logger, configuredSecrets));

  const allowedHosts = options.allowedHosts ?? [];
  app.use(
    '*',
    hostGuard({ enforce: !options.authenticationRequired || allowedHosts.length > 0, allowedHosts }),
  );
  app.use('/api/*', readAdmission());
  app.use('/api/*', crossSiteWriteGuard(options.allowedOrigins));
  app.use(
    '/api/*',
    authentication({
      required: options.authenticationRequired,
      tokens: options.tokens,
      sessions,
      publicPaths,
    }),
  );
  app.use('/api/*', requestBodyLimit());

  app.use('/api/*', utf8JsonGuard());

  app.use(
    '/api/*',
    nulCharacterGuard(() => app.routes),
  );
  app.use('/api/*', multipartReader());
  if (options.workspace) {
    app.use(PAGE_CACHE_PATH, pageCache({ readRevision: options.workspace.workspace.projects.revision }));
  }

  mountApi(app, {
    dependencies,
    sessions,
    system: {
      version: packageVersion(),
      authenticationRequired: options.authenticationRequired,
      workspace: options.workspace !== undefined,
      tokens: options.tokens,
      sessions,
    },
    workspace: options.workspace,
  });

  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  }
  app.get('/api/openapi.json', (c) =>
    c.json(withCachedPageAnswers(app.getOpenAPI31Document(documentConfig(packageVersion())))),
  );
  app.get('/api/docs', (c) => c.html(renderDocsPage()));

  serveWebApp(app, options.webDirectory ?? join(packageRoot, 'web', 'dist'));
  app.onError(errorHandler(logger, configuredSecrets));

  return { app, sessions };
}

export interface StartServerOptions extends CreateServerOptions {
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 4173. */
  port?: number;
}

export interface RunningServer extends ReqaseServer {
  /** e.g. `http://127.0.0.1:4173`. */
  url: string;
  port: number;
  /** Stops listening and closes open connections (streams included). */
  close(): Promise<void>;
}

/**
 * Creates the server and listens.
 *
 * @example
 * const server = await startServer({ settings, authenticationRequired: false, tokens, port: 0 });
 * await fetch(`${server.url}/api/health`);
 * await server.close();
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const created = createServer(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ServerType>((resolve, reject) => {
    const listening = serve({ fetch: created.app.fetch, hostname: host, port: options.port ?? 4173 }, () =>
      resolve(listening),
    );
    listening.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    ...created,
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
