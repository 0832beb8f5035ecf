import { describe, expect, it } from 'vitest';
import {
  ChatStreamAccumulator,
  TOLERATED_DEVIATIONS,
  normalizeFinishReason,
  splitThinking,
} from './compatibility.ts';

describe('reasoning.ts: splitThinking', () => {
  it('separates think blocks, unclosed ones and orphan closing tags', () => {
    expect(splitThinking('<think>why</think>\nAnswer')).toEqual({ text: 'Answer', reasoning: 'why' });
    expect(splitThinking('<think>cut off while thinking')).toEqual({
      text: '',
      reasoning: 'cut off while thinking',
    });
    expect(splitThinking('reasoning first</think>Answer')).toEqual({
      text: 'Answer',
      reasoning: 'reasoning first',
    });
    expect(splitThinking('Plain <b>answer</b>')).toEqual({
      text: 'Plain <b>answer</b>',
      reasoning: undefined,
    });
  });
});

describe('finish-reason.ts: normalizeFinishReason', () => {
  it('maps aliases with a warning and keeps standard ones silent', () => {
    expect(normalizeFinishReason('stop')).toEqual({ finishReason: 'stop' });
    expect(normalizeFinishReason('MAX_TOKENS')).toMatchObject({ finishReason: 'length' });
    expect(normalizeFinishReason('SAFETY')).toMatchObject({ finishReason: 'content_filter' });
    expect(normalizeFinishReason(null).warning).toMatch(/no finish_reason/);
    expect(normalizeFinishReason('weird')).toMatchObject({
      finishReason: 'weird',
      warning: expect.stringMatching(/unknown/),
    });
  });
});

describe('stream-accumulator.ts: ChatStreamAccumulator', () => {
  const context = { promptText: 'p', maxTokens: 10, errorDetails: {} };
  const chunk = (content: string) => ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { content } }],
  });

  it('holds back text that could still become <think>, and releases it when it does not', () => {
    const accumulator = new ChatStreamAccumulator(context);
    expect(accumulator.push(chunk('<th'))).toBe('');
    expect(accumulator.push(chunk('is is text'))).toBe('<this is text');
    const lone = new ChatStreamAccumulator(context);
    expect(lone.push(chunk('<'))).toBe('');
    expect(lone.pendingText()).toBe('<');
  });

  it('emits nothing until the closing tag, even split across chunks', () => {
    const accumulator = new ChatStreamAccumulator(context);
    const pieces = ['<think', '>secret', ' stuff</th', 'ink>', '\n', 'Ans', 'wer'].map((piece) =>
      accumulator.push(chunk(piece)),
    );
    expect(pieces.join('')).toBe('Answer');
    expect(pieces.slice(0, 5).join('')).toBe('');
    const result = accumulator.finish();
    expect(result).toMatchObject({ text: 'Answer', reasoning: 'secret stuff' });
  });
});

describe('tolerated-deviations.ts: TOLERATED_DEVIATIONS', () => {
  it('describes each deviation and its handling', () => {
    expect(TOLERATED_DEVIATIONS.length).toBeGreaterThanOrEqual(8);
    for (const deviation of TOLERATED_DEVIATIONS) {
      expect(deviation.deviation).toBeTruthy();
      expect(deviation.handling).toBeTruthy();
    }
    expect(new Set(TOLERATED_DEVIATIONS.map((deviation) => deviation.id)).size).toBe(
      TOLERATED_DEVIATIONS.length,
    );
  });
});
