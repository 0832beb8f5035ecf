/**
 * A fake Zephyr Scale Cloud (REST API v2), enough for pushing test cases.
 *
 * Written from SmartBear's published Zephyr Scale Cloud API reference
 * (support.smartbear.com/zephyr-scale-cloud/api-docs/, the v2 OpenAPI document), sections Test
 * cases, Folders, Projects, and "Rate limiting"). The v2 OpenAPI document itself was not in the
 * search index when this was written: the fields below follow the published reference, and the
 * step modes `APPEND` / `OVERWRITE` and the 100-step limit were checked against third-party clients
 * generated from that spec (a pydantic `TestStepsMode` enum; the glama.ai `mcp-zephyr`
 * `append_test_steps` tool, "max 100 steps per request"). Looked for again (search tool, docs and
 * code corpora, "zephyr scale cloud api v2 openapi testcases teststeps"): the OpenAPI document is
 * still not in the index, only clients and MCP servers built on it, which agree with the schemas
 * below (step `mode` APPEND/OVERWRITE, `inline` steps, `issueId` links); nothing was changed.
 * Re-check against the OpenAPI document:
 * - bearer token (`Authorization: Bearer …`, Zephyr Scale → API Access Tokens); a bad one is 401;
 * - errors are `{ "errorCode": 400, "message": "…" }` with the same status;
 * - lists (`GET /folders`, `GET /testcases`) are paginated with `startAt`, `maxResults` and
 *   `isLast`, answering `{ next, startAt, maxResults, total, isLast, values }`;
 * - `POST /testcases` → 201 `{ id, key, self }`; `PUT /testcases/{key}` takes the whole test case
 *   (id, key, name, project, priority and status by id) → 200 with no body;
 * - `POST /testcases/{key}/teststeps` `{ mode, items: [{ inline: { description, testData, expectedResult } }] }`,
 *   at most 100 items → 201; `POST /testcases/{key}/testscript` `{ type: "bdd" | "plain", text }` → 201;
 * - `POST /testcases/{key}/links/issues` `{ issueId }` → 201; `POST /folders` → 201 `{ id, self }`;
 * - too many requests: 429 with `Retry-After`.
 * Request bodies are checked with the zod schemas below, transcribed from the reference.
 */
import { z } from 'zod';
import { definedFields } from '../../src/shared/defined-fields.ts';
import {
  bearerToken,
  startFakeVendorServer,
  type FakeVendorServer,
  type VendorRequest,
  type VendorResponse,
} from './fake-vendor-server.ts';

export interface FakeZephyrScaleOptions {
  token?: string;
  /** The one project the instance holds. Default: SHOP. */
  projectKey?: string;
}

export interface FakeZephyrScaleCase {
  id: number;
  key: string;
  name: string;
  objective: string | null;
  precondition: string | null;
  labels: string[];
  folderId: number | null;
  priorityName: string;
  statusName: string;
  steps: Array<{ description?: string; testData?: string; expectedResult?: string }>;
  script: { type: string; text: string } | null;
  issueLinks: number[];
}

export interface FakeZephyrScale extends FakeVendorServer {
  readonly testCases: Map<string, FakeZephyrScaleCase>;
  readonly folders: Map<number, { id: number; name: string; parentId: number | null }>;
  /** Successful calls per operation. */
  readonly counts: { createTestCase: number; updateTestCase: number; createFolder: number; setSteps: number };
}

const ID_PAGE_LIMIT = 1000;
const STEP_LIMIT = 100;
const PROJECT_ID = 10_000;
const PRIORITIES = new Map([
  ['High', 1],
  ['Normal', 2],
  ['Low', 3],
]);
const STATUSES = new Map([
  ['Draft', 1],
  ['Approved', 2],
  ['Deprecated', 3],
]);

const TestCaseInputSchema = z
  .object({
    projectKey: z.string().regex(/^[A-Z][A-Z_0-9]+$/),
    name: z.string().min(1).max(255),
    objective: z.string().optional(),
    precondition: z.string().optional(),
    estimatedTime: z.number().int().optional(),
    componentId: z.number().int().optional(),
    priorityName: z.string().max(255).optional(),
    statusName: z.string().max(255).optional(),
    folderId: z.number().int().min(1).optional(),
    ownerId: z.string().optional(),
    labels: z.array(z.string()).optional(),
    customFields: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
const IdReference = z.object({ id: z.number().int(), self: z.string().optional() }).passthrough();
/** `PUT /testcases/{key}`: the whole test case as `GET` returned it, with changes. */
const TestCaseUpdateSchema = z
  .object({
    id: z.number().int(),
    key: z.string().regex(/^.+-T[0-9]+$/),
    name: z.string().min(1).max(255),
    project: IdReference,
    priority: IdReference,
    status: IdReference,
    objective: z.string().nullable().optional(),
    precondition: z.string().nullable().optional(),
    labels: z.array(z.string()).optional(),
    folder: IdReference.nullable().optional(),
    createdOn: z.string().optional(),
    estimatedTime: z.number().nullable().optional(),
    component: IdReference.nullable().optional(),
    owner: z.unknown().optional(),
    customFields: z.record(z.string(), z.unknown()).optional(),
    links: z.unknown().optional(),
    testScript: z.unknown().optional(),
  })
  .strict();
const TestStepsInputSchema = z
  .object({
    mode: z.enum(['APPEND', 'OVERWRITE']),
    items: z
      .array(
        z
          .object({
            inline: z
              .object({
                description: z.string().optional(),
                testData: z.string().optional(),
                expectedResult: z.string().optional(),
                customFields: z.record(z.string(), z.unknown()).optional(),
              })
              .strict()
              .optional(),
            testCase: z.object({ testCaseKey: z.string() }).passthrough().optional(),
          })
          .strict(),
      )
      .max(STEP_LIMIT),
  })
  .strict();
const TestScriptInputSchema = z.object({ type: z.enum(['plain', 'bdd']), text: z.string().min(1) }).strict();
const IssueLinkInputSchema = z.object({ issueId: z.number().int().min(1) }).strict();
const FolderInputSchema = z
  .object({
    parentId: z.number().int().min(1).nullable().optional(),
    name: z.string().min(1).max(255),
    projectKey: z.string(),
    folderType: z.enum(['TEST_CASE', 'TEST_PLAN', 'TEST_CYCLE']),
  })
  .strict();

export async function startFakeZephyrScale(options: FakeZephyrScaleOptions = {}): Promise<FakeZephyrScale> {
  const token = options.token ?? 'zephyr-scale-token-0123456789';
  const projectKey = options.projectKey ?? 'SHOP';
  const testCases = new Map<string, FakeZephyrScaleCase>();
  const folders: FakeZephyrScale['folders'] = new Map();
  const counts = { createTestCase: 0, updateTestCase: 0, createFolder: 0, setSteps: 0 };
  let nextCaseNumber = 1;
  let nextFolderId = 1;
  let baseUrl = '';

  const error = (status: number, message: string): VendorResponse => ({
    status,
    body: { errorCode: status, message },
  });
  const invalid = (issues: z.ZodError) =>
    error(
      400,
      issues.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
    );

  function page<Item>(request: VendorRequest, items: Item[]): VendorResponse {
    const startAt = Number(request.query.get('startAt') ?? 0);
    const maxResults = Math.min(Number(request.query.get('maxResults') ?? 10), ID_PAGE_LIMIT);
    const values = items.slice(startAt, startAt + maxResults);
    const isLast = startAt + values.length >= items.length;
    return {
      status: 200,
      body: {
        next: isLast
          ? null
          : `${baseUrl}${request.path}?startAt=${startAt + maxResults}&maxResults=${maxResults}`,
        startAt,
        maxResults,
        total: items.length,
        isLast,
        values,
      },
    };
  }

  function asResource(testCase: FakeZephyrScaleCase) {
    return {
      id: testCase.id,
      key: testCase.key,
      name: testCase.name,
      project: { id: PROJECT_ID, self: `${baseUrl}/projects/${PROJECT_ID}` },
      createdOn: '2026-01-01T00:00:00Z',
      objective: testCase.objective,
      precondition: testCase.precondition,
      estimatedTime: null,
      labels: testCase.labels,
      component: null,
      priority: { id: PRIORITIES.get(testCase.priorityName) ?? 2, self: `${baseUrl}/priorities/2` },
      status: { id: STATUSES.get(testCase.statusName) ?? 1, self: `${baseUrl}/statuses/1` },
      folder:
        testCase.folderId === null
          ? null
          : { id: testCase.folderId, self: `${baseUrl}/folders/${testCase.folderId}` },
      owner: null,
      customFields: {},
      links: { self: `${baseUrl}/testcases/${testCase.key}/links`, issues: [], webLinks: [] },
    };
  }

  const handle = (request: VendorRequest): VendorResponse => {
    if (bearerToken(request) !== token)
      return error(401, 'Authentication failed: the API access token is invalid or expired.');
    const path = request.path.replace(/^\/v2/, '');
    const testCasePath = /^\/testcases\/([^/]+)(\/teststeps|\/testscript|\/links\/issues)?$/.exec(path);

    if (request.method === 'GET' && path === `/projects/${projectKey}`) {
      return { status: 200, body: { id: PROJECT_ID, jiraProjectId: 10_001, key: projectKey, enabled: true } };
    }
    if (request.method === 'GET' && path.startsWith('/projects/'))
      return error(404, 'Project was not found.');
    if (path === '/folders' && request.method === 'GET') {
      if (request.query.get('projectKey') !== projectKey) return error(404, 'Project was not found.');
      const type = request.query.get('folderType');
      return page(
        request,
        [...folders.values()]
          .filter(() => type === null || type === 'TEST_CASE')
          .map((folder) => ({
            ...folder,
            index: folder.id,
            folderType: 'TEST_CASE',
            project: { id: PROJECT_ID },
          })),
      );
    }
    if (path === '/folders' && request.method === 'POST') {
      const parsed = FolderInputSchema.safeParse(request.body);
      if (!parsed.success) return invalid(parsed.error);
      if (parsed.data.projectKey !== projectKey) return error(404, 'Project was not found.');
      const parentId = parsed.data.parentId ?? null;
      if (
        [...folders.values()].some(
          (folder) => folder.name === parsed.data.name && folder.parentId === parentId,
        )
      )
        return error(400, 'A folder with the same name already exists under the same parent.');
      const folder = { id: nextFolderId++, name: parsed.data.name, parentId };
      folders.set(folder.id, folder);
      counts.createFolder += 1;
      return { status: 201, body: { id: folder.id, self: `${baseUrl}/folders/${folder.id}` } };
    }
    if (path === '/testcases' && request.method === 'GET') {
      if (request.query.get('projectKey') !== projectKey) return error(404, 'Project was not found.');
      const folderId = request.query.get('folderId');
      return page(
        request,
        [...testCases.values()]
          .filter((testCase) => folderId === null || testCase.folderId === Number(folderId))
          .map(asResource),
      );
    }
    if (path === '/testcases' && request.method === 'POST') {
      const parsed = TestCaseInputSchema.safeParse(request.body);
      if (!parsed.success) return invalid(parsed.error);
      const body = parsed.data;
      if (body.projectKey !== projectKey) return error(404, 'Project was not found.');
      if (body.folderId !== undefined && !folders.has(body.folderId))
        return error(400, 'Folder was not found.');
      if (body.priorityName !== undefined && !PRIORITIES.has(body.priorityName))
        return error(400, `Priority '${body.priorityName}' was not found.`);
      if (body.statusName !== undefined && !STATUSES.has(body.statusName))
        return error(400, `Status '${body.statusName}' was not found.`);
      const id = nextCaseNumber++;
      const testCase: FakeZephyrScaleCase = {
        id,
        key: `${projectKey}-T${id}`,
        name: body.name,
        objective: body.objective ?? null,
        precondition: body.precondition ?? null,
        labels: body.labels ?? [],
        folderId: body.folderId ?? null,
        priorityName: body.priorityName ?? 'Normal',
        statusName: body.statusName ?? 'Draft',
        steps: [],
        script: null,
        issueLinks: [],
      };
      testCases.set(testCase.key, testCase);
      counts.createTestCase += 1;
      return { status: 201, body: { id, key: testCase.key, self: `${baseUrl}/testcases/${testCase.key}` } };
    }
    if (!testCasePath) return error(404, `No route for ${request.method} ${request.path}.`);
    const testCase = testCases.get(decodeURIComponent(testCasePath[1] as string));
    if (!testCase) return error(404, 'Test case was not found.');
    const section = testCasePath[2];
    if (section === undefined && request.method === 'GET') return { status: 200, body: asResource(testCase) };
    if (section === undefined && request.method === 'PUT') {
      const parsed = TestCaseUpdateSchema.safeParse(request.body);
      if (!parsed.success) return invalid(parsed.error);
      if (parsed.data.id !== testCase.id || parsed.data.key !== testCase.key)
        return error(400, 'The id and key must be those of the test case in the URL.');
      testCase.name = parsed.data.name;
      testCase.objective = parsed.data.objective ?? null;
      testCase.precondition = parsed.data.precondition ?? null;
      testCase.labels = parsed.data.labels ?? [];
      counts.updateTestCase += 1;
      return { status: 200 };
    }
    if (section === '/teststeps' && request.method === 'POST') {
      const parsed = TestStepsInputSchema.safeParse(request.body);
      if (!parsed.success) return invalid(parsed.error);
      const steps = parsed.data.items.map((item) => definedFields(item.inline ?? {}));
      testCase.steps = parsed.data.mode === 'OVERWRITE' ? steps : [...testCase.steps, ...steps];
      testCase.script = null;
      counts.setSteps += 1;
      return {
        status: 201,
        body: { id: testCase.id, self: `${baseUrl}/testcases/${testCase.key}/teststeps` },
      };
    }
    if (section === '/testscript' && request.method === 'POST') {
      const parsed = TestScriptInputSchema.safeParse(request.body);
      if (!parsed.success) return invalid(parsed.error);
      testCase.script = parsed.data;
      testCase.steps = [];
      return {
        status: 201,
        body: { id: testCase.id, self: `${baseUrl}/testcases/${testCase.key}/testscript` },
      };
    }
    if (section === '/links/issues' && request.method === 'POST') {
      const parsed = IssueLinkInputSchema.safeParse(request.body);
      if (!parsed.success) return invalid(parsed.error);
      if (!testCase.issueLinks.includes(parsed.data.issueId)) testCase.issueLinks.push(parsed.data.issueId);
      return {
        status: 201,
        body: { id: testCase.issueLinks.length, self: `${baseUrl}/links/${testCase.id}` },
      };
    }
    return error(405, `${request.method} is not allowed on ${request.path}.`);
  };

  const server = await startFakeVendorServer(handle);
  baseUrl = `${server.url}/v2`;
  return Object.assign(server, { url: baseUrl, testCases, folders, counts });
}
