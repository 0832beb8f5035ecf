import type { TestCase } from '../core/model.ts';
import { ConnectorError } from './errors.ts';
import { createConnectorHttpClient, type ConnectorDependencies, type ConnectorHttpClient } from './http.ts';

/**
 * Xray Cloud REST v2: `POST /api/v2/authenticate` (client id and secret) answers a bearer token as a
 * JSON string; `POST /api/v2/import/test/bulk` queues a job importing at most 1,000 tests;
 * `GET /api/v2/import/test/bulk/{jobId}/status` reports it until it ends.
 */
export const XRAY_BULK_LIMIT = 1_000;

export interface XrayCloudClientOptions extends ConnectorDependencies {
  /** Default: `https://xray.cloud.getxray.app`. */
  baseUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Wait between two status polls, in ms. Default: 1,000. */
  pollIntervalMilliseconds?: number;
}

/** One test of a bulk import (Xray's JSON test format). */
export interface XrayTestImport {
  testtype: 'Manual' | 'Cucumber' | 'Generic';
  fields: { summary: string; project: { key: string }; description?: string; labels?: string[] };
  steps?: Array<{ action: string; data: string; result: string }>;
  gherkin_def?: string;
  unstructured_def?: string;
  xray_test_repository_folder?: string;
  update_key?: string;
  update?: { issuelinks: Array<{ add: { type: { name: string }; outwardIssue: { key: string } } }> };
}

export type XrayJobStatus =
  'pending' | 'working' | 'successful' | 'partially_successful' | 'failed' | 'unsuccessful';

export interface XrayImportResult {
  status: XrayJobStatus;
  issues: Array<{ elementNumber: number; id: string; key: string }>;
  errors: Array<{ elementNumber: number; errors: unknown }>;
}

export interface XrayCloudClient {
  readonly http: ConnectorHttpClient;
  /** Exchanges the client id and secret for a token (also done on first need). */
  authenticate(): Promise<void>;
  /** Queues a bulk import; returns its job id. */
  importTests(tests: readonly XrayTestImport[]): Promise<string>;
  /** Polls the job until it ends. */
  waitForImport(jobId: string): Promise<XrayImportResult>;
}

const FINAL_STATUSES = new Set(['successful', 'partially_successful', 'failed', 'unsuccessful']);

export function createXrayCloudClient(options: XrayCloudClientOptions): XrayCloudClient {
  const baseUrl = options.baseUrl ?? 'https://xray.cloud.getxray.app';
  const sleep =
    options.sleep ?? ((milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
  let token: string | undefined;
  const common = {
    ...options,
    vendor: 'Xray Cloud',
    baseUrl,
    credentialHint: 'the Xray client id and client secret (Xray → Global Settings → API Keys)',
    vendorMessage: (body: unknown, text: string) =>
      typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
        ? (body as { error: string }).error
        : text.slice(0, 300),
  };
  const authenticationHttp = createConnectorHttpClient({
    ...common,
    authorization: () => '',
    secrets: [options.clientSecret],
  });
  const http = createConnectorHttpClient({
    ...common,
    authorization: async () => {
      if (token === undefined) await authenticate();
      return `Bearer ${token}`;
    },
    secrets: [options.clientSecret],
  });

  async function authenticate(): Promise<void> {
    const { body } = await authenticationHttp.request<unknown>({
      method: 'POST',
      path: '/api/v2/authenticate',
      idempotent: true,
      body: { client_id: options.clientId, client_secret: options.clientSecret },
    });
    if (typeof body !== 'string' || body === '') {
      throw new ConnectorError('request', 'Xray Cloud answered the authentication without a token.', {
        vendor: 'Xray Cloud',
        fix: 'Check the Xray base URL: it should be the Xray Cloud API, not the Jira site.',
      });
    }
    token = body;
  }

  return {
    http,
    authenticate,
    async importTests(tests) {
      if (tests.length > XRAY_BULK_LIMIT) {
        throw new RangeError(`At most ${XRAY_BULK_LIMIT} tests per bulk import, got ${tests.length}.`);
      }
      const { body } = await http.request<{ jobId: string }>({
        method: 'POST',
        path: '/api/v2/import/test/bulk',
        body: tests,
      });
      return body.jobId;
    },
    async waitForImport(jobId) {
      for (;;) {
        const { body } = await http.request<{
          status: XrayJobStatus;
          result?: { issues?: XrayImportResult['issues']; errors?: XrayImportResult['errors'] };
        }>({ path: `/api/v2/import/test/bulk/${encodeURIComponent(jobId)}/status` });
        if (FINAL_STATUSES.has(body.status)) {
          return {
            status: body.status,
            issues: body.result?.issues ?? [],
            errors: body.result?.errors ?? [],
          };
        }
        await sleep(options.pollIntervalMilliseconds ?? 1_000);
      }
    },
  };
}

/**
 * A test case in Xray's import format: Manual with `{action, data, result}` steps, BDD as
 * Cucumber with the scenario's steps as `gherkin_def`, generic as `unstructured_def`; linked to
 * its story with `linkType` and put in a repository folder.
 */
export function toXrayTest(
  testCase: TestCase,
  context: {
    projectKey: string;
    storyKey: string;
    linkType: string;
    folder: string;
    generic: boolean;
    updateKey?: string;
  },
): XrayTestImport {
  const base = {
    fields: {
      summary: testCase.title,
      project: { key: context.projectKey },
      ...(testCase.preconditions.length > 0 ? { description: testCase.preconditions.join('\n') } : {}),
    },
    xray_test_repository_folder: context.folder,
    update: {
      issuelinks: [{ add: { type: { name: context.linkType }, outwardIssue: { key: context.storyKey } } }],
    },
    ...(context.updateKey ? { update_key: context.updateKey } : {}),
  };
  if (testCase.gherkin) {
    return { ...base, testtype: 'Cucumber', gherkin_def: scenarioBody(testCase.gherkin) };
  }
  if (context.generic) {
    return {
      ...base,
      testtype: 'Generic',
      unstructured_def: testCase.steps
        .map((step, index) => `${index + 1}. ${step.action}${step.expected ? ` → ${step.expected}` : ''}`)
        .join('\n'),
    };
  }
  return {
    ...base,
    testtype: 'Manual',
    steps: testCase.steps.map((step) => ({
      action: step.action,
      data: step.data ?? '',
      result: step.expected ?? '',
    })),
  };
}

/** The steps of the first scenario (Xray keeps the Feature and Scenario lines itself). */
function scenarioBody(gherkin: string): string {
  const lines = gherkin.split('\n');
  const start = lines.findIndex((line) => /^\s*Scenario( Outline)?:/.test(line));
  return (start === -1 ? lines : lines.slice(start + 1))
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}
