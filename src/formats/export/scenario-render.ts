import type { DataTable, DocString, Examples, Scenario, Step, TableRow, Tag } from '@cucumber/messages';
import type { TestCase } from '../../core/model.ts';
import { singleLine } from '../../shared/text.ts';
import { parseGherkinDocument, stepKeywords } from '../gherkin-document.ts';

/** A scenario ready to be written into a feature file or a tool's Gherkin field. */
export interface RenderedScenario {
  tags: string[];
  /** `Scenario`, `Scenario Outline`, … in the case's language. */
  keyword: string;
  name: string;
  /** Step lines (with their doc strings and tables) and Examples blocks, unindented. */
  body: string[];
}

/** Gherkin tag from any text: `@` plus the text with whitespace and `@` replaced. */
export function gherkinTag(text: string): string {
  return '@' + text.trim().replace(/[\s@]+/g, '_');
}

/** The language of a case's Gherkin text (`# language: fr`), or undefined when it has none or does not parse. */
export function gherkinLanguage(testCase: TestCase): string | undefined {
  if (!testCase.gherkin) return undefined;
  const parsed = parseGherkinDocument(testCase.gherkin);
  return parsed.ok ? parsed.document.feature?.language : undefined;
}

/**
 * The scenarios of a test case: those of its Gherkin text (background steps prepended, so each stands
 * alone), or, when it has none or it does not parse, one scenario rendered from its preconditions
 * (Given), actions (When) and expected results (Then) in `language`.
 */
export function renderCaseScenarios(
  testCase: TestCase,
  language: string,
  warnings: string[],
): RenderedScenario[] {
  const caseTags = [gherkinTag(testCase.id), ...testCase.covers.map(gherkinTag)];
  if (testCase.gherkin?.trim()) {
    const parsed = parseGherkinDocument(testCase.gherkin);
    const feature = parsed.ok ? parsed.document.feature : undefined;
    if (feature && feature.language === language) {
      const scenarios: Array<{ scenario: Scenario; background: readonly Step[] }> = [];
      const featureBackground = feature.children.find((child) => child.background)?.background?.steps ?? [];
      for (const child of feature.children) {
        if (child.scenario) scenarios.push({ scenario: child.scenario, background: featureBackground });
        if (child.rule) {
          const ruleBackground =
            child.rule.children.find((ruleChild) => ruleChild.background)?.background?.steps ?? [];
          for (const ruleChild of child.rule.children) {
            if (ruleChild.scenario) {
              scenarios.push({
                scenario: ruleChild.scenario,
                background: [...featureBackground, ...ruleBackground],
              });
            }
          }
        }
      }
      if (scenarios.length > 0) {
        return scenarios.map(({ scenario, background }) => ({
          tags: unique([...caseTags, ...scenario.tags.map((tag: Tag) => tag.name)]),
          keyword: scenario.keyword,
          name: singleLine(scenario.name) || singleLine(testCase.title),
          body: [...background, ...scenario.steps]
            .flatMap(renderStep)
            .concat(scenario.examples.flatMap(renderExamples)),
        }));
      }
    }
    warnings.push(
      parsed.ok && feature && feature.language !== language
        ? `${testCase.id}: its Gherkin is in "${feature.language}" while the file is in "${language}"; it was rewritten from its steps.`
        : `${testCase.id}: its Gherkin text has no scenario that parses; it was rewritten from its steps.`,
    );
  }
  return [
    {
      tags: caseTags,
      keyword: stepKeywords(language).scenario,
      name: singleLine(testCase.title),
      body: stepsAsGherkin(testCase, language),
    },
  ];
}

/** Given/When/Then lines from a case's preconditions and steps; repeated keywords become And. */
export function stepsAsGherkin(testCase: TestCase, language: string): string[] {
  const keywords = stepKeywords(language);
  const lines: string[] = [];
  let previous: 'given' | 'when' | 'then' | undefined;
  const add = (kind: 'given' | 'when' | 'then', text: string) => {
    const clean = singleLine(text);
    if (!clean) return;
    lines.push(`${previous === kind ? keywords.and : keywords[kind]}${clean}`);
    previous = kind;
  };
  for (const precondition of testCase.preconditions) add('given', precondition);
  for (const step of testCase.steps) {
    add('when', step.data ? `${step.action} (data: ${step.data})` : step.action);
    if (step.expected) add('then', step.expected);
  }
  return lines;
}

function renderStep(step: Step): string[] {
  // The keyword keeps its own trailing space, or none (French "Etant donné qu'").
  const lines = [`${step.keyword}${singleLine(step.text)}`];
  if (step.docString) lines.push(...renderDocString(step.docString).map((line) => `  ${line}`));
  if (step.dataTable) lines.push(...renderTable(step.dataTable.rows).map((line) => `  ${line}`));
  return lines;
}

function renderDocString(docString: DocString): string[] {
  const delimiter = docString.content.includes('"""') ? '```' : '"""';
  const content = docString.content.replaceAll(delimiter, `\\${delimiter}`);
  return [`${delimiter}${docString.mediaType ?? ''}`, ...content.split('\n'), delimiter];
}

function renderExamples(examples: Examples): string[] {
  const rows = examples.tableHeader ? [examples.tableHeader, ...examples.tableBody] : [];
  return [
    '',
    ...(examples.tags.length > 0 ? [examples.tags.map((tag) => tag.name).join(' ')] : []),
    `${examples.keyword}:${examples.name ? ` ${singleLine(examples.name)}` : ''}`,
    ...renderTable(rows).map((line) => `  ${line}`),
  ];
}

function renderTable(rows: readonly TableRow[] | DataTable['rows']): string[] {
  const cells = rows.map((row) =>
    row.cells.map((cell) => cell.value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, '\\n')),
  );
  const widths: number[] = [];
  for (const row of cells)
    row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return cells.map((row) => `| ${row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** A scenario's body as one text (steps and examples), as Xray's `gherkin_def` and Zephyr's BDD script hold it. */
export function scenarioBodyText(scenario: RenderedScenario): string {
  return scenario.body.join('\n');
}
