import { z } from 'zod';
import { QualityRuleIdSchema, QualitySeveritySchema } from '../../core/index.ts';

/**
 * The project dashboard, one definition end to end: the HTTP API's response and the web app's
 * types come from these schemas. Days are UTC dates (`2026-01-31`).
 */

/** `accepted`: an accepted case covers the criterion; `draft`: only draft cases do; `none`: no case does. */
export const CoverageStateSchema = z.enum(['accepted', 'draft', 'none']);
export type CoverageState = z.infer<typeof CoverageStateSchema>;

export const CoverageCellSchema = z.object({
  criterionId: z.string(),
  text: z.string(),
  state: CoverageStateSchema,
  /** Accepted cases covering the criterion. */
  accepted: z.number().int(),
  /** Draft cases covering the criterion. */
  draft: z.number().int(),
});

export const CoverageMatrixSchema = z.object({
  /** Ordered by story key; one cell per acceptance criterion, in the story's order. */
  stories: z.array(z.object({ key: z.string(), summary: z.string(), criteria: z.array(CoverageCellSchema) })),
  /** How many cells of the whole matrix are in each state. */
  totals: z.record(CoverageStateSchema, z.number().int()),
});
export type CoverageMatrix = z.infer<typeof CoverageMatrixSchema>;

export const ReviewProgressDaySchema = z.object({
  day: z.string(),
  /** Cases created that day (every case starts as a draft). */
  created: z.number().int(),
  /** Cases accepted that day, from the review log (a case accepted twice that day counts once). */
  accepted: z.number().int(),
  /** Cases rejected that day, from the review log (a case rejected twice that day counts once). */
  rejected: z.number().int(),
  /** Content edits that day, from the review log: edits, restores and regenerations. */
  edited: z.number().int(),
});

export const QualityDistributionSchema = z.object({
  /** Ten buckets of the 0–100 score: 0–9, 10–19, …, 90–100 (the last one includes 100). */
  buckets: z.array(z.object({ from: z.number().int(), to: z.number().int(), count: z.number().int() })),
  /** Draft and accepted cases scored (rejected cases are left out). */
  scoredCases: z.number().int(),
  /**
   * Stories whose cases are not scored yet: a large project is scored over several reads (the
   * scores are kept until a story changes). Read again until it is 0; the counts above and the
   * findings grow until then.
   */
  pendingStories: z.number().int(),
  /** Mean case score; null without cases. */
  averageScore: z.number().nullable(),
});

export const RuleFindingCountSchema = z.object({
  rule: QualityRuleIdSchema,
  severity: QualitySeveritySchema,
  count: z.number().int(),
});

export const TokenUsageSchema = z.object({
  generations: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  totalTokens: z.number().int(),
  /** US dollars at the provider's price; null when no price is set for it (0 for the offline engine). */
  costUsd: z.number().nullable(),
});

export const ProviderUsageSchema = TokenUsageSchema.extend({
  /** The stored provider's name; null for the offline rules engine. */
  provider: z.string().nullable(),
  /** False when no price is set for the provider (its cost is then null). */
  priced: z.boolean(),
});

export const ProviderUsageDaySchema = ProviderUsageSchema.extend({ day: z.string() });

export const ProjectDashboardSchema = z.object({
  project: z.string(),
  coverage: CoverageMatrixSchema,
  /** Ordered by day; days without activity left out. */
  reviewProgress: z.array(ReviewProgressDaySchema),
  quality: QualityDistributionSchema,
  /** Findings about the draft and accepted cases, by rule, most frequent first. */
  findingsByRule: z.array(RuleFindingCountSchema),
  tokens: z.object({
    /** Ordered by day, then provider. */
    days: z.array(ProviderUsageDaySchema),
    /** Totals per provider, most tokens first. */
    providers: z.array(ProviderUsageSchema),
  }),
});
export type ProjectDashboard = z.infer<typeof ProjectDashboardSchema>;
