import { parseModelAnswer, type Story } from '../core/index.ts';
import type { CheckReport, ParseTestCases } from '../llm/check/index.ts';
import type { ProviderConfig } from '../llm/index.ts';
import { InvalidInputError, ReqaseError } from '../shared/errors.ts';
import { redactSecrets } from '../shared/secrets.ts';
import { fileResponseModeMemory } from './response-mode-memory.ts';

/** The story the checker's `test-generation` request describes (kept in step with its prompt). */
const checkStory: Story = {
  key: 'CHECK-1',
  summary: 'Log in with email and password',
  description: 'As a registered user I want to log in with my email and password.',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'Valid credentials open the dashboard.' },
    { id: 'AC-2', text: 'A wrong password shows an error.' },
  ],
  outOfScope: [],
  notes: [],
  source: 'text',
};

/**
 * Core's answer parser, in the shape the endpoint checker takes, so `reqase check` and the web
 * app's "Test connection" can tell whether a tiny generation yields test cases Reqase Lite reads.
 */
export const parseCheckTestCases: ParseTestCases = (text) => {
  const parsed = parseModelAnswer(text, { format: 'manual', story: checkStory });
  return parsed.ok ? { count: parsed.value.testCases.length } : { error: parsed.error.message };
};

/** What to check: inline settings (preset, base URL, model, key) or a stored provider's configuration. */
export interface EndpointToCheck {
  preset?: string;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  /** A stored provider's configuration (key decrypted); used instead of the fields above. */
  config?: ProviderConfig;
  /** Bound of each request of the check, in ms. */
  timeoutMilliseconds: number;
  signal?: AbortSignal;
}

/** One endpoint check: the settings given, where else to look for them, and how to check. */
export interface EndpointCheckRequest extends EndpointToCheck {
  /**
   * Where REQASE_* / OPENAI_* variables and the config file are read (`readTextFile` returning
   * `undefined` ignores the config file).
   */
  environment: {
    env: Readonly<Record<string, string | undefined>>;
    cwd: string;
    readTextFile?: (path: string) => string | undefined;
  };
  /** Parses the `test-generation` answer; the check is skipped without one. */
  parseTestCases?: ParseTestCases;
  /** Injected `fetch` for the checks. Default: the global one. */
  fetch?: typeof fetch;
  /**
   * Told, before the checks start, what resolving the settings noticed and which values must
   * never be printed (the key, header values), so a caller can show notices and redact early.
   */
  onResolved?: (notices: string[], secrets: string[]) => void;
}

/**
 * What a check came to. Settings that cannot be resolved (an unknown preset, a bad URL) and no
 * endpoint at all are values; a failure of the checker itself is thrown.
 */
export type EndpointCheckOutcome =
  | { kind: 'checked'; report: CheckReport; notices: string[]; secrets: string[] }
  | { kind: 'nothing-to-check' }
  | { kind: 'invalid-settings'; error: ReqaseError };

/**
 * Resolves the endpoint's settings (flags, then environment and config file when given), then runs
 * the endpoint checker: the one pipeline behind `reqase check` and the web app's "Test connection".
 *
 * @example
 * const outcome = await checkEndpoint({
 *   baseUrl: 'http://localhost:8000/v1', model: 'qwen', timeoutMilliseconds: 30_000,
 *   environment: { env: process.env, cwd: process.cwd() },
 * });
 * if (outcome.kind === 'checked') console.log(outcome.report.compatible);
 */
export async function checkEndpoint(request: EndpointCheckRequest): Promise<EndpointCheckOutcome> {
  // Loaded here: the checker and the `openai` package are only needed once a check runs.
  const [{ resolveProviderConfig }, { runEndpointCheck }] = await Promise.all([
    import('../llm/index.ts'),
    import('../llm/check/index.ts'),
  ]);
  let config = request.config;
  let notices: string[] = [];
  if (!config) {
    let resolution;
    try {
      resolution = resolveProviderConfig({
        flags: {
          ...(request.preset ? { provider: request.preset } : {}),
          ...(request.baseUrl ? { baseUrl: request.baseUrl } : {}),
          ...(request.apiKey ? { apiKey: request.apiKey } : {}),
          ...(request.model ? { model: request.model } : {}),
        },
        ...request.environment,
      });
    } catch (error) {
      if (error instanceof ReqaseError) return { kind: 'invalid-settings', error };
      throw error;
    }
    if (resolution.kind === 'none') return { kind: 'nothing-to-check' };
    config = resolution.config;
    notices = resolution.notices;
  }
  const headerValues = Object.values(config.extraHeaders);
  const secrets = [...(config.apiKey === undefined ? [] : [config.apiKey]), ...headerValues];
  request.onResolved?.(notices, secrets);
  const report = await runEndpointCheck({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    model: config.model,
    timeoutMilliseconds: request.timeoutMilliseconds,
    extraHeaders: config.extraHeaders,
    parseTestCases: request.parseTestCases,
    ...(request.fetch ? { fetch: request.fetch } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return { kind: 'checked', report: maskHeaderValues(report, headerValues), notices, secrets };
}

/**
 * The "Test connection" of the Custom AI Integration (web app and API): inline settings alone (the
 * server's own REQASE_* settings are not mixed into a check), checked with core's answer parser.
 */
export function createEndpointChecker(
  environment: { env: Readonly<Record<string, string | undefined>>; cwd: string },
  fetchFunction?: typeof fetch,
): (endpoint: EndpointToCheck) => Promise<CheckReport> {
  return async (endpoint) => {
    const outcome = await checkEndpoint({
      ...endpoint,
      environment: { env: {}, cwd: environment.cwd, readTextFile: () => undefined },
      parseTestCases: parseCheckTestCases,
      ...(fetchFunction ? { fetch: fetchFunction } : {}),
    });
    if (outcome.kind === 'invalid-settings') throw outcome.error;
    if (outcome.kind === 'nothing-to-check') {
      throw new InvalidInputError('Nothing to check: give baseUrl and model (or a preset).', {
        fix: 'Send { "baseUrl": "http://localhost:8000/v1", "model": "NAME" }, plus "apiKey" when the endpoint needs one.',
      });
    }
    return outcome.report;
  };
}

/**
 * The checker masks the values of headers whose name looks secret; a stored provider's header
 * values are all treated as secrets, so every one is masked in the report (its cURL included).
 */
function maskHeaderValues(report: CheckReport, values: string[]): CheckReport {
  if (values.length === 0) return report;
  const mask = (text: string): string => redactSecrets(text, values);
  return {
    ...report,
    curl: mask(report.curl),
    checks: report.checks.map((check) => ({
      ...check,
      message: mask(check.message),
      ...(check.fix === undefined ? {} : { fix: mask(check.fix) }),
    })),
  };
}

/**
 * Remembers the structured-output mode a check found for its endpoint and model, so the next
 * generation starts with it ("learned from `reqase check`").
 */
export function rememberCheckedResponseMode(report: CheckReport, dataDirectory: string): void {
  if (report.responseMode)
    fileResponseModeMemory(dataDirectory).remember(report.baseUrl, report.model, report.responseMode);
}
