import { Option, type Command } from 'commander';
import { type ProviderRecord, PROVIDER_PRESETS } from '../app/index.ts';
import { paint, type Terminal } from './terminal.ts';
import {
  exitTwoOnUsageErrors,
  parseNumber,
  parsePositiveInteger,
  printJson,
  printLine,
  runWorkspaceCommand,
  usageError,
  type JsonFlag,
} from './workspace-command.ts';

interface ProviderFlags extends JsonFlag {
  preset?: string;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  apiKeyEnv?: string;
  keyHeader?: string;
  temperature?: string;
  maxTokens?: string;
  timeout?: string;
  header?: string[];
  concurrency?: string;
  requestsPerMinute?: string;
  tokensPerMinute?: string;
  maxRetries?: string;
  inputPrice?: string;
  outputPrice?: string;
  project?: string;
}

const collectHeaders = (value: string, previous: string[] = []) => [...previous, value];

/** `reqase provider add|list|show|remove|default`. */
export function registerProviderCommand(program: Command): void {
  const provider = program
    .command('provider')
    .description('Store OpenAI-compatible endpoints (API keys are encrypted at rest)');
  registerAddCommand(provider);
  registerListCommand(provider);
  registerShowCommand(provider);
  registerRemoveCommand(provider);
  registerDefaultCommand(provider);
  exitTwoOnUsageErrors(provider);
}

type Workspace = Parameters<Parameters<typeof runWorkspaceCommand>[1]>[0];

function registerAddCommand(provider: Command): void {
  provider
    .command('add')
    .description('Add (or replace) a provider')
    .argument('<name>', 'a name such as team-vllm')
    .option('--preset <id>', `start from a preset: ${Object.keys(PROVIDER_PRESETS).join(', ')}`)
    .option('--base-url <url>', 'base URL, e.g. http://localhost:8000/v1')
    .option('--model <name>', 'model name as the endpoint lists it')
    .option('--api-key <key>', 'API key (prefer --api-key-env: command lines end up in shell history)')
    .option('--api-key-env <variable>', 'read the API key from this environment variable')
    .addOption(
      new Option('--key-header <name>', 'header carrying the key (default authorization: Bearer)').choices([
        'authorization',
        'api-key',
        'x-api-key',
      ]),
    )
    .option('--temperature <t>', '0 to 2')
    .option('--max-tokens <n>', 'most tokens in one answer')
    .option('--timeout <ms>', 'timeout of one attempt in ms')
    .option(
      '--header <name: value>',
      'extra header sent with every request (repeatable; values are stored encrypted and shown masked)',
      collectHeaders,
    )
    .option('--concurrency <n>', 'requests in flight at once')
    .option('--requests-per-minute <n>', 'request rate limit')
    .option('--tokens-per-minute <n>', 'token rate limit')
    .option('--max-retries <n>', 'retries on 429, 5xx and connection errors')
    .option('--input-price <usd>', 'US dollars per million prompt tokens (for cost estimates)')
    .option('--output-price <usd>', 'US dollars per million completion tokens (for cost estimates)')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ProviderFlags) =>
      runWorkspaceCommand(flags, (workspace, terminal) => addProvider(workspace, terminal, name, flags)),
    );
}

/** The API key from --api-key, or from the environment variable --api-key-env names. */
function apiKeyOf(flags: ProviderFlags): string | undefined {
  if (!flags.apiKeyEnv) return flags.apiKey;
  const apiKey = process.env[flags.apiKeyEnv];
  if (!apiKey) {
    throw usageError(
      `The environment variable ${flags.apiKeyEnv} is not set.`,
      `Export it first: export ${flags.apiKeyEnv}=…`,
    );
  }
  return apiKey;
}

function limitsOf(flags: ProviderFlags) {
  const integer = (value: string | undefined, flag: string) =>
    value === undefined ? undefined : parsePositiveInteger(value, flag);
  return Object.fromEntries(
    Object.entries({
      concurrency: integer(flags.concurrency, '--concurrency'),
      requestsPerMinute: integer(flags.requestsPerMinute, '--requests-per-minute'),
      tokensPerMinute: integer(flags.tokensPerMinute, '--tokens-per-minute'),
      maxRetries: flags.maxRetries === undefined ? undefined : Number(flags.maxRetries),
    }).filter(([, value]) => value !== undefined),
  );
}

async function addProvider(workspace: Workspace, terminal: Terminal, name: string, flags: ProviderFlags) {
  const apiKey = apiKeyOf(flags);
  const limits = limitsOf(flags);
  const added = await workspace.providers.add({
    name,
    ...(flags.preset ? { preset: flags.preset } : {}),
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.model ? { model: flags.model } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(flags.keyHeader
      ? { apiKeyHeader: flags.keyHeader as 'authorization' | 'api-key' | 'x-api-key' }
      : {}),
    ...(flags.temperature === undefined
      ? {}
      : { temperature: parseNumber(flags.temperature, '--temperature') }),
    ...(flags.maxTokens === undefined
      ? {}
      : { maxTokens: parsePositiveInteger(flags.maxTokens, '--max-tokens') }),
    ...(flags.timeout === undefined
      ? {}
      : { timeoutMilliseconds: parsePositiveInteger(flags.timeout, '--timeout') }),
    ...(flags.header?.length ? { extraHeaders: parseHeaders(flags.header) } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
    ...(flags.inputPrice === undefined
      ? {}
      : { inputPricePerMillionTokens: parseNumber(flags.inputPrice, '--input-price') }),
    ...(flags.outputPrice === undefined
      ? {}
      : { outputPricePerMillionTokens: parseNumber(flags.outputPrice, '--output-price') }),
  });
  if (flags.json) return printJson(added);
  for (const notice of added.notices) process.stderr.write(`${paint(terminal, 'dim', `Note: ${notice}`)}\n`);
  printLine(`Saved provider ${providerLine(added.provider, terminal)}`);
  printLine(
    paint(
      terminal,
      'dim',
      `Test it with: reqase check --base-url ${added.provider.baseUrl} --model ${added.provider.model}`,
    ),
  );
}

function registerListCommand(provider: Command): void {
  provider
    .command('list')
    .description('List providers (keys masked)')
    .option('--json', 'print JSON')
    .action(async (flags: ProviderFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const providers = await workspace.providers.list();
        if (flags.json) return printJson(providers);
        if (providers.length === 0)
          return printLine(
            'No providers yet. Add one with `reqase provider add NAME --base-url URL --model MODEL`.',
          );
        for (const item of providers) printLine(providerLine(item, terminal));
      }),
    );
}

function registerShowCommand(provider: Command): void {
  provider
    .command('show')
    .description('Show a provider (key masked)')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ProviderFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const found = await workspace.providers.show(name);
        if (flags.json) return printJson(found);
        printProviderDetails(found, terminal);
      }),
    );
}

function printProviderDetails(found: ProviderRecord, terminal: Terminal): void {
  printLine(providerLine(found, terminal));
  printLine(
    `  temperature ${found.temperature ?? 'default'}, max tokens ${found.maxTokens ?? 'default'}, timeout ${found.timeoutMilliseconds ?? 'default'} ms`,
  );
  if (Object.keys(found.limits).length) printLine(`  limits ${JSON.stringify(found.limits)}`);
  if (Object.keys(found.extraHeaders).length)
    printLine(`  headers ${Object.keys(found.extraHeaders).join(', ')}`);
  printLine(`  structured output ${found.structuredOutputMode ?? 'not learned yet'}`);
  if (found.inputPricePerMillionTokens !== null || found.outputPricePerMillionTokens !== null)
    printLine(
      `  price $${found.inputPricePerMillionTokens ?? '?'} in / $${found.outputPricePerMillionTokens ?? '?'} out per million tokens`,
    );
  if (found.lastCheck)
    printLine(
      `  last check ${found.lastCheck.checkedAt}: ${found.lastCheck.verdict}, ${found.lastCheck.summary}`,
    );
}

function registerRemoveCommand(provider: Command): void {
  provider
    .command('remove')
    .description('Remove a provider (projects using it as default fall back to none)')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ProviderFlags) =>
      runWorkspaceCommand(flags, async (workspace) => {
        await workspace.providers.remove(name);
        if (flags.json) return printJson({ removed: name });
        printLine(`Removed provider ${name}.`);
      }),
    );
}

function registerDefaultCommand(provider: Command): void {
  provider
    .command('default')
    .description("Make a provider the project's default (none clears it)")
    .argument('<name>', 'the provider, or none')
    .requiredOption('-p, --project <name>', 'the project')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ProviderFlags) =>
      runWorkspaceCommand(flags, async (workspace) => {
        const project = await workspace.providers.setDefault(
          flags.project as string,
          name === 'none' ? null : name,
        );
        if (flags.json) return printJson(project);
        printLine(
          project.defaultProvider
            ? `${project.name} now generates with ${project.defaultProvider}.`
            : `${project.name} has no default provider.`,
        );
      }),
    );
}

function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const index = value.indexOf(':');
    if (index <= 0) throw usageError(`"${value}" is not a header.`, 'Give --header "Name: value".');
    headers[value.slice(0, index).trim()] = value.slice(index + 1).trim();
  }
  return headers;
}

function providerLine(provider: ProviderRecord, terminal: Terminal): string {
  return `${paint(terminal, 'bold', provider.name)}  ${provider.model} at ${provider.baseUrl}  ${paint(terminal, 'dim', `key ${provider.apiKeyMasked}`)}`;
}
