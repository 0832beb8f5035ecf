import type { TestCase } from '../model.ts';
import { buildContext, type QualityContext, type QualityOptions, type Report } from './context.ts';
import type { CaseQuality, QualityFinding, StoryQuality } from './findings.ts';
import { QUALITY_RULES } from './rules/index.ts';
import { keepCaseFindings, storyFactsFor, type CaseRuleFinding, type StoryFacts } from './story-facts.ts';

/**
 * The quality score, 0–100, in three levels:
 *
 * - **case**: `100 − 25 × errors − 10 × warnings − 3 × infos` over the findings about that case,
 *   never below 0. One error (a result that restates the criterion, identical steps, a cut quote)
 *   costs a quarter; four errors make a case worthless.
 * - **story**: the mean of its case scores, times the share of acceptance criteria covered by at
 *   least one case (1 when the story has none), minus `10 × errors + 5 × warnings + 1 × infos`
 *   over the findings about the whole set (a missing boundary or negative case, an unused
 *   enumeration value); between 0 and 100, rounded. A story without cases scores 0.
 * - **project**: the mean of its story scores, over the stories that have cases.
 */
export const SCORE_WEIGHTS = {
  case: { error: 25, warning: 10, info: 3 },
  set: { error: 10, warning: 5, info: 1 },
} as const;

function penalty(
  findings: readonly QualityFinding[],
  weights: Record<QualityFinding['severity'], number>,
): number {
  return findings.reduce((sum, finding) => sum + weights[finding.severity], 0);
}

/** A case's score from the findings about it (see `SCORE_WEIGHTS`). */
export function scoreCase(findings: readonly QualityFinding[]): number {
  return Math.max(0, 100 - penalty(findings, SCORE_WEIGHTS.case));
}

/**
 * Runs every quality rule over a story's cases and scores them.
 *
 * @example
 * const quality = assessQuality(testCases, { story, format: 'bdd' });
 * quality.score                 // 0–100 for the story
 * quality.cases[0]?.findings    // [{ rule: 'result-restates-criterion', severity: 'error', message, fix, testCaseId }]
 */
export function assessQuality(testCases: readonly TestCase[], options: QualityOptions): StoryQuality {
  const facts = storyFactsFor(options);
  const context = buildContext(testCases, options, facts);
  const findings: QualityFinding[] = [];
  const report = (finding: QualityFinding) => findings.push(finding);
  const byCase = caseRuleFindings(context, facts);
  if (byCase === undefined) {
    for (const rule of QUALITY_RULES) rule.check(context, report);
  } else {
    QUALITY_RULES.forEach((rule, ruleIndex) => {
      if (rule.scope === 'set') rule.check(context, report);
      else for (const own of byCase) copyFindings(own, ruleIndex, report);
    });
  }
  return summarise(testCases, findings, options);
}

/**
 * Makes now what the rules derive from the story alone (its constraints' boundary values, its
 * language, each rule's story facts), kept with the story's content for the assessments that
 * follow. A generation calls it while the model is still answering.
 *
 * @example
 * prepareQuality(qualityOptions); // later: assessQuality(testCases, qualityOptions) reads the cases only
 */
export function prepareQuality(options: QualityOptions): void {
  // Every rule that reads story facts derives them before it looks at a case: each rule (the
  // single-case ones too, which `assessQuality` runs only for cases it has not seen) over no case.
  const context = buildContext([], options, storyFactsFor(options));
  for (const rule of QUALITY_RULES) rule.check(context, () => undefined);
}

/** Only the rules that read one case at a time, for a case shown as soon as it streams in. */
export function assessSingleCase(testCase: TestCase, options: QualityOptions): CaseQuality {
  const facts = storyFactsFor(options);
  const context = buildContext([testCase], options, facts);
  const findings: QualityFinding[] = [];
  const own = caseRuleFindings(context, facts)?.[0] ?? [];
  QUALITY_RULES.forEach((rule, ruleIndex) => {
    if (rule.scope === 'case') copyFindings(own, ruleIndex, (finding) => findings.push(finding));
  });
  return { testCaseId: testCase.id, score: scoreCase(findings), findings };
}

/** Copies (kept findings are shared) of the findings of one rule. */
function copyFindings(own: readonly CaseRuleFinding[], ruleIndex: number, report: Report): void {
  for (const entry of own) if (entry.ruleIndex === ruleIndex) report({ ...entry.finding });
}

/**
 * The single-case rules' findings of each case, by position: those of a case seen before with
 * this story as kept, the others found now (over those cases only) and kept. Undefined when two
 * cases share an id: a finding then cannot be told apart by its case.
 */
function caseRuleFindings(
  context: QualityContext,
  facts: StoryFacts,
): Array<readonly CaseRuleFinding[]> | undefined {
  const ids = new Set(context.testCases.map((testCase) => testCase.id));
  if (ids.size !== context.testCases.length) return undefined;
  const keys = context.testCases.map((testCase) => JSON.stringify(testCase));
  const result = keys.map((key) => facts.cases.get(key));
  const missing = context.testCases.filter((_, index) => result[index] === undefined);
  if (missing.length === 0) return result as Array<readonly CaseRuleFinding[]>;
  const found = new Map<string, CaseRuleFinding[]>(missing.map((testCase) => [testCase.id, []]));
  const missingContext = { ...context, testCases: missing };
  QUALITY_RULES.forEach((rule, ruleIndex) => {
    if (rule.scope !== 'case') return;
    rule.check(missingContext, (finding) => {
      const own = found.get(finding.testCaseId ?? '');
      if (own === undefined) throw new Error(`The rule ${rule.id} reported a finding without its case's id.`);
      own.push({ ruleIndex, finding });
    });
  });
  return context.testCases.map((testCase, index) => {
    const kept = result[index];
    if (kept !== undefined) return kept;
    const own = found.get(testCase.id) ?? [];
    keepCaseFindings(facts, keys[index]!, own);
    return own;
  });
}

function summarise(
  testCases: readonly TestCase[],
  findings: QualityFinding[],
  options: QualityOptions,
): StoryQuality {
  const cases: CaseQuality[] = testCases.map((testCase) => {
    const own = findings.filter((finding) => finding.testCaseId === testCase.id);
    return { testCaseId: testCase.id, score: scoreCase(own), findings: own };
  });
  const setFindings = findings.filter((finding) => finding.testCaseId === undefined);
  const criteria = options.story.acceptanceCriteria;
  const covered = criteria.filter((criterion) =>
    testCases.some((testCase) => testCase.covers.includes(criterion.id)),
  );
  const coverageShare = criteria.length ? covered.length / criteria.length : 1;
  const mean = cases.length ? cases.reduce((sum, quality) => sum + quality.score, 0) / cases.length : 0;
  const score = cases.length
    ? Math.round(Math.min(100, Math.max(0, mean * coverageShare - penalty(setFindings, SCORE_WEIGHTS.set))))
    : 0;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return { score, cases, findings, counts };
}

/** The project's score: the mean of its story scores over the stories that have cases. */
export function scoreProject(stories: ReadonlyArray<{ score: number; caseCount: number }>): number {
  const scored = stories.filter((story) => story.caseCount > 0);
  if (scored.length === 0) return 0;
  return Math.round(scored.reduce((sum, story) => sum + story.score, 0) / scored.length);
}

/** A finding as one line of a case's `warnings`: the message and the fix. */
export function findingText(finding: QualityFinding): string {
  return `${finding.message} ${finding.fix}`;
}
