/**
 * Review of stored test cases: list, show, edit (a new version), accept, reject (history and
 * regeneration: `test-case-history.ts`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  EngineSchema,
  TestKindSchema,
  type CaseListFilter,
  type CaseSelection,
  type Workspace,
} from '../../app/index.ts';
import { actorOf } from '../actor.ts';
import { errors, json, jsonBody } from '../openapi.ts';
import { createRouter } from '../router.ts';
import {
  EditBodySchema,
  ReviewResultSchema,
  ReviewSelectionSchema,
  ScoredTestCaseWireSchema,
  TestCaseListQuerySchema,
  TestCaseRecordWireSchema,
  TestCaseStatusSchema,
} from '../workspace-schemas.ts';
import { IdParam, optionalList, ProjectParam } from './parameters.ts';

/** `POST /test-cases/accept` or `/test-cases/reject`: the same body, the same answer. */
function reviewActionRoute<Action extends 'accept' | 'reject'>(action: Action, summary: string) {
  return createRoute({
    method: 'post',
    path: `/test-cases/${action}` as `/test-cases/${Action}`,
    operationId: `${action}TestCases`,
    tags: ['review'],
    summary: `${summary} test cases: by ids, or every draft of a story`,
    request: { body: jsonBody(ReviewSelectionSchema) },
    responses: { 200: json(ReviewResultSchema, 'How many changed'), ...errors(404) },
  });
}

/** The cases a review action applies to: the ids given, or every draft of one story. */
function selectionOf(body: z.infer<typeof ReviewSelectionSchema>, actor: string): CaseSelection {
  return 'ids' in body
    ? { references: body.ids, actor }
    : { projectName: body.project, storyKey: body.story, allDrafts: true, actor };
}

const listTestCasesRoute = createRoute({
  method: 'get',
  path: '/projects/{project}/test-cases',
  operationId: 'listTestCases',
  tags: ['review'],
  summary: 'List test cases (with their quality scores when asked): filtered, searched, sorted, paged',
  request: { params: ProjectParam, query: TestCaseListQuerySchema },
  responses: {
    200: json(
      z.object({
        testCases: z.array(ScoredTestCaseWireSchema.partial({ quality: true }).openapi('ListedTestCase')),
        total: z.number().int(),
        nextCursor: z.string().nullable().openapi({
          description: 'Pass as cursor for the next page; null on the last page.',
        }),
      }),
      'Test cases',
    ),
    ...errors(404),
  },
});

const getTestCaseRoute = createRoute({
  method: 'get',
  path: '/test-cases/{id}',
  operationId: 'getTestCase',
  tags: ['review'],
  summary: 'Show a test case with its quality score and findings',
  request: { params: IdParam },
  responses: { 200: json(ScoredTestCaseWireSchema, 'The test case'), ...errors(404) },
});

const editTestCaseRoute = createRoute({
  method: 'patch',
  path: '/test-cases/{id}',
  operationId: 'editTestCase',
  tags: ['review'],
  summary: 'Edit a test case (a new version; Gherkin must parse)',
  request: { params: IdParam, body: jsonBody(EditBodySchema) },
  responses: { 200: json(TestCaseRecordWireSchema, 'The new version'), ...errors(404, 409) },
});

/** The list query as the review service's filter: comma-separated lists split, flags as booleans. */
function listFilterOf(project: string, query: z.infer<typeof TestCaseListQuerySchema>): CaseListFilter {
  const statuses = optionalList(query.status)?.map((status) => TestCaseStatusSchema.parse(status));
  const kinds = optionalList(query.kind)?.map((kind) => TestKindSchema.parse(kind));
  const engines = optionalList(query.engine)?.map((engine) => EngineSchema.parse(engine));
  const priorities = optionalList(query.priority);
  return {
    projectName: project,
    ...(query.story ? { storyKey: query.story } : {}),
    ...(statuses ? { status: statuses } : {}),
    ...(query.needsReview ? { needsReview: query.needsReview === 'true' } : {}),
    ...(kinds ? { kinds } : {}),
    ...(priorities ? { priorities } : {}),
    ...(engines ? { engines } : {}),
    ...(query.q?.trim() ? { search: query.q } : {}),
    ...(query.finding ? { findingRule: query.finding } : {}),
    ...(query.hasFindings ? { hasFindings: query.hasFindings === 'true' } : {}),
    ...(query.sort ? { sortBy: query.sort } : {}),
    ...(query.order ? { order: query.order } : {}),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    ...(query.offset === undefined ? {} : { offset: query.offset }),
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    withQuality: query.quality === 'true',
  };
}

export function testCaseRoutes(workspace: Workspace) {
  return createRouter()
    .openapi(listTestCasesRoute, async (c) =>
      c.json(
        await workspace.testCases.list(listFilterOf(c.req.valid('param').project, c.req.valid('query'))),
        200,
      ),
    )

    .openapi(getTestCaseRoute, async (c) =>
      c.json(await workspace.testCases.show(c.req.valid('param').id), 200),
    )

    .openapi(editTestCaseRoute, async (c) => {
      const { note, expectedVersion, ...patch } = c.req.valid('json');
      return c.json(
        await workspace.testCases.edit(c.req.valid('param').id, patch, {
          ...(note ? { note } : {}),
          ...(expectedVersion === undefined ? {} : { expectedVersion }),
          actor: actorOf(c),
        }),
        200,
      );
    })

    .openapi(reviewActionRoute('accept', 'Accept'), async (c) =>
      c.json(await workspace.testCases.accept(selectionOf(c.req.valid('json'), actorOf(c))), 200),
    )
    .openapi(reviewActionRoute('reject', 'Reject'), async (c) =>
      c.json(await workspace.testCases.reject(selectionOf(c.req.valid('json'), actorOf(c))), 200),
    );
}
