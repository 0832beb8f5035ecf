/**
 * The web app's client of the Reqase Lite HTTP API: `hc<AppType>` over the server's own route
 * types, so every path, body and answer below is checked against the server by `npm run typecheck`.
 * `AppType` is imported as a type only: no server code reaches the browser bundle.
 */
import { hc, type InferRequestType, type InferResponseType } from 'hono/client';
import type { AppType } from '../../src/server/index.ts';
import { ApiError, readEventStream, transport } from './transport.ts';
import { errorForWeb, type Remedy } from './remedy-wording.ts';

export { ApiError, readEventStream, setUnauthorizedHandler } from './transport.ts';

const client = hc<AppType>('/', { fetch: transport }).api;

// ---------------------------------------------------------------------------------------------
// Wire types, read off the routes

type TestCaseRoutes = (typeof client)['test-cases'];
type ProjectRoutes = (typeof client.projects)[':project'];
type StoryRoutes = ProjectRoutes['stories'][':key'];

export type SessionState = InferResponseType<typeof client.session.$get, 200>;
export type Project = InferResponseType<typeof client.projects.$post, 201>;
export type ProjectDetails = InferResponseType<ProjectRoutes['$get'], 200>;
export type ProjectInput = InferRequestType<ProjectRoutes['$patch']>['json'];
export type StoryWithCoverage = InferResponseType<ProjectRoutes['stories']['$get'], 200>['stories'][number];
export type StoryDetails = InferResponseType<StoryRoutes['$get'], 200>;
export type StoryQuality = StoryDetails['quality'];
export type ImportResult = InferResponseType<ProjectRoutes['stories']['import']['$post'], 200>;
/** A stored case with its quality score and findings, as the case list and a case read by id carry it. */
export type ScoredTestCase = InferResponseType<TestCaseRoutes[':id']['$get'], 200>;
export type TestCaseQuality = ScoredTestCase['quality'];
/** A stored case; `quality` where the route scores it (the story page scores the story instead). */
export type StoredTestCase = Omit<ScoredTestCase, 'quality' | 'storyKey'> & {
  [Field in 'quality' | 'storyKey']?: ScoredTestCase[Field] | undefined;
};
export type CaseHistory = InferResponseType<TestCaseRoutes[':id']['history']['$get'], 200>;
/** The review table's query: filters, words, sort, page (every value a string, as in the address). */
export type TestCaseListQuery = InferRequestType<ProjectRoutes['test-cases']['$get']>['query'];
export type TestCaseListPage = InferResponseType<ProjectRoutes['test-cases']['$get'], 200>;
export type ListedTestCase = TestCaseListPage['testCases'][number];
/**
 * A JSON body as the web app sends it: an optional field is left out, never `undefined` (JSON has
 * no `undefined`; the OpenAPI document's types say the same).
 */
type SentJson<Body> =
  Body extends ReadonlyArray<infer Item>
    ? Array<SentJson<Item>>
    : Body extends object
      ? { [Field in keyof Body]: SentJson<Exclude<Body[Field], undefined>> }
      : Body;
export type TestCasePatch = SentJson<
  Omit<InferRequestType<TestCaseRoutes[':id']['$patch']>['json'], 'expectedVersion'>
>;
/** What the `done` event of a generation carries: the stored drafts. */
export type GenerationDone = Exclude<InferResponseType<StoryRoutes['generate']['$post'], 200>, Response>;
export type GenerationOptions = InferRequestType<StoryRoutes['generate']['$post']>['json'];
export type EngineSummary = GenerationDone['engine'];
/** A test case as generated (streamed) or as stored. */
export type TestCase = GenerationDone['testCases'][number];
export type TestStep = TestCase['steps'][number];
export type TestKind = TestCase['kind'];
export type TestFormat = Project['defaultFormat'];
export type TestCaseStatus = StoredTestCase['status'];
export type Provider = InferResponseType<typeof client.providers.$get, 200>['providers'][number];
export type ProviderInput = InferRequestType<typeof client.providers.$post>['json'];
export type ProviderPreset = InferResponseType<typeof client.providers.presets.$get, 200>['presets'][number];
export type CheckReport = InferResponseType<typeof client.providers.check.$post, 200>;
type JobWithTasks = InferResponseType<(typeof client.jobs)[':id']['$get'], 200>;
/** A bulk job; `tasks` (each story's) when it is read by id. */
export type Job = Omit<JobWithTasks, 'tasks'> & Partial<Pick<JobWithTasks, 'tasks'>>;
export type ExportFormat = InferRequestType<ProjectRoutes['export']['$get']>['query']['to'];
/** A stored connection to Jira or a test tool (its secret masked). */
export type Connection = InferResponseType<typeof client.connections.$get, 200>['connections'][number];
export type PushRequest = InferRequestType<ProjectRoutes['push']['$post']>['json'];
export type PushResult = InferResponseType<ProjectRoutes['push']['$post'], 200>;
export type PushTarget = PushRequest['to'];
export type PushOutcome = PushResult['cases'][number]['outcome'];

// Values for the forms. Each is a record over the server's type: a value added to or removed from
// the server's enum fails typecheck here until the web app follows.
export const FORMAT_LABELS: Record<TestFormat, string> = {
  bdd: 'BDD (Gherkin)',
  manual: 'Manual steps',
  generic: 'Generic',
};
export const TEST_FORMATS = Object.keys(FORMAT_LABELS) as TestFormat[];
const kindsOffered: Record<TestKind, true> = { positive: true, negative: true, boundary: true, edge: true };
export const TEST_KINDS = Object.keys(kindsOffered) as TestKind[];
const exportFormats: Record<ExportFormat, { label: string; extension: string }> = {
  'xray-json': { label: 'Xray (JSON)', extension: 'json' },
  'xray-csv': { label: 'Xray (CSV)', extension: 'csv' },
  zephyr: { label: 'Zephyr Scale (CSV)', extension: 'csv' },
  testrail: { label: 'TestRail (CSV)', extension: 'csv' },
  cucumber: { label: 'Cucumber (.feature)', extension: 'feature' },
  csv: { label: 'CSV', extension: 'csv' },
  markdown: { label: 'Markdown', extension: 'md' },
  json: { label: 'JSON', extension: 'json' },
};
export const EXPORT_FORMATS = Object.entries(exportFormats).map(([id, format]) => ({
  id: id as ExportFormat,
  label: format.label,
}));

export const PUSH_TARGET_LABELS: Record<PushTarget, string> = {
  testrail: 'TestRail',
  'xray-cloud': 'Xray Cloud',
  'xray-server': 'Xray Server/DC',
  'zephyr-scale': 'Zephyr Scale',
};

export interface ExportFilter {
  /** Default on the server: drafts and accepted cases (never rejected ones). */
  statuses?: TestCaseStatus[];
  storyKeys?: string[];
}

/** What a streamed generation reports, in order. */
export interface GenerationHandlers {
  onEngine?: (engine: EngineSummary) => void;
  onTestCase?: (testCase: TestCase) => void;
  onWarning?: (message: string) => void;
}

// ---------------------------------------------------------------------------------------------
// Calls

/** The JSON of a successful answer (a failed one was thrown as `ApiError` by the transport). */
async function read<Answer extends { json(): Promise<unknown>; status: number }>(
  pending: Promise<Answer>,
): Promise<SuccessBody<Answer>> {
  return (await (await pending).json()) as SuccessBody<Answer>;
}
type SuccessBody<Answer> = Answer extends { status: 200 | 201; json(): Promise<infer Body> } ? Body : never;

/** A path parameter as it goes into the address (hono's client does not encode it). */
const segment = (value: string) => encodeURIComponent(value);
const projectParam = (name: string) => ({ project: segment(name) });
const caseParam = (id: string) => ({ id: segment(id) });

/** File name from `Content-Disposition`, if any. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? fallback;
}

/** Streams a generation; resolves with the `done` payload, rejects with the `error` event's ApiError. */
async function streamGeneration(response: Response, handlers: GenerationHandlers): Promise<GenerationDone> {
  let result: GenerationDone | undefined;
  let failure: ApiError | undefined;
  await readEventStream(response, (event, data) => {
    const payload = data as Record<string, unknown>;
    if (event === 'engine') handlers.onEngine?.(payload as unknown as EngineSummary);
    else if (event === 'test-case') handlers.onTestCase?.((payload.testCase ?? payload) as TestCase);
    else if (event === 'warning') handlers.onWarning?.(String(payload.message ?? data));
    else if (event === 'done') result = payload as unknown as GenerationDone;
    else if (event === 'error') {
      const code = String(payload.code ?? 'error');
      const { message, fix } = errorForWeb({
        code,
        message: String(payload.message ?? 'The generation failed.'),
        fix: payload.fix as string | undefined,
        remedies: payload.remedies as Remedy[] | undefined,
      });
      failure = new ApiError(500, code, message, fix);
    }
  });
  if (failure) throw failure;
  if (!result)
    throw new ApiError(
      0,
      'stream_ended',
      'The generation stream ended before it finished.',
      'Try again; if it keeps happening, check the server log.',
    );
  return result;
}

// The route takes JSON or a multipart upload; hono's client types ask for both bodies, JSON is sent.
const importStories = client.projects[':project'].stories.import.$post;

export const api = {
  session: () => read(client.session.$get()),
  login: (token: string) => read(client.session.$post({ json: { token } })),
  logout: () => read(client.session.$delete()),

  listProjects: async () => (await read(client.projects.$get())).projects,
  createProject: (input: ProjectInput & { name: string }) => read(client.projects.$post({ json: input })),
  getProject: (name: string) => read(client.projects[':project'].$get({ param: projectParam(name) })),
  updateProject: (name: string, changes: ProjectInput) =>
    read(client.projects[':project'].$patch({ param: projectParam(name), json: changes })),

  importStories: (projectName: string, input: { content: string; fileName?: string }) =>
    read(
      importStories({ param: projectParam(projectName), json: input } as Parameters<typeof importStories>[0]),
    ),
  listStories: async (projectName: string) =>
    (
      await read(
        client.projects[':project'].stories.$get({
          param: projectParam(projectName),
          query: { limit: '1000' },
        }),
      )
    ).stories,
  getStory: (projectName: string, key: string) =>
    read(
      client.projects[':project'].stories[':key'].$get({
        param: { ...projectParam(projectName), key: segment(key) },
      }),
    ),
  /** Streams a generation for a stored story; the cases are stored as drafts when it is done. */
  generateForStory: async (
    projectName: string,
    key: string,
    options: GenerationOptions,
    handlers: GenerationHandlers,
    signal?: AbortSignal,
  ) =>
    streamGeneration(
      await client.projects[':project'].stories[':key'].generate.$post(
        { param: { ...projectParam(projectName), key: segment(key) }, json: options },
        { headers: { Accept: 'text/event-stream' }, init: signal ? { signal } : {} },
      ),
      handlers,
    ),

  listTestCases: async (
    projectName: string,
    filter: { storyKey?: string; statuses?: TestCaseStatus[] } = {},
  ) =>
    (
      await read(
        client.projects[':project']['test-cases'].$get({
          param: projectParam(projectName),
          query: {
            limit: '5000',
            quality: 'true',
            ...(filter.storyKey ? { story: filter.storyKey } : {}),
            ...(filter.statuses?.length ? { status: filter.statuses.join(',') } : {}),
          },
        }),
      )
    ).testCases,
  /** One page of the review table, each case with its quality score and findings. */
  listTestCasePage: (projectName: string, query: TestCaseListQuery) =>
    read(
      client.projects[':project']['test-cases'].$get({
        param: projectParam(projectName),
        query: { quality: 'true', ...query },
      }),
    ),
  getTestCase: (id: string) => read(client['test-cases'][':id'].$get({ param: caseParam(id) })),
  /** A new version of the case; refused (409) when it changed since `expectedVersion`. */
  editTestCase: (id: string, patch: TestCasePatch, expectedVersion?: number) =>
    read(
      client['test-cases'][':id'].$patch({
        param: caseParam(id),
        json: { ...patch, ...(expectedVersion === undefined ? {} : { expectedVersion }) },
      }),
    ),
  acceptTestCases: (ids: string[]) => read(client['test-cases'].accept.$post({ json: { ids } })),
  rejectTestCases: (ids: string[]) => read(client['test-cases'].reject.$post({ json: { ids } })),

  /**
   * Fetches the export; the caller saves the blob under `fileName`. A target giving several files
   * (Cucumber over several stories, a split Xray export, …) arrives as one .zip.
   */
  exportTestCases: async (projectName: string, format: ExportFormat, filter: ExportFilter = {}) => {
    const response = await client.projects[':project'].export.$get(
      {
        param: projectParam(projectName),
        query: {
          to: format,
          ...(filter.statuses?.length ? { status: filter.statuses.join(',') } : {}),
          ...(filter.storyKeys?.length ? { story: filter.storyKeys.join(',') } : {}),
        },
      },
      { headers: { Accept: '*/*' } },
    );
    return {
      blob: await response.blob(),
      fileName: fileNameOf(response, `${projectName}-${format}.${exportFormats[format].extension}`),
      testCaseCount: Number(response.headers.get('x-export-test-cases') ?? Number.NaN),
    };
  },

  listConnections: async () => (await read(client.connections.$get())).connections,
  /** Pushes the cases to a stored connection's tool; `dryRun` says what would happen, sending nothing. */
  push: (projectName: string, request: PushRequest) =>
    read(client.projects[':project'].push.$post({ param: projectParam(projectName), json: request })),

  /** The server's provider presets (OpenAI, LiteLLM, LocalAI, vLLM, FastChat, Ollama, LM Studio, …). */
  listPresets: async () => (await read(client.providers.presets.$get())).presets,
  listProviders: async () => (await read(client.providers.$get())).providers,
  /** Adds the provider, or replaces the one of that name (its stored key kept unless a new one is given). */
  saveProvider: (input: ProviderInput) => read(client.providers.$post({ json: input })),
  removeProvider: (name: string) =>
    read(client.providers[':name'].$delete({ param: { name: segment(name) } })),
  /** Runs the full endpoint check on settings not saved yet. */
  checkProvider: (input: InferRequestType<typeof client.providers.check.$post>['json']) =>
    read(client.providers.check.$post({ json: input })),
  /** Runs the full endpoint check on a stored provider, with its stored key. */
  /** The models a stored provider's endpoint serves (asked by the server with the stored key). */
  listProviderModels: async (name: string) =>
    (await read(client.providers[':name'].models.$get({ param: { name: segment(name) } }))).models,
  checkStoredProvider: (name: string) =>
    read(client.providers[':name'].check.$post({ param: { name: segment(name) }, json: {} })),

  /** Starts a bulk job for these stories; the server runs it and `getJob` reports its progress. */
  startJob: (projectName: string, storyKeys: string[], options: GenerationOptions) =>
    read(
      client.projects[':project'].jobs.$post({
        param: projectParam(projectName),
        json: { stories: storyKeys, ...options },
      }),
    ),
  getJob: (id: string) => read(client.jobs[':id'].$get({ param: caseParam(id) })),
  cancelJob: (id: string) => read(client.jobs[':id'].cancel.$post({ param: caseParam(id) })),
};

/** Saves a blob through the browser's download (an object URL on a temporary link). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The message and fix of any error, for display. */
export function describeError(error: unknown): { message: string; fix?: string; code?: string } {
  if (error instanceof ApiError)
    return { message: error.message, code: error.code, ...(error.fix ? { fix: error.fix } : {}) };
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

// ---------------------------------------------------------------------------------------------
// A case's history (versions with their actors), restore, generation audit and regenerate with
// feedback. Kept together so the components using them stay self-contained.

/** Every version of a case with who made it, how and when (the current one last). */
export type CaseHistoryEntry = CaseHistory['entries'][number];
/** The prompt and raw answer of the generation that wrote a case. */
export type GenerationAudit = InferResponseType<TestCaseRoutes[':id']['generation']['$get'], 200>;

export const historyApi = {
  history: (id: string) => read(client['test-cases'][':id'].history.$get({ param: caseParam(id) })),
  /** The earlier version's content as a new version; refused (409) when the case moved past `expectedVersion`. */
  restore: (id: string, version: number, expectedVersion?: number) =>
    read(
      client['test-cases'][':id'].restore.$post({
        param: caseParam(id),
        json: { version, ...(expectedVersion === undefined ? {} : { expectedVersion }) },
      }),
    ),
  generation: (id: string) => read(client['test-cases'][':id'].generation.$get({ param: caseParam(id) })),
  /** A replacement of the case; `feedback` (what should change) goes to the engine with the request. */
  regenerate: (id: string, feedback: string) =>
    read(
      client['test-cases'][':id'].regenerate.$post({
        param: caseParam(id),
        json: feedback.trim() ? { additionalContext: feedback.trim() } : {},
      }),
    ),
};
