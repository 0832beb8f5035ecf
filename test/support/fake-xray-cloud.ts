/**
 * A fake Xray Cloud (REST API v2), enough for pushing tests.
 *
 * Written from Xray's published documentation (docs.getxray.app, Xray Cloud "Authentication - REST
 * v2" and "Import Tests - REST v2"):
 * - `POST /api/v2/authenticate` with `{ client_id, client_secret }` answers the token as a JSON string;
 *   bad credentials answer 401 `{ "error": "Authentication failed. Invalid client credentials!" }`;
 * - `POST /api/v2/import/test/bulk` takes an array of tests (`testtype`, `fields` as in Jira's
 *   create-issue API with `summary` and `project`, `steps` `{action, data, result}` for Manual,
 *   `gherkin_def` for Cucumber, `unstructured_def` for Generic, `xray_test_repository_folder`,
 *   `update_key` to update an existing test, `update.issuelinks`) and answers `{ jobId }`; more than
 *   1,000 tests is a 400;
 * - `GET /api/v2/import/test/bulk/{jobId}/status` answers `{ status: "pending" | "working", progress }`
 *   until `successful`, `partially_successful`, `failed` or `unsuccessful` with
 *   `result: { issues: [{ elementNumber, id, key, self }], errors: [{ elementNumber, errors }] }`;
 * - errors are `{ "error": "…" }`; a missing or expired token is 401; rate limits are 429 with
 *   `Retry-After`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  bearerToken,
  startFakeVendorServer,
  type FakeVendorServer,
  type VendorResponse,
} from './fake-vendor-server.ts';

const TestSchema = z.object({
  testtype: z.enum(['Manual', 'Cucumber', 'Generic']),
  fields: z.object({
    summary: z.string().min(1).max(255),
    project: z.object({ key: z.string().min(1) }),
    description: z.string().optional(),
    labels: z.array(z.string()).optional(),
  }),
  steps: z.array(z.object({ action: z.string().min(1), data: z.string(), result: z.string() })).optional(),
  gherkin_def: z.string().optional(),
  unstructured_def: z.string().optional(),
  xray_test_repository_folder: z.string().startsWith('/').optional(),
  update_key: z.string().optional(),
  update: z
    .object({
      issuelinks: z.array(
        z.object({
          add: z.object({
            type: z.object({ name: z.string() }),
            outwardIssue: z.object({ key: z.string() }),
          }),
        }),
      ),
    })
    .optional(),
});

export interface FakeXrayTest {
  id: string;
  key: string;
  testtype: string;
  summary: string;
  steps: Array<{ action: string; data: string; result: string }>;
  gherkinDefinition: string | null;
  folder: string | null;
  links: Array<{ type: string; key: string }>;
}

export interface FakeXrayCloudOptions {
  clientId?: string;
  clientSecret?: string;
  /** Status polls answered `working` before a job ends. Default: 2. */
  pollsBeforeDone?: number;
}

export interface FakeXrayCloud extends FakeVendorServer {
  readonly tests: Map<string, FakeXrayTest>;
  readonly counts: { imports: number; polls: number; created: number; updated: number };
}

export async function startFakeXrayCloud(options: FakeXrayCloudOptions = {}): Promise<FakeXrayCloud> {
  const clientId = options.clientId ?? 'xray-client-id';
  const clientSecret = options.clientSecret ?? 'xray-client-secret-0123456789';
  const pollsBeforeDone = options.pollsBeforeDone ?? 2;
  const tokens = new Set<string>();
  const tests = new Map<string, FakeXrayTest>();
  const counts = { imports: 0, polls: 0, created: 0, updated: 0 };
  const jobs = new Map<
    string,
    { input: unknown[]; polls: number; result?: { status: string; result: unknown } }
  >();
  let nextIssue = 1;

  function runJob(input: unknown[]) {
    const issues: Array<{ elementNumber: number; id: string; key: string; self: string }> = [];
    const errors: Array<{ elementNumber: number; errors: Record<string, string> }> = [];
    input.forEach((element, elementNumber) => {
      const parsed = TestSchema.safeParse(element);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        errors.push({
          elementNumber,
          errors: { [issue?.path.join('.') || 'test']: issue?.message ?? 'invalid' },
        });
        return;
      }
      const test = parsed.data;
      let stored: FakeXrayTest | undefined;
      if (test.update_key) {
        stored = tests.get(test.update_key);
        if (!stored) {
          errors.push({ elementNumber, errors: { update_key: `Issue ${test.update_key} does not exist.` } });
          return;
        }
        counts.updated += 1;
      } else {
        const number = nextIssue++;
        stored = {
          id: String(20_000 + number),
          key: `${test.fields.project.key}-${number}`,
          testtype: '',
          summary: '',
          steps: [],
          gherkinDefinition: null,
          folder: null,
          links: [],
        };
        tests.set(stored.key, stored);
        counts.created += 1;
      }
      Object.assign(stored, {
        testtype: test.testtype,
        summary: test.fields.summary,
        steps: test.steps ?? [],
        gherkinDefinition: test.gherkin_def ?? null,
        folder: test.xray_test_repository_folder ?? null,
        links: (test.update?.issuelinks ?? []).map((link) => ({
          type: link.add.type.name,
          key: link.add.outwardIssue.key,
        })),
      });
      issues.push({
        elementNumber,
        id: stored.id,
        key: stored.key,
        self: `https://example.atlassian.net/rest/api/2/issue/${stored.id}`,
      });
    });
    const status =
      errors.length === 0 ? 'successful' : issues.length === 0 ? 'unsuccessful' : 'partially_successful';
    return { status, result: { errors, issues, warnings: [] } };
  }

  const server = await startFakeVendorServer((request): VendorResponse => {
    if (request.method === 'POST' && request.path === '/api/v2/authenticate') {
      const body = request.body as { client_id?: unknown; client_secret?: unknown } | undefined;
      if (body?.client_id !== clientId || body?.client_secret !== clientSecret) {
        return { status: 401, body: { error: 'Authentication failed. Invalid client credentials!' } };
      }
      const token = `xray-token-${randomUUID()}`;
      tokens.add(token);
      return { status: 200, body: token };
    }
    const token = bearerToken(request);
    if (!token || !tokens.has(token))
      return { status: 401, body: { error: 'Authentication failed. Invalid or expired token.' } };
    if (request.method === 'POST' && request.path === '/api/v2/import/test/bulk') {
      if (!Array.isArray(request.body))
        return { status: 400, body: { error: 'The body must be an array of tests.' } };
      if (request.body.length > 1000)
        return { status: 400, body: { error: 'The maximum number of tests per import is 1000.' } };
      counts.imports += 1;
      const jobId = randomUUID().replace(/-/g, '');
      jobs.set(jobId, { input: request.body, polls: 0 });
      return { status: 200, body: { jobId } };
    }
    const statusMatch = /^\/api\/v2\/import\/test\/bulk\/([^/]+)\/status$/.exec(request.path);
    if (request.method === 'GET' && statusMatch) {
      const job = jobs.get(statusMatch[1] as string);
      if (!job) return { status: 404, body: { error: 'Job not found.' } };
      counts.polls += 1;
      job.polls += 1;
      if (job.polls <= pollsBeforeDone && !job.result) {
        return {
          status: 200,
          body: {
            status: job.polls === 1 ? 'pending' : 'working',
            progress: [`Importing ${job.input.length} tests.`],
          },
        };
      }
      job.result ??= runJob(job.input);
      return { status: 200, body: job.result };
    }
    return { status: 404, body: { error: 'Not found.' } };
  });
  return Object.assign(server, { tests, counts });
}
