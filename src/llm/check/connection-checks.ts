/**
 * The checks that decide whether anything else can be checked: `reachable`, `path`, `auth`; and
 * `auth-required`, which probes with a wrong key once the right way in is known.
 */
import { EndpointUnreachableError } from '../errors.ts';
import {
  describeOutcome,
  helloRequest,
  probe,
  serverMessageOf,
  type AnsweredProbe,
  type AuthHeaderName,
  type ProbeContext,
  type ProbeOutcome,
  type ProbeRequest,
} from './probe.ts';
import type { CheckResult } from './types.ts';

/** What the connection checks found. `established` is set when the other checks can run. */
export interface ConnectionStage {
  results: CheckResult[];
  established?: {
    baseUrl: string;
    authHeader: AuthHeaderName;
    /** The answer to the contract's minimal request, which the response checks inspect. */
    primary: AnsweredProbe;
  };
  /** Why the other checks cannot run, when they cannot. */
  skipReason?: string;
}

const chatPath = '/chat/completions';

/**
 * Sends the contract's minimal request; on 404 probes the base URL with `/v1` added or removed; on
 * 401/403 with a key probes the `api-key` and `x-api-key` headers.
 */
export async function checkConnection(context: ProbeContext): Promise<ConnectionStage> {
  const request: ProbeRequest = { method: 'POST', path: chatPath, body: helloRequest(context.model) };
  const first = await probe(context, request);
  const url = `${context.baseUrl}${chatPath}`;
  if (first.kind !== 'answered') {
    return {
      results: [unreachableResult(context, first, url)],
      skipReason: 'Skipped: the endpoint is not reachable (see reachable).',
    };
  }
  const results: CheckResult[] = [
    { id: 'reachable', status: 'pass', message: `HTTP ${first.status} from POST ${url}.`, ms: first.ms },
  ];
  const path = await checkPath(context, request, first);
  results.push(path.result);
  if (!path.found) return { results, skipReason: 'Skipped: no chat completions path was found (see path).' };
  const auth = await checkAuth(context, { ...request, baseUrl: path.baseUrl }, path.answer);
  results.push(auth.result);
  if (!auth.accepted) return { results, skipReason: auth.skipReason };
  return {
    results,
    established: { baseUrl: path.baseUrl, authHeader: auth.authHeader, primary: auth.answer },
  };
}

type PathStep =
  | { found: true; result: CheckResult; baseUrl: string; answer: AnsweredProbe }
  | { found: false; result: CheckResult };

/** `path`: the base URL as given, or with `/v1` added or removed when that one answers. */
async function checkPath(
  context: ProbeContext,
  request: ProbeRequest,
  first: AnsweredProbe,
): Promise<PathStep> {
  const url = `${context.baseUrl}${chatPath}`;
  if (!isPathMissing(first)) {
    const modelNote = first.status === 404 ? ' (the 404 is about the model, see structure)' : '';
    return {
      found: true,
      result: { id: 'path', status: 'pass', message: `POST ${url} is served${modelNote}.`, ms: 0 },
      baseUrl: context.baseUrl,
      answer: first,
    };
  }
  const alternative = alternativeBaseUrl(context.baseUrl);
  const second = await probe(context, { ...request, baseUrl: alternative });
  if (second.kind === 'answered' && !isPathMissing(second)) {
    return {
      found: true,
      result: {
        id: 'path',
        status: 'fail',
        message: `POST ${url} answered HTTP ${first.status}, but POST ${alternative}${chatPath} answers (HTTP ${second.status}): the base URL should be ${alternative}. The other checks ran against it.`,
        fix: /\/v1$/i.test(alternative)
          ? `Use the base URL ${alternative} (REQASE_BASE_URL, or baseUrl in the provider config).`
          : `Use the base URL ${alternative} and set REQASE_BASE_URL_EXACT=1 (or baseUrlExact: true in the config file): Reqase Lite otherwise adds /v1 to a bare host.`,
        ...(/\/v1$/i.test(alternative)
          ? { remedies: [{ kind: 'set-setting', setting: 'baseUrl', example: alternative }] }
          : {}),
        ms: second.ms,
      },
      baseUrl: alternative,
      answer: second,
    };
  }
  return {
    found: false,
    result: {
      id: 'path',
      status: 'fail',
      message: `POST ${url} answered HTTP ${first.status} (not served), and so did ${alternative}${chatPath} (${describeOutcome(second)}).`,
      fix: "Give the base URL that comes before /chat/completions, usually ending in /v1 (e.g. http://localhost:8000/v1); check the server's docs for its OpenAI-compatible path.",
      remedies: [
        {
          kind: 'set-setting',
          setting: 'baseUrl',
          example: 'http://localhost:8000/v1',
          note: "the part before /chat/completions, usually ending in /v1 (see the server's docs for its OpenAI-compatible path)",
        },
      ],
      ms: second.ms,
    },
  };
}

type AuthStep =
  | { accepted: true; result: CheckResult; authHeader: AuthHeaderName; answer: AnsweredProbe }
  | { accepted: false; result: CheckResult; skipReason: string };

const KEY_MISSING: Pick<CheckResult, 'fix' | 'remedies'> = {
  fix: 'Give the API key (REQASE_API_KEY; OPENAI_API_KEY also works); it is sent as `Authorization: Bearer <key>`.',
  remedies: [{ kind: 'set-setting', setting: 'apiKey', note: 'it is sent as `Authorization: Bearer <key>`' }],
};

const KEY_NOT_ALLOWED: Pick<CheckResult, 'fix' | 'remedies'> = {
  fix: 'The key is known but not allowed: check its permissions and its access to this model.',
};

const KEY_REFUSED: Pick<CheckResult, 'fix' | 'remedies'> = {
  fix: 'Check the API key: it may be wrong, expired or for another endpoint. The endpoint must accept `Authorization: Bearer <key>`.',
  remedies: [
    {
      kind: 'set-setting',
      setting: 'apiKey',
      note: 'the key may be wrong, expired or for another endpoint (it is sent as `Authorization: Bearer <key>`)',
    },
  ],
};

/** `auth`: the key accepted as Bearer, or in the `api-key` / `x-api-key` header when Bearer is refused. */
async function checkAuth(
  context: ProbeContext,
  request: ProbeRequest,
  current: AnsweredProbe,
): Promise<AuthStep> {
  if (current.status !== 401 && current.status !== 403) {
    return {
      accepted: true,
      result: {
        id: 'auth',
        status: 'pass',
        message: context.apiKey
          ? 'The key is accepted via `Authorization: Bearer`.'
          : 'No key was given and the endpoint answered without one.',
        ms: 0,
      },
      authHeader: 'authorization',
      answer: current,
    };
  }
  const refusedBy = `HTTP ${current.status}${quoted(serverMessageOf(current))}`;
  if (!context.apiKey) {
    return {
      accepted: false,
      result: {
        id: 'auth',
        status: 'fail',
        message: `Authentication error: the endpoint requires an API key and none was given (${refusedBy}).`,
        ...KEY_MISSING,
        ms: 0,
      },
      skipReason: 'Skipped: the endpoint refused the request (see auth).',
    };
  }
  const headerNames: AuthHeaderName[] = ['api-key', 'x-api-key'];
  const attempts = await Promise.all(
    headerNames.map((header) => probe(context, { ...request, authHeader: header })),
  );
  const attemptsMilliseconds = Math.max(...attempts.map((attempt) => attempt.ms));
  const working = attempts.findIndex(
    (attempt) => attempt.kind === 'answered' && attempt.status !== 401 && attempt.status !== 403,
  );
  const workingHeader = headerNames[working];
  const workingAttempt = attempts[working];
  if (workingHeader && workingAttempt?.kind === 'answered') {
    return {
      accepted: true,
      result: {
        id: 'auth',
        status: 'fail',
        message: `Authentication error: the key was refused as \`Authorization: Bearer\` (${refusedBy}) but accepted in the \`${workingHeader}\` header. The other checks used that header.`,
        fix: `Configure the endpoint to accept \`Authorization: Bearer <key>\` (the contract), or put a proxy such as LiteLLM in front of it; meanwhile set authHeader: ${workingHeader} in the provider config.`,
        ms: attemptsMilliseconds,
      },
      authHeader: workingHeader,
      answer: workingAttempt,
    };
  }
  return {
    accepted: false,
    result: {
      id: 'auth',
      status: 'fail',
      message: `Authentication error: the endpoint refused the key (${refusedBy}); the \`api-key\` and \`x-api-key\` headers were refused too.`,
      ...(current.status === 403 ? KEY_NOT_ALLOWED : KEY_REFUSED),
      ms: attemptsMilliseconds,
    },
    skipReason: 'Skipped: the endpoint refused the key (see auth).',
  };
}

/** `auth-required`: a wrong key must be refused with 401/403. */
export async function checkAuthRequired(context: ProbeContext): Promise<CheckResult> {
  const outcome = await probe(context, {
    method: 'POST',
    path: chatPath,
    body: helloRequest(context.model),
    apiKey: 'reqase-check-wrong-key-0000000000',
  });
  const header = context.authHeader === 'authorization' ? 'Authorization: Bearer' : context.authHeader;
  if (outcome.kind !== 'answered') {
    return {
      id: 'auth-required',
      status: 'warn',
      message: `A request with a wrong key got ${describeOutcome(outcome)}, so key checking could not be confirmed.`,
      fix: 'Run the check again; if it keeps happening, check the server logs.',
      ms: outcome.ms,
    };
  }
  if (outcome.status === 401 || outcome.status === 403) {
    return {
      id: 'auth-required',
      status: 'pass',
      message: `A wrong key (${header}) is refused with HTTP ${outcome.status}.`,
      ms: outcome.ms,
    };
  }
  if (outcome.status >= 200 && outcome.status < 300) {
    return {
      id: 'auth-required',
      status: 'warn',
      message: `A wrong key was accepted (HTTP ${outcome.status}): anyone who can reach the endpoint can use it.`,
      fix: 'If others can reach this server, turn on key checking (e.g. LiteLLM master_key, vLLM --api-key, or a gateway); for a server only you can reach, this is fine.',
      ms: outcome.ms,
    };
  }
  return {
    id: 'auth-required',
    status: 'warn',
    message: `A wrong key got HTTP ${outcome.status}${quoted(serverMessageOf(outcome))} instead of 401 or 403.`,
    fix: 'Answer a wrong or missing key with HTTP 401 (OpenAI clients then report an authentication error, not a generic failure).',
    ms: outcome.ms,
  };
}

function unreachableResult(context: ProbeContext, outcome: ProbeOutcome, url: string): CheckResult {
  if (outcome.kind === 'timeout') {
    return {
      id: 'reachable',
      status: 'fail',
      message: `No HTTP answer from POST ${url} within ${outcome.timeoutMilliseconds} ms.`,
      fix: 'Check that the server is running and not stuck (loading a large model can take minutes), that nothing between you and it swallows requests, or raise the timeout.',
      remedies: [
        {
          kind: 'set-setting',
          setting: 'timeout',
          note: 'or check that the server is running and not stuck (loading a large model can take minutes) and that nothing between you and it swallows requests',
        },
      ],
      ms: outcome.ms,
    };
  }
  const reason = outcome.kind === 'network' ? outcome.reason : 'no answer';
  const error = new EndpointUnreachableError(context.baseUrl, reason, { secrets: [context.apiKey] });
  return {
    id: 'reachable',
    status: 'fail',
    message: `Could not connect to ${context.baseUrl} (${reason}).`,
    ...(error.fix ? { fix: error.fix } : {}),
    ...(error.remedies.length > 0 ? { remedies: [...error.remedies] } : {}),
    ms: outcome.ms,
  };
}

/** 404/405 that is not about the model: nothing serves chat completions at this path. */
function isPathMissing(outcome: ProbeOutcome): boolean {
  if (outcome.kind !== 'answered') return false;
  if (outcome.status !== 404 && outcome.status !== 405) return false;
  if (outcome.status === 404 && isModelNotFound(outcome)) return false;
  return true;
}

/** A 404 that names the model (OpenAI `model_not_found`, Ollama "model … not found"). */
export function isModelNotFound(outcome: AnsweredProbe): boolean {
  if (outcome.status !== 404) return false;
  const body = outcome.isJson ? (outcome.json as { error?: { code?: unknown }; code?: unknown }) : undefined;
  const code = body?.error?.code ?? body?.code;
  if (code === 'model_not_found' || code === 'DeploymentNotFound') return true;
  const message = (serverMessageOf(outcome) ?? '').toLowerCase();
  return /\bmodel\b|deployment/.test(message);
}

/** The base URL with `/v1` removed when it ends with it, added otherwise. */
export function alternativeBaseUrl(baseUrl: string): string {
  return /\/v1$/i.test(baseUrl) ? baseUrl.replace(/\/v1$/i, '') : `${baseUrl}/v1`;
}

function quoted(message: string | undefined): string {
  return message ? `: "${message}"` : '';
}
