/**
 * Remedies in the API's words: request fields and routes, never CLI commands or flags. Settings of
 * the server itself (secret key, database) name who sets them: whoever runs the server.
 */
import type { RemedyWording } from '../shared/remedy.ts';

const projectPath = (project: string | undefined): string =>
  `/api/projects/${project ? encodeURIComponent(project) : '{project}'}`;

export const apiRemedyWording: RemedyWording = {
  setting: {
    baseUrl: (remedy) => `Set the provider's baseUrl${remedy.example ? `, e.g. ${remedy.example}` : ''}`,
    model: (remedy) =>
      `Set the provider's model (as the endpoint lists it at GET /v1/models)${remedy.example ? `, e.g. ${remedy.example}` : ''}`,
    apiKey: () => "Set the provider's apiKey",
    timeout: (remedy) => `Raise the provider's timeout${remedy.example ? `, e.g. ${remedy.example}` : ''}`,
    concurrency: () => "Set the job's concurrency, or the provider's concurrency limit, to 1 or more",
    secretKey: () =>
      'Ask whoever runs the server to restore its previous secret key (REQASE_SECRET_KEY or the key file)',
    dataDirectory: () => 'Ask whoever runs the server to give it a writable data directory (REQASE_DATA_DIR)',
    databaseUrl: () => 'Ask whoever runs the server to set its database (DATABASE_URL)',
    jobQueueDatabase: () =>
      'Ask whoever runs the server to use PostgreSQL (DATABASE_URL) for a shared job queue, or run jobs in the server itself',
    temperature: (remedy) =>
      `Set the provider's temperature to one the model accepts${remedy.example ? `, e.g. ${remedy.example}` : ''}`,
    maxTokens: (remedy) =>
      `Change the provider's maxTokens${remedy.example ? `, e.g. ${remedy.example}` : ''}`,
    provider: (remedy) =>
      `Set the provider's preset${remedy.example ? ` (one of ${remedy.example})` : ''}, or give its baseUrl`,
    configFile: () => 'Ask whoever runs the server to check its provider config file (REQASE_CONFIG)',
  },
  value: (remedy) => {
    const allowed = remedy.allowed?.length ? ` (one of ${remedy.allowed.join(', ')})` : '';
    const example = remedy.example ? `, e.g. ${remedy.example}` : '';
    return `Give ${remedy.field}${allowed}${example}`;
  },
  action: {
    'list-projects': () => 'List the projects with GET /api/projects',
    'create-project': (remedy) =>
      `Create ${remedy.project ? `the project "${remedy.project}"` : 'the project'} with POST /api/projects`,
    'list-stories': (remedy) => `List the project's stories with GET ${projectPath(remedy.project)}/stories`,
    'import-stories': (remedy) => `Import stories with POST ${projectPath(remedy.project)}/stories/import`,
    'list-test-cases': (remedy) =>
      `List the test cases with GET ${projectPath(remedy.project)}/test-cases and use a case's id`,
    'edit-test-case': () => 'Edit the case with PATCH /api/test-cases/{id}',
    'list-jobs': (remedy) => `List the jobs with GET ${projectPath(remedy.project)}/jobs`,
    'show-job': (remedy) => `Follow the job with GET /api/jobs/${remedy.job ?? '{id}'}`,
    'cancel-job': (remedy) => `Cancel it with POST /api/jobs/${remedy.job ?? '{id}'}/cancel and start again`,
    'start-job': (remedy) => `Start a new job with POST ${projectPath(remedy.project)}/jobs`,
    'list-providers': () => 'List the providers with GET /api/providers',
    'add-provider': () => 'Add a provider (baseUrl, model, apiKey) with POST /api/providers',
    'add-provider-key': (remedy) =>
      `Store the API key of ${remedy.provider ? `provider "${remedy.provider}"` : 'the provider'} again (apiKey, POST /api/providers)`,
    'set-default-provider': (remedy) =>
      `Make it the default provider of the project (PATCH ${projectPath(remedy.project)})`,
    'check-endpoint': () => 'Check the endpoint with POST /api/providers/check',
    'list-connections': () => 'List the connections with GET /api/connections',
    'add-connection': () => 'Add a connection with POST /api/connections',
    'list-push-jobs': (remedy) => `List the push jobs with GET ${projectPath(remedy.project)}/push/jobs`,
    'map-csv-columns': () =>
      "Name the file's columns as the import knows them (Summary or Title, Key, Description, Acceptance Criteria) and import it again: the API finds the columns by their headers",
  },
};
