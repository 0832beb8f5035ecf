/**
 * Refuses NUL characters (U+0000) in a request's path parameters, query and JSON body with a 400
 * naming the field, before any route runs. PostgreSQL cannot store NUL in text and would fail the
 * query (a 500); SQLite would store it. One check here keeps both databases and every route alike.
 */
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from './context.ts';
import { HttpError } from './errors.ts';
import { findNulCharacter, NUL_CHARACTER } from '../shared/nul-character.ts';

/** A route as hono lists it: `/api/projects/:project/stories/:key`. */
export interface RoutePattern {
  method: string;
  path: string;
}

/**
 * @param routes The app's routes (`() => app.routes`), read on each refused path to name the
 *   parameter; a path no route pattern matches is reported as `path`.
 *
 * @example
 * app.use('/api/*', nulCharacterGuard(() => app.routes));
 */
export function nulCharacterGuard(routes: () => ReadonlyArray<RoutePattern>): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const rawPath = new URL(c.req.url).pathname;
    if (decodeLeniently(rawPath).includes(NUL_CHARACTER)) {
      throw refused(`path: ${pathParameterWithNul(rawPath, c.req.method, routes()) ?? 'path'}`);
    }
    for (const [name, values] of Object.entries(c.req.queries())) {
      if (name.includes(NUL_CHARACTER) || values.some((value) => value.includes(NUL_CHARACTER))) {
        throw refused(`query: ${name.replaceAll(NUL_CHARACTER, '\\u0000')}`);
      }
    }
    if (
      c.req.method !== 'GET' &&
      c.req.method !== 'HEAD' &&
      /json/i.test(c.req.header('content-type') ?? '')
    ) {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return next(); // Not JSON: the route's validation says so.
      }
      const field = findNulCharacter(body);
      if (field) throw refused(`body: ${field.join('.').replaceAll(NUL_CHARACTER, '\\u0000') || 'body'}`);
    }
    return next();
  };
}

function refused(where: string): HttpError {
  const [part, field] = where.split(': ');
  return new HttpError(
    400,
    'invalid_input',
    `Invalid ${part}: ${field}: holds a NUL character (\\u0000), which cannot be stored.`,
    { fix: `Remove the NUL character from ${field}.` },
  );
}

/** The name of the route parameter holding the NUL, from the first route pattern the path matches. */
function pathParameterWithNul(
  rawPath: string,
  method: string,
  routes: ReadonlyArray<RoutePattern>,
): string | undefined {
  const segments = rawPath.split('/');
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ALL') continue;
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length || !pattern.some((part) => part.startsWith(':'))) continue;
    let matches = true;
    let found: string | undefined;
    for (const [index, part] of pattern.entries()) {
      const segment = segments[index] as string;
      if (part.startsWith(':')) {
        if (found === undefined && decodeLeniently(segment).includes(NUL_CHARACTER)) found = part.slice(1);
      } else if (part !== segment) {
        matches = false;
        break;
      }
    }
    if (matches && found) return found;
  }
  return undefined;
}

function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replaceAll(/%00/g, NUL_CHARACTER);
  }
}
