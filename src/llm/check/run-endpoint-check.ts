/**
 * Runs every check against an endpoint and assembles the report.
 *
 * Order: the contract's minimal request first (reachable, path, auth, and the response checks
 * that read its answer); then every other check at once, each bounded by the timeout. An
 * endpoint that hangs therefore costs one timeout: when `reachable` fails, the rest is `skip`.
 */
import { ConfigurationError } from '../../shared/errors.ts';
import { redactSecrets } from '../../shared/secrets.ts';
import { LlmCancelledError } from '../errors.ts';
import { checkOpenAiClient, checkTestGeneration } from './client-checks.ts';
import { checkAuthRequired, checkConnection } from './connection-checks.ts';
import { renderCurl } from './curl.ts';
import { checkErrorFormat, checkModels } from './endpoint-checks.ts';
import { checkJsonMode, checkMaxTokens, checkSystemMessage, checkTemperature } from './parameter-checks.ts';
import type { ProbeContext } from './probe.ts';
import { checkResponse } from './response-checks.ts';
import { findRootCause } from './root-cause.ts';
import { checkStreaming } from './streaming-check.ts';
import {
  CHECK_IDS,
  type CheckId,
  type CheckReport,
  type CheckResult,
  type EndpointCheckOptions,
} from './types.ts';

/**
 * Checks an endpoint against the OpenAI chat completions contract.
 *
 * @example
 * const report = await runEndpointCheck({ baseUrl: 'http://localhost:8000/v1', model: 'llama3.1', timeoutMilliseconds: 10_000 });
 * if (!report.compatible) console.log(renderCheckReport(report, { color: false }));
 */
export async function runEndpointCheck(options: EndpointCheckOptions): Promise<CheckReport> {
  const context = probeContextOf(options);
  const apiKey = context.apiKey;
  try {
    const results = await runChecks(context, options);
    const diagnosis = findRootCause(results, options.model);
    return redactReport(
      {
        compatible: results.every((result) => result.status !== 'fail'),
        baseUrl: context.baseUrl,
        model: options.model,
        checks: diagnosis.results,
        ...(diagnosis.rootCause ? { rootCause: diagnosis.rootCause } : {}),
        ...responseModeOf(results),
        curl: renderCurl({
          baseUrl: context.baseUrl,
          model: options.model,
          ...(apiKey ? { apiKey } : {}),
          extraHeaders: context.extraHeaders,
        }),
      },
      [apiKey, ...secretHeaderValues(context.extraHeaders)],
    );
  } catch (error) {
    if (options.signal?.aborted) throw new LlmCancelledError({ cause: error, secrets: [apiKey] });
    throw error;
  }
}

/** The options checked and turned into the context every probe uses. */
function probeContextOf(options: EndpointCheckOptions): ProbeContext {
  const baseUrl = checkedBaseUrl(options.baseUrl);
  if (!options.model.trim()) {
    throw new ConfigurationError('No model to check.', {
      fix: 'Give the model name (REQASE_MODEL) as the endpoint lists it at GET /v1/models.',
      remedies: [{ kind: 'set-setting', setting: 'model' }],
    });
  }
  if (!(options.timeoutMilliseconds > 0)) {
    throw new ConfigurationError(
      `The timeout must be a positive number of milliseconds, got ${options.timeoutMilliseconds}.`,
      {
        fix: 'Give the timeout in seconds, e.g. 30.',
        remedies: [{ kind: 'set-setting', setting: 'timeout', example: '30' }],
      },
    );
  }
  return {
    baseUrl,
    apiKey: options.apiKey || undefined,
    authHeader: 'authorization',
    model: options.model,
    timeoutMilliseconds: options.timeoutMilliseconds,
    extraHeaders: options.extraHeaders ?? {},
    fetch: options.fetch ?? globalThis.fetch,
    signal: options.signal,
  };
}

/** Every check's result in `CHECK_IDS` order; those that could not run are `skip`. */
async function runChecks(context: ProbeContext, options: EndpointCheckOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const connection = await checkConnection(context);
  results.push(...connection.results);
  if (connection.established) {
    const established = connection.established;
    const working: ProbeContext = {
      ...context,
      baseUrl: established.baseUrl,
      authHeader: established.authHeader,
    };
    const responseResults = checkResponse(established.primary, { model: options.model });
    results.push(...responseResults);
    results.push(...(await runIndependentChecks(working, responseResults, options.parseTestCases)));
  }
  const known = new Set(results.map((result) => result.id));
  for (const id of CHECK_IDS) {
    if (!known.has(id)) {
      results.push({ id, status: 'skip', message: connection.skipReason ?? 'Skipped.', ms: 0 });
    }
  }
  return results.sort((left, right) => CHECK_IDS.indexOf(left.id) - CHECK_IDS.indexOf(right.id));
}

/** The checks that need only a working connection, all at once. */
function runIndependentChecks(
  working: ProbeContext,
  responseResults: CheckResult[],
  parseTestCases: EndpointCheckOptions['parseTestCases'],
): Promise<CheckResult[]> {
  const contentFailed = responseResults.some(
    (result) =>
      (result.id === 'content' || result.id === 'structure') &&
      result.status !== 'pass' &&
      result.status !== 'warn',
  );
  return Promise.all([
    checkAuthRequired(working),
    checkMaxTokens(working),
    checkTemperature(working),
    checkSystemMessage(working),
    contentFailed ? skipped('json-mode', contentSkip) : checkJsonMode(working),
    checkStreaming(working),
    checkModels(working),
    checkErrorFormat(working),
    checkOpenAiClient(working),
    contentFailed && parseTestCases
      ? skipped('test-generation', contentSkip)
      : checkTestGeneration(working, parseTestCases),
  ]);
}

const contentSkip = 'Skipped: the minimal request gave no usable content (see structure and content).';

function skipped(id: CheckId, message: string): Promise<CheckResult> {
  return Promise.resolve({ id, status: 'skip', message, ms: 0 });
}

/** Trims and drops a trailing slash and a pasted `/chat/completions`; the `path` check does the rest. */
function checkedBaseUrl(input: string): string {
  let text = input.trim().replace(/\/+$/, '');
  text = text.replace(/\/chat\/completions$/i, '');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch (cause) {
    throw new ConfigurationError(`The base URL "${input}" is not a valid URL.`, {
      fix: 'Give a full URL (REQASE_BASE_URL), e.g. http://localhost:8000/v1.',
      remedies: [{ kind: 'set-setting', setting: 'baseUrl', example: 'http://localhost:8000/v1' }],
      cause,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigurationError(
      `The base URL "${input}" uses ${parsed.protocol}; only http and https work.`,
      {
        fix: 'Give an http:// or https:// URL (REQASE_BASE_URL).',
        remedies: [{ kind: 'set-setting', setting: 'baseUrl', example: 'http://localhost:8000/v1' }],
      },
    );
  }
  return text;
}

const secretHeaderName = /auth|key|token|secret|cookie|session|password/i;

function secretHeaderValues(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name]) => secretHeaderName.test(name))
    .map(([, value]) => value);
}

function responseModeOf(results: CheckResult[]): Pick<CheckReport, 'responseMode'> {
  const responseMode = results.find((result) => result.id === 'json-mode')?.responseMode;
  return responseMode ? { responseMode } : {};
}

/** Every text of the report with the secrets masked: messages may quote servers that echo keys. */
function redactReport(report: CheckReport, secrets: Array<string | undefined>): CheckReport {
  const redact = (text: string): string => redactSecrets(text, secrets);
  return {
    ...report,
    baseUrl: redact(report.baseUrl),
    checks: report.checks.map((check) => ({
      ...check,
      message: redact(check.message),
      ...(check.fix === undefined ? {} : { fix: redact(check.fix) }),
    })),
    curl: redact(report.curl),
    ...(report.rootCause
      ? {
          rootCause: {
            ...report.rootCause,
            message: redact(report.rootCause.message),
            fix: redact(report.rootCause.fix),
          },
        }
      : {}),
  };
}
