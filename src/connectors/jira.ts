import { createConnectorHttpClient, type ConnectorDependencies, type ConnectorHttpClient } from './http.ts';

/**
 * Jira Cloud REST v3 (`/rest/api/3/search/jql` with `nextPageToken`, Basic email:token) and Jira
 * Server / Data Center REST v2 (`/rest/api/2/search` with `startAt`, Bearer personal access token).
 */
export type JiraDeployment = 'cloud' | 'server';

export interface JiraClientOptions extends ConnectorDependencies {
  /** The site, e.g. `https://example.atlassian.net`. */
  baseUrl: string;
  /** Default: `cloud`. */
  deployment?: JiraDeployment;
  /** Cloud: the account email (Basic auth with the API token). Server/DC with a PAT: unused. */
  email?: string;
  /** Cloud: an API token; Server/DC: a personal access token. */
  token: string;
  /** Issues per search page. Default: 100. */
  pageSize?: number;
}

/** One issue as the search returns it: `id` is numeric as text (`"10042"`). */
export interface JiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
}

export interface JiraField {
  id: string;
  name: string;
  custom?: boolean;
}

export interface JiraClient {
  readonly deployment: JiraDeployment;
  /** `GET /rest/api/{3|2}/field`. */
  listFields(): Promise<JiraField[]>;
  /** Every issue matching the JQL, page after page (Cloud: until `isLast` or no token). */
  searchIssues(jql: string, fields: readonly string[]): AsyncGenerator<JiraIssue[]>;
  readonly http: ConnectorHttpClient;
}

interface CloudSearchPage {
  issues?: JiraIssue[];
  nextPageToken?: string | null;
  isLast?: boolean;
}

interface ServerSearchPage {
  issues?: JiraIssue[];
  startAt?: number;
  maxResults?: number;
  total?: number;
}

/**
 * @example
 * const jira = createJiraClient({ baseUrl: 'https://example.atlassian.net', email, token });
 * for await (const page of jira.searchIssues('project = SHOP', ['summary', 'description'])) …
 */
export function createJiraClient(options: JiraClientOptions): JiraClient {
  const deployment = options.deployment ?? 'cloud';
  const version = deployment === 'cloud' ? '3' : '2';
  const pageSize = options.pageSize ?? 100;
  const authorization =
    deployment === 'cloud' || options.email
      ? `Basic ${Buffer.from(`${options.email ?? ''}:${options.token}`).toString('base64')}`
      : `Bearer ${options.token}`;
  const http = createConnectorHttpClient({
    ...options,
    vendor: deployment === 'cloud' ? 'Jira Cloud' : 'Jira Server',
    authorization: () => authorization,
    secrets: [options.token],
    credentialHint:
      deployment === 'cloud'
        ? 'the account email and API token (id.atlassian.com → Security → API tokens)'
        : 'the personal access token (Profile → Personal Access Tokens)',
    vendorMessage: jiraErrorMessage,
  });

  return {
    deployment,
    http,
    async listFields() {
      return (await http.request<JiraField[]>({ path: `/rest/api/${version}/field` })).body;
    },
    async *searchIssues(jql, fields) {
      if (deployment === 'cloud') {
        let nextPageToken: string | undefined;
        for (;;) {
          const { body } = await http.request<CloudSearchPage>({
            path: '/rest/api/3/search/jql',
            query: { jql, fields: fields.join(','), maxResults: pageSize, nextPageToken },
          });
          yield body.issues ?? [];
          if (body.isLast === true || !body.nextPageToken) return;
          nextPageToken = body.nextPageToken;
        }
      }
      let startAt = 0;
      for (;;) {
        const { body } = await http.request<ServerSearchPage>({
          path: '/rest/api/2/search',
          query: { jql, fields: fields.join(','), maxResults: pageSize, startAt },
        });
        const issues = body.issues ?? [];
        yield issues;
        startAt += issues.length;
        if (issues.length === 0 || startAt >= (body.total ?? 0)) return;
      }
    },
  };
}

/** Jira's error body: `{ errorMessages: [...], errors: { field: message } }`. */
export function jiraErrorMessage(body: unknown, text: string): string {
  if (typeof body === 'object' && body !== null) {
    const record = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
    const messages = Array.isArray(record.errorMessages) ? record.errorMessages.map(String) : [];
    if (record.errors && typeof record.errors === 'object') {
      for (const [field, message] of Object.entries(record.errors))
        messages.push(`${field}: ${String(message)}`);
    }
    if (typeof record.message === 'string') messages.push(record.message);
    if (messages.length > 0) return messages.join(' ');
  }
  return text.slice(0, 300);
}

/** `SHOP-1,SHOP-2` → `key in (SHOP-1, SHOP-2)`. */
export function jqlForKeys(keys: readonly string[]): string {
  return `key in (${keys.map((key) => key.trim()).join(', ')})`;
}
