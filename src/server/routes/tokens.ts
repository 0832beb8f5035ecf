/**
 * API tokens: list, create (shown once), revoke (its browser sessions end too).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { errors, json, jsonBody } from '../openapi.ts';
import { createRouter } from '../router.ts';
import type { TokenService } from '../../app/index.ts';
import type { SessionStore } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { OkSchema } from '../schemas.ts';
import { CreatedTokenSchema, TokenSchema } from '../provider-schemas.ts';
import { IdParam } from './parameters.ts';

const listTokensRoute = createRoute({
  method: 'get',
  path: '/tokens',
  operationId: 'listTokens',
  tags: ['tokens'],
  summary: 'List API tokens (names and dates; never the tokens)',
  responses: { 200: json(z.object({ tokens: z.array(TokenSchema) }), 'Tokens'), ...errors() },
});

const createTokenRoute = createRoute({
  method: 'post',
  path: '/tokens',
  operationId: 'createToken',
  tags: ['tokens'],
  summary: 'Create an API token (shown once)',
  request: { body: jsonBody(z.object({ name: z.string().min(1).max(100) })) },
  responses: { 201: json(CreatedTokenSchema, 'Created'), ...errors() },
});

const revokeTokenRoute = createRoute({
  method: 'delete',
  path: '/tokens/{id}',
  operationId: 'revokeToken',
  tags: ['tokens'],
  summary: 'Revoke an API token (its browser sessions end too)',
  request: { params: IdParam },
  responses: { 200: json(OkSchema, 'Revoked'), ...errors(404) },
});

export function tokenRoutes(tokens: TokenService, sessions: SessionStore) {
  return createRouter()
    .openapi(listTokensRoute, async (c) => c.json({ tokens: await tokens.list() }, 200))

    .openapi(createTokenRoute, async (c) => c.json(await tokens.create(c.req.valid('json').name), 201))

    .openapi(revokeTokenRoute, async (c) => {
      const { id } = c.req.valid('param');
      if (!(await tokens.remove(id))) {
        throw new HttpError(404, 'not_found', `There is no API token with id ${id}.`, {
          fix: 'List tokens with GET /api/tokens or `reqase token list`.',
        });
      }
      await sessions.removeForToken(id);
      return c.json({ ok: true as const }, 200);
    });
}
