/**
 * The HTTP server: the JSON API under `/api` (OpenAPI document at `/api/openapi.json`, a
 * reference page at `/api/docs`) and the built web app from `web/dist` with SPA fallback.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { OpenAPIHono } from '@hono/zod-openapi';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { pino, type Logger } from 'pino';
import type { GenerationDependencies } from '../app/generation.ts';
import type { AppSettings } from '../app/settings.ts';
import { workspaceSessions } from '../app/workspace/index.ts';
import {
  authentication,
  crossSiteWriteGuard,
  MemorySessionStore,
  storedSessionStore,
  type SessionStore,
  type TokenVerifier,
} from './auth.ts';
import { createEndpointChecker } from '../app/check-endpoint.ts';
import type { ServerEnv } from './context.ts';
import { readAdmission } from './admission.ts';
import { hostGuard } from './host-guard.ts';
import type { ServerDependencies } from './dependencies.ts';
import { renderDocsPage } from './docs-page.ts';
import { describeValidationIssues, errorBodyFor, HttpError, statusForError } from './errors.ts';
import { registerCheckRoutes } from './routes/check.ts';
import { registerConnectorRoutes } from './routes/connectors.ts';
import { registerGenerateRoutes } from './routes/generate.ts';
import { registerQualityRoutes } from './routes/quality.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerSystemRoutes } from './routes/system.ts';
import { multipartReader } from './multipart-reader.ts';
import { nulCharacterGuard } from './nul-character-guard.ts';
import { describeForLog } from './sse.ts';
import { registerWorkspaceRoutes, type WorkspaceRoutesOptions } from './routes/workspace.ts';

/** Largest body of an import (file upload or pasted content), in bytes: 6 MB. */
export const IMPORT_BODY_LIMIT = 6 * 1024 * 1024;
/** Largest body of any other request, in bytes: 256 KB. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

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
  workspace?: WorkspaceRoutesOptions;
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

/** Routes whose bodies may reach the import limit instead of the default one. */
function bodyLimitFor(path: string): number {
  return /\/stories\/import$/.test(path) || path === '/api/generate' ? IMPORT_BODY_LIMIT : DEFAULT_BODY_LIMIT;
}

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

  const app = new OpenAPIHono<ServerEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const where = result.target === 'json' ? 'body' : result.target === 'param' ? 'path' : result.target;
        throw new HttpError(400, 'invalid_input', describeValidationIssues(result.error.issues, where), {
          fix: 'Correct the named fields; the OpenAPI document at /api/openapi.json describes every body.',
        });
      }
      return undefined;
    },
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = randomUUID();
    const requestLogger = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', requestLogger);
    c.set('secrets', [...configuredSecrets]);
    c.set('principal', { kind: 'anonymous' });
    c.header('X-Request-Id', requestId);
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    requestLogger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

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
  app.use('/api/*', (c, next) =>
    bodyLimit({
      maxSize: bodyLimitFor(c.req.path),
      onError: () => {
        // The rest of the body is not read: the connection cannot be reused.
        c.header('Connection', 'close');
        throw new HttpError(
          413,
          'payload_too_large',
          `The request body is larger than ${formatBytes(bodyLimitFor(c.req.path))}.`,
          { fix: 'Send a smaller body: split the file into several imports, or shorten the text.' },
        );
      },
    })(c, next),
  );

  // JSON is UTF-8 (RFC 8259). Decoding would silently turn invalid bytes into U+FFFD, so a story
  // saved in another encoding would be stored garbled instead of refused as the file upload is.
  app.use('/api/*', async (c, next) => {
    if (isWrite(c.req.method) && /json/i.test(c.req.header('content-type') ?? '')) {
      if (!isUtf8(await c.req.arrayBuffer())) {
        throw new HttpError(400, 'invalid_input', 'The request body is not valid UTF-8.', {
          fix: 'Send JSON encoded as UTF-8; convert a story saved in another encoding (e.g. Windows-1252) to UTF-8 first.',
        });
      }
    }
    return next();
  });

  app.use(
    '/api/*',
    nulCharacterGuard(() => app.routes),
  );
  app.use('/api/*', multipartReader());

  registerSystemRoutes(app, {
    version: packageVersion(),
    authenticationRequired: options.authenticationRequired,
    workspace: options.workspace !== undefined,
    tokens: options.tokens,
    sessions,
  });
  registerGenerateRoutes(app, dependencies);
  registerCheckRoutes(app, dependencies);
  registerQualityRoutes(app, {
    dependencies,
    ...(options.workspace ? { workspace: options.workspace.workspace } : {}),
  });
  if (options.workspace) registerWorkspaceRoutes(app, { ...options.workspace, sessions, dependencies });
  if (options.workspace) registerJobRoutes(app, { workspace: options.workspace.workspace });
  if (options.workspace) registerConnectorRoutes(app, { workspace: options.workspace.workspace });

  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Reqase Lite API',
      version: packageVersion(),
      description:
        'Turn user stories into structured, reviewable test cases. Errors are `{ error: { code, message, fix? } }`. ' +
        'Bound beyond loopback, every route but health and session (this document included) needs `Authorization: Bearer <token>` or a session cookie ' +
        '(writes with the cookie also need `X-CSRF-Token`).',
    },
  };
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.get('/api/openapi.json', (c) => c.json(app.getOpenAPI31Document(documentConfig)));
  app.get('/api/docs', (c) => c.html(renderDocsPage()));

  const webDirectory = options.webDirectory ?? join(packageRoot, 'web', 'dist');
  const webBuilt = existsSync(join(webDirectory, 'index.html'));
  app.notFound((c) => {
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      return c.json(
        errorBodyFor(
          new HttpError(404, 'not_found', `No API route ${c.req.method} ${c.req.path}.`, {
            fix: 'See /api/docs for the routes.',
          }),
        ),
        404,
      );
    }
    return c.text('Not found', 404);
  });
  if (webBuilt) {
    app.use('*', serveStatic({ root: webDirectory }));
    // Single-page app: any other GET outside /api is the app's own route.
    app.get('*', async (c, next) => {
      if (c.req.path.startsWith('/api/') || c.req.path === '/api') return next();
      return serveStatic({ root: webDirectory, path: 'index.html' })(c, next);
    });
  } else {
    app.get('/', (c) => c.html(webNotBuiltPage));
  }

  app.onError((error, c) => {
    const secrets = c.get('secrets') ?? configuredSecrets;
    const requestLogger = c.get('logger') ?? logger;
    const known = fromHonoException(error);
    const status = statusForError(known);
    if (status >= 500 && !(known instanceof HttpError) && statusForError(known) === 500) {
      requestLogger.error({ err: describeForLog(error, secrets) }, 'unexpected error');
    }
    return c.json(errorBodyFor(known, secrets), status as 400);
  });

  return { app, sessions };
}

/** Hono's own exceptions (malformed JSON, unsupported media type) as errors with a code and fix. */
function fromHonoException(error: unknown): unknown {
  if (!(error instanceof HTTPException)) return error;
  if (error.status === 400) {
    return new HttpError(400, 'invalid_input', 'The request body is not valid JSON.', {
      fix: 'Send a JSON body with Content-Type: application/json.',
    });
  }
  if (error.status === 415) {
    return new HttpError(
      415,
      'unsupported_media_type',
      'The body has a media type this route does not take.',
      {
        fix: 'Send the body as application/json (or multipart/form-data where a file upload is documented).',
      },
    );
  }
  if (error.status === 413) {
    return new HttpError(413, 'payload_too_large', 'The request body is too large.', {
      fix: 'Send a smaller body.',
    });
  }
  return new HttpError(error.status, 'http_error', error.message || 'The request was refused.');
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}

const webNotBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reqase Lite</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{background:#f3f3f3;padding:.1rem .3rem}</style>
</head><body>
<h1>Reqase Lite</h1>
<p>The API is running, but the web app has not been built yet.</p>
<p>Build it with <code>npm run build</code> and restart <code>reqase serve</code> (or run <code>npm start</code>, which builds what is missing first).</p>
<p>The API reference is at <a href="/api/docs">/api/docs</a>.</p>
</body></html>`;

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
