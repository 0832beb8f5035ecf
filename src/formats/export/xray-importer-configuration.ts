/**
 * The configuration file of Xray Cloud's Test Case Importer for the `xray-csv` export, loaded in
 * the importer's first step so that no column has to be mapped by hand.
 *
 * Layout checked against Xray's own examples (github.com/Xray-App/tutorial-test-case-importer,
 * `cloud/*.json`, for docs.getxray.app "Test Case Importer"): flat `config.*` keys and
 * `config.field.mappings`, each `{ "column.index", "jira.field": { group, id, type } }`. Xray
 * Server/DC's importer (the Jira CSV importer's `field` map) uses another layout.
 */

/** The field each column of the CSV fills; `undefined`: left to the importer's mapping step. */
const FIELDS: Record<string, { group: string; id: string; type: string } | undefined> = {
  'Test ID': { group: 'Xray', id: '__xray_testId', type: 'string' },
  'Test Type': { group: 'Xray', id: 'xray_testtype', type: 'string' },
  'Test Summary': { group: 'Native', id: 'summary', type: 'string' },
  Description: { group: 'Native', id: 'description', type: 'string' },
  Priority: { group: 'Native', id: '__priority_name', type: 'string' },
  Labels: { group: 'Native', id: 'labels', type: 'array' },
  // An issue link is mapped by its link type's id (`__issuelink_outward_10007`), which differs
  // from one Jira site to another: the importer asks for it.
  Requirement: undefined,
  'Repository Folder': { group: 'Xray', id: 'xray_test_repository_folder', type: 'string' },
  Action: { group: 'Xray Test Step Fields', id: '__xray_step_action', type: 'text' },
  Data: { group: 'Xray Test Step Fields', id: '__xray_step_data', type: 'text' },
  Result: { group: 'Xray Test Step Fields', id: '__xray_step_result', type: 'text' },
  'Gherkin Definition': { group: 'Xray', id: 'xray_gherkin_def', type: 'string' },
};

/** The columns of `columns` the configuration cannot map (the importer asks for them). */
export function unmappedXrayColumns(columns: readonly string[]): string[] {
  return columns.filter((column) => FIELDS[column] === undefined);
}

/**
 * @example
 * xrayCsvImporterConfiguration(XRAY_CSV_COLUMNS, { delimiter: ',', listDelimiter: ';', projectKey: 'SHOP' })
 */
export function xrayCsvImporterConfiguration(
  columns: readonly string[],
  options: { delimiter: string; listDelimiter: string; projectKey?: string | undefined },
): Record<string, unknown> {
  return {
    'config.encoding': 'UTF-8',
    'config.delimiter': options.delimiter,
    'config.list.delimiter': options.listDelimiter,
    'config.project.from.csv': false,
    ...(options.projectKey ? { 'config.project.key': options.projectKey } : {}),
    'config.create.test.repository.folders': true,
    'config.field.mappings': columns.flatMap((column, index) => {
      const field = FIELDS[column];
      return field ? [{ 'column.index': index, 'jira.field': field }] : [];
    }),
  };
}
