/** Xray exports: the test case importer JSON and the CSV importer file. */
import { capitalize } from '../../shared/text.ts';
import type { ExportBundle, ExportFile, ExportOptions } from './bundle.ts';
import { XRAY_LINK_TYPES, XRAY_MAX_TESTS_PER_FILE } from './bundle.ts';
import { toCsv } from './csv-cells.ts';
import { scenarioBodyText } from './scenario-render.ts';
import { splitIntoFiles } from './split-files.ts';
import {
  caseRows,
  descriptionOf,
  firstScenario,
  isBdd,
  labelsOf,
  languageLine,
  linkableKey,
  projectKeyOf,
} from './tool-fields.ts';
import { unmappedXrayColumns, xrayCsvImporterConfiguration } from './xray-importer-configuration.ts';

/**
 * Xray test case importer JSON (Xray Cloud "Test Case Importer" / REST bulk import): an array of
 * tests with `testtype` "Manual" (steps: action, data, result) or "Cucumber" (`gherkin_def`), Jira
 * `fields`, the requirement link as an issue link of `options.xrayLinkType` (default `Test`, Xray
 * Cloud; `Tests` on Server/DC), and `xray_test_repository_folder`. Xray takes at most 1,000 tests
 * per import, so more are split into `xray-tests-1.json`, `xray-tests-2.json`, … of 1,000 each.
 */
export function exportXrayJson(
  bundle: ExportBundle,
  options: ExportOptions,
  warnings: string[],
): ExportFile[] {
  const folder = options.folder ?? bundle.project?.name;
  const linkType = options.xrayLinkType?.trim() || XRAY_LINK_TYPES.cloud;
  const tests = bundle.stories.flatMap(({ story, testCases }) =>
    testCases.map((testCase) => {
      const projectKey = projectKeyOf(story, options);
      const requirement = linkableKey(story);
      const scenario = isBdd(testCase) ? firstScenario(testCase, warnings) : undefined;
      return {
        testtype: scenario ? 'Cucumber' : 'Manual',
        fields: {
          summary: testCase.title,
          ...(projectKey ? { project: { key: projectKey } } : {}),
          description: descriptionOf(story, testCase),
          priority: { name: capitalize(testCase.priority) },
          labels: labelsOf(testCase),
        },
        ...(requirement
          ? {
              update: {
                issuelinks: [{ add: { type: { name: linkType }, outwardIssue: { key: requirement } } }],
              },
            }
          : {}),
        ...(scenario
          ? { gherkin_def: languageLine(testCase) + scenarioBodyText(scenario) }
          : {
              steps: testCase.steps.map((step) => ({
                action: step.action,
                data: step.data ?? '',
                result: step.expected ?? '',
              })),
            }),
        ...(folder ? { xray_test_repository_folder: `/${folder.replace(/^\/+/, '')}` } : {}),
      };
    }),
  );
  return splitIntoFiles(
    tests,
    XRAY_MAX_TESTS_PER_FILE,
    { base: 'xray-tests', extension: 'json', mediaType: 'application/json' },
    (part) => JSON.stringify(part, null, 2) + '\n',
  );
}

export const XRAY_CSV_COLUMNS = [
  'Test ID',
  'Test Type',
  'Test Summary',
  'Description',
  'Priority',
  'Labels',
  'Requirement',
  'Repository Folder',
  'Action',
  'Data',
  'Result',
  'Gherkin Definition',
] as const;

/** The Xray Test Case Importer's list delimiter: several values of one field (Labels) in one cell. */
export const XRAY_CSV_LIST_DELIMITER = ';';

/**
 * Xray test case importer CSV: one row per step, rows of one test share its "Test ID" (the column
 * the importer groups by) and its "Test Type"; the other test fields are on the first row only.
 * Cucumber tests have one row with the Gherkin definition. Labels are joined with ";", the
 * importer's list delimiter. More than 1,000 tests are split into `xray-tests-1.csv`, … (Xray's
 * import limit). Next to the CSV, `xray-tests-config.json` is the importer's configuration file
 * (delimiters and the column-to-field mapping), loaded in its first step instead of mapping by hand.
 */
export function exportXrayCsv(
  bundle: ExportBundle,
  options: ExportOptions,
  warnings: string[],
): ExportFile[] {
  const folder = options.folder ?? bundle.project?.name ?? '';
  // The rows of each test, kept together: a test never spans two files.
  const tests: string[][][] = [];
  let testNumber = 0;
  let linked = false;
  for (const { story, testCases } of bundle.stories) {
    for (const testCase of testCases) {
      testNumber += 1;
      if (linkableKey(story)) linked = true;
      const scenario = isBdd(testCase) ? firstScenario(testCase, warnings) : undefined;
      const testType = scenario ? 'Cucumber' : 'Manual';
      const first = [
        String(testNumber),
        testType,
        testCase.title,
        descriptionOf(story, testCase),
        capitalize(testCase.priority),
        labelsOf(testCase).join(XRAY_CSV_LIST_DELIMITER),
        linkableKey(story) ?? '',
        folder,
      ];
      const continuation = [String(testNumber), testType, '', '', '', '', '', ''];
      tests.push(caseRows(testCase, scenario, { first, continuation }));
    }
  }
  const unmapped = unmappedXrayColumns(XRAY_CSV_COLUMNS);
  if (unmapped.length > 0 && linked) {
    warnings.push(
      `xray-tests-config.json leaves the ${unmapped.join(', ')} column to the importer's mapping step: map it to your test-to-story link (its id differs between Jira sites).`,
    );
  }
  const configuration = xrayCsvImporterConfiguration(XRAY_CSV_COLUMNS, {
    delimiter: ',',
    listDelimiter: XRAY_CSV_LIST_DELIMITER,
    projectKey: options.jiraProjectKey,
  });
  return [
    ...splitIntoFiles(
      tests,
      XRAY_MAX_TESTS_PER_FILE,
      { base: 'xray-tests', extension: 'csv', mediaType: 'text/csv' },
      (part) => toCsv(XRAY_CSV_COLUMNS, part.flat()),
    ),
    {
      name: 'xray-tests-config.json',
      mediaType: 'application/json',
      content: JSON.stringify(configuration, null, 2) + '\n',
    },
  ];
}
