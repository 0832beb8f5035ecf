import type { BoundaryValue, Constraint } from '../constraints/index.ts';
import type { Story, TestCase, TestFormat, TestKind } from '../model.ts';
import type { ExistingCase } from '../prompt/build-generation-prompt.ts';
import type { QualityFinding } from './findings.ts';
import type { TextLanguage } from './language.ts';
import { contentWords } from './similarity.ts';
import { storyFactsFor, type StoryFacts } from './story-facts.ts';

/** What every rule reads; built once per assessment so that rules share the parsing work. */
export interface QualityContext {
  story: Story;
  testCases: readonly TestCase[];
  constraints: readonly Constraint[];
  /** Each numeric constraint's boundary values, in the story's unit and precision. */
  boundaries: ReadonlyMap<Constraint, BoundaryValue[]>;
  kinds: readonly TestKind[];
  existingCases: readonly ExistingCase[];
  format?: TestFormat;
  /** The story's language; English-only wording rules stay silent on the others. */
  language: TextLanguage;
  duplicateThreshold: number;
  /** The whole text of each case, by id. */
  texts: CaseValues<string>;
  /** The numbers written in each case (`numbersIn` of its text), by id. */
  numbers: CaseValues<Set<number>>;
  /** The content words of each case, by id. */
  words: CaseValues<Set<string>>;
  /** The content words of each case in text order (`contentWords` of its text), by id. */
  wordLists: CaseValues<readonly string[]>;
  /** `contentWords` of a text, made once per text and assessment (cases repeat their steps). */
  wordsOf(text: string): readonly string[];
  /** `numbersIn` of a text, made once per text and assessment. */
  numbersOf(text: string): ReadonlySet<number>;
  /** A rule's own values by text, kept for the assessment: `memo('rule-id')`. */
  memo<Value>(name: string): Map<string, Value>;
  /** `normalizeForSearch` of a case's text and its Gherkin, made once per case. */
  searchable(testCase: TestCase): string;
  /** The Gherkin step lines of a case (`gherkinStepLines` of its Gherkin), made once per case. */
  stepLines(testCase: TestCase): readonly GherkinStepLine[];
  /** The expected results of a case (`resultTexts`), made once per case. */
  results(testCase: TestCase): readonly string[];
  /**
   * What a rule derives from the story alone, made once per story content (`storyFactsFor`): a
   * generation lints each case as it arrives and then the whole set, and a rescoring reads the
   * story afresh.
   */
  fromStory<Value>(key: string, derive: () => Value): Value;
}

export type Report = (finding: QualityFinding) => void;

/** One quality rule: a stable id, its severity, and a pure check over the context. */
export interface QualityRule {
  id: QualityFinding['rule'];
  /** `case`: reads one case at a time (runs on a streamed case too); `set`: reads the whole set. */
  scope: 'case' | 'set';
  check(context: QualityContext, report: Report): void;
}

export interface QualityOptions {
  story: Story;
  /** Accepted cases the new ones must not duplicate. */
  existingCases?: readonly ExistingCase[];
  /** The story's constraints; default `extractConstraints(story)`. */
  constraints?: readonly Constraint[];
  /** The kinds asked for; missing boundary / negative cases are only flagged when asked for. Default: all. */
  kinds?: readonly TestKind[];
  format?: TestFormat;
  /** Similarity (0–1, Jaccard on word pairs) from which two cases are near-duplicates. Default 0.7. */
  duplicateThreshold?: number;
}

/** A value of each case, by id, made on first use: most rules read few of them for few cases. */
export interface CaseValues<Value> {
  get(id: string): Value | undefined;
}

function caseValues<Value>(
  byId: ReadonlyMap<string, TestCase>,
  derive: (testCase: TestCase) => Value,
): CaseValues<Value> {
  const made = new Map<string, Value>();
  return {
    get(id) {
      // No derived value is undefined: one lookup tells a made value.
      const known = made.get(id);
      if (known !== undefined) return known;
      const testCase = byId.get(id);
      if (testCase === undefined) return undefined;
      const value = derive(testCase);
      made.set(id, value);
      return value;
    },
  };
}

/** The memos by text of one assessment: each rule's own, and the words and numbers of each text. */
function textMemos(): Pick<QualityContext, 'memo' | 'wordsOf' | 'numbersOf'> {
  const memos = new Map<string, Map<string, unknown>>();
  const memo = <Value>(name: string): Map<string, Value> => {
    let made = memos.get(name);
    if (made === undefined) {
      made = new Map();
      memos.set(name, made);
    }
    return made as Map<string, Value>;
  };
  const wordsByText = memo<string[]>('words');
  const wordsOf = (text: string): string[] => {
    let words = wordsByText.get(text);
    if (words === undefined) {
      words = contentWords(text);
      wordsByText.set(text, words);
    }
    return words;
  };
  const numbersByText = memo<Set<number>>('numbers');
  const numbersOf = (text: string): Set<number> => {
    let numbers = numbersByText.get(text);
    if (numbers === undefined) {
      numbers = numbersIn(text);
      numbersByText.set(text, numbers);
    }
    return numbers;
  };
  return { memo, wordsOf, numbersOf };
}

/** Each case's Gherkin step lines and results, by the case itself, not its id: two cases of one id each have their own. */
function caseMemos(): Pick<QualityContext, 'stepLines' | 'results'> {
  const stepLinesByCase = new Map<TestCase, GherkinStepLine[]>();
  const resultsByCase = new Map<TestCase, string[]>();
  const stepLines = (testCase: TestCase): GherkinStepLine[] => {
    let lines = stepLinesByCase.get(testCase);
    if (lines === undefined) {
      lines = gherkinStepLines(testCase.gherkin ?? '');
      stepLinesByCase.set(testCase, lines);
    }
    return lines;
  };
  const results = (testCase: TestCase): string[] => {
    let found = resultsByCase.get(testCase);
    if (found === undefined) {
      found = resultTextsOf(testCase, stepLines(testCase));
      resultsByCase.set(testCase, found);
    }
    return found;
  };
  return { stepLines, results };
}

/** The context of `testCases`, with the story facts of `options` (`storyFactsFor`). */
export function buildContext(
  testCases: readonly TestCase[],
  options: QualityOptions,
  facts: StoryFacts = storyFactsFor(options),
): QualityContext {
  // The last case of an id wins, as in a map built from the list.
  const byId = new Map(testCases.map((testCase) => [testCase.id, testCase]));
  const texts = caseValues(byId, caseText);
  const { memo, wordsOf, numbersOf } = textMemos();
  // A case's text is its parts joined by spaces and a line break, which neither a word nor a
  // number crosses: its words are its parts' words in turn, its numbers theirs together.
  const wordLists = caseValues(byId, (testCase) => {
    const lists = caseParts(testCase).map(wordsOf);
    // `concat` is the quicker join; a case of thousands of steps would pass too many arguments.
    return lists.length < 10_000 ? ([] as string[]).concat(...lists) : lists.flat();
  });
  const numbers = caseValues(byId, (testCase) => {
    const found = new Set<number>();
    for (const part of caseParts(testCase)) {
      const values = numbersOf(part);
      // Most parts hold no number.
      if (values.size > 0) for (const value of values) found.add(value);
    }
    return found;
  });
  const { stepLines, results } = caseMemos();
  const searchableByCase = new Map<TestCase, string>();
  return {
    story: options.story,
    testCases,
    constraints: facts.constraints,
    boundaries: facts.boundaries,
    kinds: options.kinds?.length ? options.kinds : ['positive', 'negative', 'boundary', 'edge'],
    existingCases: options.existingCases ?? [],
    ...(options.format ? { format: options.format } : {}),
    language: facts.language,
    duplicateThreshold: options.duplicateThreshold ?? 0.7,
    texts,
    numbers,
    words: caseValues(byId, (testCase) => new Set(wordLists.get(testCase.id))),
    wordLists,
    wordsOf,
    numbersOf,
    memo,
    stepLines,
    results,
    searchable(testCase) {
      let text = searchableByCase.get(testCase);
      if (text === undefined) {
        text = normalizeForSearch(`${texts.get(testCase.id) ?? ''} ${testCase.gherkin ?? ''}`);
        searchableByCase.set(testCase, text);
      }
      return text;
    },
    fromStory<Value>(key: string, derive: () => Value): Value {
      if (facts.derived.has(key)) return facts.derived.get(key) as Value;
      const value = derive();
      facts.derived.set(key, value);
      return value;
    },
  };
}

const SEPARATOR = ' \n ';
const EXAMPLES_LINE = /^\s*Examples\s*:/m;

/** The whole text of a case, for similarity and keyword checks. */
export function caseText(testCase: Pick<TestCase, 'title'> & Partial<TestCase>): string {
  // One string built in place: the parts joined by `SEPARATOR`, without the arrays of a join.
  let text = testCase.title;
  for (const precondition of testCase.preconditions ?? []) text += SEPARATOR + precondition;
  const steps = testCase.steps ?? [];
  for (const step of steps)
    text += SEPARATOR + step.action + SEPARATOR + (step.data ?? '') + SEPARATOR + (step.expected ?? '');
  const gherkin = testCase.gherkin ?? '';
  // An outline's steps hold its first row only; the other rows' values are in its Examples table.
  return text + SEPARATOR + (steps.length && !EXAMPLES_LINE.test(gherkin) ? '' : gherkin);
}

/** The texts `caseText` joins, in its order. */
function caseParts(testCase: TestCase): string[] {
  const parts = [testCase.title, ...testCase.preconditions];
  for (const step of testCase.steps) parts.push(step.action, step.data ?? '', step.expected ?? '');
  const gherkin = testCase.gherkin ?? '';
  parts.push(testCase.steps.length && !EXAMPLES_LINE.test(gherkin) ? '' : gherkin);
  return parts;
}

const DIGIT = /\d/;
const NUMBER = /(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])/g;
const DECIMAL_COMMA_NUMBER = /(?<![\d.,])(\d{1,3}(?:\.\d{3})*|\d+),(\d{1,2})(?![\d])/g;
const DIGIT_COMMA_DIGIT = /\d,\d/;

/**
 * Every number written in the text, as a value: `4,999.99`, `$500.01`, `29%` and `65-character`
 * all count, so a boundary written with a unit or thousands separators is still recognised.
 * A decimal comma (`37,5 °C`, `4.999,99 €`) is read as in German, French and Spanish text.
 */
export function numbersIn(text: string): Set<number> {
  const numbers = new Set<number>();
  // Most steps hold no number: skip the two scans.
  if (!DIGIT.test(text)) return numbers;
  NUMBER.lastIndex = 0;
  for (let match = NUMBER.exec(text); match !== null; match = NUMBER.exec(text)) {
    const whole = match[1] ?? '';
    const value = Number(`${whole.includes(',') ? whole.replaceAll(',', '') : whole}${match[2] ?? ''}`);
    if (Number.isFinite(value)) numbers.add(value);
  }
  // A decimal comma needs a digit on each side of a comma.
  if (!DIGIT_COMMA_DIGIT.test(text)) return numbers;
  DECIMAL_COMMA_NUMBER.lastIndex = 0;
  for (let match = DECIMAL_COMMA_NUMBER.exec(text); match !== null; match = DECIMAL_COMMA_NUMBER.exec(text)) {
    const value = Number(`${(match[1] ?? '').replaceAll('.', '')}.${match[2] ?? ''}`);
    if (Number.isFinite(value)) numbers.add(value);
  }
  return numbers;
}

/** The quoted texts of a sentence ("…", “…”, „…“, «…»), at least three characters with a letter. */
export function quotedTexts(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/"([^"]{3,}?)"|“([^”]{3,}?)”|„([^“”]{3,}?)[“”]|«\s?([^»]{3,}?)\s?»/g)) {
    const quoted = (match[1] ?? match[2] ?? match[3] ?? match[4] ?? '').trim();
    if (/\p{L}/u.test(quoted)) found.push(quoted);
  }
  return found;
}

/** Lower case, straight quotes, single spaces: for "does the text contain this message". */
export function normalizeForSearch(text: string): string {
  const lower = text.toLowerCase();
  // Most texts hold no typographic quote: one scan instead of two replacements.
  const straight = TYPOGRAPHIC_QUOTE.test(lower)
    ? lower.replace(/[“”„«»]/g, '"').replace(/[‘’]/g, "'")
    : lower;
  return straight.replace(/\s+/g, ' ');
}

const TYPOGRAPHIC_QUOTE = /[“”„«»‘’]/;

export type GherkinKeyword = 'Given' | 'When' | 'Then' | 'And' | 'But' | '*';

export interface GherkinStepLine {
  keyword: GherkinKeyword;
  /** Given / When / Then that an And / But continues. */
  effective: 'Given' | 'When' | 'Then' | undefined;
  text: string;
  /** Index of the scenario within the text. */
  scenario: number;
}

/**
 * The step lines of a Gherkin text with English keywords (a `# language:` other than English
 * gives none: its keywords are not read here).
 */
export function gherkinStepLines(gherkin: string): GherkinStepLine[] {
  // A case without Gherkin (every manual case) has no step line.
  if (gherkin === '') return [];
  if (/^\s*#\s*language:\s*(?!en\b)/im.test(gherkin)) return [];
  const lines: GherkinStepLine[] = [];
  let scenario = -1;
  let effective: GherkinStepLine['effective'];
  for (const raw of gherkin.split('\n')) {
    const line = raw.trim();
    if (/^(?:Scenario|Scenario Outline|Scenario Template|Example|Background)\s*:/.test(line)) {
      scenario++;
      effective = undefined;
      continue;
    }
    const match = /^(Given|When|Then|And|But|\*)\s+(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1] as GherkinKeyword;
    if (keyword === 'Given' || keyword === 'When' || keyword === 'Then') effective = keyword;
    lines.push({ keyword, effective, text: match[2] ?? '', scenario: Math.max(scenario, 0) });
  }
  return lines;
}

/** True when the case is written as a Scenario Outline with an Examples table. */
export function isOutline(testCase: TestCase): boolean {
  // A case without Gherkin (every manual case) is no outline.
  if (!testCase.gherkin) return false;
  return (
    /^\s*Scenario (?:Outline|Template)\s*:/m.test(testCase.gherkin ?? '') &&
    /^\s*Examples\s*:/m.test(testCase.gherkin ?? '')
  );
}

/** The texts of a case's expected results: each step's `expected`, and its Gherkin `Then` lines. */
export function resultTexts(testCase: TestCase): string[] {
  return resultTextsOf(testCase, gherkinStepLines(testCase.gherkin ?? ''));
}

function resultTextsOf(testCase: TestCase, lines: readonly GherkinStepLine[]): string[] {
  const results: string[] = [];
  for (const step of testCase.steps) {
    const expected = step.expected ?? '';
    if (expected.trim()) results.push(expected);
  }
  for (const line of lines) if (line.effective === 'Then') results.push(line.text);
  return results;
}
