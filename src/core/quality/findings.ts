import { z } from 'zod';

/**
 * How much a finding matters. `error`: the case cannot be run as written or tests the wrong thing
 * (it goes back to the model once); `warning`: the case or the set is weaker than it should be;
 * `info`: a style hint.
 */
export const QualitySeveritySchema = z.enum(['error', 'warning', 'info']);
export type QualitySeverity = z.infer<typeof QualitySeveritySchema>;

/** Every rule's stable id. Ids never change meaning; new rules get new ids. */
export const QualityRuleIdSchema = z.enum([
  'result-restates-criterion',
  'broken-text',
  'step-not-actionable',
  'result-not-observable',
  'missing-result',
  'placeholder-data',
  'out-of-scope',
  'flow-too-short',
  'criterion-message-missing',
  'missing-boundary',
  'missing-negative',
  'enumeration-value-unused',
  'boundary-set-incomplete',
  'boundary-values-accumulate',
  'precondition-contradicts-story',
  'duplicate-steps',
  'near-duplicate',
  'duplicate-of-existing',
  'coverage-claim-unbacked',
  'gherkin-action-in-then',
  'gherkin-repeated-keyword',
  'boundary-set-not-outline',
]);
export type QualityRuleId = z.infer<typeof QualityRuleIdSchema>;

/** One thing a quality rule found, with what to do about it. */
export const QualityFindingSchema = z.object({
  rule: QualityRuleIdSchema,
  severity: QualitySeveritySchema,
  /** What is wrong, quoting the text at fault. */
  message: z.string(),
  /** What to change so that the finding goes away. */
  fix: z.string(),
  /** The case the finding is about; absent for findings about the whole set (a missing case). */
  testCaseId: z.string().optional(),
  /** The acceptance criterion the finding is about, when there is one. */
  criterionId: z.string().optional(),
});
export type QualityFinding = z.infer<typeof QualityFindingSchema>;

/** One case's score and the findings about it. */
export const CaseQualitySchema = z.object({
  testCaseId: z.string(),
  /** 0–100, see `scoreCase`. */
  score: z.number().int().min(0).max(100),
  findings: z.array(QualityFindingSchema),
});
export type CaseQuality = z.infer<typeof CaseQualitySchema>;

/** A story's score, each case's, and every finding (about cases and about the set). */
export const StoryQualitySchema = z.object({
  /** 0–100, see `scoreStory`. */
  score: z.number().int().min(0).max(100),
  cases: z.array(CaseQualitySchema),
  /** Every finding, the ones about the whole set included. */
  findings: z.array(QualityFindingSchema),
  counts: z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
});
export type StoryQuality = z.infer<typeof StoryQualitySchema>;

/** What the repair round of a model generation did with one case that had error findings. */
export const CaseRepairSchema = z.object({
  testCaseId: z.string(),
  /**
   * `replaced`: the rewrite had fewer findings and took the case's place; `kept`: it had not, the
   * original stays with its findings; `not-sent`: over the token budget, or no rewrite came back.
   */
  outcome: z.enum(['replaced', 'kept', 'not-sent']),
  /** The rules whose error findings sent the case back. */
  rules: z.array(QualityRuleIdSchema),
  findingsBefore: z.number().int(),
  /** Findings of the rewrite; absent when no rewrite came back. */
  findingsAfter: z.number().int().optional(),
});
export type CaseRepair = z.infer<typeof CaseRepairSchema>;
