/**
 * Connectors over HTTP: stored connections (secrets write-only, shown masked), story import from
 * Jira, and pushes to TestRail, Xray Cloud, Xray Server/DC or Zephyr Scale (dry run, per-case results, status, jobs, resume).
 * Every route calls one workspace service.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  AddConnectionSchema,
  ConnectionKindSchema,
  ConnectionSettingsSchema,
  PushRequestSchema,
  PushTargetSchema,
  type Workspace,
} from '../../app/index.ts';
import { definedFields } from '../../shared/defined-fields.ts';
import { createRouter } from '../router.ts';
import { errors, json, jsonBody } from '../openapi.ts';
import { OkSchema } from '../schemas.ts';
import { ImportResultSchema } from '../workspace-schemas.ts';

const ProjectParam = z.object({ project: z.string().min(1).max(200) });
const NameParam = z.object({ name: z.string().min(1).max(200) });
const JobParam = z.object({ id: z.string().min(1).max(200) });

const ConnectionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: ConnectionKindSchema,
    baseUrl: z.string(),
    settings: z.record(z.string(), z.string()),
    hasSecret: z.boolean(),
    secretMasked: z
      .string()
      .openapi({ description: 'The secret as `…a1b2`; the secret itself is never sent back.' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Connection');

const AddConnectionBodySchema = AddConnectionSchema.extend({
  settings: ConnectionSettingsSchema.optional(),
}).openapi('AddConnection');

const JiraImportBodySchema = z
  .object({
    connection: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: 'A stored jira connection; else REQASE_JIRA_* of the server.' }),
    jql: z.string().max(5000).optional(),
    keys: z.array(z.string().max(100)).max(1000).optional(),
    acceptanceCriteriaField: z.string().max(100).optional(),
    deployment: z.enum(['cloud', 'server']).optional(),
  })
  .openapi('JiraImport');

const JiraImportResultSchema = ImportResultSchema.extend({
  acceptanceCriteriaField: z.string().nullable(),
  issues: z.number().int(),
}).openapi('JiraImportResult');

const PushBodySchema = PushRequestSchema.omit({ project: true }).openapi('PushRequest');

const CountsSchema = z.object({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
});

const PushResultSchema = z
  .object({
    jobId: z.string().nullable(),
    target: z.string(),
    dryRun: z.boolean(),
    counts: CountsSchema,
    cases: z.array(
      z.object({
        testCaseId: z.string(),
        reference: z.string(),
        outcome: z.enum(['created', 'updated', 'unchanged', 'failed', 'would-create', 'would-update']),
        externalKey: z.string().nullable(),
        error: z.string().nullable(),
      }),
    ),
    requests: z.number().int(),
    /** What the push left out on purpose, e.g. a Zephyr Scale story link for a story not from Jira. */
    warnings: z.array(z.string()),
  })
  .openapi('PushResult');

const PushStatusQuerySchema = z.object({
  to: PushTargetSchema,
  connection: z.string().max(200).optional(),
  story: z.string().max(100).optional(),
});

const PushStatusSchema = z
  .object({
    target: z.string(),
    cases: z.array(
      z.object({
        testCaseId: z.string(),
        reference: z.string(),
        state: z.enum(['not-pushed', 'up-to-date', 'out-of-date']),
        externalKey: z.string().nullable(),
        version: z.number().int(),
      }),
    ),
  })
  .openapi('PushStatus');

const PushJobSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    target: z.string(),
    status: z.enum(['running', 'completed', 'failed']),
    counts: CountsSchema,
    error: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('PushJob');

const listConnectionsRoute = createRoute({
  method: 'get',
  path: '/connections',
  operationId: 'listConnections',
  tags: ['connections'],
  summary: 'List connections to Jira, Xray Cloud, Xray Server/DC, TestRail and Zephyr Scale (secrets masked)',
  responses: {
    200: json(z.object({ connections: z.array(ConnectionSchema) }), 'By name'),
    ...errors(),
  },
});

const saveConnectionRoute = createRoute({
  method: 'post',
  path: '/connections',
  operationId: 'saveConnection',
  tags: ['connections'],
  summary: 'Add or replace a connection; the secret is stored encrypted and never sent back',
  request: { body: jsonBody(AddConnectionBodySchema) },
  responses: { 201: json(ConnectionSchema, 'Saved'), ...errors() },
});

const removeConnectionRoute = createRoute({
  method: 'delete',
  path: '/connections/{name}',
  operationId: 'removeConnection',
  tags: ['connections'],
  summary: 'Remove a connection',
  request: { params: NameParam },
  responses: { 200: json(OkSchema, 'Removed'), ...errors(404) },
});

const importStoriesFromJiraRoute = createRoute({
  method: 'post',
  path: '/projects/{project}/stories/import-jira',
  operationId: 'importStoriesFromJira',
  tags: ['stories'],
  summary: 'Import stories from Jira by JQL or keys (a re-import is a sync)',
  request: { params: ProjectParam, body: jsonBody(JiraImportBodySchema) },
  responses: { 200: json(JiraImportResultSchema, 'Imported'), ...errors(404, 422, 502) },
});

const pushTestCasesRoute = createRoute({
  method: 'post',
  path: '/projects/{project}/push',
  operationId: 'pushTestCases',
  tags: ['push'],
  summary:
    'Push test cases to TestRail, Xray Cloud, Xray Server/DC or Zephyr Scale (dryRun: preview only); per-case results',
  request: { params: ProjectParam, body: jsonBody(PushBodySchema) },
  responses: { 200: json(PushResultSchema, 'Pushed, or the preview'), ...errors(404, 422, 502) },
});

const getPushStatusRoute = createRoute({
  method: 'get',
  path: '/projects/{project}/push/status',
  operationId: 'getPushStatus',
  tags: ['push'],
  summary: 'Per case: not pushed, up to date, or out of date (edited after its last push)',
  request: { params: ProjectParam, query: PushStatusQuerySchema },
  responses: { 200: json(PushStatusSchema, 'Per case'), ...errors(404) },
});

const listPushJobsRoute = createRoute({
  method: 'get',
  path: '/projects/{project}/push/jobs',
  operationId: 'listPushJobs',
  tags: ['push'],
  summary: 'Push jobs of a project, newest first',
  request: { params: ProjectParam },
  responses: { 200: json(z.object({ jobs: z.array(PushJobSchema) }), 'Newest first'), ...errors(404) },
});

const resumePushJobRoute = createRoute({
  method: 'post',
  path: '/push-jobs/{id}/resume',
  operationId: 'resumePushJob',
  tags: ['push'],
  summary: 'Run a stopped push job again from where it stopped (nothing is created twice)',
  request: { params: JobParam },
  responses: { 200: json(PushResultSchema, 'Resumed'), ...errors(404, 422, 502) },
});

export function connectorRoutes(options: { workspace: Workspace }) {
  const { workspace } = options;

  return createRouter()
    .openapi(listConnectionsRoute, async (c) =>
      c.json({ connections: await workspace.connections.list() }, 200),
    )

    .openapi(saveConnectionRoute, async (c) =>
      c.json(await workspace.connections.add(c.req.valid('json')), 201),
    )

    .openapi(removeConnectionRoute, async (c) => {
      await workspace.connections.remove(c.req.valid('param').name);
      return c.json({ ok: true as const }, 200);
    })

    .openapi(importStoriesFromJiraRoute, async (c) =>
      c.json(
        await workspace.importStoriesFromJira(
          c.req.valid('param').project,
          definedFields(c.req.valid('json')),
        ),
        200,
      ),
    )

    .openapi(pushTestCasesRoute, async (c) =>
      c.json(
        await workspace.push.push({ ...c.req.valid('json'), project: c.req.valid('param').project }),
        200,
      ),
    )

    .openapi(getPushStatusRoute, async (c) =>
      c.json(
        await workspace.push.status({ ...c.req.valid('query'), project: c.req.valid('param').project }),
        200,
      ),
    )

    .openapi(listPushJobsRoute, async (c) => {
      const jobs = await workspace.push.listJobs(c.req.valid('param').project);
      return c.json({ jobs: jobs.map(({ options: _options, ...job }) => job) }, 200);
    })

    .openapi(resumePushJobRoute, async (c) =>
      c.json(await workspace.push.resume(c.req.valid('param').id), 200),
    );
}
