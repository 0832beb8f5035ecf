/**
 * What the server answers outside the API routes: the built web app (with SPA fallback), a page
 * saying how to build it when it is missing, the JSON 404 of unknown API routes, and the error
 * handler turning any thrown value into the JSON error body.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import type { ServerEnv } from './context.ts';
import { errorBodyFor, HttpError, statusForError } from './errors.ts';
import { describeForLog } from './sse.ts';

/** Serves `webDirectory` (when built) with SPA fallback, and a JSON 404 for unknown API routes. */
export function serveWebApp(app: OpenAPIHono<ServerEnv>, webDirectory: string): void {
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
  if (existsSync(join(webDirectory, 'index.html'))) {
    app.use('*', serveStatic({ root: webDirectory }));
    // Single-page app: any other GET outside /api is the app's own route.
    app.get('*', async (c, next) => {
      if (c.req.path.startsWith('/api/') || c.req.path === '/api') return next();
      return serveStatic({ root: webDirectory, path: 'index.html' })(c, next);
    });
  } else {
    app.get('/', (c) => c.html(webNotBuiltPage));
  }
}

/** The JSON error body for anything thrown; unexpected errors are logged (secrets redacted). */
export function errorHandler(logger: Logger, configuredSecrets: readonly string[]): ErrorHandler<ServerEnv> {
  return (error, c) => {
    const secrets = c.get('secrets') ?? configuredSecrets;
    const requestLogger = c.get('logger') ?? logger;
    const known = fromHonoException(error);
    const status = statusForError(known);
    if (status >= 500 && !(known instanceof HttpError) && statusForError(known) === 500) {
      requestLogger.error({ err: describeForLog(error, secrets) }, 'unexpected error');
    }
    return c.json(errorBodyFor(known, secrets), status as 400);
  };
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

const webNotBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reqase Lite</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{background:#f3f3f3;padding:.1rem .3rem}</style>
</head><body>
<h1>Reqase Lite</h1>
<p>The API is running, but the web app has not been built yet.</p>
<p>Build it with <code>npm run build</code> and restart <code>reqase serve</code> (or run <code>npm start</code>, which builds what is missing first).</p>
<p>The API reference is at <a href="/api/docs">/api/docs</a>.</p>
</body></html>`;
