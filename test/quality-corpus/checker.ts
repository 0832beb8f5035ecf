/**
 * The quality corpus's checker: turns each story's annotated expectations (`*.expect.yaml`) into
 * checks on generated test cases. Shared by the corpus test and `npm run bench`.
 *
 * A Scenario Outline is expanded into one scenario per Examples row before checking, so a boundary
 * value in a row counts as its own case, exactly as a separate manual case does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dialects } from '@cucumber/gherkin';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { validateGherkin } from '../../src/core/gherkin/index.ts';
import type { Story, TestCase, TestFormat } from '../../src/core/index.ts';
import { parseStoryText } from '../../src/formats/import/index.ts';

export const CorpusExpectationSchema = z.object({
  domain: z.string(),
  language: z.enum(['en', 'de', 'fr', 'es']),
  /** How many acceptance criteria the story has. */
  criteria: z.number().int().positive(),
  /** Exact messages that must appear in the results of the cases. */
  messages: z.array(z.string()).default([]),
  /** Limits with the boundary values that must each be an input of a case of its own. */
  limits: z.array(z.object({ name: z.string(), values: z.array(z.number()) })).default([]),
  /** Enumerations whose values must each be used as an input. */
  enumerations: z.array(z.array(z.union([z.string(), z.number()]))).default([]),
  /** Role restrictions that need a negative case in which one of the `refused` parties tries. */
  roles: z.array(z.object({ restriction: z.string(), refused: z.array(z.string()) })).default([]),
  /** Words that must not appear in any precondition (they contradict the story). */
  forbiddenPreconditions: z.array(z.string()).default([]),
});
export type CorpusExpectation = z.infer<typeof CorpusExpectationSchema>;

export interface CorpusStory {
  name: string;
  story: Story;
  expectation: CorpusExpectation;
}

export interface CorpusCheck {
  story: string;
  check: string;
  passed: boolean;
}

export const CORPUS_DIRECTORY = join(import.meta.dirname, 'stories');

export function loadCorpus(directory = CORPUS_DIRECTORY): CorpusStory[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.md$/, '');
      const parsed = parseStoryText(readFileSync(join(directory, file)), { fileName: file });
      if (!parsed.ok) throw parsed.error;
      const story = parsed.value[0];
      if (!story) throw new Error(`${file} holds no story`);
      const expectation = CorpusExpectationSchema.parse(
        parseYaml(readFileSync(join(directory, `${name}.expect.yaml`), 'utf8')),
      );
      return { name, story, expectation };
    });
}

/** One concrete scenario or manual case, split into what is set up, done and observed. */
interface CaseView {
  kind: TestCase['kind'];
  covers: string[];
  preconditions: string[];
  inputs: string[];
  results: string[];
  /** The Gherkin keywords in order, for keyword misuse. */
  keywords: string[];
}

function manualView(testCase: TestCase): CaseView {
  return {
    kind: testCase.kind,
    covers: testCase.covers,
    preconditions: testCase.preconditions,
    inputs: testCase.steps.flatMap((step) => [step.action, step.data ?? '']),
    results: testCase.steps.flatMap((step) => (step.expected ? [step.expected] : [])),
    keywords: [],
  };
}

/** The step keywords of a Gherkin language, each mapped to its English name. */
function keywordsOf(language: string): Array<[string, string]> {
  const dialect = dialects[language] ?? dialects['en']!;
  const pairs: Array<[string, string]> = [];
  for (const [name, words] of [
    ['Given', dialect.given],
    ['When', dialect.when],
    ['Then', dialect.then],
    ['And', dialect.and],
    ['But', dialect.but],
  ] as const) {
    for (const word of words) if (word.trim() !== '*') pairs.push([word, name]);
  }
  return pairs.sort((left, right) => right[0].length - left[0].length);
}

/** The scenarios of a case's Gherkin, one per Examples row for an outline. */
function bddViews(testCase: TestCase): CaseView[] {
  const lines = (testCase.gherkin ?? '').split('\n');
  const language = /^#\s*language:\s*(\S+)/.exec(lines[0] ?? '')?.[1] ?? 'en';
  const keywords = keywordsOf(language);
  const steps = lines.flatMap((line) => {
    const trimmed = line.trim();
    const match = keywords.find(([word]) => trimmed.startsWith(word));
    return match ? [{ keyword: match[1], text: trimmed.slice(match[0].length).trim() }] : [];
  });
  const examplesWord = (dialects[language] ?? dialects['en']!).examples;
  const examplesAt = lines.findIndex((line) =>
    examplesWord.some((word) => line.trim().startsWith(`${word}:`)),
  );
  const tableRows = (examplesAt < 0 ? [] : lines.slice(examplesAt + 1))
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim()),
    );
  const [header, ...rows] = tableRows;
  const substitutions: Array<Record<string, string>> =
    header && rows.length > 0
      ? rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ''])))
      : [{}];
  return substitutions.map((values) => {
    const view: CaseView = {
      kind: testCase.kind,
      covers: testCase.covers,
      preconditions: [],
      inputs: [],
      results: [],
      keywords: steps.map((step) => step.keyword),
    };
    let section: 'preconditions' | 'inputs' | 'results' = 'preconditions';
    for (const step of steps) {
      if (step.keyword === 'Given') section = 'preconditions';
      if (step.keyword === 'When') section = 'inputs';
      if (step.keyword === 'Then') section = 'results';
      view[section].push(step.text.replace(/<([^>]+)>/g, (whole, name: string) => values[name] ?? whole));
    }
    return view;
  });
}

function viewsOf(testCases: TestCase[], format: TestFormat): CaseView[] {
  return format === 'bdd' ? testCases.flatMap(bddViews) : testCases.map(manualView);
}

/** Every number in a text: `10,000.00` → 10000, `0,5` → 0.5, `sample-5mb` → 5. */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/\d+(?:[.,]\d+)*/g)].map((match) => {
    const raw = match[0];
    const normalized = /,\d{3}(?:\D|$)/.test(raw) ? raw.replace(/,/g, '') : raw.replace(/,/g, '.');
    return Number.parseFloat(normalized);
  });
}

function containsWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const ENGLISH_WORDS = new Set(['the', 'and', 'is', 'with', 'enter', 'select', 'shown', 'to', 'of', 'are']);

function allText(view: CaseView): string {
  return [...view.preconditions, ...view.inputs, ...view.results].join('\n');
}

/** Checks every case of a story must pass whatever the story says. */
function generalChecks(
  story: Story,
  expectation: CorpusExpectation,
  testCases: TestCase[],
  views: CaseView[],
  format: TestFormat,
): Array<[string, boolean]> {
  const criteria = story.acceptanceCriteria.map((criterion) => normalize(criterion.text));
  const texts = testCases.flatMap((testCase) => [
    testCase.title,
    ...testCase.preconditions,
    ...testCase.steps.flatMap((step) => [step.action, step.data ?? '', step.expected ?? '']),
    testCase.gherkin ?? '',
  ]);
  const checks: Array<[string, boolean]> = [
    ['criteria read', story.acceptanceCriteria.length === expectation.criteria],
    [
      'every criterion covered',
      story.acceptanceCriteria.every((criterion) =>
        testCases.some((testCase) => testCase.covers.includes(criterion.id)),
      ),
    ],
    [
      'positive flows have two or more steps',
      views
        .filter((view) => view.kind === 'positive')
        .every(
          (view) =>
            view.inputs.filter(Boolean).length + (format === 'bdd' ? view.preconditions.length : 0) >= 2,
        ),
    ],
    [
      'quotes are balanced',
      texts.every(
        (text) =>
          (text.match(/"/g)?.length ?? 0) % 2 === 0 &&
          (text.match(/«/g)?.length ?? 0) === (text.match(/»/g)?.length ?? 0) &&
          (text.match(/„/g)?.length ?? 0) === (text.match(/“/g)?.length ?? 0),
      ),
    ],
    [
      'no result restates a criterion',
      views.every((view) =>
        view.results.every((result) => {
          const normalized = normalize(result);
          // An exact message may say "must"; the result around it may not.
          const unquoted = result.replace(/"[^"]*"|“[^”]*”|„[^“”]*[“”]|«[^»]*»/g, '');
          return !criteria.includes(normalized) && !/\b(?:must|should|muss|doit|debe)\b/i.test(unquoted);
        }),
      ),
    ],
    [
      'no two cases with the same steps',
      new Set(
        testCases.map((testCase) =>
          JSON.stringify([testCase.preconditions, testCase.steps, testCase.gherkin]),
        ),
      ).size === testCases.length,
    ],
  ];
  if (format === 'bdd') {
    checks.push([
      'every scenario parses',
      testCases.every((testCase) => testCase.gherkin !== undefined && validateGherkin(testCase.gherkin).ok),
    ]);
    checks.push([
      'And instead of a repeated keyword',
      views.every((view) =>
        view.keywords.every(
          (keyword, index) => keyword === 'And' || keyword === 'But' || keyword !== view.keywords[index - 1],
        ),
      ),
    ]);
  }
  if (expectation.language !== 'en') {
    const words = views.flatMap((view) => normalize(allText(view)).split(' '));
    const english = words.filter((word) => ENGLISH_WORDS.has(word)).length;
    checks.push([`cases written in ${expectation.language}`, english / Math.max(1, words.length) < 0.03]);
  }
  return checks;
}

function annotatedChecks(expectation: CorpusExpectation, views: CaseView[]): Array<[string, boolean]> {
  const checks: Array<[string, boolean]> = [];
  for (const message of expectation.messages) {
    checks.push([
      `message "${message}" in a result`,
      views.some((view) => view.results.some((result) => result.includes(message))),
    ]);
  }
  for (const limit of expectation.limits) {
    for (const value of limit.values) {
      const others = limit.values.filter((other) => other !== value);
      checks.push([
        `${limit.name}: ${value} tested in a case of its own`,
        views.some((view) => {
          if (view.kind === 'positive') return false;
          const numbers = numbersIn(view.inputs.join('\n'));
          return numbers.includes(value) && !numbers.some((number) => others.includes(number));
        }),
      ]);
    }
  }
  for (const values of expectation.enumerations) {
    for (const value of values) {
      checks.push([
        `enumerated value ${value} used as an input`,
        views.some((view) => view.inputs.some((input) => containsWord(input, String(value)))),
      ]);
    }
  }
  for (const role of expectation.roles) {
    checks.push([
      `negative case for "${role.restriction}"`,
      views.some(
        (view) =>
          view.kind === 'negative' &&
          role.refused.some((party) =>
            containsWord([...view.preconditions, ...view.inputs].join('\n'), party),
          ),
      ),
    ]);
  }
  for (const forbidden of expectation.forbiddenPreconditions) {
    checks.push([
      `no precondition "${forbidden}"`,
      views.every((view) =>
        view.preconditions.every((precondition) => !containsWord(precondition, forbidden)),
      ),
    ]);
  }
  return checks;
}

/** Every check of one story's generated cases. */
export function checkStory(
  corpusStory: CorpusStory,
  testCases: TestCase[],
  format: TestFormat,
): CorpusCheck[] {
  const views = viewsOf(testCases, format);
  return [
    ...generalChecks(corpusStory.story, corpusStory.expectation, testCases, views, format),
    ...annotatedChecks(corpusStory.expectation, views),
  ].map(([check, passed]) => ({ story: corpusStory.name, check, passed }));
}

export interface CorpusScore {
  passed: number;
  total: number;
  /** passed / total, 0 to 1. */
  score: number;
  misses: CorpusCheck[];
}

/** The share of passed checks over the whole corpus, with the misses. */
export function scoreCorpus(
  corpus: CorpusStory[],
  format: TestFormat,
  generate: (story: Story, format: TestFormat) => TestCase[],
): CorpusScore {
  const checks = corpus.flatMap((corpusStory) =>
    checkStory(corpusStory, generate(corpusStory.story, format), format),
  );
  const passed = checks.filter((check) => check.passed).length;
  return {
    passed,
    total: checks.length,
    score: passed / Math.max(1, checks.length),
    misses: checks.filter((check) => !check.passed),
  };
}

/** The misses, one line each, grouped by story: for a failing test's message. */
export function formatMisses(misses: CorpusCheck[]): string {
  return misses.map((miss) => `${miss.story}: ${miss.check}`).join('\n');
}
