/**
 * Checks of the endpoint around chat completions: `models` (the model list) and `error-format`
 * (how a malformed request is refused).
 */
import { describeOutcome, probe, serverMessageOf, shorten, type ProbeContext } from './probe.ts';
import type { CheckResult } from './types.ts';

/** `models`: `GET {base}/models` lists the configured model. */
export async function checkModels(context: ProbeContext): Promise<CheckResult> {
  const outcome = await probe(context, { method: 'GET', path: '/models' });
  const url = `${context.baseUrl}/models`;
  const listFix =
    'Reqase Lite uses GET /models to suggest model names and to check the configured one; serve it in OpenAI’s shape `{ "object": "list", "data": [{ "id": "…" }] }`.';
  if (outcome.kind !== 'answered' || outcome.status < 200 || outcome.status >= 300) {
    return {
      id: 'models',
      status: 'warn',
      message: `GET ${url} failed: ${describeOutcome(outcome)}.`,
      fix: listFix,
      ms: outcome.ms,
    };
  }
  const data = outcome.isJson ? (outcome.json as { data?: unknown } | null)?.data : undefined;
  if (!Array.isArray(data)) {
    return {
      id: 'models',
      status: 'warn',
      message: `GET ${url} answered, but not with a \`data\` array of models.`,
      fix: listFix,
      ms: outcome.ms,
    };
  }
  const ids = data
    .map((entry) => (entry && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string');
  if (ids.includes(context.model)) {
    return {
      id: 'models',
      status: 'pass',
      message: `GET /models lists ${ids.length} model(s), including "${context.model}".`,
      ms: outcome.ms,
      servedModels: ids,
    };
  }
  const shown = ids.slice(0, 8).join(', ') + (ids.length > 8 ? `, … (${ids.length} in all)` : '');
  return {
    id: 'models',
    status: 'warn',
    message: `GET /models does not list "${context.model}"; it lists: ${shown || 'nothing'}.`,
    fix: `Check the model name (REQASE_MODEL) against the list; an alias the server maps may still work${ids[0] ? `, otherwise use e.g. ${ids[0]}` : ''}.`,
    remedies: [
      {
        kind: 'set-setting',
        setting: 'model',
        ...(ids[0] ? { example: ids[0] } : {}),
        note: 'check it against the list; an alias the server maps may still work',
      },
    ],
    ms: outcome.ms,
    servedModels: ids,
  };
}

/** `error-format`: a malformed request gets a 4xx with `{ error: { message } }`. */
export async function checkErrorFormat(context: ProbeContext): Promise<CheckResult> {
  // Cut-off JSON: every server must refuse it, whatever its schema validation does.
  const outcome = await probe(context, {
    method: 'POST',
    path: '/chat/completions',
    rawBody: `{"model": ${JSON.stringify(context.model)}, "messages": [`,
  });
  const fix =
    'Refuse malformed requests with HTTP 400 and `{ "error": { "message": "…", "type": "invalid_request_error" } }`, so OpenAI clients show the reason; Reqase Lite also reads flat and FastAPI shapes.';
  if (outcome.kind !== 'answered') {
    return {
      id: 'error-format',
      status: 'warn',
      message: `A malformed request got ${describeOutcome(outcome)}.`,
      fix,
      ms: outcome.ms,
    };
  }
  const serverMessage = flatErrorMessage(outcome.json) ?? serverMessageOf(outcome);
  if (outcome.status < 400 || outcome.status >= 500) {
    return {
      id: 'error-format',
      status: 'warn',
      message: `A malformed request (cut-off JSON) got HTTP ${outcome.status}, not a 4xx${serverMessage ? ` ("${serverMessage}")` : ''}.`,
      fix,
      ms: outcome.ms,
    };
  }
  const error = outcome.isJson ? (outcome.json as { error?: unknown } | null)?.error : undefined;
  const openAiMessage =
    error && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
  if (typeof openAiMessage === 'string' && openAiMessage !== '') {
    return {
      id: 'error-format',
      status: 'pass',
      message: `A malformed request got HTTP ${outcome.status} with \`{error:{message}}\`: "${serverMessage}".`,
      ms: outcome.ms,
    };
  }
  return {
    id: 'error-format',
    status: 'warn',
    message: `A malformed request got HTTP ${outcome.status} but not \`{error:{message}}\`${serverMessage ? ` (the message found elsewhere: "${serverMessage}")` : ' (no message at all)'}.`,
    fix,
    ms: outcome.ms,
  };
}

/** Express-style `{ error: "SyntaxError", message: "…" }`: both parts say something. */
function flatErrorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  if (typeof error === 'string' && typeof message === 'string' && message !== '') {
    return shorten(`${error}: ${message}`, 200);
  }
  return undefined;
}
