/**
 * Remedies in the web app's words: the pages, form fields and buttons a person uses here, never
 * CLI commands or flags. The shape comes from the server's error body (`ErrorBody`), so a new
 * kind of remedy fails the typecheck until this file words it.
 */
import type { ErrorBody } from '../../src/server/index.ts';

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
