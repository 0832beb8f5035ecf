/**
 * Story import and test case export: pure functions over the core types (content in, text out).
 */
export * from './import/index.ts';
export * from './export/index.ts';
