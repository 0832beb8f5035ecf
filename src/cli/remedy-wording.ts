/**
 * Remedies in the command line's words: flags, environment variables and `reqase` commands.
 * The one place below which no CLI word appears (ARCHITECTURE.md, "Layers").
 */
import type { ReqaseError, RemedyWording } from '../shared/index.ts';

const projectFlag = (project: string | undefined): string =>
  `--project ${project ? quoted(project) : 'NAME'}`;
const quoted = (value: string): string => (/^[\w.,/=:-]+$/.test(value) ? value : `"${value}"`);

/** Input fields as flags, where the flag is not simply the field in kebab-case. */
const FLAG_OF_FIELD: Record<string, string> = {
  storyFile: '--story-file',
  additionalContext: '--context',
  preset: '--preset',
  project: '--project',
  storyKey: '--story',
  storyKeys: '--stories',
  csvMapping: '--mapping',
  rulesFile: '--rules',
};

function flagOf(field: string): string {
  return FLAG_OF_FIELD[field] ?? `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export const cliRemedyWording: RemedyWording = {
  setting: {
    baseUrl: (remedy) =>
      `Give the base URL with --base-url or REQASE_BASE_URL${remedy.example ? `, e.g. ${remedy.example}` : ''}`,
    model: (remedy) =>
      `Give the model name with --model or REQASE_MODEL (as the endpoint lists it at GET /v1/models)${remedy.example ? `, e.g. --model ${remedy.example}` : ''}`,
    apiKey: () => 'Give the key with --api-key or REQASE_API_KEY',
    timeout: (remedy) => `Raise --timeout${remedy.example ? `, e.g. --timeout ${remedy.example}` : ''}`,
    concurrency: () => 'Pass --concurrency 1 or more, or set the provider limit `concurrency`',
    secretKey: () => 'Restore the previous REQASE_SECRET_KEY or secret key file',
    dataDirectory: () =>
      'Check that the data directory exists and is writable, or set REQASE_DATA_DIR to one that is',
    databaseUrl: () => 'Set DATABASE_URL or REQASE_DATA_DIR',
    jobQueueDatabase: () =>
      'Set DATABASE_URL to postgres://…, or run jobs in-process on SQLite (`reqase generate` runs them itself)',
    temperature: (remedy) =>
      `Set a temperature the model accepts with --temperature or REQASE_TEMPERATURE${remedy.example ? `, e.g. --temperature ${remedy.example}` : ''}`,
    maxTokens: (remedy) =>
      `Change max tokens with --max-tokens or REQASE_MAX_TOKENS (or maxTokens in the provider config)${remedy.example ? `, e.g. --max-tokens ${remedy.example}` : ''}`,
    provider: (remedy) =>
      `Give a provider with --provider or REQASE_PROVIDER${remedy.example ? ` (${remedy.example})` : ''}, or leave it out and give --base-url`,
    configFile: () => 'Check the file given with --config or REQASE_CONFIG',
  },
  value: (remedy) => {
    const allowed = remedy.allowed?.length ? ` (one of ${remedy.allowed.join(', ')})` : '';
    const example = remedy.example ? `, e.g. ${flagOf(remedy.field)} ${quoted(remedy.example)}` : '';
    return `Give ${flagOf(remedy.field)}${allowed}${example}`;
  },
  action: {
    'list-projects': () => 'List projects with `reqase project list`',
    'create-project': (remedy) =>
      `Create it with \`reqase project create ${remedy.project ? quoted(remedy.project) : 'NAME'}\``,
    'list-stories': (remedy) => `List its stories with \`reqase story list ${projectFlag(remedy.project)}\``,
    'import-stories': (remedy) =>
      `Import stories with \`reqase story import FILE ${projectFlag(remedy.project)}\``,
    'list-test-cases': (remedy) =>
      `List cases with \`reqase case list ${projectFlag(remedy.project)}\`; refer to one by its id or as STORY-KEY/TC-3 with --project`,
    'edit-test-case': () => 'Edit the case with `reqase case edit`',
    'list-jobs': () => 'List jobs with `reqase job list`',
    'show-job': (remedy) => `Follow the job with \`reqase job show ${remedy.job ?? 'ID'}\``,
    'cancel-job': (remedy) => `Cancel it with \`reqase job cancel ${remedy.job ?? 'ID'}\` and start again`,
    'start-job': (remedy) =>
      `Start a new job with \`reqase generate ${projectFlag(remedy.project)} --stories …\``,
    'list-providers': () => 'List providers with `reqase provider list`',
    'add-provider': () => 'Add one with `reqase provider add NAME --base-url URL --model MODEL`',
    'add-provider-key': (remedy) =>
      `Add the API key again with \`reqase provider add ${remedy.provider ?? 'NAME'} --api-key …\``,
    'set-default-provider': (remedy) =>
      `Make it the project default with \`reqase provider default ${remedy.provider ?? 'NAME'} ${projectFlag(remedy.project)}\``,
    'check-endpoint': () => 'Test the endpoint with `reqase check`',
    'list-connections': () => 'List connections with `reqase connection list`',
    'add-connection': () => 'Add one with `reqase connection add`',
    'list-push-jobs': (remedy) => `List push jobs with \`reqase push jobs ${projectFlag(remedy.project)}\``,
    'map-csv-columns': () =>
      'Name the columns as the import knows them (Summary or Title, Key, Description, Acceptance Criteria), or map them with --mapping, e.g. --mapping "summary=Story name"',
  },
};

/** The fix of an error as the CLI prints it. */
export function cliFix(error: ReqaseError): string | undefined {
  return error.fixFor(cliRemedyWording);
}
