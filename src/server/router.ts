/**
 * The one way a route module starts its sub-app: an OpenAPIHono with the server's environment and
 * the validation hook that turns an invalid request into a 400 naming each field.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ServerEnv } from './context.ts';
import { describeValidationIssues, HttpError } from './errors.ts';

/**
 * A sub-app for one resource, mounted by `createServer` with `app.route('/api', …)`. Build its
 * routes as one chain (`createRouter().openapi(…).openapi(…)`) so the chain's type carries every
 * route into `AppType`.
 *
 * @example
 * export function tokenRoutes(tokens: TokenService) {
 *   return createRouter().openapi(listTokensRoute, async (c) => c.json({ tokens: await tokens.list() }, 200));
 * }
 */
export function createRouter(): OpenAPIHono<ServerEnv> {
  return new OpenAPIHono<ServerEnv>({
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
}
