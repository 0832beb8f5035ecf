import { describe, expect, it } from 'vitest';
import { inspectEventStream } from './streaming-check.ts';

const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;

describe('inspectEventStream', () => {
  it('accepts a well-formed stream with comments, CRLF framing and a usage chunk', () => {
    const body =
      ': keep-alive\r\n\r\n' +
      chunk({ role: 'assistant', content: 'Hel' }).replace(/\n\n$/, '\r\n\r\n') +
      chunk({ content: 'lo' }) +
      chunk({}, 'stop') +
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })}\n\n` +
      'data: [DONE]\n\n';
    const inspection = inspectEventStream(body);
    expect(inspection.problems).toEqual([]);
    expect(inspection.text).toBe('Hello');
    expect(inspection.finishReasons).toEqual(['stop']);
    expect(inspection.done).toBe(true);
  });

  it('names each deviation', () => {
    const body =
      chunk({ content: 'Hi' }, 'stop') +
      chunk({ content: '!' }, 'stop') +
      'data: {not json\n\n' +
      'data: [DONE]\n\n' +
      chunk({ content: 'late' });
    const problems = inspectEventStream(body).problems;
    expect(problems).toContain('no role in the first delta');
    expect(problems).toContain('2 chunks carry a finish_reason (one expected)');
    expect(problems).toContain('1 frame(s) are not JSON chunks (first: "{not json")');
    expect(problems).toContain('data after `[DONE]`');
  });

  it('reports an empty body and a missing [DONE]', () => {
    expect(inspectEventStream('').problems).toEqual([
      'no chunk with `choices`',
      'no `data: [DONE]` at the end',
    ]);
    expect(inspectEventStream(chunk({ role: 'assistant', content: 'x' }, 'stop')).problems).toEqual([
      'no `data: [DONE]` at the end',
    ]);
  });

  it('shows the message of an error frame', () => {
    const body =
      chunk({ role: 'assistant', content: 'x' }) +
      `data: ${JSON.stringify({ error: { message: 'overloaded' } })}\n\n`;
    expect(inspectEventStream(body).problems).toContain('an error frame: "overloaded"');
  });
});
