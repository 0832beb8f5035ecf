import { z } from 'zod';
import type { ConnectionKind, ConnectionRecord } from '../../core/index.ts';
import { ConfigurationError, InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import type { WorkspaceContext } from './context.ts';

/** The tools a connection can point at; the single list the CLI, the API and the web app use. */
export const ConnectionKindSchema = z.enum(['jira', 'xray-cloud', 'xray-server', 'testrail', 'zephyr-scale']);

/** Settings each kind understands (all optional; flags and environment variables can give them too). */
export const ConnectionSettingsSchema = z.object({
  /**
   * Jira Cloud: the account email. TestRail: the user's email. Xray Server: the Jira user (Basic
   * auth with its password or token); without one the secret is sent as a personal access token.
   */
  user: z.string().optional(),
  /** Jira: `cloud` (default) or `server` (Server / Data Center, personal access token). */
  deployment: z.enum(['cloud', 'server']).optional(),
  /** Xray Cloud: the client id (the client secret is the connection's secret). */
  clientId: z.string().optional(),
  /** Xray and Zephyr Scale: the Jira project key tests are created in. */
  projectKey: z.string().optional(),
  /** Xray: the link type from test to story. Default `Test` (Cloud), `Tests` (Server/DC). */
  linkType: z.string().optional(),
  /** Xray Server: the Test Type field's name or id. Default: the field named `Test Type`. */
  testTypeField: z.string().optional(),
  /** Xray Server: the Cucumber Scenario field's name or id. Default: `Cucumber Scenario`. */
  cucumberScenarioField: z.string().optional(),
  /** Xray Server: the Generic Test Definition field's name or id. Default: `Generic Test Definition`. */
  genericDefinitionField: z.string().optional(),
  /** TestRail: the project id, and the suite id for multi-suite projects. */
  projectId: z.string().optional(),
  suiteId: z.string().optional(),
  /** TestRail: requests a minute to pace to. Default 180 (TestRail Cloud Professional). */
  requestsPerMinute: z.string().optional(),
});
export type ConnectionSettings = z.infer<typeof ConnectionSettingsSchema>;

export const AddConnectionSchema = z.object({
  name: z.string().trim().min(1).max(100),
  kind: ConnectionKindSchema,
  baseUrl: z.string().url(),
  settings: ConnectionSettingsSchema.default({}),
  /** The token, API key or client secret; stored encrypted, never shown again. */
  secret: z.string().min(1).optional(),
});
export type AddConnectionInput = z.input<typeof AddConnectionSchema>;

export interface ConnectionService {
  /** Adds or replaces a connection; the secret is encrypted at rest (kept when not given). */
  add(input: AddConnectionInput): Promise<ConnectionRecord>;
  /** Secrets masked. */
  list(): Promise<ConnectionRecord[]>;
  show(name: string): Promise<ConnectionRecord>;
  remove(name: string): Promise<void>;
}

export function createConnectionService(context: WorkspaceContext): ConnectionService {
  return {
    async add(input) {
      const parsed = AddConnectionSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InvalidInputError(
          `The connection is not usable: ${issue?.path.join('.')} ${issue?.message}.`,
          {
            fix: `Give a name, a kind (${ConnectionKindSchema.options.join(', ')}) and the tool's URL (https://…).`,
          },
        );
      }
      const storage = await context.storage();
      const settings = Object.fromEntries(
        Object.entries(parsed.data.settings).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      );
      return storage.connections.save({
        name: parsed.data.name,
        kind: parsed.data.kind,
        baseUrl: parsed.data.baseUrl.replace(/\/+$/, ''),
        settings,
        ...(parsed.data.secret === undefined ? {} : { secret: parsed.data.secret }),
      });
    },
    async list() {
      return (await context.storage()).connections.list();
    },
    async show(name) {
      const connection = await (await context.storage()).connections.get(name);
      if (!connection) throw connectionNotFound(name);
      return connection;
    },
    async remove(name) {
      if (!(await (await context.storage()).connections.remove(name))) throw connectionNotFound(name);
    },
  };
}

function connectionNotFound(name: string): NotFoundError {
  return new NotFoundError(`There is no connection named "${name}".`, {
    fix: 'List the connections, or add one.',
    remedies: [
      { kind: 'run-action', action: 'list-connections' },
      { kind: 'run-action', action: 'add-connection' },
    ],
  });
}

/** A connection's URL, settings and secret, from explicit values, a stored connection, or the environment. */
export interface ResolvedConnection {
  kind: ConnectionKind;
  baseUrl: string;
  settings: ConnectionSettings;
  secret: string;
}

/** Environment variables per kind: URL, user or client id, secret, and the project setting. */
export const CONNECTION_ENVIRONMENT: Record<
  ConnectionKind,
  { url: string; user: string; secret: string; project: string }
> = {
  jira: {
    url: 'REQASE_JIRA_URL',
    user: 'REQASE_JIRA_EMAIL',
    secret: 'REQASE_JIRA_TOKEN',
    project: 'REQASE_JIRA_DEPLOYMENT',
  },
  'xray-cloud': {
    url: 'REQASE_XRAY_URL',
    user: 'REQASE_XRAY_CLIENT_ID',
    secret: 'REQASE_XRAY_CLIENT_SECRET',
    project: 'REQASE_XRAY_PROJECT_KEY',
  },
  'xray-server': {
    url: 'REQASE_XRAY_SERVER_URL',
    user: 'REQASE_XRAY_SERVER_USER',
    secret: 'REQASE_XRAY_SERVER_TOKEN',
    project: 'REQASE_XRAY_SERVER_PROJECT_KEY',
  },
  testrail: {
    url: 'REQASE_TESTRAIL_URL',
    user: 'REQASE_TESTRAIL_USER',
    secret: 'REQASE_TESTRAIL_API_KEY',
    project: 'REQASE_TESTRAIL_PROJECT_ID',
  },
  // Zephyr Scale has no user: the bearer token names the account.
  'zephyr-scale': {
    url: 'REQASE_ZEPHYR_SCALE_URL',
    user: 'REQASE_ZEPHYR_SCALE_USER',
    secret: 'REQASE_ZEPHYR_SCALE_TOKEN',
    project: 'REQASE_ZEPHYR_SCALE_PROJECT_KEY',
  },
};

const DEFAULT_URLS: Partial<Record<ConnectionKind, string>> = {
  'xray-cloud': 'https://xray.cloud.getxray.app',
  // EU-hosted sites use https://eu.api.zephyrscale.smartbear.com/v2 (the connection's URL).
  'zephyr-scale': 'https://api.zephyrscale.smartbear.com/v2',
};

/**
 * Resolves explicit values → the named stored connection → environment variables, in one place,
 * and fails naming both the option and the variable when the URL or the secret is missing.
 */
export async function resolveConnection(
  context: WorkspaceContext,
  kind: ConnectionKind,
  input: {
    connection?: string | undefined;
    baseUrl?: string | undefined;
    secret?: string | undefined;
    settings?: ConnectionSettings;
  },
): Promise<ResolvedConnection> {
  const environment = CONNECTION_ENVIRONMENT[kind];
  const env = context.settings.env;
  let stored: { baseUrl: string; settings: Record<string, string>; secret: string | null } | undefined;
  if (input.connection) {
    const storage = await context.storage();
    const connection = await storage.connections.getWithSecret(input.connection);
    if (!connection) throw connectionNotFound(input.connection);
    if (connection.kind !== kind) {
      throw new InvalidInputError(
        `The connection "${input.connection}" is for ${connection.kind}, not ${kind}.`,
        {
          fix: `Name a ${kind} connection.`,
          remedies: [{ kind: 'run-action', action: 'list-connections' }],
        },
      );
    }
    stored = connection;
  }
  const fromEnvironment: ConnectionSettings = {};
  if (env[environment.user]) {
    if (kind === 'xray-cloud') fromEnvironment.clientId = env[environment.user];
    else fromEnvironment.user = env[environment.user];
  }
  if (env[environment.project]) {
    if (kind === 'xray-cloud' || kind === 'xray-server' || kind === 'zephyr-scale')
      fromEnvironment.projectKey = env[environment.project];
    else if (kind === 'testrail') fromEnvironment.projectId = env[environment.project];
    else fromEnvironment.deployment = env[environment.project] === 'server' ? 'server' : 'cloud';
  }
  const settings: ConnectionSettings = {
    ...(stored ? {} : fromEnvironment),
    ...(stored?.settings ?? {}),
    ...Object.fromEntries(Object.entries(input.settings ?? {}).filter((entry) => entry[1] !== undefined)),
  };
  const baseUrl = input.baseUrl ?? stored?.baseUrl ?? env[environment.url] ?? DEFAULT_URLS[kind];
  const secret = input.secret ?? stored?.secret ?? env[environment.secret];
  if (!baseUrl) {
    throw new ConfigurationError(`No ${kind} URL was given.`, {
      fix: `Name a stored connection, or set ${environment.url}.`,
    });
  }
  if (!secret) {
    throw new ConfigurationError(`No ${kind} credentials were given.`, {
      fix: `Name a stored connection with a secret, or set ${environment.secret}.`,
    });
  }
  return { kind, baseUrl: baseUrl.replace(/\/+$/, ''), settings, secret };
}
