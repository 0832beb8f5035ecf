export { buildCoverage, type Coverage } from './coverage.ts';
export {
  lintTestCases,
  lintTestCase,
  type LintFinding,
  type LintFindingKind,
  type LintOptions,
  type LintResult,
} from './lint.ts';
export { textSimilarity } from './similarity.ts';
