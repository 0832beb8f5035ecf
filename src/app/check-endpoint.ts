import { parseModelAnswer, type Story } from '../core/index.ts';
import { runEndpointCheck, type CheckReport, type ParseTestCases } from '../llm/check/index.ts';
import { resolveProviderConfig, type ProviderConfig } from '../llm/index.ts';
import { InvalidInputError } from '../shared/errors.ts';
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
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * The "Test connection" of the Custom AI Integration (web app and API): resolves inline settings
 * like `reqase check` does, then runs the endpoint checker with core's answer parser.
 */
export function createEndpointChecker(
  environment: { env: Readonly<Record<string, string | undefined>>; cwd: string },
  fetchFunction?: typeof fetch,
): (endpoint: EndpointToCheck) => Promise<CheckReport> {
  return async (endpoint) => {
    if (endpoint.config) return runCheck(endpoint.config, endpoint);
    const resolution = resolveProviderConfig({
      flags: {
        ...(endpoint.preset ? { provider: endpoint.preset } : {}),
        ...(endpoint.baseUrl ? { baseUrl: endpoint.baseUrl } : {}),
        ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}),
        ...(endpoint.model ? { model: endpoint.model } : {}),
      },
      // Only what the request gives: the server's own REQASE_* settings are not mixed into a check.
      env: {},
      cwd: environment.cwd,
      readTextFile: () => undefined,
    });
    if (resolution.kind === 'none') {
      throw new InvalidInputError('Nothing to check: give baseUrl and model (or a preset).', {
        fix: 'Send { "baseUrl": "http://localhost:8000/v1", "model": "NAME" }, plus "apiKey" when the endpoint needs one.',
      });
    }
    return runCheck(resolution.config, endpoint);
  };

  async function runCheck(config: ProviderConfig, endpoint: EndpointToCheck): Promise<CheckReport> {
    const report = await runEndpointCheck({
      baseUrl: config.baseUrl,
      ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
      model: config.model,
      timeoutMs: endpoint.timeoutMs,
      extraHeaders: config.extraHeaders,
      parseTestCases: parseCheckTestCases,
      ...(fetchFunction ? { fetch: fetchFunction } : {}),
      ...(endpoint.signal ? { signal: endpoint.signal } : {}),
    });
    return maskHeaderValues(report, Object.values(config.extraHeaders));
  }
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
