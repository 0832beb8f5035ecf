/**
 * Checks of the standard parameters Reqase Lite sends: `max-tokens`, `temperature`,
 * `system-message`, `json-mode`. Each sends its own requests.
 */
import { estimateTokens, normalizeFinishReason } from '../compatibility.ts';
import { completionView, helloRequest, probe, type CompletionView, type ProbeContext } from './probe.ts';
import type { CheckResult } from './types.ts';

const chatPath = '/chat/completions';
/** Small enough that any real answer to the prompt below is cut. */
export const maxTokensProbeLimit = 5;

function send(context: ProbeContext, body: Record<string, unknown>): Promise<CompletionView> {
  return probe(context, { method: 'POST', path: chatPath, body }).then(completionView);
}

/** `max-tokens`: with a small `max_tokens`, the answer stops within it and says `length`. */
export async function checkMaxTokens(context: ProbeContext): Promise<CheckResult> {
  const limit = maxTokensProbeLimit;
  const view = await send(context, {
    model: context.model,
    messages: [{ role: 'user', content: 'Count from 1 to 100 in words, separated by commas.' }],
    max_tokens: limit,
  });
  const fix = `Make the endpoint honour max_tokens and answer finish_reason "length" when it cuts; Reqase Lite sends max_tokens on every request and relies on "length" to tell a cut answer from a complete one.`;
  if (!view.ok) {
    return {
      id: 'max-tokens',
      status: 'warn',
      message: `A request with max_tokens ${limit} failed: ${view.problem}.`,
      fix,
      ms: view.ms,
    };
  }
  const raw = view.finishReason;
  const finish = normalizeFinishReason(raw).finishReason;
  const tokens = view.completionTokens ?? estimateTokens(view.content ?? '');
  const counted = view.completionTokens === undefined ? `about ${tokens} (estimated)` : String(tokens);
  if (finish === 'length') {
    if (view.completionTokens !== undefined && view.completionTokens > limit) {
      return {
        id: 'max-tokens',
        status: 'warn',
        message: `The answer says finish_reason "length" but used ${view.completionTokens} completion tokens, more than max_tokens ${limit}.`,
        fix,
        ms: view.ms,
      };
    }
    if (raw !== 'length') {
      return {
        id: 'max-tokens',
        status: 'warn',
        message: `The answer stopped at max_tokens ${limit} but said finish_reason ${JSON.stringify(raw)} instead of "length" (Reqase Lite maps it).`,
        fix,
        ms: view.ms,
      };
    }
    return {
      id: 'max-tokens',
      status: 'pass',
      message: `With max_tokens ${limit} the answer stopped at ${counted} tokens with finish_reason "length".`,
      ms: view.ms,
    };
  }
  if (tokens > limit) {
    return {
      id: 'max-tokens',
      status: 'warn',
      message: `max_tokens ${limit} was ignored: the answer has ${counted} completion tokens and finish_reason ${JSON.stringify(raw)}.`,
      fix,
      ms: view.ms,
    };
  }
  return {
    id: 'max-tokens',
    status: 'warn',
    message: `The answer ended by itself (finish_reason ${JSON.stringify(raw)}, ${counted} tokens) before max_tokens ${limit}, so the limit could not be confirmed.`,
    fix: 'Nothing to change if the server honours max_tokens; a model that answers a request to count to 100 in under 5 tokens is unusual, so check its configuration.',
    ms: view.ms,
  };
}

/** `temperature`: 0, 0.7 and 1 are accepted; 0.7 (the default) refused fails. */
export async function checkTemperature(context: ProbeContext): Promise<CheckResult> {
  const temperatures = [0, 0.7, 1];
  const views = await Promise.all(
    temperatures.map((temperature) => send(context, helloRequest(context.model, { temperature }))),
  );
  const ms = Math.max(...views.map((view) => view.ms));
  const refused = temperatures
    .map((temperature, index) => ({ temperature, view: views[index] as CompletionView }))
    .filter(
      (entry): entry is { temperature: number; view: Extract<CompletionView, { ok: false }> } =>
        !entry.view.ok,
    );
  if (refused.length === 0) {
    return { id: 'temperature', status: 'pass', message: 'temperature 0, 0.7 and 1 are accepted.', ms };
  }
  const list = refused.map((entry) => `${entry.temperature} (${entry.view.problem})`).join('; ');
  const defaultRefused = refused.some((entry) => entry.temperature === 0.7);
  return {
    id: 'temperature',
    status: defaultRefused ? 'fail' : 'warn',
    message: `Refused temperature: ${list}.`,
    fix: defaultRefused
      ? 'Reqase Lite sends temperature 0.7 by default: make the endpoint accept it, or set a temperature the model accepts (REQASE_TEMPERATURE; reasoning models often accept only 1).'
      : 'Set a temperature the model accepts (REQASE_TEMPERATURE) if you change the default 0.7.',
    remedies: [
      defaultRefused
        ? {
            kind: 'set-setting',
            setting: 'temperature',
            example: '1',
            note: 'Reqase Lite sends 0.7 by default; reasoning models often accept only 1',
          }
        : { kind: 'set-setting', setting: 'temperature', note: 'if you change the default 0.7' },
    ],
    ms,
  };
}

/** `system-message`: a `system` message is accepted. */
export async function checkSystemMessage(context: ProbeContext): Promise<CheckResult> {
  const view = await send(context, {
    model: context.model,
    messages: [
      { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
      { role: 'user', content: 'Say hello in one short sentence.' },
    ],
  });
  if (view.ok) {
    return { id: 'system-message', status: 'pass', message: 'A `system` message is accepted.', ms: view.ms };
  }
  return {
    id: 'system-message',
    status: 'fail',
    message: `A request with a \`system\` message failed: ${view.problem}.`,
    fix: 'Reqase Lite sends its format rules as a system message: make the endpoint accept role "system" (some chat templates need a setting to allow it), or put a compatibility layer such as LiteLLM in front of it.',
    ms: view.ms,
  };
}

/** `json-mode`: `response_format` json_object and json_schema honoured. */
export async function checkJsonMode(context: ProbeContext): Promise<CheckResult> {
  const prompt = 'Reply with a JSON object that has one key named ok set to true.';
  const formats = [
    { name: 'json_object', responseFormat: { type: 'json_object' } },
    {
      name: 'json_schema',
      responseFormat: {
        type: 'json_schema',
        json_schema: {
          name: 'endpoint_check',
          strict: true,
          schema: {
            type: 'object',
            properties: { ok: { type: 'boolean' } },
            required: ['ok'],
            additionalProperties: false,
          },
        },
      },
    },
  ];
  const views = await Promise.all(
    formats.map((format) =>
      send(context, {
        model: context.model,
        messages: [{ role: 'user', content: prompt }],
        response_format: format.responseFormat,
      }),
    ),
  );
  const ms = Math.max(...views.map((view) => view.ms));
  const honoured = (index: number) => views[index]?.ok === true && isJsonText(views[index]?.content ?? '');
  const responseMode = honoured(1) ? 'json_schema' : honoured(0) ? 'json_object' : 'text';
  const problems: string[] = [];
  views.forEach((view, index) => {
    const name = formats[index]?.name ?? '';
    if (!view.ok) problems.push(`${name} refused (${view.problem})`);
    else if (!isJsonText(view.content ?? ''))
      problems.push(`${name} accepted but the answer is not JSON (ignored?)`);
  });
  if (problems.length === 0) {
    return {
      id: 'json-mode',
      status: 'pass',
      message: '`response_format` json_object and json_schema are honoured (the answers are JSON).',
      ms,
      responseMode,
    };
  }
  return {
    id: 'json-mode',
    status: 'warn',
    message: `\`response_format\`: ${problems.join('; ')}.`,
    fix: 'Reqase Lite asks for json_schema only where it is honoured and otherwise reads the answer as text, which is less reliable: enable structured output on the server (e.g. vLLM guided decoding, llama.cpp grammars) if it has it.',
    ms,
    responseMode,
  };
}

function isJsonText(text: string): boolean {
  const trimmed = text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/```$/, '')
    .trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}
