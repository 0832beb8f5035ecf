import type { TestCase } from '../core/model.ts';
import { createConnectorHttpClient, type ConnectorDependencies, type ConnectorHttpClient } from './http.ts';

/**
 * Zephyr Scale Cloud REST API v2, bearer token (Zephyr Scale → API Access Tokens).
 * Base URL `https://api.zephyrscale.smartbear.com/v2`, or `https://eu.api.zephyrscale.smartbear.com/v2`
 * for EU-hosted Jira sites. Lists are paginated with `startAt`, `maxResults` and `isLast`.
 */
export interface ZephyrScaleClientOptions extends ConnectorDependencies {
  baseUrl: string;
  token: string;
}

export const ZEPHYR_SCALE_DEFAULT_URL = 'https://api.zephyrscale.smartbear.com/v2';
/** The most steps one `POST /testcases/{key}/teststeps` takes. */
export const ZEPHYR_SCALE_STEP_LIMIT = 100;

export interface ZephyrScaleFolder {
  id: number;
  name: string;
  parentId: number | null;
}

export interface ZephyrScaleCreated {
  id: number;
  key: string;
}

/** A test case as `GET /testcases/{key}` returns it (the fields a `PUT` must send back). */
export interface ZephyrScaleTestCase {
  id: number;
  key: string;
  name: string;
  project: { id: number };
  priority: { id: number };
  status: { id: number };
  folder?: { id: number } | null;
  labels?: string[];
  objective?: string | null;
  precondition?: string | null;
  [field: string]: unknown;
}

/** The body of `POST /testcases` (the fields Reqase sends). */
export interface ZephyrScaleCaseBody {
  projectKey: string;
  name: string;
  objective?: string;
  precondition?: string;
  priorityName?: string;
  statusName?: string;
  labels?: string[];
  folderId?: number;
}

export interface ZephyrScaleStep {
  description: string;
  testData?: string;
  expectedResult?: string;
}

export interface ZephyrScaleClient {
  readonly http: ConnectorHttpClient;
  /** Checks the token (and the project) without writing: `GET /projects/{key}`. */
  getProject(projectKey: string): Promise<{ id: number; key: string }>;
  /** Every test-case folder of the project, following `startAt` until `isLast`. */
  listFolders(projectKey: string): Promise<ZephyrScaleFolder[]>;
  createFolder(projectKey: string, name: string): Promise<ZephyrScaleFolder>;
  /** Every test case in a folder, following `startAt` until `isLast`. */
  listTestCases(projectKey: string, folderId: number): Promise<ZephyrScaleTestCase[]>;
  createTestCase(body: ZephyrScaleCaseBody): Promise<ZephyrScaleCreated>;
  getTestCase(key: string): Promise<ZephyrScaleTestCase>;
  updateTestCase(testCase: ZephyrScaleTestCase): Promise<void>;
  /** Replaces the steps: the first request `OVERWRITE`, further ones (past 100 steps) `APPEND`. */
  setSteps(key: string, steps: readonly ZephyrScaleStep[]): Promise<void>;
  setBddScript(key: string, text: string): Promise<void>;
  linkIssue(key: string, issueId: number): Promise<void>;
}

const PAGE_SIZE = 100;

export function createZephyrScaleClient(options: ZephyrScaleClientOptions): ZephyrScaleClient {
  const http = createConnectorHttpClient({
    ...options,
    vendor: 'Zephyr Scale',
    authorization: () => `Bearer ${options.token}`,
    secrets: [options.token],
    credentialHint: 'the Zephyr Scale API access token (Zephyr Scale → API Access Tokens)',
    vendorMessage: (body, text) =>
      typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : text.slice(0, 300),
  });
  const encode = encodeURIComponent;

  const paginate = <Item>(path: string, query: Record<string, string | number>) =>
    paginateValues<Item>(http, path, query);

  return {
    http,
    async getProject(projectKey) {
      return (await http.request<{ id: number; key: string }>({ path: `/projects/${encode(projectKey)}` }))
        .body;
    },
    listFolders(projectKey) {
      return paginate<ZephyrScaleFolder>('/folders', { projectKey, folderType: 'TEST_CASE' });
    },
    async createFolder(projectKey, name) {
      const { body } = await http.request<{ id: number }>({
        method: 'POST',
        path: '/folders',
        body: { name, projectKey, folderType: 'TEST_CASE', parentId: null },
      });
      return { id: body.id, name, parentId: null };
    },
    listTestCases(projectKey, folderId) {
      return paginate<ZephyrScaleTestCase>('/testcases', { projectKey, folderId });
    },
    async createTestCase(body) {
      return (await http.request<ZephyrScaleCreated>({ method: 'POST', path: '/testcases', body })).body;
    },
    async getTestCase(key) {
      return (await http.request<ZephyrScaleTestCase>({ path: `/testcases/${encode(key)}` })).body;
    },
    async updateTestCase(testCase) {
      await http.request({
        method: 'PUT',
        path: `/testcases/${encode(testCase.key)}`,
        body: testCase,
        idempotent: true,
      });
    },
    setSteps: (key, steps) => setTestSteps(http, key, steps),
    async setBddScript(key, text) {
      await http.request({
        method: 'POST',
        path: `/testcases/${encode(key)}/testscript`,
        body: { type: 'bdd', text },
        idempotent: true,
      });
    },
    async linkIssue(key, issueId) {
      await http.request({
        method: 'POST',
        path: `/testcases/${encode(key)}/links/issues`,
        body: { issueId },
      });
    },
  };
}

/** Every item of a Zephyr Scale list endpoint (`values`, `startAt`, `maxResults`, `isLast`). */
async function paginateValues<Item>(
  http: ConnectorHttpClient,
  path: string,
  query: Record<string, string | number>,
): Promise<Item[]> {
  const items: Item[] = [];
  for (let startAt = 0; ;) {
    const { body } = await http.request<{ values?: Item[]; isLast?: boolean }>({
      path,
      query: { ...query, startAt, maxResults: PAGE_SIZE },
    });
    const values = body.values ?? [];
    items.push(...values);
    if (body.isLast !== false || values.length === 0) return items;
    startAt += values.length;
  }
}

/** Replaces a test case's steps, at most 100 a request: OVERWRITE first, then APPEND. */
async function setTestSteps(
  http: ConnectorHttpClient,
  key: string,
  steps: readonly ZephyrScaleStep[],
): Promise<void> {
  // An empty OVERWRITE clears the steps an earlier push left.
  const chunks: Array<readonly ZephyrScaleStep[]> = [];
  for (let start = 0; start < steps.length; start += ZEPHYR_SCALE_STEP_LIMIT)
    chunks.push(steps.slice(start, start + ZEPHYR_SCALE_STEP_LIMIT));
  if (chunks.length === 0) chunks.push([]);
  for (const [index, chunk] of chunks.entries()) {
    await http.request({
      method: 'POST',
      path: `/testcases/${encodeURIComponent(key)}/teststeps`,
      body: { mode: index === 0 ? 'OVERWRITE' : 'APPEND', items: chunk.map((inline) => ({ inline })) },
      // OVERWRITE is safe to repeat; an APPEND is not.
      idempotent: index === 0,
    });
  }
}

const PRIORITY_NAMES: Record<string, string> = {
  high: 'High',
  medium: 'Normal',
  normal: 'Normal',
  low: 'Low',
};

/**
 * A test case as Zephyr Scale's `POST /testcases` body. Zephyr's default priorities are High,
 * Normal and Low; a custom one is sent capitalised as it is. The labels carry the story key, which
 * a resumed push uses (with the name) to find a case it created but did not record.
 */
export function toZephyrScaleCase(
  testCase: TestCase,
  options: { projectKey: string; storyKey: string; folderId: number; statusName: string },
): ZephyrScaleCaseBody {
  const priority = testCase.priority.toLowerCase();
  return {
    projectKey: options.projectKey,
    name: testCase.title.slice(0, 255),
    objective:
      testCase.covers.length > 0 ? `Covers ${testCase.covers.join(', ')} of ${options.storyKey}.` : '',
    precondition: testCase.preconditions.join('<br>'),
    priorityName: PRIORITY_NAMES[priority] ?? priority.charAt(0).toUpperCase() + priority.slice(1),
    statusName: options.statusName,
    labels: [options.storyKey, 'reqase'],
    folderId: options.folderId,
  };
}

/** The steps of a manual or generic case (test data in `testData`). */
export function toZephyrScaleSteps(testCase: TestCase): ZephyrScaleStep[] {
  return testCase.steps.map((step) => ({
    description: step.action,
    ...(step.data ? { testData: step.data } : {}),
    ...(step.expected ? { expectedResult: step.expected } : {}),
  }));
}
