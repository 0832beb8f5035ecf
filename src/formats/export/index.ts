export { exportTestCases } from './export-test-cases.ts';
export {
  EXPORT_DOCUMENT_VERSION,
  ExportDocumentSchema,
  ExportTargetSchema,
  TestCaseStatusSchema,
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
export { TESTRAIL_CSV_COLUMNS, XRAY_CSV_COLUMNS, ZEPHYR_CSV_COLUMNS } from './tools.ts';
