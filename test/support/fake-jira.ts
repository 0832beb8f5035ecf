/**
 * A fake Jira: Cloud REST v3 and Server / Data Center REST v2, enough for story import.
 *
 * Written from Atlassian's published references:
 * - Jira Cloud platform REST API v3 (OpenAPI document at developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json):
 *   `GET /rest/api/3/search/jql` ("Search for issues using JQL enhanced search": `jql`, `fields`,
 *   `maxResults`, `nextPageToken`; answers `{ issues, nextPageToken?, isLast }`, the token is absent on
 *   the last page — JRACLOUD-92184), `GET /rest/api/3/field`; the old `GET /rest/api/3/search` is
 *   removed (410). Basic auth with the account email and an API token; a bad one answers 401 with a
 *   plain-text body. Errors are `{ errorMessages: [...], errors: {} }`; a bad JQL query is a 400 with
 *   Jira's message. Rate limits: 429 with `Retry-After` (seconds) and `X-RateLimit-Reset` (ISO date).
 * - Jira Server / Data Center REST API v2: `GET /rest/api/2/search` (`startAt`, `maxResults`,
 *   `total`), `GET /rest/api/2/field`; descriptions in wiki markup; Bearer personal access tokens.
 * The query parameters of the v3 search are checked against the OpenAPI parameter definitions,
 * hand-transcribed into zod below.
 */
import { z } from 'zod';
import {
  basicCredentials,
  bearerToken,
  startFakeVendorServer,
  type FakeVendorServer,
  type VendorRequest,
  type VendorResponse,
} from './fake-vendor-server.ts';

export const ACCEPTANCE_CRITERIA_FIELD = 'customfield_10042';

/** One issue the fake holds; rich text is given as plain paragraphs and rendered per API version. */
export interface FakeJiraIssue {
  id: string;
  key: string;
  project: string;
  issueType: string;
  summary: string;
  /** Paragraphs of the description (rendered as ADF on v3, wiki markup on v2). */
  description: string[];
  /** Criteria in the custom field (ADF bullet list on v3, `*` list on v2); null when empty. */
  acceptanceCriteria: string[] | null;
}

export interface FakeJiraOptions {
  email?: string;
  token?: string;
  /** Server/DC personal access token (Bearer). */
  personalAccessToken?: string;
  issues?: FakeJiraIssue[];
  /** Largest page the fake serves, whatever `maxResults` asks. Default: 100. */
  maxPageSize?: number;
}

export interface FakeJira extends FakeVendorServer {
  issues: FakeJiraIssue[];
}

/** From the v3 OpenAPI `searchAndReconsileIssuesUsingJql` parameters (types and bounds). */
const SearchJqlQuerySchema = z.object({
  jql: z.string().min(1),
  nextPageToken: z.string().optional(),
  maxResults: z.coerce.number().int().min(1).max(5000).optional(),
  fields: z.string().optional(),
  expand: z.string().optional(),
});

export async function startFakeJira(options: FakeJiraOptions = {}): Promise<FakeJira> {
  const email = options.email ?? 'qa@example.com';
  const token = options.token ?? 'jira-api-token-0123456789';
  const pat = options.personalAccessToken ?? 'jira-pat-0123456789abcdef';
  const issues = options.issues ?? [];
  const maxPageSize = options.maxPageSize ?? 100;

  function authorised(request: VendorRequest, version: '2' | '3'): boolean {
    const basic = basicCredentials(request);
    if (basic) return basic.user === email && basic.secret === token;
    return version === '2' && bearerToken(request) === pat;
  }

  const server = await startFakeVendorServer((request): VendorResponse => {
    const match = /^\/rest\/api\/(2|3)\/(.+)$/.exec(request.path);
    if (!match) return jiraError(404, 'Not found.');
    const version = match[1] as '2' | '3';
    const resource = match[2] as string;
    if (!authorised(request, version)) {
      return { status: 401, text: true, body: 'Client must be authenticated to access this resource.' };
    }
    if (request.method !== 'GET') return jiraError(405, 'Method not allowed.');
    if (resource === 'field') return { status: 200, body: fields() };
    if (resource === 'search' && version === '3') {
      return jiraError(
        410,
        'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.',
      );
    }
    if (resource === 'search/jql' && version === '3') {
      const query = SearchJqlQuerySchema.safeParse(Object.fromEntries(request.query));
      if (!query.success) return jiraError(400, `Invalid request: ${query.error.issues[0]?.message}`);
      const found = runJql(query.data.jql);
      if (!found.ok) return jiraError(400, found.error);
      const start = query.data.nextPageToken
        ? Number(Buffer.from(query.data.nextPageToken, 'base64url').toString())
        : 0;
      const size = Math.min(query.data.maxResults ?? 50, maxPageSize);
      const page = found.issues.slice(start, start + size);
      const isLast = start + size >= found.issues.length;
      return {
        status: 200,
        body: {
          issues: page.map((issue) => render(issue, '3', query.data.fields)),
          ...(isLast ? {} : { nextPageToken: Buffer.from(String(start + size)).toString('base64url') }),
          isLast,
        },
      };
    }
    if (resource === 'search' && version === '2') {
      const jql = request.query.get('jql') ?? '';
      const found = runJql(jql);
      if (!found.ok) return jiraError(400, found.error);
      const startAt = Number(request.query.get('startAt') ?? 0);
      const size = Math.min(Number(request.query.get('maxResults') ?? 50), maxPageSize);
      return {
        status: 200,
        body: {
          startAt,
          maxResults: size,
          total: found.issues.length,
          issues: found.issues
            .slice(startAt, startAt + size)
            .map((issue) => render(issue, '2', request.query.get('fields') ?? undefined)),
        },
      };
    }
    const issueMatch = /^issue\/([A-Z][A-Z0-9]*-\d+|\d+)$/.exec(resource);
    if (issueMatch) {
      const issue = issues.find(
        (candidate) => candidate.key === issueMatch[1] || candidate.id === issueMatch[1],
      );
      return issue
        ? { status: 200, body: render(issue, version, request.query.get('fields') ?? undefined) }
        : jiraError(404, 'Issue does not exist or you do not have permission to see it.');
    }
    return jiraError(404, 'Not found.');
  });

  function runJql(jql: string): { ok: true; issues: FakeJiraIssue[] } | { ok: false; error: string } {
    const clauses = jql.replace(/\s+ORDER\s+BY\s+.*$/i, '').split(/\s+AND\s+/i);
    let selected = [...issues];
    for (const clause of clauses) {
      const equals = /^\s*(project|issuetype)\s*=\s*"?([^"]+?)"?\s*$/i.exec(clause);
      const keyIn = /^\s*key\s+in\s*\(([^)]*)\)\s*$/i.exec(clause);
      if (equals) {
        const [, field, value] = equals as unknown as [string, string, string];
        selected = selected.filter((issue) =>
          field.toLowerCase() === 'project'
            ? issue.project === value
            : issue.issueType.toLowerCase() === value.toLowerCase(),
        );
      } else if (keyIn) {
        const keys = (keyIn[1] ?? '').split(',').map((key) => key.trim());
        selected = selected.filter((issue) => keys.includes(issue.key));
      } else {
        return {
          ok: false,
          error: `Error in the JQL Query: Expecting operator but got '${clause.trim().split(/\s+/)[1] ?? ''}'. (line 1, character 1)`,
        };
      }
    }
    return { ok: true, issues: selected };
  }

  return Object.assign(server, { issues });
}

function jiraError(status: number, message: string): VendorResponse {
  return { status, body: { errorMessages: [message], errors: {} } };
}

function fields() {
  return [
    {
      id: 'summary',
      key: 'summary',
      name: 'Summary',
      custom: false,
      schema: { type: 'string', system: 'summary' },
    },
    {
      id: 'description',
      key: 'description',
      name: 'Description',
      custom: false,
      schema: { type: 'string', system: 'description' },
    },
    {
      id: 'customfield_10010',
      key: 'customfield_10010',
      name: 'Story Points',
      custom: true,
      schema: { type: 'number', customId: 10010 },
    },
    {
      id: ACCEPTANCE_CRITERIA_FIELD,
      key: ACCEPTANCE_CRITERIA_FIELD,
      name: 'Acceptance Criteria',
      custom: true,
      schema: {
        type: 'string',
        custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea',
        customId: 10042,
      },
    },
  ];
}

function render(issue: FakeJiraIssue, version: '2' | '3', fieldList: string | undefined) {
  const wanted = new Set((fieldList ?? 'summary,description').split(','));
  const all: Record<string, unknown> = {
    summary: issue.summary,
    issuetype: { name: issue.issueType },
    project: { key: issue.project },
    description: version === '3' ? adfDocument(issue.description) : issue.description.join('\n\n'),
    [ACCEPTANCE_CRITERIA_FIELD]:
      issue.acceptanceCriteria === null
        ? null
        : version === '3'
          ? adfBulletList(issue.acceptanceCriteria)
          : issue.acceptanceCriteria.map((item) => `* ${item}`).join('\n'),
  };
  const fields = Object.fromEntries(
    Object.entries(all).filter(([name]) => wanted.has('*all') || wanted.has(name)),
  );
  return { id: issue.id, key: issue.key, self: `/rest/api/${version}/issue/${issue.id}`, fields };
}

/** Paragraphs as ADF; a paragraph starting with `## ` becomes a heading, `- ` lines a bullet list. */
function adfDocument(paragraphs: readonly string[]) {
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((paragraph) => {
      if (paragraph.startsWith('## ')) {
        return {
          type: 'heading',
          attrs: { level: 2 },
          content: [{ type: 'text', text: paragraph.slice(3) }],
        };
      }
      if (paragraph.startsWith('- ')) {
        return adfBulletList(paragraph.split('\n').map((line) => line.replace(/^- /, ''))).content[0];
      }
      return { type: 'paragraph', content: [{ type: 'text', text: paragraph }] };
    }),
  };
}

function adfBulletList(items: readonly string[]) {
  return {
    type: 'doc',
    version: 1,
    content: [
      {
        type: 'bulletList',
        content: items.map((item) => ({
          type: 'listItem',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: item }] }],
        })),
      },
    ],
  };
}

/** `count` stories in project `project`: even ones keep criteria in the custom field, odd ones in the description. */
export function fakeJiraStories(project: string, count: number): FakeJiraIssue[] {
  return Array.from({ length: count }, (_, index) => {
    const number = index + 1;
    const inField = number % 2 === 0;
    const criteria = [
      `Shoppers can pay order ${number} by card`,
      `A receipt for order ${number} is e-mailed`,
    ];
    return {
      id: String(10_000 + number),
      key: `${project}-${number}`,
      project,
      issueType: 'Story',
      summary: `Checkout story ${number}`,
      description: inField
        ? [`As a shopper I want to pay order ${number} so that it ships.`]
        : [
            `As a shopper I want to pay order ${number} so that it ships.`,
            '## Acceptance criteria',
            criteria.map((item) => `- ${item}`).join('\n'),
          ],
      acceptanceCriteria: inField ? criteria : null,
    };
  });
}
