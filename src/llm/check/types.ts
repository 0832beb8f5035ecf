/**
 * The endpoint checker's public shapes: options, one verdict per check, the report.
 */

/** Stable ids of the checks, in the order the report lists them. */
import type { Remedy } from '../../shared/remedy.ts';

export const CHECK_IDS = [
  'reachable',
  'path',
  'auth',
  'auth-required',
  'json',
  'structure',
  'content',
  'role',
  'model',
  'metadata',
  'usage',
  'max-tokens',
  'temperature',
  'system-message',
  'json-mode',
  'streaming',
  'models',
  'error-format',
  'openai-client',
  'test-generation',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** `fail` makes the endpoint incompatible; `warn` is a deviation Reqase Lite lives with. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** One line with what was observed. */
  message: string;
  /** What to do, when the check did not pass, in words of no surface. */
  fix?: string;
  /** The same advice as data, worded by each surface (`renderCheckReport`'s `wording`). */
  remedies?: Remedy[];
  /** Time spent on this check's own requests, in ms; 0 for verdicts read from another check's answer. */
  ms: number;
  /** `json-mode` only: the strongest `response_format` the endpoint honoured (`text`: none). */
  responseMode?: 'json_schema' | 'json_object' | 'text';
  /** `models` only: the model ids `GET /models` listed (offered as choices after a check). */
  servedModels?: string[];
  /** Set when this verdict follows from the report's `rootCause` (fixing that fixes this). */
  consequenceOf?: CheckId;
}

/**
 * The one problem that explains the other failures (a model the endpoint does not serve, a wrong
 * path, a refused key): reports lead with it and mark the checks it explains.
 */
export interface RootCause {
  /** The check that found it. */
  check: CheckId;
  /** e.g. "Model 'fake-qa-modle' not found; this endpoint serves: …; did you mean 'fake-qa-model'?" */
  message: string;
  fix: string;
  /** The same advice as data, worded by each surface. */
  remedies?: Remedy[];
  /** The checks that failed, warned or were skipped because of it. */
  consequences: CheckId[];
}

export interface CheckReport {
  /** False when any check failed. */
  compatible: boolean;
  baseUrl: string;
  model: string;
  checks: CheckResult[];
  /** The problem that explains the others, when there is one. */
  rootCause?: RootCause;
  /**
   * The structured-output mode to ask this endpoint for, from `json-mode`; absent when that check
   * did not run. Generation starts there instead of learning it from a refused first attempt.
   */
  responseMode?: 'json_schema' | 'json_object' | 'text';
  /** The equivalent cURL command, key masked. */
  curl: string;
}

/** Reads a model answer as test cases (the app passes core's answer parser). */
export type ParseTestCases = (text: string) => { count: number } | { error: string };

export interface EndpointCheckOptions {
  /** Base URL without the endpoint path, e.g. `http://localhost:8000/v1`. */
  baseUrl: string;
  /**
   * API key; sent as `Authorization: Bearer <key>`. Never shown: masked in every output.
   * `undefined`: no key is sent (the resolved configuration has none).
   */
  apiKey?: string | undefined;
  /** Model identifier as the endpoint knows it. */
  model: string;
  /** Bound of each request of the check, in ms (the whole run takes about two of them at most). */
  timeoutMilliseconds: number;
  /** Headers added to every request (e.g. for a gateway). */
  extraHeaders?: Record<string, string>;
  /** Injected `fetch`. Default: the global one. */
  fetch?: typeof fetch;
  /** Needed by the `test-generation` check; without it (or `undefined`) that check is `skip`. */
  parseTestCases?: ParseTestCases | undefined;
  /** Cancels the whole check; `runEndpointCheck` then rejects with `LlmCancelledError`. */
  signal?: AbortSignal;
}
