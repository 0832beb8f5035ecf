import type { TestCase } from '../model.ts';
import { assessQuality, assessSingleCase, findingText } from './assess.ts';
import type { QualityOptions } from './context.ts';
import type { QualityFinding, StoryQuality } from './findings.ts';

export type LintOptions = QualityOptions;

export interface LintResult {
  /** Copies of the cases with each finding about them appended to `warnings`. */
  testCases: TestCase[];
  /** Every finding, the ones about the whole set included. */
  findings: QualityFinding[];
  quality: StoryQuality;
}

function withWarnings(testCase: TestCase, findings: readonly QualityFinding[]): TestCase {
  const warnings = [...testCase.warnings];
  for (const finding of findings) {
    const text = findingText(finding);
    if (finding.testCaseId === testCase.id && !warnings.includes(text)) warnings.push(text);
  }
  return { ...testCase, warnings };
}

/**
 * Runs the quality rules (`assessQuality`) and copies each finding about a case into its
 * `warnings`, so that every surface that lists a case's warnings shows its findings with the fix.
 * `quality`, when given, is the assessment of these very cases with these options, made earlier.
 *
 * @example
 * const { testCases, findings, quality } = lintTestCases(generated, { story });
 */
export function lintTestCases(
  testCases: readonly TestCase[],
  options: LintOptions,
  quality: StoryQuality = assessQuality(testCases, options),
): LintResult {
  return {
    testCases: testCases.map((testCase) => withWarnings(testCase, quality.findings)),
    findings: quality.findings,
    quality,
  };
}

/** The rules that need one case only, for showing a case with its findings as soon as it arrives. */
export function lintTestCase(testCase: TestCase, options: LintOptions): TestCase {
  return withWarnings(testCase, assessSingleCase(testCase, options).findings);
}
