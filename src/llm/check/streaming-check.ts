/**
 * `streaming`: `stream: true` gives well-formed SSE chunks, a role in the first delta, one
 * finish, and `data: [DONE]`. The raw text is read, so every framing fault is visible.
 */
import { extractServerMessage, looksLikeErrorBody } from '../errors.ts';
import { describeOutcome, helloRequest, probe, shorten, type ProbeContext } from './probe.ts';
import type { CheckResult } from './types.ts';

/** What an SSE body held, frame by frame. */
export interface StreamInspection {
  chunks: number;
  text: string;
  /** The deviations found, in words; empty when the stream is well formed. */
  problems: string[];
  finishReasons: string[];
  done: boolean;
}

/**
 * Reads an SSE body as OpenAI sends it: events separated by a blank line, `data:` lines
 * carrying one JSON chunk each, comment lines (`:`) ignored, `data: [DONE]` last.
 */
export function inspectEventStream(body: string): StreamInspection {
  const problems: string[] = [];
  const finishReasons: string[] = [];
  let chunks = 0;
  let text = '';
  let done = false;
  let dataAfterDone = false;
  let roleChecked = false;
  let malformed = 0;
  let firstMalformed = '';
  for (const event of body.split(/\r?\n\r?\n/)) {
    const dataLines = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''));
    if (dataLines.length === 0) continue;
    const data = dataLines.join('\n');
    if (data.trim() === '[DONE]') {
      done = true;
      continue;
    }
    if (done) dataAfterDone = true;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      malformed++;
      if (!firstMalformed) firstMalformed = shorten(data, 60);
      continue;
    }
    if (looksLikeErrorBody(chunk)) {
      problems.push(`an error frame: "${shorten(extractServerMessage(chunk) ?? 'no message', 160)}"`);
      continue;
    }
    const record = chunk && typeof chunk === 'object' ? (chunk as Record<string, unknown>) : undefined;
    if (!record || !Array.isArray(record.choices)) {
      malformed++;
      if (!firstMalformed) firstMalformed = shorten(data, 60);
      continue;
    }
    chunks++;
    const choice = record.choices[0] as Record<string, unknown> | undefined;
    if (!choice) continue; // e.g. the final usage chunk with `choices: []`
    const delta = choice.delta as Record<string, unknown> | undefined;
    if (!delta || typeof delta !== 'object') {
      problems.push('a chunk has no `delta`');
    } else {
      if (!roleChecked) {
        roleChecked = true;
        if (delta.role !== 'assistant') {
          problems.push(
            delta.role === undefined
              ? 'no role in the first delta'
              : `the first delta's role is ${JSON.stringify(delta.role)}`,
          );
        }
      }
      if (typeof delta.content === 'string') text += delta.content;
    }
    if (choice.finish_reason !== undefined && choice.finish_reason !== null) {
      finishReasons.push(String(choice.finish_reason));
    }
  }
  if (malformed > 0) problems.push(`${malformed} frame(s) are not JSON chunks (first: "${firstMalformed}")`);
  if (chunks === 0) problems.push('no chunk with `choices`');
  if (chunks > 0 && finishReasons.length === 0) problems.push('no chunk carries a finish_reason');
  if (finishReasons.length > 1)
    problems.push(`${finishReasons.length} chunks carry a finish_reason (one expected)`);
  if (!done) problems.push('no `data: [DONE]` at the end');
  if (dataAfterDone) problems.push('data after `[DONE]`');
  if (chunks > 0 && text.trim() === '') problems.push('the deltas carry no text');
  return { chunks, text, problems, finishReasons, done };
}

export async function checkStreaming(context: ProbeContext): Promise<CheckResult> {
  const outcome = await probe(context, {
    method: 'POST',
    path: '/chat/completions',
    body: helloRequest(context.model, { stream: true }),
  });
  const fix =
    'Make the endpoint stream OpenAI-style SSE: `data: {chunk}` frames with `choices[0].delta`, role "assistant" in the first delta, one finish_reason, then `data: [DONE]`. Reqase Lite streams to show test cases as they arrive.';
  if (outcome.kind !== 'answered' || outcome.status < 200 || outcome.status >= 300) {
    return {
      id: 'streaming',
      status: 'warn',
      message: `\`stream: true\` failed: ${describeOutcome(outcome)}.`,
      fix,
      ms: outcome.ms,
    };
  }
  if (outcome.contentType !== 'text/event-stream') {
    const ignored = outcome.isJson ? ' (one JSON answer: `stream` seems ignored)' : '';
    return {
      id: 'streaming',
      status: 'warn',
      message: `\`stream: true\` was answered as ${outcome.contentType ?? 'no content type'}, not text/event-stream${ignored}.`,
      fix,
      ms: outcome.ms,
    };
  }
  const inspection = inspectEventStream(outcome.text);
  if (inspection.problems.length === 0) {
    return {
      id: 'streaming',
      status: 'pass',
      message: `${inspection.chunks} SSE chunks: role in the first delta, one finish_reason ("${inspection.finishReasons[0]}"), \`[DONE]\` at the end.`,
      ms: outcome.ms,
    };
  }
  return {
    id: 'streaming',
    status: 'warn',
    message: `The stream deviates: ${inspection.problems.join('; ')}.`,
    fix,
    ms: outcome.ms,
  };
}
