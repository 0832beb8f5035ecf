/** TestRail export: CSV files for its importer, one for step cases and one for BDD cases. */
import { capitalize } from '../../shared/text.ts';
import type { ExportBundle, ExportFile, ExportOptions } from './bundle.ts';
import { toCsv } from './csv-cells.ts';
import { scenarioBodyText } from './scenario-render.ts';
import { firstScenario, isBdd, languageLine, linkableKey } from './tool-fields.ts';

/** Columns of the TestRail file of step cases (template "Test Case (Steps)"). */
export const TESTRAIL_CSV_COLUMNS = [
  'Title',
  'Section',
  'Template',
  'Type',
  'Priority',
  'Preconditions',
  'Steps (Step)',
  'Steps (Additional Info)',
  'Steps (Expected Result)',
  'References',
] as const;

/** Columns of the TestRail file of BDD cases (template "Behaviour Driven Development"). */
export const TESTRAIL_BDD_CSV_COLUMNS = [
  'Title',
  'Section',
  'Template',
  'Type',
  'Priority',
  'Preconditions',
  'BDD Scenarios',
  'References',
] as const;

const TESTRAIL_PRIORITY: Record<string, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/**
 * TestRail CSV import, one file per template (one import takes one template):
 * `testrail-steps.csv` holds the manual cases, template "Test Case (Steps)", one row per step with
 * "Steps (Step)", "Steps (Additional Info)" (the step's test data) and "Steps (Expected Result)";
 * a case's fields are on its first row only, so choose "multiple rows per case" with Title as the
 * new-case column. `testrail-bdd.csv` holds the BDD cases, template "Behaviour Driven Development",
 * one row each with the scenario in "BDD Scenarios". A file is written only when it has cases (the
 * steps file, header only, when there are none). References holds the story key; Section is
 * "KEY: summary" (under the folder, joined with " > ", when one is set).
 */
export function exportTestRail(
  bundle: ExportBundle,
  options: ExportOptions,
  warnings: string[],
): ExportFile[] {
  const folder = options.folder ?? bundle.project?.name;
  const stepRows: string[][] = [];
  const bddRows: string[][] = [];
  for (const { story, testCases } of bundle.stories) {
    const section = [folder, `${story.key}: ${story.summary}`].filter(Boolean).join(' > ');
    for (const testCase of testCases) {
      const scenario = isBdd(testCase) ? firstScenario(testCase, warnings) : undefined;
      const priority = TESTRAIL_PRIORITY[testCase.priority.toLowerCase()] ?? capitalize(testCase.priority);
      const preconditions = testCase.preconditions.join('\n');
      const references = linkableKey(story) ?? story.key;
      if (scenario) {
        bddRows.push([
          testCase.title,
          section,
          'Behaviour Driven Development',
          'Functional',
          priority,
          preconditions,
          languageLine(testCase) + `${scenario.keyword}: ${scenario.name}\n${scenarioBodyText(scenario)}`,
          references,
        ]);
        continue;
      }
      const steps =
        testCase.steps.length > 0 ? testCase.steps : [{ action: testCase.title, data: '', expected: '' }];
      steps.forEach((step, index) => {
        const head =
          index === 0
            ? [testCase.title, section, 'Test Case (Steps)', 'Functional', priority, preconditions]
            : ['', '', '', '', '', ''];
        stepRows.push([
          ...head,
          step.action,
          step.data ?? '',
          step.expected ?? '',
          index === 0 ? references : '',
        ]);
      });
    }
  }
  const files: ExportFile[] = [];
  if (stepRows.length > 0 || bddRows.length === 0) {
    files.push({
      name: 'testrail-steps.csv',
      mediaType: 'text/csv',
      content: toCsv(TESTRAIL_CSV_COLUMNS, stepRows),
    });
  }
  if (bddRows.length > 0) {
    files.push({
      name: 'testrail-bdd.csv',
      mediaType: 'text/csv',
      content: toCsv(TESTRAIL_BDD_CSV_COLUMNS, bddRows),
    });
  }
  return files;
}
