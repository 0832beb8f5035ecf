/**
 * Remedies in the web app's words: the pages, form fields and buttons a person uses here, never
 * CLI commands or flags. The shape comes from the server's error body (`ErrorBody`), so a new
 * kind of remedy fails the typecheck until this file words it.
 */
import type { ErrorBody, ErrorCode } from '../../src/server/index.ts';

export type Remedy = NonNullable<ErrorBody['error']['remedies']>[number];
type Of<Kind extends Remedy['kind']> = Extract<Remedy, { kind: Kind }>;

const projectName = (remedy: Of<'run-action'>): string =>
  remedy.project ? `the project "${remedy.project}"` : 'the project';

/** Input fields as the forms label them, where the label is not simply the field's name. */
const FIELD_LABELS: Record<string, string> = {
  baseUrl: 'Base URL',
  apiKey: 'API key',
  additionalContext: 'Additional context',
  stories: 'the stories to generate',
  preset: 'Preset',
  project: 'the project',
  // Fields named by the fixes of the app layer (issue 15).
  storyKey: 'the story',
  storyKeys: 'the stories',
  allDrafts: 'all drafts of the story',
  all: 'all stories',
  count: 'the number of test cases',
  kinds: 'the test kinds',
  jql: 'a JQL query',
  keys: 'the issue keys',
  price: 'the price per million tokens',
};

const SETTING_WORDING: Record<Of<'set-setting'>['setting'], (remedy: Of<'set-setting'>) => string> = {
  baseUrl: (remedy) =>
    `Fill in "Base URL" under Settings → Custom AI Integration${remedy.example ? `, e.g. ${remedy.example}` : ''}`,
  model: (remedy) =>
    `Fill in "Model" under Settings → Custom AI Integration (as the endpoint lists it)${remedy.example ? `, e.g. ${remedy.example}` : ''}`,
  apiKey: () => 'Fill in "API key" under Settings → Custom AI Integration',
  timeout: () => 'Raise the timeout of the provider under Settings → Custom AI Integration',
  concurrency: () => 'Set the concurrency to 1 or more',
  secretKey: () => 'Ask whoever runs the server to restore its previous secret key',
  dataDirectory: () => 'Ask whoever runs the server to give it a writable data directory',
  databaseUrl: () => 'Ask whoever runs the server to configure its database',
  jobQueueDatabase: () => 'Ask whoever runs the server to configure a PostgreSQL database for shared jobs',
  // Settings added for the fixes of the llm and app layers (issue 15).
  temperature: () => 'Set a temperature the model accepts under Settings → Custom AI Integration',
  maxTokens: () => 'Change "Max tokens" of the provider under Settings → Custom AI Integration',
  provider: () => 'Pick a provider preset under Settings → Custom AI Integration, or fill in "Base URL"',
  configFile: () => 'Ask whoever runs the server to check its provider config file',
};

const ACTION_WORDING: Record<Of<'run-action'>['action'], (remedy: Of<'run-action'>) => string> = {
  'list-projects': () => 'Pick a project on the Projects page',
  'create-project': (remedy) => `Create ${projectName(remedy)} with "New project" on the Projects page`,
  'list-stories': (remedy) => `Pick a story in the Stories list of ${projectName(remedy)}`,
  'import-stories': (remedy) => `Add stories with "Import stories" in ${projectName(remedy)}`,
  'list-test-cases': () => 'Pick the test case from the Test cases list',
  'edit-test-case': () => 'Edit the case in the review list',
  'list-jobs': () => 'Open the project to see its jobs',
  'show-job': () => 'Follow the job in its progress panel',
  'cancel-job': () => 'Cancel it in its progress panel and start again',
  'start-job': () => 'Start a new bulk generation from the Stories list',
  'list-providers': () => 'Pick a provider under Settings → Custom AI Integration',
  'add-provider': () => 'Add a provider under Settings → Custom AI Integration',
  'add-provider-key': () => 'Enter the API key again under Settings → Custom AI Integration',
  'set-default-provider': () => 'Choose the default provider in the project settings',
  'check-endpoint': () => 'Use "Check" under Settings → Custom AI Integration',
  'list-connections': () => 'Pick a connection under Settings',
  'add-connection': () => 'Add a connection under Settings',
  'list-push-jobs': () => 'See the earlier pushes in the Export panel',
  'map-csv-columns': () =>
    "Name the file's columns as the import knows them (Summary or Title, Key, Description, Acceptance Criteria), then import it again",
};

function wordOne(remedy: Remedy): string {
  if (remedy.kind === 'set-setting') {
    const wording = SETTING_WORDING[remedy.setting](remedy);
    return remedy.note ? `${wording}; ${remedy.note}` : wording;
  }
  if (remedy.kind === 'run-action') return ACTION_WORDING[remedy.action](remedy);
  const label = FIELD_LABELS[remedy.field] ?? `"${remedy.field}"`;
  const allowed = remedy.allowed?.length ? ` (one of ${remedy.allowed.join(', ')})` : '';
  return `Fill in ${label}${allowed}${remedy.example ? `, e.g. ${remedy.example}` : ''}`;
}

/**
 * The fix the web app shows for an error body's remedies: "A, or b." (undefined when there are none).
 *
 * @example fixForWeb([{ kind: 'run-action', action: 'list-projects' }]) // 'Pick a project on the Projects page.'
 */
export function fixForWeb(remedies: readonly Remedy[] | undefined): string | undefined {
  if (!remedies?.length) return undefined;
  const sentence = remedies
    .map(wordOne)
    .map((part, index) => (index === 0 ? part : `${part.charAt(0).toLowerCase()}${part.slice(1)}`))
    .join(', or ');
  return `${sentence}.`;
}

/** A CLI flag (`--model`) or a `reqase …` command: words that mean nothing in a browser. */
const CLI_WORDS = /(?:^|[\s`("'])--[a-z][\w-]*|\breqase\s+[a-z]/i;

/** True when the text tells the reader to type a CLI flag or command. */
export function hasCliWording(text: string): boolean {
  return CLI_WORDS.test(text);
}

/**
 * The text without its CLI advice: parentheses naming flags go ("(--model or REQASE_MODEL)"),
 * then every sentence that still names a flag or a command. Empty when nothing is left.
 *
 * @example withoutCliWording('Model not found. Use --model gpt-4o.') // 'Model not found.'
 */
export function withoutCliWording(text: string): string {
  if (!hasCliWording(text)) return text;
  const trimmed = text.replace(/\s*\([^()]*--[a-z][^()]*\)/gi, '');
  return trimmed
    .split(/(?<=[.!?;:])\s+/)
    .filter((sentence) => !hasCliWording(sentence))
    .join(' ')
    .replace(/[;:,]\s*$/, '.')
    .trim();
}

/** What to do next for each kind of error, in the web app's words, when the server's advice cannot be shown. */
const ADVICE: Record<ErrorCode, string> = {
  invalid_input: 'Check the highlighted values and try again.',
  invalid_usage: 'Check the values in the form and try again.',
  validation: 'Check the values in the form and try again.',
  configuration: 'Check the provider under Settings → Custom AI Integration.',
  not_found: 'Go back to the list and pick it again; it may have been removed.',
  conflict: 'Reload the page to see the latest version, then try again.',
  storage: 'Try again; if it keeps failing, ask whoever runs the server to check its database.',
  secret_key_changed:
    'Ask whoever runs the server to restore its previous secret key, or enter the keys again.',
  no_test_cases: 'Add acceptance criteria to the story, or try again with other options.',
  gherkin_syntax: 'Correct the Gherkin in the editor and save again.',
  internal: 'Try again; if it keeps failing, ask whoever runs the server to look at its log.',
  no_replacement: 'Try again with additional context, or edit the case yourself.',
  llm_unreachable:
    'Check the base URL under Settings → Custom AI Integration and that the endpoint is running.',
  llm_connection_lost:
    'Try again; use "Test connection" under Settings → Custom AI Integration if it keeps failing.',
  llm_timeout: 'Try again, or raise the timeout of the provider under Settings → Custom AI Integration.',
  llm_cancelled: 'Start it again when you are ready.',
  llm_authentication: 'Enter the API key again under Settings → Custom AI Integration.',
  llm_not_found:
    'Pick a model the endpoint lists under Settings → Custom AI Integration ("Test connection" shows them).',
  llm_rate_limited: 'Wait a minute and try again, or lower the provider’s request rate.',
  llm_server_error: 'Try again later; the model endpoint failed.',
  llm_request_rejected:
    'Use "Test connection" under Settings → Custom AI Integration to see what the endpoint refuses.',
  llm_incorrect_response_structure:
    'Use "Test connection" under Settings → Custom AI Integration to check the endpoint.',
  llm_missing_required_fields:
    'Use "Test connection" under Settings → Custom AI Integration to check the endpoint.',
  llm_truncated:
    'Raise "Max tokens" of the provider under Settings → Custom AI Integration, or ask for fewer cases.',
  llm_content_filtered: 'Reword the story, or use another model.',
  llm_error_in_success_response: 'Try again; use "Test connection" if it keeps failing.',
  answer_empty_answer: 'Try again, or pick another model.',
  answer_refusal: 'Reword the story or the additional context, or pick another model.',
  answer_unparseable: 'Try again, or pick a model that follows instructions more closely.',
  answer_schema_mismatch: 'Try again, or pick a model that follows instructions more closely.',
  answer_no_test_cases: 'Try again with additional context, or pick another model.',
  connector_authentication: 'Enter the connection’s credentials again under Settings.',
  connector_permission: 'Ask an administrator of the tool for access, or use another account.',
  connector_not_found: 'Check the project or issue key in the connection under Settings.',
  connector_rate_limited: 'Wait a minute and try again.',
  connector_server: 'Try again later; the connected tool failed.',
  connector_request: 'Check the connection’s settings under Settings.',
  connector_unreachable: 'Check the connection’s address under Settings and your network.',
  connector_import_failed: 'Check the issues in the tool, then import again.',
  unauthorized: 'Sign in again with a valid API token; whoever runs the server can create one.',
  cross_site_request: 'Reload the page and try again.',
  csrf_token_invalid: 'Reload the page and try again.',
  host_not_allowed: 'Open the app at the address the server was started with.',
  payload_too_large: 'Send a smaller file, or split it.',
  unsupported_media_type: 'Reload the page and try again.',
  overloaded: 'Wait a moment and try again.',
  http_error: 'Try again; if it keeps failing, reload the page.',
};

/**
 * An error body in the web app's words: the fix from its remedies, else the server's fix, else
 * the advice for its code; never a CLI flag or command, in the message or in the fix.
 */
export function errorForWeb(error: {
  code?: string | undefined;
  message: string;
  fix?: string | undefined;
  remedies?: readonly Remedy[] | undefined;
}): { message: string; fix: string | undefined } {
  const advice = error.code && error.code in ADVICE ? ADVICE[error.code as ErrorCode] : undefined;
  const message = withoutCliWording(error.message) || 'The request failed.';
  const serverFix = error.fix === undefined ? undefined : withoutCliWording(error.fix);
  return { message, fix: fixForWeb(error.remedies) ?? (serverFix || advice) };
}
