import type { ExportBundle, ExportDocument, ExportFile } from './bundle.ts';
import { coverageOf, EXPORT_DOCUMENT_VERSION } from './bundle.ts';
import { toCsv } from './csv-cells.ts';

export const GENERIC_CSV_COLUMNS = [
  'Story Key',
  'Story Summary',
  'Test Case ID',
  'Title',
  'Kind',
  'Priority',
  'Status',
  'Engine',
  'Covers',
  'Preconditions',
  'Steps',
  'Expected Results',
  'Gherkin',
] as const;

/** One row per test case; steps and expected results numbered one per line in their cells. */
export function exportGenericCsv(bundle: ExportBundle): ExportFile {
  const rows = bundle.stories.flatMap(({ story, testCases }) =>
    testCases.map((testCase) => [
      story.key,
      story.summary,
      testCase.id,
      testCase.title,
      testCase.kind,
      testCase.priority,
      testCase.status ?? '',
      testCase.engine,
      testCase.covers.join(' '),
      testCase.preconditions.join('\n'),
      testCase.steps
        .map((step, index) => `${index + 1}. ${step.action}${step.data ? ` [data: ${step.data}]` : ''}`)
        .join('\n'),
      testCase.steps
        .map((step, index) => (step.expected ? `${index + 1}. ${step.expected}` : ''))
        .filter(Boolean)
        .join('\n'),
      testCase.gherkin ?? '',
    ]),
  );
  return { name: 'test-cases.csv', mediaType: 'text/csv', content: toCsv(GENERIC_CSV_COLUMNS, rows) };
}

/** Reqase Lite's own versioned JSON (see `ExportDocumentSchema`), with coverage per story. */
export function exportJson(bundle: ExportBundle): ExportFile {
  const document: ExportDocument = {
    format: 'reqase-lite/test-cases',
    version: EXPORT_DOCUMENT_VERSION,
    project: bundle.project ? { name: bundle.project.name } : null,
    stories: bundle.stories.map(({ story, testCases }) => {
      const coverage = coverageOf(story, testCases);
      return {
        story,
        testCases,
        coverage,
        uncovered: Object.entries(coverage)
          .filter(([, cases]) => cases.length === 0)
          .map(([id]) => id),
      };
    }),
  };
  return {
    name: 'test-cases.json',
    mediaType: 'application/json',
    content: JSON.stringify(document, null, 2) + '\n',
  };
}

/** Text for Markdown prose: `<` and `>` escaped so story text never becomes HTML in a viewer. */
function prose(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text for a Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return prose(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function fence(text: string, language: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const marker = '`'.repeat(longest + 1);
  return [`${marker}${language}`, text.trimEnd(), marker];
}

/** A readable report: per story its criteria with a coverage table, then each test case. */
export function exportMarkdown(bundle: ExportBundle): ExportFile {
  const lines: string[] = [`# Test cases${bundle.project ? `: ${prose(bundle.project.name)}` : ''}`, ''];
  for (const { story, testCases } of bundle.stories) {
    lines.push(`## ${prose(story.key)}: ${prose(story.summary)}`, '');
    if (story.description) lines.push(prose(story.description), '');
    const coverage = coverageOf(story, testCases);
    if (story.acceptanceCriteria.length > 0) {
      lines.push('### Coverage', '', '| Criterion | Text | Test cases |', '| --- | --- | --- |');
      for (const criterion of story.acceptanceCriteria) {
        const cases = coverage[criterion.id] ?? [];
        lines.push(
          `| ${criterion.id} | ${cell(criterion.text)} | ${cases.length > 0 ? cell(cases.join(', ')) : '**not covered**'} |`,
        );
      }
      lines.push('');
    }
    if (story.outOfScope.length > 0) {
      lines.push(
        'Out of scope:',
        '',
        ...story.outOfScope.map((item) => `- ${prose(item).replace(/\n/g, ' ')}`),
        '',
      );
    }
    for (const testCase of testCases) {
      lines.push(`### ${prose(testCase.id)}: ${prose(testCase.title)}`, '');
      const facts = [
        `Kind: ${testCase.kind}`,
        `Priority: ${prose(testCase.priority)}`,
        ...(testCase.status ? [`Status: ${testCase.status}`] : []),
        `Covers: ${testCase.covers.length > 0 ? testCase.covers.join(', ') : 'none'}`,
        `Engine: ${testCase.engine === 'rules' ? 'rules' : 'AI'}`,
      ];
      lines.push(facts.join(' · '), '');
      if (testCase.preconditions.length > 0) {
        lines.push(
          'Preconditions:',
          '',
          ...testCase.preconditions.map((item) => `- ${prose(item).replace(/\n/g, ' ')}`),
          '',
        );
      }
      if (testCase.steps.length > 0) {
        lines.push('| # | Action | Data | Expected result |', '| --- | --- | --- | --- |');
        testCase.steps.forEach((step, index) =>
          lines.push(
            `| ${index + 1} | ${cell(step.action)} | ${cell(step.data ?? '')} | ${cell(step.expected ?? '')} |`,
          ),
        );
        lines.push('');
      }
      if (testCase.gherkin) lines.push(...fence(testCase.gherkin, 'gherkin'), '');
      if (testCase.warnings.length > 0) {
        lines.push(
          'Warnings:',
          '',
          ...testCase.warnings.map((warning) => `- ${prose(warning).replace(/\n/g, ' ')}`),
          '',
        );
      }
    }
  }
  return { name: 'test-cases.md', mediaType: 'text/markdown', content: lines.join('\n').trimEnd() + '\n' };
}
