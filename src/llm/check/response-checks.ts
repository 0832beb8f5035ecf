/**
 * Checks of the answer to the contract's minimal request: `json`, `structure`, `content`, `role`,
 * `model`, `metadata`, `usage`. Pure: they read the one answer the connection checks got.
 */
import { isStandardFinishReason } from '../compatibility/finish-reason.ts';
import { isModelNotFound } from './connection-checks.ts';
import { isErrorBodyAtSuccess, serverMessageOf, textOfContent, type AnsweredProbe } from './probe.ts';
import type { CheckId, CheckResult } from './types.ts';

const missingFieldsFix =
  'Make the endpoint include `model`, `choices[0].message.role` ("assistant") and `choices[0].message.content` in every answer, or put a compatibility layer such as LiteLLM in front of it.';
const structureFix =
  'The endpoint must answer POST /chat/completions in OpenAI’s format, with a `choices` array of objects holding a `message`. Put a compatibility layer such as LiteLLM in front of it, or check that the base URL points at the OpenAI-compatible API.';
// These verdicts read the answer `reachable` fetched: they cost no time of their own.
const ms = 0;
const checksOfTheCompletion: CheckId[] = ['content', 'role', 'model', 'metadata', 'usage'];

/**
 * Judges the answer to the minimal request.
 *
 * @example checkResponse(stage.established.primary, { model: 'llama3.1' })
 */
export function checkResponse(answer: AnsweredProbe, context: { model: string }): CheckResult[] {
  const json = jsonResult(answer);
  if (!answer.isJson) {
    return [
      json,
      {
        id: 'structure',
        status: 'fail',
        message: `Incorrect response structure: the answer is not JSON, so it has no \`choices\`.`,
        fix: structureFix,
        ms,
      },
      ...skipped(checksOfTheCompletion, 'Skipped: the answer is not JSON (see json).'),
    ];
  }
  const failure = failedAnswerResults(answer, context.model);
  if (failure) return [json, ...failure];
  const record = answer.json as Record<string, unknown>;
  const shape = choiceShape(record);
  return [
    json,
    ...structureResults(record, shape),
    modelResult(record.model, context.model),
    metadataResult(record, shape),
    usageResult(record.usage, ms),
  ];
}

function jsonResult(answer: AnsweredProbe): CheckResult {
  const jsonType = answer.contentType !== undefined && /[/+]json$/.test(answer.contentType);
  if (answer.isJson && jsonType) {
    return { id: 'json', status: 'pass', message: `The answer is JSON (${answer.contentType}).`, ms };
  }
  if (answer.isJson) {
    return {
      id: 'json',
      status: 'fail',
      message: `The answer is JSON but is sent as ${answer.contentType ?? 'no content type'}; the openai package then reads it as text.`,
      fix: 'Send answers with `Content-Type: application/json`.',
      ms,
    };
  }
  return {
    id: 'json',
    status: 'fail',
    message: `Incorrect response structure: the answer (HTTP ${answer.status}, ${answer.contentType ?? 'no content type'}) is not JSON${excerpt(answer.text)}.`,
    fix: `${answer.contentType === 'text/html' ? 'An HTML page usually means a web server or proxy answered instead of the model server: check the base URL. ' : ''}The endpoint must answer with OpenAI’s JSON chat completion.`,
    ms,
  };
}

/** The structure verdict when there is no completion at all: HTTP errors first, then error bodies at 2xx, then a body that is no object. */
function failedAnswerResults(answer: AnsweredProbe, model: string): CheckResult[] | undefined {
  const serverMessage = serverMessageOf(answer);
  if (answer.status < 200 || answer.status >= 300) {
    return [
      {
        id: 'structure',
        status: 'fail',
        message: `The minimal request got HTTP ${answer.status} instead of a chat completion${serverMessage ? `; the server said: "${serverMessage}"` : ''}.`,
        fix: httpFailureFix(answer, model),
        ms,
      },
      ...skipped(checksOfTheCompletion, 'Skipped: there is no chat completion to inspect (see structure).'),
    ];
  }
  if (isErrorBodyAtSuccess(answer)) {
    return [
      {
        id: 'structure',
        status: 'fail',
        message: `Incorrect response structure: HTTP ${answer.status} carried an error instead of a completion; the server said: "${serverMessage ?? 'no message'}".`,
        fix: 'Act on the server’s message; the endpoint should also answer errors with a 4xx/5xx status so clients can tell them from answers.',
        ms,
      },
      ...skipped(checksOfTheCompletion, 'Skipped: the answer is an error, not a completion (see structure).'),
    ];
  }
  const body = answer.json;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return [
      {
        id: 'structure',
        status: 'fail',
        message: `Incorrect response structure: the body is ${Array.isArray(body) ? 'an array' : `a ${body === null ? 'null' : typeof body}`}, not a chat completion object.`,
        fix: structureFix,
        ms,
      },
      ...skipped(checksOfTheCompletion, 'Skipped: the body is not an object (see structure).'),
    ];
  }
  return undefined;
}

interface ChoiceShape {
  choices: unknown;
  firstChoice: unknown;
  message: unknown;
  /** What is wrong with `choices[0].message`, when something is. */
  problem: string | undefined;
}

function choiceShape(record: Record<string, unknown>): ChoiceShape {
  const choices = record.choices;
  const firstChoice = Array.isArray(choices) ? (choices[0] as unknown) : undefined;
  const message =
    firstChoice && typeof firstChoice === 'object'
      ? (firstChoice as Record<string, unknown>).message
      : undefined;
  let problem: string | undefined;
  if (choices === undefined) {
    problem = 'there is no `choices` field (Missing required fields: `choices`)';
  } else if (!Array.isArray(choices)) problem = '`choices` is not an array';
  else if (choices.length === 0) problem = '`choices` is an empty array';
  else if (!firstChoice || typeof firstChoice !== 'object') problem = '`choices[0]` is not an object';
  else if (!message || typeof message !== 'object') problem = '`choices[0]` has no `message` object';
  return { choices, firstChoice, message, problem };
}

/** `structure`, then `content` and `role` when there is a message to read them from. */
function structureResults(record: Record<string, unknown>, shape: ChoiceShape): CheckResult[] {
  if (shape.problem) {
    return [
      {
        id: 'structure',
        status: 'fail',
        message: `Incorrect response structure: ${shape.problem}. Top-level keys: ${Object.keys(record).join(', ') || 'none'}.`,
        fix: structureFix,
        ms,
      },
      ...skipped(['content', 'role'], 'Skipped: there is no `choices[0].message` (see structure).'),
    ];
  }
  const messageRecord = shape.message as Record<string, unknown>;
  return [
    {
      id: 'structure',
      status: 'pass',
      message: `\`choices\` holds ${(shape.choices as unknown[]).length} choice(s) with a \`message\`.`,
      ms,
    },
    contentResult(messageRecord.content, ms),
    roleResult(messageRecord.role, ms),
  ];
}

function modelResult(model: unknown, askedFor: string): CheckResult {
  if (typeof model === 'string' && model.trim() !== '') {
    const alias = model === askedFor ? '' : ` (asked for "${askedFor}")`;
    return { id: 'model', status: 'pass', message: `Top-level \`model\` is "${model}"${alias}.`, ms };
  }
  return {
    id: 'model',
    status: 'fail',
    message: `Missing required fields: the top-level \`model\` is ${model === undefined ? 'missing' : `not a name (${JSON.stringify(model)})`}.`,
    fix: missingFieldsFix,
    ms,
  };
}

function metadataResult(record: Record<string, unknown>, shape: ChoiceShape): CheckResult {
  const metadataProblems: string[] = [];
  if (typeof record.id !== 'string' || record.id === '') metadataProblems.push('no `id`');
  if (record.object !== 'chat.completion') {
    metadataProblems.push(
      record.object === undefined ? 'no `object`' : `\`object\` is ${JSON.stringify(record.object)}`,
    );
  }
  if (typeof record.created !== 'number') metadataProblems.push('no numeric `created`');
  const finishReason =
    shape.firstChoice && typeof shape.firstChoice === 'object'
      ? (shape.firstChoice as Record<string, unknown>).finish_reason
      : undefined;
  if (!shape.problem && (typeof finishReason !== 'string' || !isStandardFinishReason(finishReason))) {
    metadataProblems.push(
      finishReason === undefined || finishReason === null
        ? 'no `finish_reason`'
        : `non-standard \`finish_reason\` ${JSON.stringify(finishReason)}`,
    );
  }
  if (metadataProblems.length === 0) {
    return {
      id: 'metadata',
      status: 'pass',
      message: `\`id\`, \`object: "chat.completion"\`, \`created\` and \`finish_reason\` "${String(finishReason)}" are present.`,
      ms,
    };
  }
  return {
    id: 'metadata',
    status: 'warn',
    message: `Metadata deviates: ${metadataProblems.join(', ')}. Reqase Lite tolerates this; stricter clients may not.`,
    fix: 'Add `id`, `object: "chat.completion"`, `created` (Unix seconds) and a standard `finish_reason` (stop, length, content_filter, tool_calls) to every answer.',
    ms,
  };
}

function skipped(ids: CheckId[], message: string): CheckResult[] {
  return ids.map((id) => ({ id, status: 'skip', message, ms: 0 }));
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
    return `The endpoint does not know the model "${model}": give a model it lists at GET /models (REQASE_MODEL; for Azure, the deployment name).`;
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
