import type { Command } from 'commander';
import type { ConnectionRecord } from '../app/index.ts';
import { paint, type Terminal } from './terminal.ts';
import {
  exitTwoOnUsageErrors,
  printJson,
  printLine,
  runWorkspaceCommand,
  usageError,
  type JsonFlag,
} from './workspace-command.ts';

interface ConnectionFlags extends JsonFlag {
  url?: string;
  user?: string;
  secretEnv?: string;
  deployment?: string;
  clientId?: string;
  projectKey?: string;
  linkType?: string;
  testTypeField?: string;
  cucumberScenarioField?: string;
  genericDefinitionField?: string;
  projectId?: string;
  suiteId?: string;
  requestsPerMinute?: string;
}

const CONNECTION_KINDS = ['jira', 'xray-cloud', 'xray-server', 'testrail', 'zephyr-scale'] as const;
type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** `reqase connection add|list|show|remove`. */
export function registerConnectionCommand(program: Command): void {
  const connection = program
    .command('connection')
    .description(
      'Store connections to Jira, Xray Cloud, Xray Server/DC, TestRail and Zephyr Scale (secrets encrypted at rest)',
    );
  registerAdd(connection);
  registerList(connection);
  registerShow(connection);
  registerRemove(connection);
  exitTwoOnUsageErrors(connection);
}

function registerAdd(connection: Command): void {
  connection
    .command('add')
    .description('Add (or replace) a connection; the secret is read from an environment variable')
    .argument('<kind>', 'jira, xray-cloud, xray-server, testrail or zephyr-scale')
    .argument('<name>', 'a name such as team-jira')
    .requiredOption('--url <url>', 'the site or API URL, e.g. https://example.atlassian.net')
    .option('--secret-env <variable>', 'the variable holding the token, API key or client secret')
    .option(
      '--user <email>',
      'jira (Cloud) and testrail: the account email; xray-server: the Jira user (else the secret is a personal access token)',
    )
    .option('--deployment <kind>', 'jira: cloud (default) or server')
    .option('--client-id <id>', 'xray-cloud: the client id')
    .option('--project-key <key>', 'xray and zephyr-scale: the Jira project tests are created in')
    .option(
      '--link-type <name>',
      'xray: the link from test to story (default Test on Cloud, Tests on Server/DC)',
    )
    .option(
      '--test-type-field <name>',
      'xray-server: the Test Type field, by name or id (default "Test Type")',
    )
    .option(
      '--cucumber-scenario-field <name>',
      'xray-server: the Cucumber Scenario field, by name or id (default "Cucumber Scenario")',
    )
    .option(
      '--generic-definition-field <name>',
      'xray-server: the Generic Test Definition field, by name or id (default "Generic Test Definition")',
    )
    .option('--project-id <id>', 'testrail: the project id')
    .option('--suite-id <id>', 'testrail: the suite id (multi-suite projects)')
    .option('--requests-per-minute <n>', 'testrail: the instance rate limit (default 180; 300 on Enterprise)')
    .option('--json', 'print JSON')
    .action(async (kind: string, name: string, flags: ConnectionFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const connectionKindGiven = connectionKind(kind);
        const secret = secretOf(flags);
        const settings = settingsOf(flags);
        const record = await workspace.connections.add({
          name,
          kind: connectionKindGiven,
          baseUrl: flags.url ?? '',
          settings,
          ...secret,
        });
        if (flags.json) return printJson(record);
        printLine(`${paint(terminal, 'green', 'saved')} ${describe(record, terminal)}`);
      }),
    );
}

function connectionKind(kind: string): ConnectionKind {
  if (!(CONNECTION_KINDS as readonly string[]).includes(kind)) {
    throw usageError(
      `${kind} is not a connection kind.`,
      'Use jira, xray-cloud, xray-server, testrail or zephyr-scale.',
    );
  }
  return kind as ConnectionKind;
}

/** The secret read from the variable `--secret-env` names; none without the flag. */
function secretOf(flags: ConnectionFlags): { secret?: string } {
  if (!flags.secretEnv) return {};
  const secret = process.env[flags.secretEnv];
  if (!secret) {
    throw usageError(
      `The environment variable ${flags.secretEnv} is not set.`,
      `Export it first: export ${flags.secretEnv}=…`,
    );
  }
  return { secret };
}

function settingsOf(flags: ConnectionFlags): Record<string, string> {
  if (flags.deployment !== undefined && flags.deployment !== 'cloud' && flags.deployment !== 'server') {
    throw usageError(`--deployment ${flags.deployment} is not known.`, 'Use cloud or server.');
  }
  const settings = {
    user: flags.user,
    deployment: flags.deployment,
    clientId: flags.clientId,
    projectKey: flags.projectKey,
    linkType: flags.linkType,
    testTypeField: flags.testTypeField,
    cucumberScenarioField: flags.cucumberScenarioField,
    genericDefinitionField: flags.genericDefinitionField,
    projectId: flags.projectId,
    suiteId: flags.suiteId,
    requestsPerMinute: flags.requestsPerMinute,
  };
  return Object.fromEntries(
    Object.entries(settings).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function registerList(connection: Command): void {
  connection
    .command('list')
    .description('List connections (secrets masked)')
    .option('--json', 'print JSON')
    .action(async (flags: JsonFlag) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const records = await workspace.connections.list();
        if (flags.json) return printJson(records);
        if (records.length === 0) return printLine('No connections. Add one with `reqase connection add`.');
        for (const record of records) printLine(describe(record, terminal));
      }),
    );
}

function registerShow(connection: Command): void {
  connection
    .command('show')
    .argument('<name>')
    .description('Show a connection (secret masked)')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: JsonFlag) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const record = await workspace.connections.show(name);
        if (flags.json) return printJson(record);
        printLine(describe(record, terminal));
      }),
    );
}

function registerRemove(connection: Command): void {
  connection
    .command('remove')
    .argument('<name>')
    .description('Remove a connection')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: JsonFlag) =>
      runWorkspaceCommand(flags, async (workspace) => {
        await workspace.connections.remove(name);
        if (flags.json) return printJson({ removed: name });
        printLine(`Removed ${name}.`);
      }),
    );
}

function describe(record: ConnectionRecord, terminal: Terminal): string {
  const settings = Object.entries(record.settings)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return `${paint(terminal, 'bold', record.name)}  ${record.kind}  ${record.baseUrl}  secret ${record.secretMasked}${settings ? `  ${paint(terminal, 'dim', settings)}` : ''}`;
}
