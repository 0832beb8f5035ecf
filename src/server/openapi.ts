/**
 * Small helpers for route definitions, so every route documents its body and its errors alike.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import { ErrorBodySchema } from './errors.ts';

/** A JSON body or response with its description. */
export function json<Schema extends ZodType>(schema: Schema, description: string) {
  return { content: { 'application/json': { schema } }, description } as const;
}

/** A required JSON request body. */
export function jsonBody<Schema extends ZodType>(schema: Schema, description = 'JSON body') {
  return { content: { 'application/json': { schema } }, required: true, description } as const;
}

const errorDescriptions = {
  400: 'Invalid input: the message names the field',
  401: 'Authentication required or token invalid',
  403: 'Refused: cross-site write or missing CSRF token',
  404: 'Not found',
  409: 'Conflict with stored data',
  413: 'Body too large',
  415: 'Unsupported media type',
  421: 'The Host header names a host this server does not answer to (DNS rebinding protection)',
  422: 'The request was understood but could not be carried out (e.g. no test case could be read)',
  500: 'Unexpected failure (no internals shown)',
  502: 'The model endpoint failed (the fix says what to do)',
  503: 'The database is unavailable',
  504: 'The model endpoint timed out',
} as const;

type ErrorStatus = keyof typeof errorDescriptions;

/** Error responses documented for a route: the ones every route can give plus `extra`. */
export function errors(...extra: ErrorStatus[]) {
  const statuses = new Set<ErrorStatus>([400, 401, 403, 413, 421, 500, ...extra]);
  const responses: Partial<
    Record<
      ErrorStatus,
      { content: { 'application/json': { schema: typeof ErrorBodySchema } }; description: string }
    >
  > = {};
  for (const status of [...statuses].sort()) {
    responses[status] = {
      content: { 'application/json': { schema: ErrorBodySchema } },
      description: errorDescriptions[status],
    };
  }
  return responses;
}

/** Security scheme names, as the document declares them and routes refer to them. */
export const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token: `reqase token create` or POST /api/tokens.',
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'reqase_session',
    description:
      'The browser session set by POST /api/session; writes with it also need the X-CSRF-Token header.',
  },
} as const;

/** For the routes anyone may call (health, session): no credentials needed. */
export const PUBLIC_ROUTE = { security: [] as Array<Record<string, string[]>> };

const tagDescriptions: Record<string, string> = {
  system: 'Health of the server.',
  session: 'Browser sign-in with an API token.',
  projects: 'Projects: their default format, test case rules and provider.',
  stories: 'Stories: import, list with coverage, show.',
  generation: 'Generating test cases, ad hoc or for stored stories.',
  review: 'Stored test cases: edit, regenerate, accept, reject, history.',
  export: 'Downloads for Xray, Zephyr Scale, TestRail, Cucumber, CSV, Markdown, JSON.',
  providers: 'Model endpoints: stored providers, presets, checks.',
  tokens: 'API tokens.',
  jobs: 'Bulk generation jobs.',
  quality: 'Scores and findings of test cases; comparing engines.',
  connectors: 'Jira, Xray, TestRail and Zephyr Scale connections, import and push.',
};

/** The document's top level: info, the server, tags, and the credentials every route needs unless it says otherwise. */
export function documentConfig(version: string): Parameters<OpenAPIHono['getOpenAPI31Document']>[0] {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Reqase Lite API',
      version,
      description:
        'Turn user stories into structured, reviewable test cases. Errors are `{ error: { code, message, fix? } }`. ' +
        'Bound beyond loopback, every route but health and session (this document included) needs `Authorization: Bearer <token>` or a session cookie ' +
        '(writes with the cookie also need `X-CSRF-Token`).',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ bearer: [] }, { session: [] }],
    tags: Object.entries(tagDescriptions).map(([name, description]) => ({ name, description })),
  };
}
