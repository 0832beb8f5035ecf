/**
 * Exports for test management tools: Xray (JSON and CSV), Zephyr Scale (CSV) and TestRail (CSV),
 * one file each; what they share is in `tool-fields.ts`. This file is their entry point.
 */
export { XRAY_CSV_COLUMNS, XRAY_CSV_LIST_DELIMITER, exportXrayCsv, exportXrayJson } from './xray.ts';
export { ZEPHYR_CSV_COLUMNS, exportZephyr } from './zephyr-scale.ts';
export { TESTRAIL_BDD_CSV_COLUMNS, TESTRAIL_CSV_COLUMNS, exportTestRail } from './testrail.ts';
