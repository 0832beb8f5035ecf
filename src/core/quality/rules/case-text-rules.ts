import type { TestCase } from '../../model.ts';
import type { QualityContext, QualityRule, Report } from '../context.ts';
import { contentWords } from '../similarity.ts';

/**
 * Rules that read one case's wording: results that restate the criterion or cannot be observed,
 * steps a tester cannot follow, garbled text, placeholders.
 */

function eachCase(context: QualityContext, check: (testCase: TestCase) => void): void {
  for (const testCase of context.testCases) check(testCase);
}

export function excerpt(text: string, length = 80): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Modal and function words (English, German, French, Spanish) that say nothing about what is observed. */
const RESTATEMENT_NOISE = new Set(
  (
    'only must may not cannot all any each every ' +
    'der die das den dem des und oder ist sind wird werden muss kann nur nicht ein eine vom von zu mit ' +
    'le la les un une des du de et ou est sont doit peut seul seulement ne pas par ' +
    'el los las un una del y o es son debe puede solo no por que'
  ).split(' '),
);

/** Quoted text: an exact message, a label, a value. */
const QUOTED = /"[^"]*"|“[^”]*”|„[^“”]*[“”]|«[^»]*»/g;

/**
 * The words of a text outside its quotes. A result that quotes the criterion's exact message is
 * what the tester observes (`The message "…" is shown`), not a restatement, so the quoted words
 * do not count.
 */
function wordSet(text: string): Set<string> {
  const unquoted = text.replace(QUOTED, ' ');
  return new Set(contentWords(unquoted).filter((word) => !RESTATEMENT_NOISE.has(word)));
}

/** The first criterion a result restates (`result-restates-criterion`), or null. */
function restatedCriterion<Criterion>(
  result: string,
  criteria: ReadonlyArray<{ criterion: Criterion; words: Set<string> }>,
): Criterion | null {
  const words = wordSet(result);
  if (words.size < 3) return null;
  for (const { criterion, words: criterionWords } of criteria) {
    let shared = 0;
    for (const word of words) if (criterionWords.has(word)) shared++;
    if (shared / words.size >= 0.85 && shared / criterionWords.size >= 0.6) return criterion;
  }
  return null;
}

/**
 * A result restates a criterion when nearly all its words come from that criterion and it repeats
 * most of the criterion: it says what the story requires, not what the tester sees. Word overlap
 * only, so it judges any language.
 */
export const resultRestatesCriterion: QualityRule = {
  id: 'result-restates-criterion',
  scope: 'case',
  check(context, report) {
    const criteria = context.fromStory('result-restates-criterion', () =>
      context.story.acceptanceCriteria.map((criterion) => ({ criterion, words: wordSet(criterion.text) })),
    );
    // Cases repeat their results: each result's criterion is found once per assessment.
    const known = context.memo<(typeof criteria)[number]['criterion'] | null>('result-restates-criterion');
    const restated = (result: string) => {
      let criterion = known.get(result);
      if (criterion === undefined) {
        criterion = restatedCriterion(result, criteria);
        known.set(result, criterion);
      }
      return criterion;
    };
    eachCase(context, (testCase) => {
      for (const result of context.results(testCase)) {
        const criterion = restated(result);
        if (criterion === null) continue;
        report({
          rule: 'result-restates-criterion',
          severity: 'error',
          testCaseId: testCase.id,
          criterionId: criterion.id,
          message: `The expected result "${excerpt(result)}" restates ${criterion.id} instead of saying what the tester observes.`,
          fix: 'Write what the tester sees or can check: the exact message, the value shown, the page reached, the record changed.',
        });
        return;
      }
    });
  },
};

const NOT_ACTIONABLE = [
  /\b(?:verify|check|ensure|confirm|make sure|validate|see)\b(?: that)? (?:the )?(?:system|it|everything|application|app|feature|functionality|page)\b.{0,20}\b(?:works?|working|functions?|is fine)\b/i,
  /\b(?:verify|check|ensure|confirm|make sure)\b(?: that)? (?:it|everything) (?:works?|is working|is correct)\b/i,
  /\btest (?:the )?(?:functionality|feature|system|application|app|scenario)\b/i,
  /^(?:do|perform|execute|run|carry out) (?:the )?(?:test|action|steps?|scenario)\.?$/i,
  /\b(?:perform|do|execute|carry out|repeat) (?:the )?(?:action|steps?|behaviou?r|flow|scenario)s? (?:described|mentioned|above|from the (?:story|criterion|requirement))\b/i,
  /\b(?:as|what) (?:described|stated|specified) in the (?:story|criterion|acceptance criteria|requirement)\b/i,
  /^(?:follow|apply) the (?:story|criterion|acceptance criteria|requirement)s?\b/i,
];

/** Every pattern in one: a text matches it when it matches any of them. */
function anyOf(patterns: readonly RegExp[]): RegExp {
  return new RegExp(patterns.map((pattern) => pattern.source).join('|'), 'i');
}

const ANY_NOT_ACTIONABLE = anyOf(NOT_ACTIONABLE);
const OPENING_QUOTE = /["“„«]/;

/** Whether an action is no instruction: a vague pattern, or fewer than two words and no quote. */
function notActionable(context: QualityContext, text: string): boolean {
  const known = context.memo<boolean>('step-not-actionable');
  let verdict = known.get(text);
  if (verdict === undefined) {
    verdict =
      ANY_NOT_ACTIONABLE.test(text) || (!OPENING_QUOTE.test(text) && context.wordsOf(text).length < 2);
    known.set(text, verdict);
  }
  return verdict;
}

/** The first action of a case a tester cannot follow, with where it is. */
function firstNotActionable(
  context: QualityContext,
  testCase: TestCase,
): { where: string; text: string } | undefined {
  for (let index = 0; index < testCase.steps.length; index++) {
    const action = testCase.steps[index]!.action;
    if (notActionable(context, action)) return { where: `Step ${index + 1}`, text: action };
  }
  if (testCase.steps.length) return undefined;
  for (const line of context.stepLines(testCase))
    if (line.effective === 'When' && notActionable(context, line.text))
      return { where: 'A When step', text: line.text };
  return undefined;
}

export const stepNotActionable: QualityRule = {
  id: 'step-not-actionable',
  scope: 'case',
  check(context, report) {
    for (const testCase of context.testCases) {
      const found = firstNotActionable(context, testCase);
      if (found === undefined) continue;
      report({
        rule: 'step-not-actionable',
        severity: 'error',
        testCaseId: testCase.id,
        message: `${found.where} is not an instruction a tester can follow ("${excerpt(found.text)}").`,
        fix: 'Say exactly what to do: where to go, what to enter with which value, what to select.',
      });
    }
  },
};

const NOT_OBSERVABLE = [
  /\b(?:works?|working|functions?|behaves?|performs?|handled?|processed) (?:correctly|properly|fine|successfully|as (?:expected|intended|designed))\b/i,
  /\bas (?:expected|intended|designed|required|specified)\b/i,
  /^\s*(?:success(?:ful(?:ly)?)?|ok|okay|pass(?:es|ed)?|works?|done|correct|fine|no issues?)\s*[.!]?\s*$/i,
  /\bshould work\b/i,
  /\b(?:the )?(?:system|it|application) (?:responds|reacts) (?:appropriately|accordingly)\b/i,
  /^\s*behaviou?r (?:matches|is as described|follows)\b/i,
  /\b(?:matches|satisfies|meets|fulfils|fulfills) the (?:criterion|acceptance criteria|acceptance criterion|requirement|story)\b/i,
  /\b(?:criterion|requirement|acceptance criteria) (?:is|are) (?:met|satisfied|fulfilled)\b/i,
  /\bwie erwartet\b|\bfunktioniert (?:korrekt|richtig|einwandfrei)\b|\berwartungsgemäß\b/i,
  /\bcomme (?:prévu|attendu)\b|\bfonctionne (?:correctement|bien)\b/i,
  /\bcomo se esperaba\b|\bsegún lo esperado\b|\bfunciona (?:correctamente|bien)\b/i,
];

const ANY_NOT_OBSERVABLE = anyOf(NOT_OBSERVABLE);

export const resultNotObservable: QualityRule = {
  id: 'result-not-observable',
  scope: 'case',
  check(context, report) {
    eachCase(context, (testCase) => {
      for (const result of context.results(testCase)) {
        if (ANY_NOT_OBSERVABLE.test(result)) {
          report({
            rule: 'result-not-observable',
            severity: 'error',
            testCaseId: testCase.id,
            message: `The expected result cannot be observed ("${excerpt(result)}").`,
            fix: 'Say what the tester sees: the exact message, the value shown, the page reached, the record changed.',
          });
          return;
        }
      }
    });
  },
};

export const missingResult: QualityRule = {
  id: 'missing-result',
  scope: 'case',
  check(context, report) {
    eachCase(context, (testCase) => {
      if (context.results(testCase).length > 0) return;
      report({
        rule: 'missing-result',
        severity: 'error',
        testCaseId: testCase.id,
        message: 'The case has no expected result.',
        fix: 'Add what the tester should observe after the steps.',
      });
    });
  },
};

const PLACEHOLDER =
  /\bTBD\b|\bTODO\b|lorem ipsum|\bx{3,}\b|\b(?:some|sample|dummy|any) (?:value|data|text|input)\b|^\s*(?:test|valid|invalid|some) (?:data|input|value)\s*$|\[(?:value|data|input|insert[^\]]*|[^\]]*here)\]|\{\{\s*\w+\s*\}\}|<(?:value|data|input|username|password|email|text|placeholder|[a-z_]+_(?:value|data|here))>/i;

/** The parameters of a Scenario Outline (`<length>`), lower case. */
function outlineNames(gherkin: string): Set<string | undefined> {
  return new Set([...gherkin.matchAll(/<([^<>\s][^<>]*)>/g)].map((match) => match[1]?.toLowerCase()));
}

/** The placeholder pattern's match in a text (`PLACEHOLDER`), or null; once per text. */
function placeholderMatch(known: Map<string, string | null>, text: string): string | null {
  // No placeholder pattern matches an empty text (a step without data or result).
  if (text === '') return null;
  let placeholder = known.get(text);
  if (placeholder === undefined) {
    placeholder = PLACEHOLDER.exec(text)?.[0] ?? null;
    known.set(text, placeholder);
  }
  return placeholder;
}

/** The first placeholder in a case's preconditions and steps that is no outline parameter. */
function firstPlaceholder(known: Map<string, string | null>, testCase: TestCase): string | undefined {
  // `<length>` in a Scenario Outline is a parameter filled from its Examples, not a placeholder.
  let names: Set<string | undefined> | undefined;
  const texts: string[] = [...testCase.preconditions];
  for (const step of testCase.steps) texts.push(step.action, step.data ?? '', step.expected ?? '');
  for (const text of texts) {
    const placeholder = placeholderMatch(known, text);
    if (placeholder === null) continue;
    names ??= outlineNames(testCase.gherkin ?? '');
    if (!names.has(placeholder.replace(/[<>]/g, '').toLowerCase())) return placeholder;
  }
  return undefined;
}

export const placeholderData: QualityRule = {
  id: 'placeholder-data',
  scope: 'case',
  check(context, report) {
    const known = context.memo<string | null>('placeholder-data');
    for (const testCase of context.testCases) {
      const placeholder = firstPlaceholder(known, testCase);
      if (placeholder === undefined) continue;
      report({
        rule: 'placeholder-data',
        severity: 'warning',
        testCaseId: testCase.id,
        message: `Placeholder data ("${placeholder}").`,
        fix: 'Give the real value to use.',
      });
    }
  },
};

/** A positive case in one step does not tell a tester where to go and what to enter. */
export const flowTooShort: QualityRule = {
  id: 'flow-too-short',
  scope: 'case',
  check(context, report) {
    eachCase(context, (testCase) => {
      if (testCase.kind !== 'positive') return;
      const gherkinActions = context.stepLines(testCase).filter((line) => line.effective !== 'Then').length;
      if (testCase.steps.length >= 2 || gherkinActions >= 2) return;
      if (testCase.steps.length === 0 && !testCase.gherkin) return;
      report({
        rule: 'flow-too-short',
        severity: 'warning',
        testCaseId: testCase.id,
        message: 'The positive flow has a single step.',
        fix: 'Write the flow in two or more concrete steps: where to go, what to enter with which data, what to select.',
      });
    });
  },
};

const USER_ACTION_IN_THEN =
  /^(?:I|we|they|he|she|the (?:user|customer|employee|admin|administrator|tester|visitor|member|manager|clerk|patient|agent|operator))\s+(?:click|clicks|enter|enters|select|selects|submit|submits|type|types|open|opens|navigate|navigates|press|presses|fill|fills|tap|taps|upload|uploads|choose|chooses|request|requests|log in|logs in|sign in|signs in|go|goes|visit|visits)\b/i;

export const gherkinActionInThen: QualityRule = {
  id: 'gherkin-action-in-then',
  scope: 'case',
  check(context, report) {
    eachCase(context, (testCase) => {
      const line = context
        .stepLines(testCase)
        .find((candidate) => candidate.effective === 'Then' && USER_ACTION_IN_THEN.test(candidate.text));
      if (!line) return;
      report({
        rule: 'gherkin-action-in-then',
        severity: 'error',
        testCaseId: testCase.id,
        message: `A user action is written as an outcome ("${line.keyword} ${excerpt(line.text)}").`,
        fix: 'Put what the user does in a When step; keep Then for what they observe.',
      });
    });
  },
};

export const gherkinRepeatedKeyword: QualityRule = {
  id: 'gherkin-repeated-keyword',
  scope: 'case',
  check(context, report) {
    eachCase(context, (testCase) => {
      const lines = context.stepLines(testCase);
      for (let index = 1; index < lines.length; index++) {
        const previous = lines[index - 1]!;
        const line = lines[index]!;
        if (
          line.scenario === previous.scenario &&
          line.keyword === previous.keyword &&
          (line.keyword === 'Given' || line.keyword === 'When' || line.keyword === 'Then')
        ) {
          report({
            rule: 'gherkin-repeated-keyword',
            severity: 'warning',
            testCaseId: testCase.id,
            message: `"${line.keyword} … ${line.keyword} …" repeats the keyword ("${line.keyword} ${excerpt(line.text, 50)}").`,
            fix: `Continue with And: "${line.keyword} …" once, then "And …".`,
          });
          return;
        }
      }
    });
  },
};

/** Each out-of-scope item with the words only it uses (not the summary, description or criteria). */
function outOfScopeWords(story: QualityContext['story']): Array<{ item: string; words: string[] }> {
  const scopeText = [
    story.summary,
    story.description,
    ...story.acceptanceCriteria.map((criterion) => criterion.text),
  ].join(' ');
  const inScope = new Set(contentWords(scopeText));
  // "log in" in the story also puts "login" in scope.
  const rawWords = scopeText.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  for (let index = 0; index + 1 < rawWords.length; index++)
    inScope.add(`${rawWords[index]}${rawWords[index + 1]}`);
  return story.outOfScope.map((item) => ({
    item,
    words: contentWords(item).filter(
      (word) =>
        word.length >= 4 && !inScope.has(word) && !inScope.has(word.replace(/s$/, '')) && !/^\d/.test(word),
    ),
  }));
}

/** Out-of-scope items a case tests, from the words only the out-of-scope note uses. */
export const outOfScope: QualityRule = {
  id: 'out-of-scope',
  scope: 'case',
  check(context, report) {
    if (context.story.outOfScope.length === 0) return;
    const distinctive = context.fromStory('out-of-scope', () => outOfScopeWords(context.story));
    eachCase(context, (testCase) => {
      // The case's words in text order: a few item words are looked up, no set is needed.
      const words = context.wordLists.get(testCase.id) ?? [];
      for (const { item, words: itemWords } of distinctive) {
        const hits = itemWords.filter((word) => words.includes(word));
        if (hits.length === 0) continue;
        report({
          rule: 'out-of-scope',
          severity: 'error',
          testCaseId: testCase.id,
          message: `Tests "${item}", which the story puts out of scope (mentions ${hits.join(', ')}).`,
          fix: 'Remove the case, or rewrite it to test what the story is about.',
        });
      }
    });
  },
};

export function reportAll(rules: readonly QualityRule[], context: QualityContext, report: Report): void {
  for (const rule of rules) rule.check(context, report);
}
