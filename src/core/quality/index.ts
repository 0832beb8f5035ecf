export { buildCoverage, type Coverage } from './coverage.ts';
export {
  CaseQualitySchema,
  CaseRepairSchema,
  type CaseRepair,
  QualityFindingSchema,
  QualityRuleIdSchema,
  QualitySeveritySchema,
  StoryQualitySchema,
  type CaseQuality,
  type QualityFinding,
  type QualityRuleId,
  type QualitySeverity,
  type StoryQuality,
} from './findings.ts';
export {
  assessQuality,
  assessSingleCase,
  findingText,
  prepareQuality,
  scoreCase,
  scoreProject,
  SCORE_WEIGHTS,
} from './assess.ts';
export type { QualityOptions } from './context.ts';
export { detectLanguage, type TextLanguage } from './language.ts';
export { lintTestCases, lintTestCase, type LintOptions, type LintResult } from './lint.ts';
export { textSimilarity } from './similarity.ts';
