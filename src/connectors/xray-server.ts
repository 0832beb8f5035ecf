import type { TestCase } from '../core/model.ts';
import { ConnectorError } from './errors.ts';
import { createConnectorHttpClient, type ConnectorDependencies, type ConnectorHttpClient } from './http.ts';
import { jiraErrorMessage } from './jira.ts';
import { toXrayTest } from './xray-cloud.ts';

/**
 * Xray Server / Data Center: tests are Jira issues of type `Test`, made with Jira's REST API v2
 * (`POST /rest/api/2/issue`, `PUT /rest/api/2/issue/{key}`) with Xray's custom fields (Test Type,
 * Cucumber Scenario, Generic Test Definition, found by name through `GET /rest/api/2/field`), and
 * manual steps written through Xray's own REST API (`/rest/raven/1.0/api/test/{key}/step`).
 * Jira credentials: Basic with a user and password (or token), or a personal access token as Bearer.
 */
export interface XrayServerClientOptions extends ConnectorDependencies {
  /** The Jira site, e.g. `https://jira.example.com`. */
  baseUrl: string;
  /** The Jira user for Basic auth; without one the secret is sent as a personal access token. */
  user?: string;
  /** The password (or token) of `user`, or a personal access token. */
  secret: string;
}

/** The Xray custom fields a test is written with, as field ids (`customfield_10100`). */
export interface XrayServerFieldIds {
  testType: string;
  cucumberScenario: string;
  genericDefinition: string;
}

/** The names Xray Server gives its fields; a connection setting may name others (or ids). */
export const XRAY_SERVER_FIELD_NAMES: XrayServerFieldIds = {
  testType: 'Test Type',
  cucumberScenario: 'Cucumber Scenario',
  genericDefinition: 'Generic Test Definition',
};

/** A step as Xray Server's `GET /rest/raven/1.0/api/test/{key}/step` lists it. */
export interface XrayServerStep {
  id: number;
  index: number;
}

/** The body of Jira's create and edit issue calls (`fields`, and `update` for the story link). */
export interface XrayServerIssueBody {
  fields: Record<string, unknown>;
  update?: { issuelinks: Array<{ add: { type: { name: string }; outwardIssue: { key: string } } }> };
}

/** Steps in Xray Server's step shape: `step` (the action), `data`, `result`. */
export interface XrayServerStepBody {
  step: string;
  data: string;
  result: string;
}

export interface XrayServerClient {
  readonly http: ConnectorHttpClient;
  /** Checks the credentials and the project without writing: `GET /rest/api/2/project/{key}`. */
  getProject(projectKey: string): Promise<{ id: string; key: string }>;
  /**
   * The Xray field ids by name (or as given: an id such as `customfield_10100` is kept), through
   * `GET /rest/api/2/field`; a missing one is a `ConnectorError` naming the setting to give.
   */
  resolveFields(names: XrayServerFieldIds): Promise<XrayServerFieldIds>;
  createIssue(body: XrayServerIssueBody): Promise<{ id: string; key: string }>;
  updateIssue(key: string, body: XrayServerIssueBody): Promise<void>;
  /** Tests of the project carrying a label, with their summaries (`GET /rest/api/2/search`). */
  findTests(projectKey: string, label: string): Promise<Array<{ id: string; key: string; summary: string }>>;
  /** Replaces the manual steps: the existing ones are deleted, then each new one added. */
  setSteps(key: string, steps: readonly XrayServerStepBody[]): Promise<void>;
}

const PAGE_SIZE = 100;

/**
 * @example
 * const xray = createXrayServerClient({ baseUrl: 'https://jira.example.com', user: 'qa', secret });
 * const fields = await xray.resolveFields(XRAY_SERVER_FIELD_NAMES);
 */
export function createXrayServerClient(options: XrayServerClientOptions): XrayServerClient {
  const authorization = options.user
    ? `Basic ${Buffer.from(`${options.user}:${options.secret}`).toString('base64')}`
    : `Bearer ${options.secret}`;
  const http = createConnectorHttpClient({
    ...options,
    vendor: 'Xray Server',
    authorization: () => authorization,
    secrets: [options.secret],
    credentialHint: options.user
      ? `the Jira user ${options.user} and its password or token`
      : 'the Jira personal access token (Profile → Personal Access Tokens)',
    vendorMessage: jiraErrorMessage,
  });
  const encode = encodeURIComponent;
  const stepsPath = (key: string) => `/rest/raven/1.0/api/test/${encode(key)}/step`;

  return {
    http,
    async getProject(projectKey) {
      return (
        await http.request<{ id: string; key: string }>({ path: `/rest/api/2/project/${encode(projectKey)}` })
      ).body;
    },
    resolveFields: (names) => resolveXrayFields(http, names),
    async createIssue(body) {
      return (
        await http.request<{ id: string; key: string }>({ method: 'POST', path: '/rest/api/2/issue', body })
      ).body;
    },
    async updateIssue(key, body) {
      await http.request({
        method: 'PUT',
        path: `/rest/api/2/issue/${encode(key)}`,
        body,
        idempotent: true,
      });
    },
    findTests: (projectKey, label) => findTestsByLabel(http, projectKey, label),
    async setSteps(key, steps) {
      // Deleting and adding again is safe to repeat: a resumed push replaces whatever is there.
      const { body: existing } = await http.request<XrayServerStep[]>({ path: stepsPath(key) });
      for (const step of existing ?? []) {
        await http.request({
          method: 'DELETE',
          path: `${stepsPath(key)}/${step.id}`,
          idempotent: true,
        });
      }
      for (const step of steps) {
        await http.request({ method: 'PUT', path: stepsPath(key), body: step });
      }
    },
  };
}

/** The Xray field ids by name or id, through `GET /rest/api/2/field`. */
async function resolveXrayFields(
  http: ConnectorHttpClient,
  names: XrayServerFieldIds,
): Promise<XrayServerFieldIds> {
  const { body } = await http.request<Array<{ id: string; name: string }>>({ path: '/rest/api/2/field' });
  const resolve = (setting: keyof XrayServerFieldIds): string => {
    const wanted = names[setting];
    const found = body.find((field) => field.id === wanted || field.name === wanted);
    if (found) return found.id;
    throw new ConnectorError('request', `Jira has no field named "${wanted}" (an Xray field).`, {
      vendor: 'Xray Server',
      fix: `Check that Xray is installed on this Jira, or give the field's name or id (customfield_NNNNN) as the connection's ${setting}Field setting.`,
    });
  };
  return {
    testType: resolve('testType'),
    cucumberScenario: resolve('cucumberScenario'),
    genericDefinition: resolve('genericDefinition'),
  };
}

/** Tests of the project carrying a label, page by page through `GET /rest/api/2/search`. */
async function findTestsByLabel(
  http: ConnectorHttpClient,
  projectKey: string,
  label: string,
): Promise<Array<{ id: string; key: string; summary: string }>> {
  const jql = `project = "${projectKey}" AND issuetype = Test AND labels = "${label}"`;
  const found: Array<{ id: string; key: string; summary: string }> = [];
  for (let startAt = 0; ;) {
    const { body } = await http.request<{
      issues?: Array<{ id: string; key: string; fields: { summary?: string } }>;
      total?: number;
    }>({
      path: '/rest/api/2/search',
      query: { jql, fields: 'summary', startAt, maxResults: PAGE_SIZE },
    });
    const issues = body.issues ?? [];
    found.push(...issues.map((issue) => ({ ...issue, summary: issue.fields.summary ?? '' })));
    startAt += issues.length;
    if (issues.length === 0 || startAt >= (body.total ?? 0)) return found;
  }
}

/**
 * A test case as the `fields` of a Jira issue of type Test: Manual (its steps go out separately,
 * see `toXrayServerSteps`), Cucumber with the scenario, or Generic with its definition. Labels
 * carry the story key, which a resumed push searches by.
 */
export function toXrayServerIssue(
  testCase: TestCase,
  context: {
    projectKey: string;
    storyKey: string;
    fields: XrayServerFieldIds;
    generic: boolean;
    /** Create: with the project, the issue type and the link to the story; update: the content only. */
    action: 'create' | 'update';
    /** The link type from the test to its story (sent on create). */
    linkType: string;
  },
): XrayServerIssueBody {
  const test = toXrayTest(testCase, {
    projectKey: context.projectKey,
    storyKey: context.storyKey,
    linkType: context.linkType,
    folder: '',
    generic: context.generic,
  });
  const priority = testCase.priority.toLowerCase();
  return {
    fields: {
      // Jira refuses the project and issue type on an edit (they are not on the edit screen).
      ...(context.action === 'create'
        ? { project: { key: context.projectKey }, issuetype: { name: 'Test' } }
        : {}),
      summary: testCase.title.slice(0, 255),
      description: test.fields.description ?? '',
      priority: { name: priority.charAt(0).toUpperCase() + priority.slice(1) },
      labels: [context.storyKey, 'reqase'],
      [context.fields.testType]: { value: test.testtype },
      ...(test.gherkin_def === undefined ? {} : { [context.fields.cucumberScenario]: test.gherkin_def }),
      ...(test.unstructured_def === undefined
        ? {}
        : { [context.fields.genericDefinition]: test.unstructured_def }),
    },
    ...(context.action === 'create'
      ? {
          update: {
            issuelinks: [
              { add: { type: { name: context.linkType }, outwardIssue: { key: context.storyKey } } },
            ],
          },
        }
      : {}),
  };
}

/** The manual steps of a case in Xray Server's shape (test data in `data`); none for BDD or generic. */
export function toXrayServerSteps(testCase: TestCase, generic: boolean): XrayServerStepBody[] {
  if (testCase.gherkin || generic) return [];
  return testCase.steps.map((step) => ({
    step: step.action,
    data: step.data ?? '',
    result: step.expected ?? '',
  }));
}
