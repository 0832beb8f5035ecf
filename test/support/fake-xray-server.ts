/**
 * A fake Jira Server / Data Center with Xray Server installed, enough for pushing tests.
 *
 * Written from the published references:
 * - Jira Server REST API v2 (docs.atlassian.com/software/jira/docs/api/REST/latest/): `POST
 *   /rest/api/2/issue` `{ fields, update }` → 201 `{ id, key, self }`; `PUT /rest/api/2/issue/{key}`
 *   → 204; `GET /rest/api/2/field` → `[{ id, name, custom, schema }]`; `GET /rest/api/2/project/{key}`;
 *   `GET /rest/api/2/search` with `jql`, `startAt`, `maxResults`, `fields` →
 *   `{ startAt, maxResults, total, issues }`; errors `{ errorMessages: [], errors: { field: msg } }`;
 *   401 without valid credentials (Basic user:password, or a personal access token as Bearer);
 *   `update.issuelinks[].add` `{ type: { name }, outwardIssue: { key } }` on create.
 * - Xray Server "Test Steps - REST" (docs.getxray.app/display/XRAY/Test+Steps+-+REST, found through
 *   the docs.getxray.app "Test Runs - REST" and "Test Steps Results" pages for the step shape):
 *   `GET /rest/raven/1.0/api/test/{testKey}/step` → `[{ id, index, step, data, result, attachments }]`
 *   with `{ raw, rendered }` texts; `PUT …/step` `{ step, data, result, attachments }` creates a step
 *   → 200 with it; `DELETE …/step/{id}` → 200 (the same calls and bodies as the Xray client of
 *   atlassian-api/atlassian-python-api, atlassian/xray.py: get/create/delete_test_step, which
 *   also updates a step with `POST …/step/{id}`); errors are `text/plain` (400 the error, 401 "The Xray
 *   license is not valid", 500). Fields of a Test: "Test Type" (select: Manual, Cucumber, Generic),
 *   "Cucumber Scenario" (text) and "Generic Test Definition" (text), as in Xray's Test Case Importer
 *   examples (github.com/Xray-App/tutorial-test-case-importer, server/*.txt).
 * Request bodies are checked with the zod schemas below. Jira Server has no published rate limit by
 * default (Data Center's optional one answers 429 with `Retry-After`): faults are injected by tests.
 */
import { z } from 'zod';
import { definedFields } from '../../src/shared/defined-fields.ts';
import {
  basicCredentials,
  bearerToken,
  startFakeVendorServer,
  type FakeVendorServer,
  type VendorRequest,
  type VendorResponse,
} from './fake-vendor-server.ts';

export interface FakeXrayServerOptions {
  user?: string;
  password?: string;
  /** A personal access token also accepted as Bearer. */
  personalAccessToken?: string;
  /** The project tests are created in. Default: QA. */
  projectKey?: string;
  /** Keys of requirement issues that exist (links to others fail). Default: any `ABC-123` key. */
  requirementKeys?: ReadonlySet<string>;
}

export interface FakeXrayServerTest {
  id: string;
  key: string;
  summary: string;
  description: string;
  priority: string;
  labels: string[];
  testType: 'Manual' | 'Cucumber' | 'Generic';
  cucumberScenario: string | null;
  genericDefinition: string | null;
  links: Array<{ type: string; key: string }>;
  steps: Array<{ id: number; step: string; data: string; result: string }>;
}

export interface FakeXrayServer extends FakeVendorServer {
  readonly tests: Map<string, FakeXrayServerTest>;
  /** Successful calls per operation. */
  readonly counts: { createIssue: number; updateIssue: number; createStep: number; deleteStep: number };
}

export const FAKE_XRAY_SERVER_FIELDS = {
  testType: 'customfield_10200',
  cucumberScenario: 'customfield_10201',
  genericDefinition: 'customfield_10202',
} as const;

const FIELDS = [
  { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
  {
    id: 'description',
    name: 'Description',
    custom: false,
    schema: { type: 'string', system: 'description' },
  },
  {
    id: 'labels',
    name: 'Labels',
    custom: false,
    schema: { type: 'array', items: 'string', system: 'labels' },
  },
  { id: 'priority', name: 'Priority', custom: false, schema: { type: 'priority', system: 'priority' } },
  {
    id: FAKE_XRAY_SERVER_FIELDS.testType,
    name: 'Test Type',
    custom: true,
    schema: { type: 'option', custom: 'com.xpandit.plugins.xray:test-type-custom-field' },
  },
  {
    id: FAKE_XRAY_SERVER_FIELDS.cucumberScenario,
    name: 'Cucumber Scenario',
    custom: true,
    schema: { type: 'string', custom: 'com.xpandit.plugins.xray:steps-editor-custom-field' },
  },
  {
    id: FAKE_XRAY_SERVER_FIELDS.genericDefinition,
    name: 'Generic Test Definition',
    custom: true,
    schema: { type: 'string', custom: 'com.xpandit.plugins.xray:path-editor-custom-field' },
  },
];
const PRIORITIES = new Set(['Highest', 'High', 'Medium', 'Low', 'Lowest']);
const LINK_TYPES = new Set(['Tests', 'Relates', 'Blocks']);
const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

const IssueFieldsSchema = z
  .object({
    project: z.object({ key: z.string() }).strict(),
    issuetype: z.object({ name: z.string() }).strict(),
    summary: z.string().min(1).max(255),
    description: z.string().optional(),
    priority: z.object({ name: z.string() }).strict().optional(),
    labels: z.array(z.string().regex(/^\S+$/, 'a label cannot contain spaces')).optional(),
    [FAKE_XRAY_SERVER_FIELDS.testType]: z
      .object({ value: z.enum(['Manual', 'Cucumber', 'Generic']) })
      .strict()
      .optional(),
    [FAKE_XRAY_SERVER_FIELDS.cucumberScenario]: z.string().optional(),
    [FAKE_XRAY_SERVER_FIELDS.genericDefinition]: z.string().optional(),
  })
  .strict();
const IssueLinkUpdateSchema = z
  .object({
    issuelinks: z.array(
      z
        .object({
          add: z
            .object({
              type: z.object({ name: z.string() }).strict(),
              outwardIssue: z.object({ key: z.string() }).strict(),
            })
            .strict(),
        })
        .strict(),
    ),
  })
  .strict();
const CreateIssueSchema = z
  .object({ fields: IssueFieldsSchema, update: IssueLinkUpdateSchema.optional() })
  .strict();
const EditIssueSchema = z
  .object({
    fields: IssueFieldsSchema.partial().omit({ project: true, issuetype: true }),
    update: IssueLinkUpdateSchema.optional(),
  })
  .strict();
const StepSchema = z
  .object({
    step: z.string().min(1),
    data: z.string().optional(),
    result: z.string().optional(),
    attachments: z.array(z.unknown()).optional(),
  })
  .strict();

export async function startFakeXrayServer(options: FakeXrayServerOptions = {}): Promise<FakeXrayServer> {
  const user = options.user ?? 'qa';
  const password = options.password ?? 'xray-server-password-0123';
  const projectKey = options.projectKey ?? 'QA';
  const tests = new Map<string, FakeXrayServerTest>();
  const counts = { createIssue: 0, updateIssue: 0, createStep: 0, deleteStep: 0 };
  let nextIssue = 1;
  let nextStep = 1;
  let baseUrl = '';

  const jiraError = (status: number, errorMessages: string[], errors: Record<string, string> = {}) =>
    ({ status, body: { errorMessages, errors } }) satisfies VendorResponse;
  const invalid = (error: z.ZodError) =>
    jiraError(
      400,
      [],
      Object.fromEntries(error.issues.map((issue) => [issue.path.join('.') || 'body', issue.message])),
    );
  const ravenError = (status: number, text: string): VendorResponse => ({ status, body: text, text: true });

  function authenticated(request: VendorRequest): boolean {
    const basic = basicCredentials(request);
    if (basic) return basic.user === user && basic.secret === password;
    const token = bearerToken(request);
    return token !== undefined && token === options.personalAccessToken;
  }

  function asRaven(test: FakeXrayServerTest) {
    const text = (raw: string) => ({ raw, rendered: raw === '' ? '' : `<p>${raw}</p>` });
    return test.steps.map((step, index) => ({
      id: step.id,
      index: index + 1,
      step: text(step.step),
      data: text(step.data),
      result: text(step.result),
      attachments: [],
    }));
  }

  /** The Xray fields of a create or edit body, checked as Xray checks them. */
  function applyFields(
    test: FakeXrayServerTest,
    fields: Partial<z.infer<typeof IssueFieldsSchema>>,
  ): VendorResponse | undefined {
    if (fields.priority && !PRIORITIES.has(fields.priority.name))
      return jiraError(400, [], { priority: `Priority name '${fields.priority.name}' is not valid` });
    if (fields.summary !== undefined) test.summary = fields.summary;
    if (fields.description !== undefined) test.description = fields.description;
    if (fields.priority) test.priority = fields.priority.name;
    if (fields.labels) test.labels = fields.labels;
    const testType = fields[FAKE_XRAY_SERVER_FIELDS.testType] as
      { value: FakeXrayServerTest['testType'] } | undefined;
    if (testType) test.testType = testType.value;
    const scenario = fields[FAKE_XRAY_SERVER_FIELDS.cucumberScenario] as string | undefined;
    const definition = fields[FAKE_XRAY_SERVER_FIELDS.genericDefinition] as string | undefined;
    if (scenario !== undefined) test.cucumberScenario = scenario;
    if (definition !== undefined) test.genericDefinition = definition;
    return undefined;
  }

  function search(request: VendorRequest): VendorResponse {
    const jql = request.query.get('jql') ?? '';
    // The one query shape a push sends: project, issue type Test and a label.
    const match = /^project = "?([A-Z][A-Z0-9_]+)"? AND issuetype = Test AND labels = "([^"]+)"$/.exec(jql);
    if (!match) return jiraError(400, [`Error in the JQL Query: '${jql}' is not understood by this fake.`]);
    if (match[1] !== projectKey)
      return jiraError(400, [`The value '${match[1]}' does not exist for the field 'project'.`]);
    const found = [...tests.values()].filter((test) => test.labels.includes(match[2] as string));
    const startAt = Number(request.query.get('startAt') ?? 0);
    const maxResults = Math.min(Number(request.query.get('maxResults') ?? 50), 1000);
    return {
      status: 200,
      body: {
        startAt,
        maxResults,
        total: found.length,
        issues: found.slice(startAt, startAt + maxResults).map((test) => ({
          id: test.id,
          key: test.key,
          self: `${baseUrl}/rest/api/2/issue/${test.id}`,
          fields: { summary: test.summary },
        })),
      },
    };
  }

  function createIssue(request: VendorRequest): VendorResponse {
    const parsed = CreateIssueSchema.safeParse(request.body);
    if (!parsed.success) return invalid(parsed.error);
    const { fields, update } = parsed.data;
    if (fields.project.key !== projectKey) return jiraError(400, [], { project: `project is required` });
    if (fields.issuetype.name !== 'Test')
      return jiraError(400, [], { issuetype: 'Specify a valid issue type' });
    for (const link of update?.issuelinks ?? []) {
      if (!LINK_TYPES.has(link.add.type.name))
        return jiraError(400, [], {
          issuelinks: `No issue link type with name '${link.add.type.name}' found.`,
        });
      const key = link.add.outwardIssue.key;
      if (options.requirementKeys ? !options.requirementKeys.has(key) : !ISSUE_KEY.test(key))
        return jiraError(400, [], { issuelinks: `Issue '${key}' does not exist.` });
    }
    const id = String(10_000 + nextIssue);
    const test: FakeXrayServerTest = {
      id,
      key: `${projectKey}-${nextIssue++}`,
      summary: '',
      description: '',
      priority: 'Medium',
      labels: [],
      testType: 'Manual',
      cucumberScenario: null,
      genericDefinition: null,
      links: (update?.issuelinks ?? []).map((link) => ({
        type: link.add.type.name,
        key: link.add.outwardIssue.key,
      })),
      steps: [],
    };
    const refused = applyFields(test, fields);
    if (refused) return refused;
    tests.set(test.key, test);
    counts.createIssue += 1;
    return { status: 201, body: { id, key: test.key, self: `${baseUrl}/rest/api/2/issue/${id}` } };
  }

  function editIssue(test: FakeXrayServerTest, request: VendorRequest): VendorResponse {
    const parsed = EditIssueSchema.safeParse(request.body);
    if (!parsed.success) return invalid(parsed.error);
    const refused = applyFields(test, definedFields(parsed.data.fields));
    if (refused) return refused;
    counts.updateIssue += 1;
    return { status: 204 };
  }

  function steps(
    test: FakeXrayServerTest,
    request: VendorRequest,
    stepId: string | undefined,
  ): VendorResponse {
    if (request.method === 'GET' && stepId === undefined) return { status: 200, body: asRaven(test) };
    if (request.method === 'PUT' && stepId === undefined) {
      if (test.testType !== 'Manual') return ravenError(400, `Test ${test.key} is not a Manual test.`);
      const parsed = StepSchema.safeParse(request.body);
      if (!parsed.success) return ravenError(400, `Invalid step: ${parsed.error.issues[0]?.message}`);
      const step = {
        id: nextStep++,
        step: parsed.data.step,
        data: parsed.data.data ?? '',
        result: parsed.data.result ?? '',
      };
      test.steps.push(step);
      counts.createStep += 1;
      return { status: 200, body: asRaven(test).at(-1) };
    }
    if (request.method === 'DELETE' && stepId !== undefined) {
      const index = test.steps.findIndex((step) => String(step.id) === stepId);
      if (index === -1) return ravenError(400, `Test step ${stepId} was not found on ${test.key}.`);
      test.steps.splice(index, 1);
      counts.deleteStep += 1;
      return { status: 200 };
    }
    return ravenError(405, `${request.method} is not allowed on ${request.path}.`);
  }

  const handle = (request: VendorRequest): VendorResponse => {
    if (!authenticated(request)) {
      return request.path.startsWith('/rest/raven/')
        ? ravenError(401, 'You are not authenticated.')
        : jiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);
    }
    const { method, path } = request;
    if (method === 'GET' && path === '/rest/api/2/field') return { status: 200, body: FIELDS };
    if (method === 'GET' && path.startsWith('/rest/api/2/project/')) {
      const key = decodeURIComponent(path.slice('/rest/api/2/project/'.length));
      return key === projectKey
        ? { status: 200, body: { id: '10000', key, name: 'Quality', self: `${baseUrl}${path}` } }
        : jiraError(404, [`No project could be found with key '${key}'.`]);
    }
    if (method === 'GET' && path === '/rest/api/2/search') return search(request);
    if (method === 'POST' && path === '/rest/api/2/issue') return createIssue(request);
    const issuePath = /^\/rest\/api\/2\/issue\/([^/]+)$/.exec(path);
    if (issuePath && method === 'PUT') {
      const test = tests.get(decodeURIComponent(issuePath[1] as string));
      return test ? editIssue(test, request) : jiraError(404, ['Issue Does Not Exist']);
    }
    const stepPath = /^\/rest\/raven\/1\.0\/api\/test\/([^/]+)\/step(?:\/(\d+))?$/.exec(path);
    if (stepPath) {
      const test = tests.get(decodeURIComponent(stepPath[1] as string));
      if (!test) return ravenError(400, `Test with key ${stepPath[1]} was not found.`);
      return steps(test, request, stepPath[2]);
    }
    return jiraError(404, [`No route for ${method} ${path}.`]);
  };

  const server = await startFakeVendorServer(handle);
  baseUrl = server.url;
  return Object.assign(server, { tests, counts });
}
