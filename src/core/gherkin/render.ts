import type { Dialect } from '@cucumber/gherkin';
// The dialect list alone (the package's index would also load its parser, 90 KB of JavaScript that
// writing Gherkin never runs).
import languages from '@cucumber/gherkin/dist/gherkin-languages.json' with { type: 'json' };
import type { StepKeyword } from './validate.ts';
import { singleLine } from '../words.ts';

/** How Reqase writes Gherkin: always parseable, keywords in the feature's language. */

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

/** A name that cannot start a comment or be taken for anything else. */
function sanitizeName(name: string, fallback: string): string {
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

const CELL_SPECIAL = /[\\|\n]/;

function escapeCell(value: string): string {
  if (!CELL_SPECIAL.test(value)) return value.trim();
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '\\n').trim();
}

function tableRows(header: string[], rows: string[][], indent: string): string[] {
  const width = Math.max(1, header.length);
  const columnWidths = new Array<number>(width).fill(0);
  const all = [header, ...rows].map((row) => {
    const cells: string[] = [];
    for (let index = 0; index < width; index += 1) {
      const cell = escapeCell(row[index] ?? '');
      cells.push(cell);
      if (cell.length > columnWidths[index]!) columnWidths[index] = cell.length;
    }
    return cells;
  });
  return all.map(
    (row) => `${indent}| ${row.map((cell, column) => cell.padEnd(columnWidths[column]!)).join(' | ')} |`,
  );
}

/** Step text on one line, without a repeated keyword (`Given Given the user…`). */
const SAME_KEYWORD: Record<StepKeyword, RegExp> = {
  Given: /^Given\b\s*:?\s*/i,
  When: /^When\b\s*:?\s*/i,
  Then: /^Then\b\s*:?\s*/i,
  And: /^And\b\s*:?\s*/i,
  But: /^But\b\s*:?\s*/i,
};
const OTHER_KEYWORD = /^(?:Given|When|Then|And|But)\b\s*:?\s*/;

function stepText(keyword: StepKeyword, text: string): string {
  const line = singleLine(text);
  const sameKeyword = SAME_KEYWORD[keyword];
  const otherKeyword = OTHER_KEYWORD;
  return line.replace(sameKeyword.test(line) ? sameKeyword : otherKeyword, '').trim();
}

const dialects: Readonly<Record<string, Dialect>> = languages;

type KeywordWords = Record<StepKeyword | 'Feature' | 'Scenario' | 'Scenario Outline' | 'Examples', string> & {
  language: string;
};

/** The first keyword of each kind in a Gherkin dialect, without the trailing space (`Angenommen`, `Wenn`). */
const KEYWORDS = new Map<string, KeywordWords>();

/** The keywords of a language, worked out once per language. */
function keywordsFor(language: string | undefined): KeywordWords {
  // One entry per Gherkin dialect at most: an unknown language is English.
  const key = language && dialects[language] ? language : 'en';
  let words = KEYWORDS.get(key);
  if (!words) {
    words = dialectKeywords(key);
    KEYWORDS.set(key, words);
  }
  return words;
}

function dialectKeywords(language: string | undefined): KeywordWords {
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
  lines.push(`${words.Feature}: ${sanitizeName(input.featureName, 'Untitled feature')}`);
  lines.push(...descriptionLines(input.description, '  '));
  for (const scenario of input.scenarios) {
    lines.push('');
    lines.push(...tagLine(scenario.tags, '  '));
    const hasExamples =
      scenario.examples !== undefined &&
      scenario.examples.header.length > 0 &&
      scenario.examples.rows.length > 0;
    const keyword = hasExamples ? words['Scenario Outline'] : words.Scenario;
    lines.push(`  ${keyword}: ${sanitizeName(scenario.name, 'Untitled scenario')}`);
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
        `    ${words.Examples}:${scenario.examples!.name ? ' ' + sanitizeName(scenario.examples!.name, '') : ''}`,
      );
      lines.push(...tableRows(scenario.examples!.header, scenario.examples!.rows, '      '));
    }
  }
  return lines.join('\n') + '\n';
}
