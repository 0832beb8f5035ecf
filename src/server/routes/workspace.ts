/**
 * Routes over the stored workspace: projects, stories (import, list with coverage, show,
 * generate), review, export, providers and API tokens. Every route calls one workspace service.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { strToU8, zipSync } from 'fflate';
import type { Workspace } from '../../app/workspace/index.ts';
import { HttpError } from '../errors.ts';
import { jsonInSlices } from '../json-in-slices.ts';
import type { SessionStore } from '../auth.ts';
import type { ServerEnv } from '../context.ts';
import type { ServerDependencies } from '../dependencies.ts';
import { errors, json, jsonBody } from '../openapi.ts';
import { countRange, OkSchema, SSE_DESCRIPTION } from '../schemas.ts';
import { streamEvents, wantsEventStream, type SendEvent } from '../sse.ts';
import type { TokenService } from '../../app/workspace/index.ts';
import {
  AddedProviderSchema,
  AddProviderSchema,
  CreatedTokenSchema,
  CreateProjectSchema,
  EditBodySchema,
  ExportQuerySchema,
  HistorySchema,
  ImportBodySchema,
  ImportResultSchema,
  ImportUploadSchema,
  ProjectDetailsSchema,
  ProjectSchema,
  ProviderPresetSchema,
  ProviderSchema,
  RegeneratedSchema,
  RegenerateBodySchema,
  ReviewResultSchema,
  ReviewSelectionSchema,
  StoredGenerateBodySchema,
  StoredGenerateResultSchema,
  StoryDetailsSchema,
  StoryListSchema,
  TestCaseListQuerySchema,
  TestCaseRecordSchema,
  TestCaseStatusSchema,
  TokenSchema,
} from '../workspace-schemas.ts';
import { CheckReportSchema, CheckRequestSchema } from './check.ts';
import { generationResult } from './generate.ts';

export interface WorkspaceRoutesOptions {
  workspace: Workspace;
  tokens: TokenService;
}

const ProjectParam = z.object({ project: z.string().min(1).max(200) });
const StoryParam = ProjectParam.extend({ key: z.string().min(1).max(100) });
const CaseParam = z.object({ id: z.string().min(1).max(200) });
const NameParam = z.object({ name: z.string().min(1).max(200) });
const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

function list(text: string | undefined): string[] | undefined {
  const items = text
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}

export function registerWorkspaceRoutes(
  app: OpenAPIHono<ServerEnv>,
  options: WorkspaceRoutesOptions & { sessions: SessionStore; dependencies: ServerDependencies },
): void {
  const { workspace, tokens, sessions, dependencies } = options;

  // ---------------------------------------------------------------------------------------------
  // Projects

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/projects',
      tags: ['projects'],
      summary: 'List projects',
      responses: {
        200: json(z.object({ projects: z.array(ProjectSchema) }), 'Projects by name'),
        ...errors(),
      },
    }),
    async (c) => c.json({ projects: await workspace.projects.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/projects',
      tags: ['projects'],
      summary: 'Create a project',
      request: { body: jsonBody(CreateProjectSchema) },
      responses: { 201: json(ProjectSchema, 'Created'), ...errors(404, 409) },
    }),
    async (c) => c.json(await workspace.projects.create(c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/projects/{project}',
      tags: ['projects'],
      summary: 'Show a project with its counts',
      request: { params: ProjectParam },
      responses: { 200: json(ProjectDetailsSchema, 'The project'), ...errors(404) },
    }),
    async (c) => c.json(await workspace.projects.show(c.req.valid('param').project), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/projects/{project}',
      tags: ['projects'],
      summary: 'Change a project: name, default format, test case rules, default provider',
      request: { params: ProjectParam, body: jsonBody(z.object(CreateProjectSchema.shape).partial()) },
      responses: { 200: json(ProjectSchema, 'Changed'), ...errors(404, 409) },
    }),
    async (c) =>
      c.json(await workspace.projects.update(c.req.valid('param').project, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/projects/{project}',
      tags: ['projects'],
      summary: 'Remove a project with its stories, test cases and generations',
      request: { params: ProjectParam },
      responses: { 200: json(OkSchema, 'Removed'), ...errors(404) },
    }),
    async (c) => {
      await workspace.projects.remove(c.req.valid('param').project);
      return c.json({ ok: true as const }, 200);
    },
  );

  // ---------------------------------------------------------------------------------------------
  // Stories

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/projects/{project}/stories/import',
      tags: ['stories'],
      summary: 'Import stories (JSON with content and fileName, or a multipart file upload; up to 6 MB)',
      description:
        'Changed stories keep their criteria ids; cases covering changed or removed criteria are marked as needing review.',
      request: {
        params: ProjectParam,
        // Not `required`: with two media types, zod-openapi would then validate the body against both.
        body: {
          required: false,
          description: 'Required: JSON `{ content, fileName }` or a multipart upload with the field `file`.',
          content: {
            'application/json': { schema: ImportBodySchema },
            'multipart/form-data': { schema: ImportUploadSchema },
          },
        },
      },
      responses: {
        200: json(ImportResultSchema, 'What was created, changed or left as it was'),
        ...errors(404, 415),
      },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      const contentType = c.req.header('content-type') ?? '';
      if (contentType.toLowerCase().startsWith('multipart/form-data')) {
        const form = c.req.valid('form') as { file?: unknown; fileName?: string };
        if (!(form.file instanceof File)) {
          throw new HttpError(400, 'invalid_input', 'Invalid body: file: a file upload is required.', {
            fix: 'Send the story file in the form field "file".',
          });
        }
        const content = new Uint8Array(await form.file.arrayBuffer());
        const fileName = form.fileName ?? form.file.name;
        return jsonInSlices(
          await workspace.stories.importStories(project, { content, ...(fileName ? { fileName } : {}) }),
          'stories',
        );
      }
      if (!/^application\/(?:[\w.+-]+\+)?json/i.test(contentType)) {
        throw new HttpError(
          415,
          'unsupported_media_type',
          'An import is a JSON body or a multipart file upload.',
          {
            fix: 'Send { "content": "...", "fileName": "stories.md" } as application/json, or the file as multipart/form-data in the field "file".',
          },
        );
      }
      const body = c.req.valid('json') as { content: string; fileName?: string } | undefined;
      if (!body?.content) {
        throw new HttpError(400, 'invalid_input', 'Invalid body: content: the file content is required.', {
          fix: 'Send { "content": "...", "fileName": "stories.md" }.',
        });
      }
      // A large result would hold the event loop in one JSON.stringify: written a slice at a time.
      return jsonInSlices(
        await workspace.stories.importStories(project, {
          content: body.content,
          ...(body.fileName ? { fileName: body.fileName } : {}),
        }),
        'stories',
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/projects/{project}/stories',
      tags: ['stories'],
      summary: 'List stories with their coverage status',
      request: { params: ProjectParam, query: PageQuery },
      responses: { 200: json(StoryListSchema, 'Stories by key'), ...errors(404) },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      const page = c.req.valid('query');
      const result = await workspace.stories.list(project, {
        limit: page.limit ?? 100,
        ...(page.offset === undefined ? {} : { offset: page.offset }),
      });
      return c.json({ stories: result.stories, total: result.total }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/projects/{project}/stories/{key}',
      tags: ['stories'],
      summary: 'Show a story: its criteria, its test cases and which cases cover each criterion',
      request: { params: StoryParam },
      responses: { 200: json(StoryDetailsSchema, 'The story'), ...errors(404) },
    }),
    async (c) => {
      const { project, key } = c.req.valid('param');
      return c.json(await workspace.stories.show(project, key), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/projects/{project}/stories/{key}/generate',
      tags: ['generation'],
      summary: 'Generate test cases for a stored story and store them as drafts',
      description: SSE_DESCRIPTION,
      request: { params: StoryParam, body: jsonBody(StoredGenerateBodySchema) },
      responses: {
        200: {
          description: 'The stored test cases (JSON), or a stream of events (text/event-stream)',
          content: {
            'application/json': { schema: StoredGenerateResultSchema },
            'text/event-stream': { schema: { type: 'string' } },
          },
        },
        ...errors(404, 422, 502, 504),
      },
    }),
    async (c) => {
      const { project, key } = c.req.valid('param');
      const body = c.req.valid('json');
      const count = countRange(body.count);
      const run = async (send: SendEvent | undefined, signal: AbortSignal | undefined) => {
        const result = await workspace.generation.generateForStoredStory(project, key, {
          ...(body.format ? { format: body.format } : {}),
          ...(count ? { count } : {}),
          ...(body.kinds ? { kinds: body.kinds } : {}),
          ...(body.additionalContext ? { additionalContext: body.additionalContext } : {}),
          ...(body.language ? { language: body.language } : {}),
          ...(body.onlyChanged ? { onlyChanged: true } : {}),
          ...(body.provider ? { provider: body.provider } : {}),
          ...(body.offline ? { offline: true } : {}),
          ...(body.fillGaps === undefined ? {} : { fillGaps: body.fillGaps }),
          stream: send !== undefined,
          ...(signal ? { signal } : {}),
          ...(send
            ? {
                onEngine: (engine) => send('engine', engine),
                onEvent: (event) => {
                  if (event.kind === 'test-case-end')
                    send('test-case', { storyKey: key, testCase: event.testCase });
                  else if (event.kind === 'warning')
                    send('warning', { storyKey: key, message: event.message });
                },
              }
            : {}),
        });
        return {
          project: result.project,
          storyKey: result.story.key,
          engine: result.engine,
          testCases: result.testCases,
          result: result.output ? generationResult(result.output) : null,
          criteria: result.criteria,
          skipped: result.skipped,
          notices: result.notices,
        };
      };
      if (wantsEventStream(c)) return streamEvents(c, (send, signal) => run(send, signal));
      return c.json(await run(undefined, undefined), 200);
    },
  );

  // ---------------------------------------------------------------------------------------------
  // Review

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/projects/{project}/test-cases',
      tags: ['review'],
      summary: 'List test cases, filtered by story, status and needs-review',
      request: { params: ProjectParam, query: TestCaseListQuerySchema },
      responses: {
        200: json(
          z.object({
            testCases: z.array(TestCaseRecordSchema),
            total: z.number().int(),
            nextCursor: z.string().nullable().openapi({
              description: 'Pass as cursor for the next page; null on the last page.',
            }),
          }),
          'Test cases',
        ),
        ...errors(404),
      },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      const query = c.req.valid('query');
      const statuses = list(query.status)?.map((status) => TestCaseStatusSchema.parse(status));
      return c.json(
        await workspace.testCases.list({
          projectName: project,
          ...(query.story ? { storyKey: query.story } : {}),
          ...(statuses ? { status: statuses } : {}),
          ...(query.needsReview ? { needsReview: query.needsReview === 'true' } : {}),
          ...(query.limit === undefined ? {} : { limit: query.limit }),
          ...(query.offset === undefined ? {} : { offset: query.offset }),
          ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/test-cases/{id}',
      tags: ['review'],
      summary: 'Show a test case',
      request: { params: CaseParam },
      responses: { 200: json(TestCaseRecordSchema, 'The test case'), ...errors(404) },
    }),
    async (c) => c.json(await workspace.testCases.show(c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/test-cases/{id}',
      tags: ['review'],
      summary: 'Edit a test case (a new version; Gherkin must parse)',
      request: { params: CaseParam, body: jsonBody(EditBodySchema) },
      responses: { 200: json(TestCaseRecordSchema, 'The new version'), ...errors(404, 409) },
    }),
    async (c) => {
      const { note, expectedVersion, ...patch } = c.req.valid('json');
      return c.json(
        await workspace.testCases.edit(c.req.valid('param').id, patch, {
          ...(note ? { note } : {}),
          ...(expectedVersion === undefined ? {} : { expectedVersion }),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/test-cases/{id}/regenerate',
      tags: ['review'],
      summary: 'Regenerate one test case (same criteria), stored as a new version',
      request: { params: CaseParam, body: jsonBody(RegenerateBodySchema) },
      responses: { 200: json(RegeneratedSchema, 'The replacement'), ...errors(404, 422, 502, 504) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await workspace.testCases.regenerate(c.req.valid('param').id, {
        ...(body.provider ? { provider: body.provider } : {}),
        ...(body.offline ? { offline: true } : {}),
        ...(body.additionalContext ? { additionalContext: body.additionalContext } : {}),
        signal: c.req.raw.signal,
      });
      return c.json({ testCase: result.testCase, engine: result.engine }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/test-cases/{id}/history',
      tags: ['review'],
      summary: 'Earlier versions of a test case, oldest first',
      request: { params: CaseParam },
      responses: { 200: json(HistorySchema, 'History'), ...errors(404) },
    }),
    async (c) => c.json(await workspace.testCases.history(c.req.valid('param').id), 200),
  );

  for (const action of ['accept', 'reject'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/test-cases/${action}`,
        tags: ['review'],
        summary: `${action === 'accept' ? 'Accept' : 'Reject'} test cases: by ids, or every draft of a story`,
        request: { body: jsonBody(ReviewSelectionSchema) },
        responses: { 200: json(ReviewResultSchema, 'How many changed'), ...errors(404) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const selection =
          'ids' in body
            ? { references: body.ids }
            : { projectName: body.project, storyKey: body.story, allDrafts: true as const };
        return c.json(await workspace.testCases[action](selection), 200);
      },
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Export

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/projects/{project}/export',
      tags: ['export'],
      summary: 'Download test cases as Xray, Zephyr Scale, TestRail, Cucumber, CSV, Markdown or JSON',
      description:
        'One file is sent as it is (Content-Disposition: attachment). A target giving several files is sent as one ' +
        '.zip of them (Cucumber: one .feature per story; xray-json: files of at most 1,000 tests; xray-csv: the CSV ' +
        'and its importer configuration; testrail: step cases and BDD cases apart); give `story=KEY` for a single ' +
        '.feature file.',
      request: { params: ProjectParam, query: ExportQuerySchema },
      responses: {
        200: {
          description: 'The exported file, or a .zip of the files (attachment)',
          content: { '*/*': { schema: { type: 'string' } } },
        },
        ...errors(404),
      },
    }),
    async (c) => {
      const { project } = c.req.valid('param');
      const query = c.req.valid('query');
      const statuses = list(query.status)?.map((status) => TestCaseStatusSchema.parse(status));
      const storyKeys = list(query.story);
      const result = await workspace.exports.exportCases({
        projectName: project,
        target: query.to,
        ...(storyKeys ? { storyKeys } : {}),
        ...(statuses ? { statuses } : {}),
        ...(query.jiraProjectKey ? { jiraProjectKey: query.jiraProjectKey } : {}),
        ...(query.folder ? { folder: query.folder } : {}),
        ...(query.xrayLinkType ? { xrayLinkType: query.xrayLinkType } : {}),
        ...(query.xrayTags ? { xrayTags: query.xrayTags } : {}),
      });
      c.header('X-Export-Test-Cases', String(result.testCaseCount));
      c.header('X-Export-Stories', String(result.storyCount));
      const single = result.files.length === 1 ? result.files[0] : undefined;
      if (single) {
        c.header(
          'Content-Type',
          single.mediaType.includes('charset') ? single.mediaType : `${single.mediaType}; charset=utf-8`,
        );
        c.header('Content-Disposition', attachment(single.name));
        return c.body(single.content, 200);
      }
      const archive = zipSync(
        Object.fromEntries(result.files.map((file) => [file.name, strToU8(file.content)])),
        // Deterministic archives: the same export gives the same bytes.
        { mtime: new Date('2000-01-01T00:00:00Z') },
      );
      c.header('Content-Type', 'application/zip');
      c.header('Content-Disposition', attachment(`${safeName(project)}-${query.to}.zip`));
      return c.body(archive, 200);
    },
  );

  // ---------------------------------------------------------------------------------------------
  // Providers

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/providers',
      tags: ['providers'],
      summary: 'List stored providers (keys masked)',
      responses: { 200: json(z.object({ providers: z.array(ProviderSchema) }), 'Providers'), ...errors() },
    }),
    async (c) => c.json({ providers: await workspace.providers.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/providers',
      tags: ['providers'],
      summary: 'Add or replace a provider; the API key is stored encrypted and never returned',
      request: { body: jsonBody(AddProviderSchema) },
      responses: { 200: json(AddedProviderSchema, 'Stored'), ...errors(409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      if (body.apiKey) c.get('secrets').push(body.apiKey);
      c.get('secrets').push(...Object.values(body.extraHeaders ?? {}));
      return c.json(await workspace.providers.add(body), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/providers/presets',
      tags: ['providers'],
      summary:
        'Provider presets: usual base URL, whether a key is needed, which header carries it, known quirks',
      responses: { 200: json(z.object({ presets: z.array(ProviderPresetSchema) }), 'Presets') },
    }),
    (c) => c.json({ presets: workspace.providers.presets() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/providers/{name}',
      tags: ['providers'],
      summary: 'Show a provider (key masked)',
      request: { params: NameParam },
      responses: { 200: json(ProviderSchema, 'The provider'), ...errors(404) },
    }),
    async (c) => c.json(await workspace.providers.show(c.req.valid('param').name), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/providers/{name}',
      tags: ['providers'],
      summary: 'Remove a provider',
      request: { params: NameParam },
      responses: { 200: json(OkSchema, 'Removed'), ...errors(404) },
    }),
    async (c) => {
      await workspace.providers.remove(c.req.valid('param').name);
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/providers/{name}/check',
      tags: ['providers'],
      summary: 'Check a stored provider against the OpenAI chat completions contract',
      request: {
        params: NameParam,
        body: { ...jsonBody(CheckRequestSchema.pick({ timeoutSeconds: true })), required: false },
      },
      responses: { 200: json(CheckReportSchema, 'The check report'), ...errors(404, 502, 504) },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const { config } = await workspace.providers.resolveProvider(name);
      if (config.apiKey) c.get('secrets').push(config.apiKey);
      c.get('secrets').push(...Object.values(config.extraHeaders));
      const body = (c.req.valid('json') ?? {}) as { timeoutSeconds?: number };
      const report = await dependencies.checkEndpoint({
        config,
        timeoutMs: Math.round((body.timeoutSeconds ?? 30) * 1000),
        signal: c.req.raw.signal,
      });
      if (report.responseMode) await workspace.providers.rememberResponseMode(name, report.responseMode);
      return c.json(report, 200);
    },
  );

  // ---------------------------------------------------------------------------------------------
  // API tokens

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/tokens',
      tags: ['tokens'],
      summary: 'List API tokens (names and dates; never the tokens)',
      responses: { 200: json(z.object({ tokens: z.array(TokenSchema) }), 'Tokens'), ...errors() },
    }),
    async (c) => c.json({ tokens: await tokens.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/tokens',
      tags: ['tokens'],
      summary: 'Create an API token (shown once)',
      request: { body: jsonBody(z.object({ name: z.string().min(1).max(100) })) },
      responses: { 201: json(CreatedTokenSchema, 'Created'), ...errors() },
    }),
    async (c) => c.json(await tokens.create(c.req.valid('json').name), 201),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/tokens/{id}',
      tags: ['tokens'],
      summary: 'Revoke an API token (its browser sessions end too)',
      request: { params: CaseParam },
      responses: { 200: json(OkSchema, 'Revoked'), ...errors(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await tokens.remove(id))) {
        throw new HttpError(404, 'not_found', `There is no API token with id ${id}.`, {
          fix: 'List tokens with GET /api/tokens or `reqase token list`.',
        });
      }
      await sessions.removeForToken(id);
      return c.json({ ok: true as const }, 200);
    },
  );
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';
}

/** `attachment; filename="…"; filename*=UTF-8''…` with the name made safe for the header. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
