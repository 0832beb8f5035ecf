import { createRoute, z } from '@hono/zod-openapi';
import { CHECK_IDS } from '../../app/index.ts';
import { createRouter } from '../router.ts';
import type { ServerDependencies } from '../dependencies.ts';
import { errors, json, jsonBody } from '../openapi.ts';
import { InlineProviderSchema } from '../schemas.ts';

export const CheckReportSchema = z
  .object({
    compatible: z.boolean(),
    baseUrl: z.string(),
    model: z.string(),
    responseMode: z
      .enum(['json_schema', 'json_object', 'text'])
      .optional()
      .openapi({ description: 'The strongest response_format the endpoint honoured (from json-mode).' }),
    checks: z.array(
      z.object({
        id: z.enum(CHECK_IDS),
        status: z.enum(['pass', 'warn', 'fail', 'skip']),
        message: z.string(),
        fix: z.string().optional(),
        ms: z.number(),
        responseMode: z.enum(['json_schema', 'json_object', 'text']).optional(),
        servedModels: z
          .array(z.string())
          .optional()
          .openapi({ description: '`models` only: the model ids GET /models listed.' }),
        consequenceOf: z
          .enum(CHECK_IDS)
          .optional()
          .openapi({ description: 'Set when this verdict follows from the root cause.' }),
      }),
    ),
    rootCause: z
      .object({
        check: z.enum(CHECK_IDS),
        message: z.string(),
        fix: z.string(),
        consequences: z.array(z.enum(CHECK_IDS)),
      })
      .optional()
      .openapi({ description: 'The one problem that explains the other failures, when there is one.' }),
    curl: z.string().openapi({ description: 'The equivalent cURL command, key masked.' }),
  })
  .openapi('CheckReport');

export const CheckRequestSchema = InlineProviderSchema.extend({
  timeoutSeconds: z
    .number()
    .positive()
    .max(600)
    .optional()
    .openapi({ description: 'Bound of each request of the check. Default 30.' }),
}).openapi('CheckRequest');

const checkEndpointRoute = createRoute({
  method: 'post',
  path: '/providers/check',
  operationId: 'checkEndpoint',
  tags: ['providers'],
  summary: 'Check an endpoint against the OpenAI chat completions contract before saving it',
  request: { body: jsonBody(CheckRequestSchema) },
  responses: {
    200: json(CheckReportSchema, 'The check report (compatible or not)'),
    ...errors(502, 504),
  },
});

export function checkRoutes(dependencies: ServerDependencies) {
  return createRouter().openapi(checkEndpointRoute, async (c) => {
    const body = c.req.valid('json');
    if (body.apiKey) c.get('secrets').push(body.apiKey);
    const report = await dependencies.checkEndpoint({
      ...(body.preset ? { preset: body.preset } : {}),
      ...(body.baseUrl ? { baseUrl: body.baseUrl } : {}),
      ...(body.model ? { model: body.model } : {}),
      ...(body.apiKey ? { apiKey: body.apiKey } : {}),
      timeoutMilliseconds: Math.round((body.timeoutSeconds ?? 30) * 1000),
      signal: c.req.raw.signal,
    });
    return c.json(report, 200);
  });
}
