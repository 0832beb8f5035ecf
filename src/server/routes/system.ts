import { createRoute, z } from '@hono/zod-openapi';
import {
  closeSession,
  openSession,
  sessionCsrfToken,
  type SessionStore,
  type TokenVerifier,
} from '../auth.ts';
import { createRouter } from '../router.ts';
import { errors, json, jsonBody, PUBLIC_ROUTE } from '../openapi.ts';
import { OkSchema } from '../schemas.ts';

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    authenticationRequired: z.boolean(),
    workspace: z
      .boolean()
      .openapi({ description: 'True when the stored workspace (projects, stories, …) is available.' }),
  })
  .openapi('Health');

const SessionStateSchema = z
  .object({
    authenticationRequired: z.boolean(),
    authenticated: z.boolean(),
    tokenName: z.string().optional(),
    csrfToken: z
      .string()
      .optional()
      .openapi({ description: 'Send it back as X-CSRF-Token on every write made with the session cookie.' }),
  })
  .openapi('SessionState');

const LoginSchema = z.object({ token: z.string().min(1).max(500) }).openapi('Login');

export interface SystemRouteOptions {
  version: string;
  authenticationRequired: boolean;
  workspace: boolean;
  tokens: TokenVerifier;
  sessions: SessionStore;
}

const getHealthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['system'],
  summary: 'Health check (never needs authentication)',
  ...PUBLIC_ROUTE,
  responses: { 200: json(HealthSchema, 'The server is up'), ...errors() },
});

const getSessionRoute = createRoute({
  method: 'get',
  path: '/session',
  operationId: 'getSession',
  tags: ['session'],
  summary: 'Whether this browser is signed in, and whether the server needs it',
  ...PUBLIC_ROUTE,
  responses: { 200: json(SessionStateSchema, 'Session state'), ...errors() },
});

const signInRoute = createRoute({
  method: 'post',
  path: '/session',
  operationId: 'signIn',
  tags: ['session'],
  summary: 'Sign a browser in with an API token: sets an HttpOnly, SameSite=Strict session cookie',
  request: { body: jsonBody(LoginSchema) },
  ...PUBLIC_ROUTE,
  responses: { 200: json(SessionStateSchema, 'Signed in'), ...errors() },
});

const signOutRoute = createRoute({
  method: 'delete',
  path: '/session',
  operationId: 'signOut',
  tags: ['session'],
  summary: 'Sign out: ends the session and clears its cookies',
  ...PUBLIC_ROUTE,
  responses: { 200: json(OkSchema, 'Signed out'), ...errors() },
});

export function systemRoutes(options: SystemRouteOptions) {
  return createRouter()
    .openapi(getHealthRoute, (c) =>
      c.json(
        {
          status: 'ok' as const,
          version: options.version,
          authenticationRequired: options.authenticationRequired,
          workspace: options.workspace,
        },
        200,
      ),
    )

    .openapi(getSessionRoute, async (c) => {
      const principal = c.get('principal');
      const csrfToken = await sessionCsrfToken(c, options.sessions);
      return c.json(
        {
          authenticationRequired: options.authenticationRequired,
          authenticated: principal.kind === 'token',
          ...(principal.kind === 'token' ? { tokenName: principal.tokenName } : {}),
          ...(csrfToken ? { csrfToken } : {}),
        },
        200,
      );
    })

    .openapi(signInRoute, async (c) => {
      const { token } = c.req.valid('json');
      const session = await openSession(c, token, options);
      return c.json(
        {
          authenticationRequired: options.authenticationRequired,
          authenticated: true,
          tokenName: session.tokenName,
          csrfToken: session.csrfToken,
        },
        200,
      );
    })

    .openapi(signOutRoute, async (c) => {
      await closeSession(c, options.sessions);
      return c.json({ ok: true as const }, 200);
    });
}
