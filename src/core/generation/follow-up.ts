import { type Constraint } from '../constraints/index.ts';
import type { TestCase, Usage } from '../model.ts';
import { type ResponseMode } from '../prompt/index.ts';
import {
  assessQuality,
  buildCoverage,
  type CaseQuality,
  type CaseRepair,
  type QualityFinding,
  type QualityOptions,
  type StoryQuality,
} from '../quality/index.ts';
import type { GenerateTestCasesOptions, GenerationEvent } from './generation-options.ts';
import { addUsage, mergeWithoutDuplicates, requestCases, type RequestPlan } from './request-cases.ts';

export interface FollowUpPlan {
  constraints: readonly Constraint[];
  mode: ResponseMode;
  usage: Usage;
  qualityOptions: QualityOptions;
  warn: (message: string) => void;
  emit: (event: GenerationEvent) => void;
}

interface FollowUpOutcome {
  testCases: TestCase[];
  repairs: CaseRepair[];
  usage: Usage;
  truncated: boolean;
  /** The assessment of `testCases` when they are the first cases unchanged, to lint them without assessing twice. */
  quality?: StoryQuality;
}

/** Characters per token when estimating a request before it is sent. */
const CHARACTERS_PER_TOKEN = 4;

/**
 * The one follow-up request: the cases with error findings go back with their findings (as many
 * as the token budget allows), and criteria no case covers are asked for, in the same request.
 * Never a second follow-up, whatever the answer: a rewrite that is no better is kept out.
 */
export async function followUpRound(
  options: GenerateTestCasesOptions,
  firstCases: TestCase[],
  plan: FollowUpPlan,
): Promise<FollowUpOutcome> {
  const quality = assessQuality(firstCases, plan.qualityOptions);
  const unchanged = { testCases: firstCases, repairs: [], usage: plan.usage, truncated: false, quality };
  const { uncovered } = buildCoverage(options.story, firstCases);
  const gaps = options.fillGaps && uncovered.length > 0 ? uncovered : [];
  const broken = options.repair
    ? quality.cases
        .map((caseQuality) => ({
          caseQuality,
          errors: caseQuality.findings.filter((finding) => finding.severity === 'error'),
        }))
        .filter(({ errors }) => errors.length > 0)
    : [];
  if (gaps.length === 0 && broken.length === 0) return unchanged;

  const repairs: CaseRepair[] = broken.map(({ caseQuality, errors }) => ({
    testCaseId: caseQuality.testCaseId,
    outcome: 'not-sent',
    rules: [...new Set(errors.map((finding) => finding.rule))],
    findingsBefore: caseQuality.findings.length,
  }));
  const toRepair = withinBudget(options, plan.usage, firstCases, broken, plan.warn);
  if (toRepair.length === 0 && gaps.length === 0) return { ...unchanged, repairs };

  const outcome = await requestCases(options, {
    constraints: plan.constraints,
    modes: [plan.mode],
    purpose: toRepair.length > 0 ? 'repair' : 'fill-gaps',
    ...(gaps.length ? { onlyCriteria: gaps } : {}),
    ...(toRepair.length ? { repairCases: toRepair } : {}),
    existingCases: [...(options.existingCases ?? []), ...firstCases],
    warn: plan.warn,
    emit: plan.emit,
    streamCases: false,
  });
  const usage = addUsage(plan.usage, outcome.answer.usage);
  if (!outcome.parsed.ok) {
    plan.warn(`The follow-up request gave no test case: ${outcome.parsed.error.message}`);
    return { ...unchanged, repairs, usage };
  }
  outcome.parsed.value.warnings.forEach((message) => plan.warn(`Follow-up request: ${message}`));

  const { rewrites, added } = splitRewrites(outcome.parsed.value.testCases, toRepair.length > 0);
  let testCases = applyRewrites(firstCases, rewrites, repairs, quality, plan);
  const fresh = mergeWithoutDuplicates(testCases, added);
  for (const testCase of fresh) plan.emit({ kind: 'test-case-end', testCase });
  testCases = [...testCases, ...fresh];
  return { testCases, repairs, usage, truncated: outcome.parsed.value.truncated };
}

/** The broken cases whose text fits the token budget left after the first request. */
function withinBudget(
  options: GenerateTestCasesOptions,
  used: Usage,
  firstCases: readonly TestCase[],
  broken: ReadonlyArray<{ caseQuality: CaseQuality; errors: QualityFinding[] }>,
  warn: (message: string) => void,
): NonNullable<RequestPlan['repairCases']> {
  const selected: NonNullable<RequestPlan['repairCases']> = [];
  // The follow-up resends about the first prompt and answers about one case per case sent.
  let left = options.tokenBudget === undefined ? Infinity : options.tokenBudget - 2 * used.totalTokens;
  for (const { caseQuality } of broken) {
    const testCase = firstCases.find((candidate) => candidate.id === caseQuality.testCaseId);
    if (!testCase) continue;
    const cost = Math.ceil((2 * JSON.stringify(testCase).length) / CHARACTERS_PER_TOKEN);
    if (cost > left) continue;
    left -= cost;
    selected.push({ testCase, findings: caseQuality.findings });
  }
  if (selected.length < broken.length) {
    const skipped = broken.filter(
      ({ caseQuality }) => !selected.some((item) => item.testCase.id === caseQuality.testCaseId),
    );
    warn(
      `${skipped.map(({ caseQuality }) => caseQuality.testCaseId).join(', ')} not sent for repair: the token budget (${options.tokenBudget}) would be exceeded.`,
    );
  }
  return selected;
}

/** Rewrites are the cases titled `[TC-n] …`; the others are new cases for uncovered criteria. */
function splitRewrites(
  answered: readonly TestCase[],
  repairing: boolean,
): { rewrites: Map<string, TestCase>; added: TestCase[] } {
  const rewrites = new Map<string, TestCase>();
  const added: TestCase[] = [];
  for (const testCase of answered) {
    const match = repairing ? /^\s*\[(TC-\d+)\]\s*/i.exec(testCase.title) : null;
    if (match?.[1] && !rewrites.has(match[1].toUpperCase())) {
      const id = match[1].toUpperCase();
      rewrites.set(id, { ...testCase, id, title: testCase.title.slice(match[0].length) || testCase.title });
    } else added.push(testCase);
  }
  return { rewrites, added };
}

/** Each rewrite takes its case's place only when the set then has fewer findings about it. */
function applyRewrites(
  firstCases: readonly TestCase[],
  rewrites: ReadonlyMap<string, TestCase>,
  repairs: CaseRepair[],
  quality: StoryQuality,
  plan: FollowUpPlan,
): TestCase[] {
  let testCases = [...firstCases];
  for (const repair of repairs) {
    const rewrite = rewrites.get(repair.testCaseId);
    if (!rewrite) continue;
    const candidate = testCases.map((testCase) => (testCase.id === repair.testCaseId ? rewrite : testCase));
    const after = assessQuality(candidate, plan.qualityOptions).cases.find(
      (caseQuality) => caseQuality.testCaseId === repair.testCaseId,
    );
    repair.findingsAfter = after?.findings.length ?? 0;
    const before = quality.cases.find((caseQuality) => caseQuality.testCaseId === repair.testCaseId);
    if (repair.findingsAfter < (before?.findings.length ?? 0)) {
      repair.outcome = 'replaced';
      testCases = candidate.map((testCase) =>
        testCase.id === repair.testCaseId
          ? {
              ...testCase,
              warnings: [
                ...testCase.warnings,
                `Repaired by the model (${repair.rules.join(', ')}): ${repair.findingsBefore} findings before, ${repair.findingsAfter} after.`,
              ],
            }
          : testCase,
      );
    } else {
      repair.outcome = 'kept';
      testCases = testCases.map((testCase) =>
        testCase.id === repair.testCaseId
          ? {
              ...testCase,
              warnings: [
                ...testCase.warnings,
                `Sent back to the model for ${repair.rules.join(', ')}; the rewrite was no better (${repair.findingsAfter} findings), so the original is kept.`,
              ],
            }
          : testCase,
      );
    }
  }
  const replaced = repairs.filter((repair) => repair.outcome === 'replaced');
  const kept = repairs.filter((repair) => repair.outcome === 'kept');
  if (replaced.length)
    plan.warn(
      `Repaired ${replaced.map((repair) => `${repair.testCaseId} (${repair.rules.join(', ')})`).join(', ')}.`,
    );
  if (kept.length)
    plan.warn(
      `Repair gave no better version of ${kept.map((repair) => repair.testCaseId).join(', ')}; kept as generated, with their findings.`,
    );
  return testCases;
}
