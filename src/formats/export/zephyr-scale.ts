/** Zephyr Scale export: the CSV file of its test case importer. */
import { capitalize } from '../../shared/text.ts';
import type { ExportBundle, ExportFile, ExportOptions } from './bundle.ts';
import { toCsv } from './csv-cells.ts';
import { caseRows, firstScenario, isBdd, labelsOf, linkableKey } from './tool-fields.ts';

export const ZEPHYR_CSV_COLUMNS = [
  'Name',
  'Objective',
  'Precondition',
  'Folder',
  'Status',
  'Priority',
  'Labels',
  'Coverage (Issues)',
  'Test Script (Step-by-Step) - Step',
  'Test Script (Step-by-Step) - Test Data',
  'Test Script (Step-by-Step) - Expected Result',
  'Test Script (BDD)',
] as const;

const ZEPHYR_STATUS = { draft: 'Draft', accepted: 'Approved', rejected: 'Deprecated' } as const;
const ZEPHYR_PRIORITY: Record<string, string> = {
  high: 'High',
  medium: 'Normal',
  normal: 'Normal',
  low: 'Low',
};

/**
 * A Zephyr Scale rich-text field (objective, precondition, step, test data, expected result) holds
 * HTML: line breaks are written as Zephyr shows them, `<br>`, and `&`, `<`, `>` as entities so text
 * such as "<card>" is not read as markup.
 */
function zephyrRichText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}

/**
 * Zephyr Scale (Jira) CSV import: one row per step; a test case's fields are on its first row and the
 * following rows carry only the step columns. BDD cases fill "Test Script (BDD)". Coverage holds the
 * story key, which Zephyr links as covered issue.
 */
export function exportZephyr(bundle: ExportBundle, options: ExportOptions, warnings: string[]): ExportFile {
  const folder = options.folder ?? bundle.project?.name ?? '';
  const rows: string[][] = [];
  for (const { story, testCases } of bundle.stories) {
    for (const testCase of testCases) {
      const scenario = isBdd(testCase) ? firstScenario(testCase, warnings) : undefined;
      const covered = story.acceptanceCriteria.filter((criterion) => testCase.covers.includes(criterion.id));
      const first = [
        testCase.title,
        zephyrRichText(
          [
            `${story.key}: ${story.summary}`,
            ...covered.map((criterion) => `${criterion.id}: ${criterion.text}`),
          ].join('\n'),
        ),
        zephyrRichText(testCase.preconditions.join('\n')),
        folder ? `/${folder.replace(/^\/+/, '')}` : '',
        ZEPHYR_STATUS[testCase.status ?? 'draft'],
        ZEPHYR_PRIORITY[testCase.priority.toLowerCase()] ?? capitalize(testCase.priority),
        labelsOf(testCase).join(','),
        linkableKey(story) ?? '',
      ];
      const continuation = first.map(() => '');
      rows.push(...caseRows(testCase, scenario, { first, continuation, stepCell: zephyrRichText }));
    }
  }
  return {
    name: 'zephyr-scale-test-cases.csv',
    mediaType: 'text/csv',
    content: toCsv(ZEPHYR_CSV_COLUMNS, rows),
  };
}
