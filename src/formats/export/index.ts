export { exportTestCases } from './export-test-cases.ts';
export {
  EXPORT_DOCUMENT_VERSION,
  ExportDocumentSchema,
  ExportTargetSchema,
  TestCaseStatusSchema,
  XRAY_LINK_TYPES,
  XRAY_MAX_TESTS_PER_FILE,
  coverageOf,
} from './bundle.ts';
export type {
  ExportBundle,
  ExportDocument,
  ExportFile,
  ExportOptions,
  ExportResult,
  ExportTarget,
  ExportTestCase,
  TestCaseStatus,
} from './bundle.ts';
export { GENERIC_CSV_COLUMNS } from './readable.ts';
export {
  TESTRAIL_BDD_CSV_COLUMNS,
  TESTRAIL_CSV_COLUMNS,
  XRAY_CSV_COLUMNS,
  XRAY_CSV_LIST_DELIMITER,
  ZEPHYR_CSV_COLUMNS,
} from './tools.ts';
