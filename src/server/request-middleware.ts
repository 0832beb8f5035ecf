/**
 * Middleware every request passes: its id, logger and secrets; body size limits; UTF-8 JSON.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import type { ServerEnv } from './context.ts';
import { HttpError } from './errors.ts';

/** Largest body of an import (file upload or pasted content), in bytes: 6 MB. */
export const IMPORT_BODY_LIMIT = 6 * 1024 * 1024;
/** Largest body of any other request, in bytes: 256 KB. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/**
 * Gives the request an id (`X-Request-Id`), a child logger, the secrets no answer may show, and
 * an anonymous principal until authentication says otherwise; logs the request when answered.
 */
export function requestContext(
  logger: Logger,
  configuredSecrets: readonly string[],
): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = randomUUID();
    const requestLogger = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', requestLogger);
    c.set('secrets', [...configuredSecrets]);
    c.set('principal', { kind: 'anonymous' });
    // Served by Node: both headers go on Node's own response, which adds them to whatever answer
    // is written (JSON, a stream, a static file, an error). Setting one on hono's response after
    // the route has made it turns the adapter's light response into a full \`Response\` whose body
    // is then read back through a web stream: about a tenth of a read's CPU time under load.
    const outgoing = c.env?.outgoing;
    if (outgoing !== undefined) {
      outgoing.setHeader('X-Request-Id', requestId);
      outgoing.setHeader('X-Content-Type-Options', 'nosniff');
      await next();
    } else {
      c.header('X-Request-Id', requestId);
      await next();
      c.header('X-Content-Type-Options', 'nosniff');
    }
    requestLogger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  };
}

/** Routes whose bodies may reach the import limit instead of the default one. */
function bodyLimitFor(path: string): number {
  return /\/stories\/import$/.test(path) || path === '/api/generate' ? IMPORT_BODY_LIMIT : DEFAULT_BODY_LIMIT;
}

/** Refuses a body over the route's limit with a 413 saying the limit. */
export function requestBodyLimit(): MiddlewareHandler<ServerEnv> {
  return (c, next) => {
    // A GET or HEAD has no body (fetch's Request refuses one), and asking the Node adapter's
    // request for its body builds a full \`Request\`: a tenth of a read's CPU time under load.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return bodyLimit({
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
    })(c, next);
  };
}

/**
 * Refuses a JSON write that is not UTF-8. JSON is UTF-8 (RFC 8259); decoding would silently turn
 * invalid bytes into U+FFFD, so a story saved in another encoding would be stored garbled instead
 * of refused as the file upload is.
 */
export function utf8JsonGuard(): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    if (isWrite(c.req.method) && /json/i.test(c.req.header('content-type') ?? '')) {
      if (!isUtf8(await c.req.arrayBuffer())) {
        throw new HttpError(400, 'invalid_input', 'The request body is not valid UTF-8.', {
          fix: 'Send JSON encoded as UTF-8; convert a story saved in another encoding (e.g. Windows-1252) to UTF-8 first.',
        });
      }
    }
    return next();
  };
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}
