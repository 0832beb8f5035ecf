import { describe, expect, it } from 'vitest';
import type { Story, TestCase } from '../model.ts';
import { createStreamingCaseParser } from './streaming.ts';

const story: Story = {
  key: 'SHOP-1',
  summary: 'Log in',
  description: '',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'A user can log in.' },
    { id: 'AC-2', text: 'A wrong password shows an error.' },
  ],
  outOfScope: [],
  notes: [],
  source: 'text',
};

function chunks(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size) pieces.push(text.slice(index, index + size));
  return pieces;
}

const jsonAnswer = JSON.stringify(
  {
    testCases: [
      {
        title: 'Valid login',
        kind: 'positive',
        priority: 'high',
        preconditions: [],
        steps: [{ action: 'Log in with "a{b}c" as password', data: '', expected: 'Dashboard' }],
        covers: ['AC-1'],
      },
      {
        title: 'Wrong password',
        kind: 'negative',
        priority: 'high',
        preconditions: [],
        steps: [{ action: 'Log in with a wrong password', data: 'x]', expected: 'Error shown' }],
        covers: ['AC2'],
      },
    ],
  },
  null,
  2,
);

describe('createStreamingCaseParser', () => {
  it('delivers each JSON test case as soon as its object is complete, before the answer ends', () => {
    const seen: Array<{ testCase: TestCase; receivedLength: number }> = [];
    let received = '';
    const parser = createStreamingCaseParser({
      format: 'manual',
      story,
      onTestCase: (testCase) => seen.push({ testCase, receivedLength: received.length }),
    });
    for (const piece of chunks(`<think>plan it</think>\n${jsonAnswer}`, 7)) {
      received += piece;
      parser.push(piece);
    }
    expect(seen.map((entry) => entry.testCase.title)).toEqual(['Valid login', 'Wrong password']);
    // The first case arrived while the second one was still being written.
    expect(seen[0]!.receivedLength).toBeLessThan(received.indexOf('Wrong password'));
    expect(seen[1]!.testCase.covers).toEqual(['AC-2']);
    const result = parser.finish('stop');
    expect(result.ok && result.value.testCases.length).toBe(2);
    expect(seen).toHaveLength(2);
  });

  it('never delivers the partial case of a cut-off answer', () => {
    const titles: string[] = [];
    const parser = createStreamingCaseParser({
      format: 'manual',
      story,
      onTestCase: (testCase) => titles.push(testCase.title),
    });
    const cut = jsonAnswer.slice(0, jsonAnswer.indexOf('Log in with a wrong'));
    for (const piece of chunks(cut, 5)) parser.push(piece);
    const result = parser.finish('length');
    expect(titles).toEqual(['Valid login']);
    expect(result.ok && result.value.truncated).toBe(true);
  });

  it('delivers a "Test Case N:" block when the next one begins, and the last at the end', () => {
    const titles: string[] = [];
    const parser = createStreamingCaseParser({
      format: 'manual',
      story,
      onTestCase: (testCase) => titles.push(testCase.title),
    });
    const text =
      'Test Case 1: Valid login\nType: Positive\nSteps:\n1. Log in\nExpected Result: Dashboard is shown\n\n' +
      'Test Case 2: Wrong password\nType: Negative\nSteps:\n1. Log in with a wrong password\nExpected Result: Error shown\n';
    const secondStart = text.indexOf('Test Case 2');
    parser.push(text.slice(0, secondStart));
    expect(titles).toEqual([]);
    parser.push(text.slice(secondStart, secondStart + 30) + '\n');
    expect(titles).toEqual(['Valid login']);
    parser.push(text.slice(secondStart + 30));
    parser.finish('stop');
    expect(titles).toEqual(['Valid login', 'Wrong password']);
  });

  it('returns the error of an answer without test cases', () => {
    const parser = createStreamingCaseParser({ format: 'manual', story, onTestCase: () => undefined });
    parser.push("I'm sorry, I can't help with that.");
    const result = parser.finish('stop');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('refusal');
  });
});

describe('white space at a delta boundary', () => {
  it('keeps a space that ends the delta in which the case list begins', async () => {
    const { createStreamingCaseParser } = await import('./streaming.ts');
    const titles: string[] = [];
    const parser = createStreamingCaseParser({
      format: 'manual',
      story: {
        key: 'A-1',
        summary: 'Sign in',
        description: '',
        acceptanceCriteria: [{ id: 'AC-1', text: 'Valid credentials open the dashboard.' }],
        outOfScope: [],
        notes: [],
        source: 'text',
      },
      onTestCase: (testCase) => titles.push(testCase.title),
    });
    const answer = JSON.stringify({
      testCases: [
        {
          title: 'Sign in with valid data',
          steps: [{ action: 'Open the page', expected: 'It is shown' }],
          covers: ['AC-1'],
        },
        { title: 'Second case', steps: [{ action: 'Do it', expected: 'It is done' }], covers: ['AC-1'] },
      ],
    });
    const cut = answer.indexOf('Sign ') + 'Sign '.length;
    parser.push(answer.slice(0, cut));
    parser.push(answer.slice(cut));
    expect(titles[0]).toBe('Sign in with valid data');
  });
});
