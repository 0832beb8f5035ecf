import type { GherkinDocument } from '@cucumber/messages';
import { parseGherkinText } from './parser.ts';
import { ReqaseError } from '../../shared/errors.ts';
import { err, ok, type Result } from '../../shared/result.ts';

/** Validation of Gherkin text with the official `@cucumber/gherkin` parser: problems in plain words. */

export type StepKeyword = 'Given' | 'When' | 'Then' | 'And' | 'But';

export interface ParsedStep {
  keyword: string;
  /** `Context` (Given), `Action` (When), `Outcome` (Then), `Conjunction` (And/But) or `Unknown` (*). */
  keywordType: string;
  text: string;
  line: number;
}

export interface ParsedScenario {
  /** `Scenario`, `Scenario Outline`, `Example`, … as written. */
  keyword: string;
  name: string;
  tags: string[];
  line: number;
  steps: ParsedStep[];
  /** Data rows across all `Examples` tables (0 for a plain scenario). */
  exampleRows: number;
}

/** What a valid Gherkin text contains, enough to list and check it. */
export interface ParsedFeatureSummary {
  featureName: string;
  description: string;
  tags: string[];
  language: string;
  backgroundSteps: ParsedStep[];
  scenarios: ParsedScenario[];
}

export interface GherkinProblem {
  line: number;
  column: number;
  message: string;
}

/** Gherkin that does not parse, or parses into something that cannot run (no scenario, no steps). */
export class GherkinSyntaxError extends ReqaseError {
  /** Where the first problem is (1-based). */
  readonly line: number;
  readonly column: number;
  /** Every problem found, in order. */
  readonly problems: GherkinProblem[];

  constructor(problems: GherkinProblem[]) {
    const first = problems[0] ?? { line: 1, column: 1, message: 'the text is not Gherkin' };
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    super(
      'gherkin_syntax',
      `Invalid Gherkin at line ${first.line}, column ${first.column}: ${first.message}${more}`,
      {
        fix: 'Start with a "Feature:" line, put each "Scenario:" under it, begin each step with Given, When, Then, And or But, and give every "Scenario Outline" an "Examples:" table.',
      },
    );
    this.line = first.line;
    this.column = first.column;
    this.problems = problems;
  }
}

const TOKEN_NAMES: Record<string, string | undefined> = {
  '#EOF': 'the end of the text',
  '#FeatureLine': 'a "Feature:" line',
  '#RuleLine': 'a "Rule:" line',
  '#BackgroundLine': 'a "Background:" line',
  '#ScenarioLine': 'a "Scenario:" line',
  '#ExamplesLine': 'an "Examples:" line',
  '#StepLine': 'a step (Given, When, Then, And, But)',
  '#TableRow': 'a table row',
  '#TagLine': 'a tag',
  '#DocStringSeparator': 'a doc string (""")',
  '#Other': 'description text',
};

/** Turns the parser's `(4:3): expected: #EOF, #TableRow, … got 'Foo bar'` into plain words. */
function plainProblem(error: unknown): GherkinProblem {
  const raw = error instanceof Error ? error.message : String(error);
  const location = (error as { location?: { line?: number; column?: number } }).location;
  const position = /^\((\d+):(\d+)\):\s*/.exec(raw);
  const line = location?.line ?? (position ? Number(position[1]) : 1);
  const column = location?.column ?? (position ? Number(position[2]) : 1);
  const body = position ? raw.slice(position[0].length) : raw;
  const expected = /^expected:\s*(.+?),?\s*got '(.*)'$/s.exec(body);
  if (expected) {
    const wanted = expected[1]!
      .split(/,\s*/)
      .map((token) => TOKEN_NAMES[token.trim()])
      .filter((name): name is string => name !== undefined);
    const got = expected[2]!.trim();
    const what = got === '' ? 'the end of the text' : `"${got.length > 60 ? got.slice(0, 57) + '…' : got}"`;
    return { line, column, message: `unexpected ${what}; expected ${wanted.join(', ')}` };
  }
  return { line, column, message: body };
}

function parseDocument(text: string): Result<GherkinDocument, GherkinProblem[]> {
  const parsed = parseGherkinText(text);
  if (parsed.ok) return ok(parsed.document);
  const nested = (parsed.error as { errors?: unknown[] }).errors;
  return err(
    Array.isArray(nested) && nested.length > 0 ? nested.map(plainProblem) : [plainProblem(parsed.error)],
  );
}

function stepsOf(
  steps: ReadonlyArray<{ keyword: string; keywordType?: string; text: string; location: { line: number } }>,
): ParsedStep[] {
  return steps.map((step) => ({
    keyword: step.keyword.trim(),
    keywordType: step.keywordType ?? 'Unknown',
    text: step.text,
    line: step.location.line,
  }));
}

const KEYWORD_LINE =
  /^\s*(?:(?:Given|When|Then|And|But)\s|(?:Feature|Scenario|Scenario Outline|Background|Examples|Rule):)/;

/**
 * Lines that start with a keyword but that the parser took as description text: a second
 * `Feature:` line, or steps written before any `Scenario:` line.
 */
function keywordsReadAsDescription(text: string, document: GherkinDocument): GherkinProblem[] {
  const known = new Set<number>();
  const docStringLines = new Set<number>();
  const feature = document.feature;
  if (!feature) return [];
  known.add(feature.location.line);
  const markSteps = (
    steps: ReadonlyArray<{
      location: { line: number };
      docString?: { location: { line: number }; content: string };
    }>,
  ) => {
    for (const step of steps) {
      known.add(step.location.line);
      if (step.docString) {
        const first = step.docString.location.line;
        const count = step.docString.content.split('\n').length + 1;
        for (let line = first; line <= first + count; line += 1) docStringLines.add(line);
      }
    }
  };
  for (const child of feature.children) {
    const children = child.rule ? [child, ...child.rule.children] : [child];
    if (child.rule) known.add(child.rule.location.line);
    for (const inner of children) {
      if (inner.background) {
        known.add(inner.background.location.line);
        markSteps(inner.background.steps);
      }
      if (inner.scenario) {
        known.add(inner.scenario.location.line);
        markSteps(inner.scenario.steps);
        for (const examples of inner.scenario.examples) known.add(examples.location.line);
      }
    }
  }
  const problems: GherkinProblem[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const lineNumber = index + 1;
    if (known.has(lineNumber) || docStringLines.has(lineNumber) || !KEYWORD_LINE.test(line)) return;
    problems.push({
      line: lineNumber,
      column: line.length - line.trimStart().length + 1,
      message: `"${line.trim()}" is read as description text: steps belong under a "Scenario:" line and a text has one "Feature:" line`,
    });
  });
  return problems;
}

/**
 * Parses Gherkin and checks that it can run: one `Feature`, at least one scenario, steps in every
 * scenario (a lowercase `given` is silently read as description text, so an empty scenario
 * usually means a keyword was misspelt), and `Examples` under every `Scenario Outline`.
 *
 * @example
 * const result = validateGherkin(text);
 * if (!result.ok) console.error(result.error.line, result.error.message);
 */
export function validateGherkin(text: string): Result<ParsedFeatureSummary, GherkinSyntaxError> {
  const parsed = parseDocument(text);
  if (!parsed.ok) return err(new GherkinSyntaxError(parsed.error));
  const feature = parsed.value.feature;
  if (!feature)
    return err(new GherkinSyntaxError([{ line: 1, column: 1, message: 'there is no "Feature:" line' }]));

  const problems: GherkinProblem[] = [];
  const scenarios: ParsedScenario[] = [];
  let backgroundSteps: ParsedStep[] = [];
  const children = feature.children.flatMap((child) => (child.rule ? child.rule.children : [child]));
  for (const child of children) {
    if (child.background) backgroundSteps = backgroundSteps.concat(stepsOf(child.background.steps));
    const scenario = child.scenario;
    if (!scenario) continue;
    const line = scenario.location.line;
    const name = scenario.name.trim();
    const label = name ? `"${name}"` : `at line ${line}`;
    if (scenario.steps.length === 0) {
      problems.push({
        line,
        column: scenario.location.column ?? 1,
        message: `scenario ${label} has no steps (steps start with Given, When, Then, And or But, capitalised)`,
      });
    }
    const exampleRows = scenario.examples.reduce((total, examples) => total + examples.tableBody.length, 0);
    const isOutline = scenario.examples.length > 0 || /outline|template/i.test(scenario.keyword);
    if (isOutline && exampleRows === 0) {
      problems.push({
        line,
        column: scenario.location.column ?? 1,
        message: `scenario outline ${label} has no "Examples:" table with at least one row`,
      });
    }
    scenarios.push({
      keyword: scenario.keyword.trim(),
      name,
      tags: scenario.tags.map((tag) => tag.name),
      line,
      steps: stepsOf(scenario.steps),
      exampleRows,
    });
  }
  problems.push(...keywordsReadAsDescription(text, parsed.value));
  if (scenarios.length === 0) {
    problems.push({
      line: feature.location.line,
      column: 1,
      message: `feature "${feature.name.trim()}" has no scenario`,
    });
  }
  if (problems.length > 0) return err(new GherkinSyntaxError(problems));
  return ok({
    featureName: feature.name.trim(),
    description: (feature.description ?? '').trim(),
    tags: feature.tags.map((tag) => tag.name),
    language: feature.language,
    backgroundSteps,
    scenarios,
  });
}
