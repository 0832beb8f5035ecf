import { AstBuilder, GherkinClassicTokenMatcher, Parser, dialects } from '@cucumber/gherkin';
import { IdGenerator, type GherkinDocument } from '@cucumber/messages';
import { ReqaseError } from '../shared/errors.ts';
import { err, ok, type Result } from '../shared/result.ts';

/**
 * Gherkin validation, rendering and repair, on top of the official `@cucumber/gherkin` parser.
 *
 * `renderFeature` is how Reqase writes Gherkin (always parseable); `validateGherkin` is how it
 * checks Gherkin written by a model; `repairGherkin` fixes the mistakes models commonly make.
 */

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
  const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
  try {
    return ok(parser.parse(text));
  } catch (error) {
    const nested = (error as { errors?: unknown[] }).errors;
    const problems =
      Array.isArray(nested) && nested.length > 0 ? nested.map(plainProblem) : [plainProblem(error)];
    return err(problems);
  }
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

// ---------------------------------------------------------------------------------------------
// Rendering

export interface RenderStep {
  keyword: StepKeyword;
  text: string;
}

export interface RenderExamples {
  name?: string;
  header: string[];
  rows: string[][];
}

export interface RenderScenario {
  name: string;
  tags?: string[];
  steps: RenderStep[];
  /** Turns the scenario into a `Scenario Outline` with this `Examples` table. */
  examples?: RenderExamples;
}

export interface RenderFeatureInput {
  /** Gherkin's language code (`de`, `fr`, `es`); keywords are written in it. Default: English. */
  language?: string;
  featureName: string;
  description?: string;
  tags?: string[];
  scenarios: RenderScenario[];
}

const LINE_KEYWORD =
  /^(?:feature|rule|background|scenario outline|scenario template|scenario|example|examples|scenarios|given|when|then|and|but)\b|^[*@#|]|^"""|^```/i;

/** One line of free text: no line breaks, no doubled spaces. */
function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A name that cannot start a comment or be taken for anything else. */
function sanitiseName(name: string, fallback: string): string {
  const line = singleLine(name).replace(/^[#@|]+\s*/, '');
  return line || fallback;
}

function sanitiseTag(tag: string): string | undefined {
  const cleaned = tag
    .trim()
    .replace(/^@+/, '')
    .replace(/[\s#@]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned ? `@${cleaned}` : undefined;
}

function tagLine(tags: string[] | undefined, indent: string): string[] {
  const cleaned = [
    ...new Set((tags ?? []).map(sanitiseTag).filter((tag): tag is string => tag !== undefined)),
  ];
  return cleaned.length > 0 ? [indent + cleaned.join(' ')] : [];
}

/** Description lines must not look like keywords, tags, comments, tables or doc strings. */
function descriptionLines(description: string | undefined, indent: string): string[] {
  if (!description) return [];
  return description
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .map((line) => indent + (LINE_KEYWORD.test(line) ? `- ${line}` : line));
}

function escapeCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '\\n').trim();
}

function tableRows(header: string[], rows: string[][], indent: string): string[] {
  const width = Math.max(1, header.length);
  const all = [header, ...rows].map((row) =>
    Array.from({ length: width }, (_, index) => escapeCell(row[index] ?? '')),
  );
  const columnWidths = Array.from({ length: width }, (_, column) =>
    Math.max(...all.map((row) => row[column]!.length)),
  );
  return all.map(
    (row) => `${indent}| ${row.map((cell, column) => cell.padEnd(columnWidths[column]!)).join(' | ')} |`,
  );
}

/** Step text on one line, without a repeated keyword (`Given Given the user…`). */
function stepText(keyword: StepKeyword, text: string): string {
  const line = singleLine(text);
  const sameKeyword = new RegExp(`^${keyword}\\b\\s*:?\\s*`, 'i');
  const otherKeyword = /^(?:Given|When|Then|And|But)\b\s*:?\s*/;
  return line.replace(sameKeyword.test(line) ? sameKeyword : otherKeyword, '').trim();
}

type KeywordWords = Record<StepKeyword | 'Feature' | 'Scenario' | 'Scenario Outline' | 'Examples', string> & {
  language: string;
};

/** The first keyword of each kind in a Gherkin dialect, without the trailing space (`Angenommen`, `Wenn`). */
function keywordsFor(language: string | undefined): KeywordWords {
  const dialect = (language && dialects[language]) || dialects['en']!;
  const first = (words: readonly string[]) =>
    (words.find((word) => word.trim() !== '*') ?? words[0] ?? '').trim();
  return {
    language: language && dialects[language] ? language : 'en',
    Feature: first(dialect.feature),
    // `Scenario` rather than its synonym `Example`, in every language (the last name in the dialect).
    Scenario: (dialect.scenario[dialect.scenario.length - 1] ?? 'Scenario').trim(),
    'Scenario Outline': first(dialect.scenarioOutline),
    Examples: first(dialect.examples),
    Given: first(dialect.given),
    When: first(dialect.when),
    Then: first(dialect.then),
    // The shortest `And` reads best in every language (`Et`, not `Et que`).
    And:
      [...dialect.and]
        .map((word) => word.trim())
        .filter((word) => word !== '*')
        .sort((left, right) => left.length - right.length)[0] ?? 'And',
    But: first(dialect.but),
  };
}

/**
 * Renders one Feature with its scenarios as Gherkin that always parses: names and step text are
 * put on one line, tags lose spaces, description lines that look like keywords are prefixed,
 * table cells escape `|`, `\` and line breaks, steps with empty text are dropped, and a leading
 * `And`/`But` becomes `Given`.
 *
 * @example
 * renderFeature({ featureName: 'Login', scenarios: [{ name: 'Valid login', tags: ['positive', 'AC-1'],
 *   steps: [{ keyword: 'Given', text: 'I am on the login page' }, …] }] })
 */
export function renderFeature(input: RenderFeatureInput): string {
  const lines: string[] = [];
  const words = keywordsFor(input.language);
  if (words.language !== 'en') lines.push(`# language: ${words.language}`);
  lines.push(...tagLine(input.tags, ''));
  lines.push(`${words.Feature}: ${sanitiseName(input.featureName, 'Untitled feature')}`);
  lines.push(...descriptionLines(input.description, '  '));
  for (const scenario of input.scenarios) {
    lines.push('');
    lines.push(...tagLine(scenario.tags, '  '));
    const hasExamples =
      scenario.examples !== undefined &&
      scenario.examples.header.length > 0 &&
      scenario.examples.rows.length > 0;
    const keyword = hasExamples ? words['Scenario Outline'] : words.Scenario;
    lines.push(`  ${keyword}: ${sanitiseName(scenario.name, 'Untitled scenario')}`);
    let first = true;
    for (const step of scenario.steps) {
      const text = stepText(step.keyword, step.text);
      if (!text) continue;
      const keywordToUse: StepKeyword =
        first && (step.keyword === 'And' || step.keyword === 'But') ? 'Given' : step.keyword;
      lines.push(`    ${words[keywordToUse]} ${text}`);
      first = false;
    }
    if (hasExamples) {
      lines.push('');
      lines.push(
        `    ${words.Examples}:${scenario.examples!.name ? ' ' + sanitiseName(scenario.examples!.name, '') : ''}`,
      );
      lines.push(...tableRows(scenario.examples!.header, scenario.examples!.rows, '      '));
    }
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Repair

const STEP_WORDS = ['given', 'when', 'then', 'and', 'but'];
const HEADER_WORDS: Array<[RegExp, string]> = [
  [/^scenario\s+outline$/i, 'Scenario Outline'],
  [/^scenario\s+template$/i, 'Scenario Template'],
  [/^scenario$/i, 'Scenario'],
  [/^feature$/i, 'Feature'],
  [/^background$/i, 'Background'],
  [/^examples$/i, 'Examples'],
  [/^scenarios$/i, 'Examples'],
  [/^example$/i, 'Example'],
  [/^rule$/i, 'Rule'],
];

type LineKind =
  | 'feature'
  | 'header'
  | 'scenario'
  | 'examples'
  | 'step'
  | 'table'
  | 'tag'
  | 'comment'
  | 'blank'
  | 'docstring'
  | 'other';

interface RepairLine {
  kind: LineKind;
  text: string;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** Normalises one line's decoration (bullets, numbers, bold, headings, case) and classifies it. */
function classify(rawLine: string, note: (repair: string) => void): RepairLine {
  let line = rawLine.replace(/\t/g, '  ').trim();
  if (line === '') return { kind: 'blank', text: '' };
  if (line.startsWith('"""') || line.startsWith('```')) return { kind: 'docstring', text: line };
  if (line.startsWith('#')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading && /^\**\s*(?:feature|scenario|background|examples|rule)\b/i.test(heading[1]!)) {
      note('removed Markdown heading marks');
      line = heading[1]!;
    } else {
      return { kind: 'comment', text: line };
    }
  }
  const decoration = /^(?:\d+[.)]|[-*•+]|>)\s+(?=\S)/.exec(line);
  if (
    decoration &&
    /^(?:\d+[.)]|[-*•+]|>)\s+\**\s*(?:given|when|then|and|but|scenario|feature|examples|background)\b/i.test(
      line,
    )
  ) {
    note('removed list numbers or bullets before keywords');
    line = line.slice(decoration[0].length);
  }
  if (/^\*\*|^__/.test(line)) {
    const unbolded = line.replace(/^(\*\*|__)([^*_]+?)\1/, '$2');
    if (unbolded !== line) {
      note('removed bold marks around keywords');
      line = unbolded.trim();
    }
  }
  if (line.startsWith('@')) return { kind: 'tag', text: line };
  if (line.startsWith('|')) return { kind: 'table', text: line };

  const header = /^([A-Za-z]+(?:\s+[A-Za-z]+)?)\s*:\s*(.*)$/.exec(line);
  if (header) {
    const match = HEADER_WORDS.find(([pattern]) => pattern.test(header[1]!));
    if (match) {
      const keyword = match[1];
      if (header[1] !== keyword) note(`wrote "${keyword}:" with its usual capitalisation`);
      const text = `${keyword}: ${header[2]!.replace(/\*+$/, '').trim()}`.trimEnd();
      if (keyword === 'Feature') return { kind: 'feature', text };
      if (keyword === 'Examples') return { kind: 'examples', text };
      if (keyword === 'Background' || keyword === 'Rule') return { kind: 'header', text };
      return { kind: 'scenario', text };
    }
  }
  const step = /^([A-Za-z]+)\b\s*:?\s*(.*)$/.exec(line);
  if (step && STEP_WORDS.includes(step[1]!.toLowerCase()) && step[2]!.length > 0) {
    const keyword = capitalise(step[1]!);
    const rest = step[2]!.replace(/^\*+\s*/, '');
    const fixed = `${keyword} ${rest}`;
    if (step[1] !== keyword) note('capitalised step keywords');
    else if (line !== fixed && /^[A-Za-z]+\s*:/.test(line)) note('removed colons after step keywords');
    return { kind: 'step', text: fixed };
  }
  if (line.startsWith('* ')) return { kind: 'step', text: line };
  return { kind: 'other', text: line };
}

function scenarioName(line: string): string {
  return line.replace(/^[^:]*:\s*/, '').trim();
}

function placeholdersOf(steps: string[]): string[] {
  const names = new Set<string>();
  for (const step of steps) for (const match of step.matchAll(/<([^<>\s][^<>]*)>/g)) names.add(match[1]!);
  return [...names];
}

/**
 * Repairs the mistakes models commonly make in Gherkin: Markdown fences and headings, prose
 * around the feature, numbered or bulleted steps, bold keywords, lowercase keywords, colons after
 * step keywords, tabs and odd indentation, a missing `Feature:` line, steps before any scenario,
 * several `Feature:` blocks in one answer, table rows with missing cells, stray text between
 * steps (kept as comments), and a `Scenario Outline` without `Examples` (made a plain scenario).
 *
 * Returns the repaired text with the repairs made, in plain words (`repairs` is empty when the
 * text was already valid), or `undefined` when it still does not validate after repair.
 *
 * @example
 * repairGherkin('```gherkin\nScenario: Login\n1. given I am on the login page\n```')
 * // { text: 'Feature: Login\n\n  Scenario: Login\n    Given I am on the login page\n', repairs: [...] }
 */
export function repairGherkin(
  text: string,
  options: { featureName?: string } = {},
): { text: string; repairs: string[] } | undefined {
  if (validateGherkin(text).ok) return { text, repairs: [] };
  const repairs: string[] = [];
  const note = (repair: string) => {
    if (!repairs.includes(repair)) repairs.push(repair);
  };
  if (text.includes('\t')) note('replaced tabs with spaces');

  let rawLines = text.replace(/\r\n?/g, '\n').split('\n');
  // Markdown fences around the feature (but keep ``` doc strings inside steps).
  const fenceIndexes = rawLines.flatMap((line, index) => (/^\s*```[\w-]*\s*$/.test(line) ? [index] : []));
  if (fenceIndexes.length >= 1) {
    const firstFence = fenceIndexes[0]!;
    const opensFeature = rawLines.slice(firstFence + 1).find((line) => line.trim() !== '');
    if (
      opensFeature !== undefined &&
      /^\s*(?:#+\s*)?(?:\**)?(?:@|feature|scenario|given|#|\d+\.|[-*])/i.test(opensFeature)
    ) {
      const lastFence = fenceIndexes.length > 1 ? fenceIndexes[fenceIndexes.length - 1]! : rawLines.length;
      const outside = [...rawLines.slice(0, firstFence), ...rawLines.slice(lastFence + 1)];
      if (rawLines.slice(0, firstFence).some((line) => line.trim() !== ''))
        note('removed text before the Gherkin');
      if (rawLines.slice(lastFence + 1).some((line) => line.trim() !== '' && outside.length > 0))
        note('removed text after the Gherkin');
      rawLines = rawLines.slice(firstFence + 1, lastFence);
      note('removed the Markdown code fence around the Gherkin');
    }
  }

  const classified = rawLines.map((line) => classify(line, note));

  // Prose before the first Gherkin line and after the last one is dropped.
  const isGherkin = (line: RepairLine) =>
    line.kind !== 'other' && line.kind !== 'blank' && line.kind !== 'comment';
  const firstGherkin = classified.findIndex(isGherkin);
  if (firstGherkin === -1) return undefined;
  let lastGherkin = classified.length - 1;
  while (lastGherkin > 0 && !isGherkin(classified[lastGherkin]!)) lastGherkin -= 1;
  if (classified.slice(0, firstGherkin).some((line) => line.kind === 'other'))
    note('removed text before the Gherkin');
  if (classified.slice(lastGherkin + 1).some((line) => line.kind === 'other'))
    note('removed text after the Gherkin');
  const lines = classified.slice(firstGherkin, lastGherkin + 1);

  const output: string[] = [];
  let featureSeen = false;
  let currentFeatureName = '';
  let inScenario = false;
  let inDocString = false;
  let descriptionAllowed = false;
  let pendingTags: string[] = [];
  let scenario: { headerIndex: number; steps: string[]; hasExamples: boolean } | undefined;
  const scenarios: Array<{ headerIndex: number; steps: string[]; hasExamples: boolean }> = [];
  let tableWidth: number | undefined;

  const firstScenarioLine = lines.find((line) => line.kind === 'scenario');
  const fallbackName =
    (options.featureName ?? (firstScenarioLine ? scenarioName(firstScenarioLine.text) : '')) ||
    'Generated scenarios';
  const ensureFeature = () => {
    if (featureSeen) return;
    output.push(`Feature: ${fallbackName}`, '');
    featureSeen = true;
    note('added the missing "Feature:" line');
  };
  const flushTags = (indent: string) => {
    if (pendingTags.length > 0) output.push(...pendingTags.map((tag) => indent + tag));
    pendingTags = [];
  };
  const startScenario = (header: string) => {
    ensureFeature();
    if (output.length > 0 && output[output.length - 1] !== '') output.push('');
    flushTags('  ');
    output.push(`  ${header}`);
    scenario = { headerIndex: output.length - 1, steps: [], hasExamples: false };
    scenarios.push(scenario);
    inScenario = true;
    descriptionAllowed = true;
    tableWidth = undefined;
  };

  for (const line of lines) {
    if (inDocString) {
      output.push(line.kind === 'docstring' ? `      ${line.text}` : `      ${line.text}`);
      if (line.kind === 'docstring') inDocString = false;
      continue;
    }
    switch (line.kind) {
      case 'blank':
        if (output.length > 0 && output[output.length - 1] !== '') output.push('');
        tableWidth = undefined;
        break;
      case 'comment':
        output.push((inScenario ? '    ' : '') + line.text);
        break;
      case 'tag':
        pendingTags.push(line.text);
        break;
      case 'feature':
        if (featureSeen) {
          note('merged several "Feature:" blocks into one');
          pendingTags = [];
          break;
        }
        flushTags('');
        output.push(line.text);
        currentFeatureName = scenarioName(line.text);
        featureSeen = true;
        descriptionAllowed = true;
        break;
      case 'header':
        ensureFeature();
        if (output[output.length - 1] !== '') output.push('');
        flushTags('  ');
        output.push(`  ${line.text}`);
        inScenario = true;
        scenario = undefined;
        descriptionAllowed = true;
        break;
      case 'scenario':
        startScenario(line.text);
        break;
      case 'examples':
        if (!scenario) break;
        if (output[output.length - 1] !== '') output.push('');
        flushTags('    ');
        output.push(`    ${line.text}`);
        scenario.hasExamples = true;
        descriptionAllowed = true;
        tableWidth = undefined;
        break;
      case 'step':
        if (!inScenario) {
          startScenario(`Scenario: ${currentFeatureName || fallbackName}`);
          note('put steps that came before any scenario into a scenario');
        }
        output.push(`    ${line.text}`);
        scenario?.steps.push(line.text);
        descriptionAllowed = false;
        tableWidth = undefined;
        break;
      case 'table': {
        const cells = line.text
          .replace(/^\|/, '')
          .replace(/\|\s*$/, '')
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim());
        if (tableWidth === undefined) tableWidth = cells.length;
        else if (cells.length < tableWidth) {
          while (cells.length < tableWidth) cells.push('');
          note('filled missing table cells');
        } else if (cells.length > tableWidth) {
          cells.length = tableWidth;
          note('dropped extra table cells');
        }
        output.push(`      | ${cells.join(' | ')} |`);
        descriptionAllowed = false;
        break;
      }
      case 'docstring':
        output.push(`      ${line.text}`);
        inDocString = true;
        break;
      case 'other':
        if (descriptionAllowed && (featureSeen || inScenario)) {
          output.push((inScenario ? '    ' : '  ') + line.text);
        } else {
          output.push(`${inScenario ? '    ' : '  '}# ${line.text}`);
          note('kept stray text between steps as comments');
        }
        break;
    }
  }

  // A Scenario Outline with no Examples: a plain Scenario when nothing needs filling in.
  for (const entry of scenarios) {
    const header = output[entry.headerIndex]!;
    if (!/^\s*Scenario (?:Outline|Template):/.test(header) || entry.hasExamples) continue;
    output[entry.headerIndex] = header.replace(/Scenario (?:Outline|Template):/, 'Scenario:');
    const placeholders = placeholdersOf(entry.steps);
    note(
      placeholders.length > 0
        ? `made the Scenario Outline "${scenarioName(header)}" without Examples a plain Scenario; its steps still contain ${placeholders.map((name) => `<${name}>`).join(', ')}`
        : `made the Scenario Outline "${scenarioName(header)}" without Examples a plain Scenario`,
    );
  }

  const repaired =
    output
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n';
  if (repaired.replace(/\s+/g, '') === text.replace(/\s+/g, '') && repairs.length === 0)
    note('normalised indentation');
  if (!validateGherkin(repaired).ok) return undefined;
  return { text: repaired, repairs };
}
