/**
 * The one typed client of the Reqase Lite HTTP API. Every call the web app makes goes through
 * here, so a renamed route is a one-file fix. Errors arrive as `{ error: { code, message, fix? } }`
 * and are thrown as `ApiError` carrying all three.
 */

import type { ErrorBody } from '../../src/server/index.ts';
import { fixForWeb } from './remedy-wording.ts';

// ---------------------------------------------------------------------------------------------
// Wire types (the server's zod schemas are the source of truth; these mirror what the app reads)

export type TestFormat = 'bdd' | 'manual' | 'generic';
export type TestKind = 'positive' | 'negative' | 'boundary' | 'edge';
export type TestCaseStatus = 'draft' | 'accepted' | 'rejected';

export const TEST_FORMATS: readonly TestFormat[] = ['bdd', 'manual', 'generic'];
export const TEST_KINDS: readonly TestKind[] = ['positive', 'negative', 'boundary', 'edge'];
export const FORMAT_LABELS: Record<TestFormat, string> = {
  bdd: 'BDD (Gherkin)',
  manual: 'Manual steps',
  generic: 'Generic',
};

export interface AcceptanceCriterion {
  id: string;
  text: string;
}

export interface TestStep {
  action: string;
  data?: string;
  expected?: string;
}

/** A test case as generated (streamed) or as stored (then with review fields). */
export interface TestCase {
  id: string;
  title: string;
  kind: TestKind;
  priority: string;
  preconditions: string[];
  steps: TestStep[];
  gherkin?: string | null;
  covers: string[];
  engine: 'llm' | 'rules';
  warnings: string[];
}

export interface StoredTestCase extends TestCase {
  storyId: string;
  storyKey?: string;
  displayId: string;
  caseNumber: number;
  status: TestCaseStatus;
  needsReview: boolean;
  needsReviewReason: string | null;
  version: number;
  updatedAt: string;
}

export interface Health {
  status: 'ok';
  version: string;
  authenticationRequired: boolean;
  workspace: boolean;
}

export interface SessionState {
  authenticationRequired: boolean;
  authenticated: boolean;
  tokenName?: string;
  csrfToken?: string;
}

export interface Project {
  id: string;
  name: string;
  defaultFormat: TestFormat;
  testCaseRules: string;
  defaultProvider: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectDetails extends Project {
  storyCount: number;
  testCases: { total: number; draft: number; accepted: number; rejected: number; needsReview: number };
}

export interface ProjectInput {
  name?: string;
  defaultFormat?: TestFormat;
  testCaseRules?: string;
  /** `null` clears it. */
  defaultProvider?: string | null;
}

export interface Story {
  id: string;
  key: string;
  summary: string;
  description: string;
  acceptanceCriteria: AcceptanceCriterion[];
  outOfScope: string[];
  notes: string[];
  source: string;
  updatedAt: string;
}

/** A story in the list, with its coverage computed by the server. */
export interface StoryWithCoverage extends Story {
  coverage: {
    criteria: number;
    covered: number;
    uncovered: string[];
    testCases: number;
    accepted: number;
    needsReview: number;
    status: 'no-criteria' | 'not-generated' | 'partial' | 'covered';
  };
}

/** One quality finding: what is wrong and how to fix it (server schema `QualityFinding`). */
export interface QualityFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix: string;
  testCaseId?: string;
  criterionId?: string;
}

/** Quality score 0–100 of a story and each of its cases (server schema `StoryQuality`). */
export interface StoryQuality {
  score: number;
  cases: Array<{ testCaseId: string; score: number; findings: QualityFinding[] }>;
  findings: QualityFinding[];
  counts: { error: number; warning: number; info: number };
}

export interface StoryDetails {
  story: Story;
  testCases: StoredTestCase[];
  coverage: Record<string, string[]>;
  uncovered: string[];
  quality: StoryQuality;
}

export interface ImportResult {
  project: string;
  stories: Array<{ key: string; status: 'created' | 'unchanged' | 'changed'; markedForReview: string[] }>;
  warnings: string[];
}

export interface Provider {
  id: string;
  name: string;
  baseUrl: string;
  model: string;
  temperature: number | null;
  maxTokens: number | null;
  hasApiKey: boolean;
  apiKeyMasked: string;
}

export interface ProviderInput {
  name: string;
  preset?: string;
  baseUrl?: string;
  model?: string;
  /** Write-only. Absent keeps the stored key. */
  apiKey?: string;
  temperature?: number;
  maxTokens?: number;
}

export interface ProviderPreset {
  id: string;
  label: string;
  baseUrl: string;
  defaultModel?: string;
  requiresApiKey: boolean;
  /** Which header carries the key: `authorization` (Bearer), `api-key` or `x-api-key`. */
  authHeader: 'authorization' | 'api-key' | 'x-api-key';
  /** One line on the server's known quirks. */
  quirks: string;
}

export interface CheckRow {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  message: string;
  fix?: string;
  ms: number;
}

export interface CheckReport {
  compatible: boolean;
  baseUrl: string;
  model: string;
  checks: CheckRow[];
  curl: string;
}

export interface GenerationOptions {
  format?: TestFormat;
  count?: number | { min: number; max: number };
  kinds?: TestKind[];
  additionalContext?: string;
  provider?: string;
  offline?: boolean;
}

export interface EngineSummary {
  kind: 'llm' | 'rules';
  description: string;
}

export interface GenerationDone {
  testCases?: StoredTestCase[];
  skipped?: string | null;
  warnings?: string[];
}

/** What a streamed generation reports, in order. */
export interface GenerationHandlers {
  onEngine?: (engine: EngineSummary) => void;
  onTestCase?: (testCase: TestCase) => void;
  onWarning?: (message: string) => void;
}

export type TestCasePatch = Partial<
  Pick<TestCase, 'title' | 'kind' | 'priority' | 'preconditions' | 'steps' | 'covers'> & {
    gherkin: string | null;
  }
>;

export interface CaseHistory {
  testCase: StoredTestCase & { origin: string; editedByPerson: boolean };
  /** `origin`: how the version came about; `note`: the change that replaced it. */
  versions: Array<{
    version: number;
    content: Omit<TestCase, 'id'>;
    editedAt: string;
    note: string | null;
    origin: string;
  }>;
}

export const EXPORT_FORMATS = [
  { id: 'xray-json', label: 'Xray (JSON)' },
  { id: 'xray-csv', label: 'Xray (CSV)' },
  { id: 'zephyr', label: 'Zephyr Scale (CSV)' },
  { id: 'testrail', label: 'TestRail (CSV)' },
  { id: 'cucumber', label: 'Cucumber (.feature)' },
  { id: 'csv', label: 'CSV' },
  { id: 'markdown', label: 'Markdown' },
  { id: 'json', label: 'JSON' },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]['id'];

export interface ExportFilter {
  /** Default on the server: drafts and accepted cases (never rejected ones). */
  statuses?: TestCaseStatus[];
  storyKeys?: string[];
}

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'budget-exhausted';

export interface Job {
  id: string;
  status: JobStatus;
  error: string | null;
  progress: {
    total: number;
    pending: number;
    running: number;
    done: number;
    failed: number;
    testCases: number;
  };
  /** Each story's task (present when the job is read by id). */
  tasks?: Array<{
    storyKey: string;
    status: 'pending' | 'running' | 'done' | 'failed';
    lastError: string | null;
  }>;
}

// ---------------------------------------------------------------------------------------------
// Transport

/** A failed request: the server's code, message and fix (or a network failure said plainly). */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fix: string | undefined;
  constructor(status: number, code: string, message: string, fix?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fix = fix;
  }
}

/** Called when a request answers 401, so the app can show the login screen. */
let onUnauthorized: (() => void) | undefined;
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)reqase_csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

function headersFor(method: string, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { ...extra };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  return headers;
}

async function send(
  method: string,
  path: string,
  body?: unknown,
  options: { accept?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: headersFor(method, {
        Accept: options.accept ?? 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'network',
      'The server could not be reached.',
      'Check that `reqase serve` is running, then try again.',
    );
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function errorFrom(response: Response): Promise<ApiError> {
  if (response.status === 401) onUnauthorized?.();
  try {
    const parsed = (await response.json()) as Partial<ErrorBody>;
    if (parsed.error?.message) {
      return new ApiError(
        response.status,
        parsed.error.code ?? 'error',
        parsed.error.message,
        fixForWeb(parsed.error.remedies) ?? parsed.error.fix,
      );
    }
  } catch {
    // Not JSON: fall through to a plain description.
  }
  if (response.status === 404) {
    return new ApiError(
      404,
      'not_found',
      `This server has no ${response.url.replace(location.origin, '')} route.`,
      'Update Reqase Lite so the server and the web app match.',
    );
  }
  return new ApiError(
    response.status,
    'http_error',
    `The server answered ${response.status} ${response.statusText}.`,
  );
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  return (await response.json()) as T;
}

/**
 * Reads a `text/event-stream` body, calling `onEvent` for each complete event as it arrives.
 * (EventSource cannot POST, so the stream is read from fetch's body.)
 */
export async function readEventStream(
  response: Response,
  onEvent: (event: string, data: unknown) => void,
): Promise<void> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, '\n');
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      dispatch(block, onEvent);
      boundary = buffer.indexOf('\n\n');
    }
  }
  if (buffer.trim()) dispatch(buffer, onEvent);
}

function dispatch(block: string, onEvent: (event: string, data: unknown) => void): void {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return;
  const text = data.join('\n');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Keep the text.
  }
  onEvent(event, parsed);
}

/** Streams a generation; resolves with the `done` payload, rejects with the `error` event's ApiError. */
async function streamGeneration(
  path: string,
  body: unknown,
  handlers: GenerationHandlers,
  signal?: AbortSignal,
): Promise<GenerationDone> {
  const response = await send('POST', path, body, {
    accept: 'text/event-stream',
    ...(signal ? { signal } : {}),
  });
  let result: GenerationDone | undefined;
  let failure: ApiError | undefined;
  await readEventStream(response, (event, data) => {
    const payload = data as Record<string, unknown>;
    if (event === 'engine') handlers.onEngine?.(payload as unknown as EngineSummary);
    else if (event === 'test-case') handlers.onTestCase?.((payload.testCase ?? payload) as TestCase);
    else if (event === 'warning') handlers.onWarning?.(String(payload.message ?? data));
    else if (event === 'done') result = payload as GenerationDone;
    else if (event === 'error') {
      failure = new ApiError(
        500,
        String(payload.code ?? 'error'),
        String(payload.message ?? 'The generation failed.'),
        payload.fix as string | undefined,
      );
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

const project = (name: string) => `/api/projects/${encodeURIComponent(name)}`;
const story = (projectName: string, key: string) =>
  `${project(projectName)}/stories/${encodeURIComponent(key)}`;
const testCase = (id: string) => `/api/test-cases/${encodeURIComponent(id)}`;

function query(parameters: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters))
    if (value !== undefined && value !== '') search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** File name from `Content-Disposition`, if any. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? fallback;
}

const exportExtensions: Record<ExportFormat, string> = {
  'xray-json': 'json',
  'xray-csv': 'csv',
  zephyr: 'csv',
  testrail: 'csv',
  cucumber: 'feature',
  csv: 'csv',
  markdown: 'md',
  json: 'json',
};

// ---------------------------------------------------------------------------------------------
// Calls

export const api = {
  health: () => json<Health>('GET', '/api/health'),
  session: () => json<SessionState>('GET', '/api/session'),
  login: (token: string) => json<SessionState>('POST', '/api/session', { token }),
  logout: () => json<{ ok: true }>('DELETE', '/api/session'),

  listProjects: async () => (await json<{ projects: Project[] }>('GET', '/api/projects')).projects,
  createProject: (input: ProjectInput & { name: string }) => json<Project>('POST', '/api/projects', input),
  getProject: (name: string) => json<ProjectDetails>('GET', project(name)),
  updateProject: (name: string, changes: ProjectInput) => json<Project>('PATCH', project(name), changes),

  importStories: (projectName: string, input: { content: string; fileName?: string }) =>
    json<ImportResult>('POST', `${project(projectName)}/stories/import`, input),
  listStories: async (projectName: string) =>
    (
      await json<{ stories: StoryWithCoverage[]; total: number }>(
        'GET',
        `${project(projectName)}/stories${query({ limit: '1000' })}`,
      )
    ).stories,
  getStory: (projectName: string, key: string) => json<StoryDetails>('GET', story(projectName, key)),
  /** Streams a generation for a stored story; the cases are stored as drafts when it is done. */
  generateForStory: (
    projectName: string,
    key: string,
    options: GenerationOptions,
    handlers: GenerationHandlers,
    signal?: AbortSignal,
  ) => streamGeneration(`${story(projectName, key)}/generate`, options, handlers, signal),

  listTestCases: async (
    projectName: string,
    filter: { storyKey?: string; statuses?: TestCaseStatus[] } = {},
  ) =>
    (
      await json<{ testCases: StoredTestCase[]; total: number }>(
        'GET',
        `${project(projectName)}/test-cases${query({ story: filter.storyKey, status: filter.statuses?.join(','), limit: '5000' })}`,
      )
    ).testCases,
  /** A new version of the case; refused (409) when it changed since `expectedVersion`. */
  editTestCase: (id: string, patch: TestCasePatch, expectedVersion?: number) =>
    json<StoredTestCase>('PATCH', testCase(id), {
      ...patch,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    }),
  acceptTestCases: (ids: string[]) => json<{ changed: number }>('POST', '/api/test-cases/accept', { ids }),
  rejectTestCases: (ids: string[]) => json<{ changed: number }>('POST', '/api/test-cases/reject', { ids }),
  regenerateTestCase: (id: string, additionalContext?: string) =>
    json<{ testCase: StoredTestCase; engine: EngineSummary }>(
      'POST',
      `${testCase(id)}/regenerate`,
      additionalContext ? { additionalContext } : {},
    ),
  testCaseHistory: (id: string) => json<CaseHistory>('GET', `${testCase(id)}/history`),

  /**
   * Fetches the export; the caller saves the blob under `fileName`. A target giving several files
   * (Cucumber over several stories, a split Xray export, …) arrives as one .zip.
   */
  exportTestCases: async (projectName: string, format: ExportFormat, filter: ExportFilter = {}) => {
    const response = await send(
      'GET',
      `${project(projectName)}/export${query({ to: format, status: filter.statuses?.join(','), story: filter.storyKeys?.join(',') })}`,
      undefined,
      { accept: '*/*' },
    );
    return {
      blob: await response.blob(),
      fileName: fileNameOf(response, `${projectName}-${format}.${exportExtensions[format]}`),
      testCaseCount: Number(response.headers.get('x-export-test-cases') ?? Number.NaN),
    };
  },

  /** The server's provider presets (OpenAI, LiteLLM, LocalAI, vLLM, FastChat, Ollama, LM Studio, …). */
  listPresets: async () =>
    (await json<{ presets: ProviderPreset[] }>('GET', '/api/providers/presets')).presets,
  listProviders: async () => (await json<{ providers: Provider[] }>('GET', '/api/providers')).providers,
  /** Adds the provider, or replaces the one of that name (its stored key kept unless a new one is given). */
  saveProvider: (input: ProviderInput) =>
    json<{ provider: Provider; notices: string[] }>('POST', '/api/providers', input),
  removeProvider: (name: string) =>
    json<{ ok: true }>('DELETE', `/api/providers/${encodeURIComponent(name)}`),
  /** Runs the full endpoint check on settings not saved yet. */
  checkProvider: (input: { preset?: string; baseUrl?: string; model?: string; apiKey?: string }) =>
    json<CheckReport>('POST', '/api/providers/check', input),
  /** Runs the full endpoint check on a stored provider, with its stored key. */
  checkStoredProvider: (name: string) =>
    json<CheckReport>('POST', `/api/providers/${encodeURIComponent(name)}/check`, {}),

  /** Starts a bulk job for these stories; the server runs it and `getJob` reports its progress. */
  startJob: (projectName: string, storyKeys: string[], options: GenerationOptions) =>
    json<Job>('POST', `${project(projectName)}/jobs`, { stories: storyKeys, ...options }),
  getJob: (id: string) => json<Job>('GET', `/api/jobs/${encodeURIComponent(id)}`),
  cancelJob: (id: string) => json<Job>('POST', `/api/jobs/${encodeURIComponent(id)}/cancel`),
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
