/**
 * A test case's history (every version with who made it), restoring a version, regenerating it
 * (with what should change), and the audit of the generation that wrote it.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Workspace } from '../../app/index.ts';
import { actorOf } from '../actor.ts';
import { FullHistorySchema, GenerationAuditSchema, RestoreBodySchema } from '../history-schemas.ts';
import { errors, json, jsonBody } from '../openapi.ts';
import { createRouter } from '../router.ts';
import { RegeneratedSchema, RegenerateBodySchema, TestCaseRecordWireSchema } from '../workspace-schemas.ts';
import { IdParam } from './parameters.ts';

const regenerateTestCaseRoute = createRoute({
  method: 'post',
  path: '/test-cases/{id}/regenerate',
  operationId: 'regenerateTestCase',
  tags: ['review'],
  summary: 'Regenerate one test case (same criteria), stored as a new version',
  request: { params: IdParam, body: jsonBody(RegenerateBodySchema) },
  responses: { 200: json(RegeneratedSchema, 'The replacement'), ...errors(404, 422, 502, 504) },
});

const getTestCaseHistoryRoute = createRoute({
  method: 'get',
  path: '/test-cases/{id}/history',
  operationId: 'getTestCaseHistory',
  tags: ['review'],
  summary: 'Every version of a test case with who made it, how and when',
  request: { params: IdParam },
  responses: { 200: json(FullHistorySchema, 'History'), ...errors(404) },
});

const restoreTestCaseRoute = createRoute({
  method: 'post',
  path: '/test-cases/{id}/restore',
  operationId: 'restoreTestCase',
  tags: ['review'],
  summary: 'Restore an earlier version of a test case (as a new version)',
  request: { params: IdParam, body: jsonBody(RestoreBodySchema) },
  responses: { 200: json(TestCaseRecordWireSchema, 'The new version'), ...errors(404, 409) },
});

const getTestCaseGenerationRoute = createRoute({
  method: 'get',
  path: '/test-cases/{id}/generation',
  operationId: 'getTestCaseGeneration',
  tags: ['review'],
  summary: 'How a test case was generated: the prompt sent and the raw answer (no keys)',
  request: { params: IdParam },
  responses: { 200: json(GenerationAuditSchema, 'The generation'), ...errors(404) },
});

export function testCaseHistoryRoutes(workspace: Workspace) {
  return createRouter()
    .openapi(regenerateTestCaseRoute, async (c) => {
      const body = c.req.valid('json');
      const result = await workspace.testCases.regenerate(c.req.valid('param').id, {
        ...(body.provider ? { provider: body.provider } : {}),
        ...(body.offline ? { offline: true } : {}),
        ...(body.additionalContext ? { additionalContext: body.additionalContext } : {}),
        signal: c.req.raw.signal,
        actor: actorOf(c),
      });
      return c.json({ testCase: result.testCase, engine: result.engine }, 200);
    })

    .openapi(getTestCaseHistoryRoute, async (c) =>
      c.json(await workspace.testCases.history(c.req.valid('param').id), 200),
    )

    .openapi(restoreTestCaseRoute, async (c) => {
      const { version, expectedVersion } = c.req.valid('json');
      const restored = await workspace.testCases.restore(c.req.valid('param').id, {
        version,
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
        actor: actorOf(c),
      });
      return c.json(restored, 200);
    })

    .openapi(getTestCaseGenerationRoute, async (c) =>
      c.json(await workspace.testCases.generation(c.req.valid('param').id), 200),
    );
}
