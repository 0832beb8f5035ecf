import type { TestCase } from '../../model.ts';
import type { QualityContext, QualityRule } from '../context.ts';
import { excerpt } from './case-text-rules.ts';

/** Garbled text in a case: a sentence cut mid-way, a quote left open. */

/** Words a sentence cannot end on: the text was cut. English only. */
const DANGLING_END =
  /(?:^|\s)(?:or|and|the|a|an|of|to|with|for|from|than|that|is|are|was|but|nor|if|because|when|whether)$/i;

const DOUBLE_QUOTE = '"';

/** Straight quotes that do not pair up, or typographic / guillemet quotes left open. */
function unbalancedQuote(text: string): boolean {
  let straight = 0;
  for (let at = text.indexOf(DOUBLE_QUOTE); at !== -1; at = text.indexOf(DOUBLE_QUOTE, at + 1)) straight++;
  if (straight % 2 === 1) return true;
  // Most texts hold no guillemet: nothing to count.
  if (!text.includes('«') && !text.includes('»')) return false;
  const opened = (text.match(/[«]/g) ?? []).length;
  const closed = (text.match(/[»]/g) ?? []).length;
  return opened !== closed;
}

const TRAILING_PUNCTUATION = /["”»'’.,;:!?…\s]+$/u;
const TRAILING_PUNCTUATION_MARK = /["”»'’.,;:!?…\s]/u;

/** Whether a sentence is cut (`DANGLING_END`), with its closing punctuation and spaces ignored. */
function isCut(trimmed: string): boolean {
  // Only a text ending on punctuation or a space needs the (slow, end-anchored) strip.
  const stripped = TRAILING_PUNCTUATION_MARK.test(trimmed[trimmed.length - 1] ?? '')
    ? trimmed.replace(TRAILING_PUNCTUATION, '')
    : trimmed;
  return DANGLING_END.test(stripped);
}

/** `garbled` of a text, made once per text and assessment. */
function garbledOnce(
  known: Map<string, string | null>,
  text: string,
  sentence: boolean,
  english: boolean,
): string | undefined {
  let why = known.get(text);
  if (why === undefined) {
    why = garbled(text, sentence, english) ?? null;
    known.set(text, why);
  }
  return why ?? undefined;
}

/** Why a text is garbled (`broken-text`), or undefined when it is not. */
function garbled(text: string, sentence: boolean, english: boolean): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const cut = sentence && english && isCut(trimmed);
  if (!unbalancedQuote(trimmed) && !cut) return undefined;
  return `${cut ? 'the sentence is cut' : 'a quote is not closed'} ("${excerpt(trimmed)}")`;
}

/** Where a case's text is garbled and why (`garbled`), the first such text in reading order. */
function firstGarbled(
  context: QualityContext,
  testCase: TestCase,
  memos: { sentences: Map<string, string | null>; data: Map<string, string | null> },
): { where: string; why: string } | undefined {
  const english = context.language === 'en';
  const { sentences, data } = memos;
  for (const precondition of testCase.preconditions) {
    const why = garbledOnce(sentences, precondition, true, english);
    if (why !== undefined) return { where: 'A precondition', why };
  }
  for (let index = 0; index < testCase.steps.length; index++) {
    const step = testCase.steps[index]!;
    let why = garbledOnce(sentences, step.action, true, english);
    if (why !== undefined) return { where: `Step ${index + 1}`, why };
    why = garbledOnce(data, step.data ?? '', false, english);
    if (why !== undefined) return { where: `The data of step ${index + 1}`, why };
    why = garbledOnce(sentences, step.expected ?? '', true, english);
    if (why !== undefined) return { where: `The expected result of step ${index + 1}`, why };
  }
  for (const line of context.stepLines(testCase)) {
    const why = garbledOnce(sentences, line.text, true, english);
    if (why !== undefined) return { where: `The Gherkin step "${line.keyword}"`, why };
  }
  return undefined;
}

export const brokenText: QualityRule = {
  id: 'broken-text',
  scope: 'case',
  check(context, report) {
    const memos = {
      sentences: context.memo<string | null>('broken-text sentence'),
      data: context.memo<string | null>('broken-text data'),
    };
    for (const testCase of context.testCases) {
      const found = firstGarbled(context, testCase, memos);
      if (found === undefined) continue;
      report({
        rule: 'broken-text',
        severity: 'error',
        testCaseId: testCase.id,
        message: `${found.where} is garbled: ${found.why}.`,
        fix: 'Write the whole sentence, with every quoted text complete and both quote marks.',
      });
    }
  },
};
