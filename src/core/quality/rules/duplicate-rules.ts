import type { TestCase } from '../../model.ts';
import { caseText, isOutline, type QualityContext, type QualityRule } from '../context.ts';
import { contentWords, jaccard, shinglesOfWords, textSimilarity } from '../similarity.ts';

/** Rules about cases that repeat each other or existing cases, and boundary sets not in an Outline. */

const NOT_LETTER_OR_NUMBER = /[^\p{L}\p{N}]+/gu;
/** `NOT_LETTER_OR_NUMBER` for lower-case ASCII text, where letters and numbers are a–z and 0–9 only. */
const NOT_ASCII_LETTER_OR_NUMBER = /[^a-z0-9]+/g;
const NOT_ASCII = /[\u0080-\uffff]/;

/** A step in lower case with every run of other characters than letters and numbers one space. */
function stepKey(part: string): string {
  const lower = part.toLowerCase();
  return lower.replace(NOT_ASCII.test(lower) ? NOT_LETTER_OR_NUMBER : NOT_ASCII_LETTER_OR_NUMBER, ' ').trim();
}

function stepsKey(context: QualityContext, testCase: TestCase): string {
  // Cases repeat their steps: each text's key is made once per assessment.
  const known = context.memo<string>('steps-key');
  const keyOf = (text: string) => {
    let key = known.get(text);
    if (key === undefined) {
      key = stepKey(text);
      known.set(text, key);
    }
    return key;
  };
  const keys: string[] = [];
  if (testCase.steps.length) {
    for (const step of testCase.steps) {
      // The key of "action data" is the action's and the data's, one space apart (when both have one).
      const action = keyOf(step.action);
      const data = keyOf(step.data ?? '');
      keys.push(action && data ? `${action} ${data}` : action || data);
    }
  } else {
    for (const line of context.stepLines(testCase))
      if (line.effective !== 'Then') keys.push(keyOf(line.text));
  }
  return keys.join('|');
}

/** Each case's `stepsKey`, by position; made once per assessment for the two rules that read it. */
const stepsKeysByContext = new WeakMap<QualityContext, string[]>();

function stepsKeys(context: QualityContext): string[] {
  let keys = stepsKeysByContext.get(context);
  if (!keys) {
    keys = context.testCases.map((testCase) => stepsKey(context, testCase));
    stepsKeysByContext.set(context, keys);
  }
  return keys;
}

/** Cases whose steps (actions and data) are the same, word for word: one of them tests nothing new. */
export const duplicateSteps: QualityRule = {
  id: 'duplicate-steps',
  scope: 'set',
  check(context, report) {
    const first = new Map<string, TestCase>();
    const keys = stepsKeys(context);
    for (const [index, testCase] of context.testCases.entries()) {
      const key = keys[index]!;
      if (!key.replaceAll('|', '')) continue;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, testCase);
        continue;
      }
      report({
        rule: 'duplicate-steps',
        severity: 'error',
        testCaseId: testCase.id,
        message: `Has exactly the same steps as ${earlier.id}.`,
        fix: 'Give each case the steps and data of what it tests (the invalid value, the role, the boundary value), or drop it.',
      });
    }
  },
};

function sameNumbers(left: string, right: string): boolean {
  const numbers = (text: string) => [...new Set(text.match(/\d+(?:\.\d+)?/g) ?? [])].sort().join(',');
  return numbers(left) === numbers(right);
}

function normalizeTitle(title: string): string {
  return contentWords(title).join(' ');
}

/**
 * `jaccard(left, right)` when it is at least `threshold`; otherwise a smaller value, found as soon
 * as the pairs left to compare cannot reach it.
 */
function similarityFrom(left: Set<string>, right: Set<string>, threshold: number): number {
  const total = left.size + right.size;
  if (total === 0) return 0;
  let shared = 0;
  let unseen = left.size;
  for (const item of left) {
    if (right.has(item)) shared++;
    unseen--;
    const most = shared + unseen;
    if (most / (total - most) < threshold) return most / (total - most);
  }
  return shared / (total - shared);
}

/** The sorted distinct numbers of a text, as one key. */
function numberKey(text: string): string {
  return [...new Set(text.match(/\d+(?:\.\d+)?/g) ?? [])].sort().join(',');
}

/** The sorted distinct quoted texts of a text, as one lower-case key. */
function quotedKey(text: string): string {
  return [...new Set(text.match(/"[^"]*"|“[^”]*”|«[^»]*»/g) ?? [])].sort().join('|').toLowerCase();
}

export const nearDuplicate: QualityRule = {
  id: 'near-duplicate',
  scope: 'set',
  check(context, report) {
    const cases = context.testCases;
    const texts = cases.map((testCase) => context.texts.get(testCase.id) ?? '');
    // Each made on first need: most pairs differ in their numbers or quoted values already.
    const pairs: Array<Set<string>> = [];
    const pairsOf = (index: number) =>
      (pairs[index] ??= shinglesOfWords(context.wordLists.get(cases[index]!.id) ?? []));
    const numberKeys = texts.map(numberKey);
    const quotedKeys: string[] = [];
    const quotedKeyOf = (index: number) => (quotedKeys[index] ??= quotedKey(texts[index]!));
    const titles: string[] = [];
    const titleOf = (index: number) => (titles[index] ??= normalizeTitle(cases[index]!.title));
    const identical = new Set<number>();
    const keys = stepsKeys(context);
    for (let later = 1; later < cases.length; later++) {
      // Identical steps are `duplicate-steps` already.
      if (keys.slice(0, later).includes(keys[later]!) && keys[later]!.replaceAll('|', ''))
        identical.add(later);
    }
    for (let later = 1; later < cases.length; later++) {
      if (identical.has(later)) continue;
      for (let earlier = 0; earlier < later; earlier++) {
        // The same steps with other numbers test other values (7 vs 65 characters): not duplicates.
        if (numberKeys[earlier] !== numberKeys[later]) continue;
        // Likewise other quoted values: each listed value as an input ("Annual", "Sick") is a case of its own.
        if (quotedKeyOf(earlier) !== quotedKeyOf(later)) continue;
        const sameTitle = titleOf(earlier) === titleOf(later);
        // The exact similarity is needed below the threshold only for the message of a same title.
        const similarity = sameTitle
          ? jaccard(pairsOf(earlier), pairsOf(later))
          : similarityFrom(pairsOf(earlier), pairsOf(later), context.duplicateThreshold);
        if (similarity < context.duplicateThreshold && !sameTitle) continue;
        report({
          rule: 'near-duplicate',
          severity: 'warning',
          testCaseId: cases[later]!.id,
          message: `Nearly the same as ${cases[earlier]!.id} (${Math.round(similarity * 100)}% similar).`,
          fix: 'Merge them, or make them test different things.',
        });
        break;
      }
    }
  },
};

export const duplicateOfExisting: QualityRule = {
  id: 'duplicate-of-existing',
  scope: 'set',
  check(context, report) {
    for (const testCase of context.testCases) {
      for (const existing of context.existingCases) {
        const sameTitle = normalizeTitle(existing.title) === normalizeTitle(testCase.title);
        const existingText = existing.steps?.length ? caseText(existing) : existing.title;
        const text = existing.steps?.length ? (context.texts.get(testCase.id) ?? '') : testCase.title;
        if (!sameTitle && !sameNumbers(existingText, text)) continue;
        if (!sameTitle && textSimilarity(existingText, text) < context.duplicateThreshold) continue;
        report({
          rule: 'duplicate-of-existing',
          severity: 'warning',
          testCaseId: testCase.id,
          message: `Nearly the same as the existing case "${existing.title}"${existing.id ? ` (${existing.id})` : ''}.`,
          fix: 'Drop it, or make it test something the existing case does not.',
        });
        break;
      }
    }
  },
};

/**
 * In Gherkin, the boundary values of one constraint written as separate plain Scenarios instead of
 * one Scenario Outline whose Examples hold the values.
 */
export const boundarySetNotOutline: QualityRule = {
  id: 'boundary-set-not-outline',
  scope: 'set',
  check(context, report) {
    for (const [constraint, values] of context.boundaries) {
      const plain = context.testCases.filter((testCase) => {
        if (!testCase.gherkin || isOutline(testCase)) return false;
        const numbers = context.numbers.get(testCase.id);
        return values.some((value) => numbers?.has(value.value));
      });
      if (plain.length < 2) continue;
      for (const testCase of plain.slice(1)) {
        report({
          rule: 'boundary-set-not-outline',
          severity: 'warning',
          testCaseId: testCase.id,
          ...(constraint.criterionId ? { criterionId: constraint.criterionId } : {}),
          message: `The boundary values of "${constraint.subject}: ${constraint.phrase}" are written as separate scenarios (${plain.map((candidate) => candidate.id).join(', ')}).`,
          fix: 'Write them as one Scenario Outline with an Examples row per value.',
        });
      }
    }
  },
};
