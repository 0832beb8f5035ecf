/**
 * Checks of the answer to the contract's minimal request: `json`, `structure`, `content`, `role`,
 * `model`, `metadata`, `usage`. Pure: they read the one answer the connection checks got.
 */
import { isModelNotFound } from './connection-checks.ts';
import { isErrorBodyAtSuccess, serverMessageOf, textOfContent, type AnsweredProbe } from './probe.ts';
import type { CheckId, CheckResult } from './types.ts';

const missingFieldsFix =
  'Make the endpoint include `model`, `choices[0].message.role` ("assistant") and `choices[0].message.content` in every answer, or put a compatibility layer such as LiteLLM in front of it.';
const structureFix =
  'The endpoint must answer POST /chat/completions in OpenAI’s format, with a `choices` array of objects holding a `message`. Put a compatibility layer such as LiteLLM in front of it, or check that the base URL points at the OpenAI-compatible API.';
const standardFinishReasons = new Set(['stop', 'length', 'content_filter', 'tool_calls', 'function_call']);

/**
 * Judges the answer to the minimal request.
 *
 * @example checkResponse(stage.established.primary, { model: 'llama3.1' })
 */
export function checkResponse(answer: AnsweredProbe, context: { model: string }): CheckResult[] {
  // These verdicts read the answer `reachable` fetched: they cost no time of their own.
  const ms = 0;
  const results: CheckResult[] = [];
  const skipAll = (ids: CheckId[], message: string): void => {
    for (const id of ids) results.push({ id, status: 'skip', message, ms: 0 });
  };

  // json
  const jsonType = answer.contentType !== undefined && /[/+]json$/.test(answer.contentType);
  if (answer.isJson && jsonType) {
    results.push({ id: 'json', status: 'pass', message: `The answer is JSON (${answer.contentType}).`, ms });
  } else if (answer.isJson) {
    results.push({
      id: 'json',
      status: 'fail',
      message: `The answer is JSON but is sent as ${answer.contentType ?? 'no content type'}; the openai package then reads it as text.`,
      fix: 'Send answers with `Content-Type: application/json`.',
      ms,
    });
  } else {
    results.push({
      id: 'json',
      status: 'fail',
      message: `Incorrect response structure: the answer (HTTP ${answer.status}, ${answer.contentType ?? 'no content type'}) is not JSON${excerpt(answer.text)}.`,
      fix: `${answer.contentType === 'text/html' ? 'An HTML page usually means a web server or proxy answered instead of the model server: check the base URL. ' : ''}The endpoint must answer with OpenAI’s JSON chat completion.`,
      ms,
    });
    results.push({
      id: 'structure',
      status: 'fail',
      message: `Incorrect response structure: the answer is not JSON, so it has no \`choices\`.`,
      fix: structureFix,
      ms,
    });
    skipAll(['content', 'role', 'model', 'metadata', 'usage'], 'Skipped: the answer is not JSON (see json).');
    return results;
  }

  // structure: HTTP errors first, then error bodies at 2xx, then the shape.
  const serverMessage = serverMessageOf(answer);
  if (answer.status < 200 || answer.status >= 300) {
    results.push({
      id: 'structure',
      status: 'fail',
      message: `The minimal request got HTTP ${answer.status} instead of a chat completion${serverMessage ? `; the server said: "${serverMessage}"` : ''}.`,
      fix: httpFailureFix(answer, context.model),
      ms,
    });
    skipAll(
      ['content', 'role', 'model', 'metadata', 'usage'],
      'Skipped: there is no chat completion to inspect (see structure).',
    );
    return results;
  }
  if (isErrorBodyAtSuccess(answer)) {
    results.push({
      id: 'structure',
      status: 'fail',
      message: `Incorrect response structure: HTTP ${answer.status} carried an error instead of a completion; the server said: "${serverMessage ?? 'no message'}".`,
      fix: 'Act on the server’s message; the endpoint should also answer errors with a 4xx/5xx status so clients can tell them from answers.',
      ms,
    });
    skipAll(
      ['content', 'role', 'model', 'metadata', 'usage'],
      'Skipped: the answer is an error, not a completion (see structure).',
    );
    return results;
  }
  const body = answer.json;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    results.push({
      id: 'structure',
      status: 'fail',
      message: `Incorrect response structure: the body is ${Array.isArray(body) ? 'an array' : `a ${body === null ? 'null' : typeof body}`}, not a chat completion object.`,
      fix: structureFix,
      ms,
    });
    skipAll(
      ['content', 'role', 'model', 'metadata', 'usage'],
      'Skipped: the body is not an object (see structure).',
    );
    return results;
  }
  const record = body as Record<string, unknown>;
  const choices = record.choices;
  const firstChoice = Array.isArray(choices) ? (choices[0] as unknown) : undefined;
  const message =
    firstChoice && typeof firstChoice === 'object'
      ? (firstChoice as Record<string, unknown>).message
      : undefined;
  let structureProblem: string | undefined;
  if (choices === undefined) {
    structureProblem = 'there is no `choices` field (Missing required fields: `choices`)';
  } else if (!Array.isArray(choices)) structureProblem = '`choices` is not an array';
  else if (choices.length === 0) structureProblem = '`choices` is an empty array';
  else if (!firstChoice || typeof firstChoice !== 'object')
    structureProblem = '`choices[0]` is not an object';
  else if (!message || typeof message !== 'object') structureProblem = '`choices[0]` has no `message` object';
  if (structureProblem) {
    results.push({
      id: 'structure',
      status: 'fail',
      message: `Incorrect response structure: ${structureProblem}. Top-level keys: ${Object.keys(record).join(', ') || 'none'}.`,
      fix: structureFix,
      ms,
    });
    skipAll(['content', 'role'], 'Skipped: there is no `choices[0].message` (see structure).');
  } else {
    results.push({
      id: 'structure',
      status: 'pass',
      message: `\`choices\` holds ${(choices as unknown[]).length} choice(s) with a \`message\`.`,
      ms,
    });
    const messageRecord = message as Record<string, unknown>;
    results.push(contentResult(messageRecord.content, ms));
    results.push(roleResult(messageRecord.role, ms));
  }

  // model
  if (typeof record.model === 'string' && record.model.trim() !== '') {
    const alias = record.model === context.model ? '' : ` (asked for "${context.model}")`;
    results.push({
      id: 'model',
      status: 'pass',
      message: `Top-level \`model\` is "${record.model}"${alias}.`,
      ms,
    });
  } else {
    results.push({
      id: 'model',
      status: 'fail',
      message: `Missing required fields: the top-level \`model\` is ${record.model === undefined ? 'missing' : `not a name (${JSON.stringify(record.model)})`}.`,
      fix: missingFieldsFix,
      ms,
    });
  }

  // metadata
  const metadataProblems: string[] = [];
  if (typeof record.id !== 'string' || record.id === '') metadataProblems.push('no `id`');
  if (record.object !== 'chat.completion') {
    metadataProblems.push(
      record.object === undefined ? 'no `object`' : `\`object\` is ${JSON.stringify(record.object)}`,
    );
  }
  if (typeof record.created !== 'number') metadataProblems.push('no numeric `created`');
  const finishReason =
    firstChoice && typeof firstChoice === 'object'
      ? (firstChoice as Record<string, unknown>).finish_reason
      : undefined;
  if (!structureProblem && (typeof finishReason !== 'string' || !standardFinishReasons.has(finishReason))) {
    metadataProblems.push(
      finishReason === undefined || finishReason === null
        ? 'no `finish_reason`'
        : `non-standard \`finish_reason\` ${JSON.stringify(finishReason)}`,
    );
  }
  results.push(
    metadataProblems.length === 0
      ? {
          id: 'metadata',
          status: 'pass',
          message: `\`id\`, \`object: "chat.completion"\`, \`created\` and \`finish_reason\` "${String(finishReason)}" are present.`,
          ms,
        }
      : {
          id: 'metadata',
          status: 'warn',
          message: `Metadata deviates: ${metadataProblems.join(', ')}. Reqase Lite tolerates this; stricter clients may not.`,
          fix: 'Add `id`, `object: "chat.completion"`, `created` (Unix seconds) and a standard `finish_reason` (stop, length, content_filter, tool_calls) to every answer.',
          ms,
        },
  );

  results.push(usageResult(record.usage, ms));
  return results;
}

function contentResult(content: unknown, ms: number): CheckResult {
  if (typeof content === 'string' && content.trim() !== '') {
    return {
      id: 'content',
      status: 'pass',
      message: `\`choices[0].message.content\` is text${excerpt(content)}.`,
      ms,
    };
  }
  const joined = Array.isArray(content) ? textOfContent(content) : undefined;
  if (joined !== undefined && joined.trim() !== '') {
    return {
      id: 'content',
      status: 'warn',
      message: `\`choices[0].message.content\` is an array of ${content instanceof Array ? content.length : 0} text parts, not a string; Reqase Lite joins them, other clients may not.`,
      fix: 'Send `message.content` as one string (OpenAI’s chat completion format).',
      ms,
    };
  }
  const observed =
    content === undefined
      ? 'missing'
      : content === null
        ? 'null'
        : typeof content === 'string'
          ? 'an empty string'
          : `not text (${JSON.stringify(content).slice(0, 60)})`;
  return {
    id: 'content',
    status: 'fail',
    message: `Missing required fields: \`choices[0].message.content\` is ${observed}.`,
    fix: missingFieldsFix,
    ms,
  };
}

function roleResult(role: unknown, ms: number): CheckResult {
  if (role === 'assistant') {
    return { id: 'role', status: 'pass', message: '`choices[0].message.role` is "assistant".', ms };
  }
  return {
    id: 'role',
    status: 'fail',
    message:
      role === undefined || role === null
        ? 'Missing required fields: `choices[0].message.role` is missing.'
        : `Missing required fields: \`choices[0].message.role\` is ${JSON.stringify(role)}, not "assistant".`,
    fix: missingFieldsFix,
    ms,
  };
}

function usageResult(usage: unknown, ms: number): CheckResult {
  const fix =
    'Send `usage` with `prompt_tokens`, `completion_tokens` and `total_tokens` (their sum); without it Reqase Lite estimates tokens (about 4 characters each) for cost and limits.';
  if (!usage || typeof usage !== 'object') {
    return {
      id: 'usage',
      status: 'warn',
      message: 'The answer has no `usage`; token counts will be estimated.',
      fix,
      ms,
    };
  }
  const record = usage as Record<string, unknown>;
  const missing = ['prompt_tokens', 'completion_tokens', 'total_tokens'].filter(
    (field) => typeof record[field] !== 'number',
  );
  if (missing.length > 0) {
    return {
      id: 'usage',
      status: 'warn',
      message: `\`usage\` lacks ${missing.map((field) => `\`${field}\``).join(', ')}.`,
      fix,
      ms,
    };
  }
  const prompt = record.prompt_tokens as number;
  const completion = record.completion_tokens as number;
  const total = record.total_tokens as number;
  if (prompt + completion !== total) {
    return {
      id: 'usage',
      status: 'warn',
      message: `\`usage\` is inconsistent: prompt_tokens ${prompt} + completion_tokens ${completion} ≠ total_tokens ${total}.`,
      fix,
      ms,
    };
  }
  return {
    id: 'usage',
    status: 'pass',
    message: `\`usage\`: ${prompt} prompt + ${completion} completion = ${total} tokens.`,
    ms,
  };
}

function httpFailureFix(answer: AnsweredProbe, model: string): string {
  if (isModelNotFound(answer)) {
    return `The endpoint does not know the model "${model}": give a model it lists at GET /models with --model or REQASE_MODEL (for Azure, the deployment name).`;
  }
  if (answer.status === 429) {
    return 'The endpoint is rate limiting or out of quota: wait and run the check again, or raise the quota with your provider.';
  }
  if (answer.status >= 500) {
    return 'The endpoint failed on its side: check the server’s logs and that the model is loaded, then run the check again.';
  }
  return 'The endpoint refused the contract’s minimal request (model and one user message): read the server’s message and check the model name.';
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '';
  return `: "${flat.length > 60 ? `${flat.slice(0, 59)}…` : flat}"`;
}
