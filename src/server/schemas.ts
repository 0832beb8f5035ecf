/**
 * Wire shapes of the HTTP API (zod, the single source of truth for validation, types and the
 * OpenAPI document). Domain schemas come from core; these map onto them.
 */
import { z } from '@hono/zod-openapi';
import {
  EngineSchema,
  StorySchema,
  TestCaseSchema,
  TestFormatSchema,
  TestKindSchema,
  UsageSchema,
} from '../app/index.ts';
import {
  CaseQualitySchema,
  CaseRepairSchema,
  QualityFindingSchema,
  StoryQualitySchema,
  TestCaseQualitySchema,
} from '../app/index.ts';

// New objects over core's shapes: core's schema instances may predate zod-openapi's extension
// (zod 4 copies methods onto each instance), so `.openapi()` is called on copies made here.
export const TestCaseWireSchema = z.object(TestCaseSchema.shape).openapi('TestCase');
export const StoryWireSchema = z.object(StorySchema.shape).openapi('Story');
export const QualityFindingWireSchema = z.object(QualityFindingSchema.shape).openapi('QualityFinding');
export const CaseQualityWireSchema = z
  .object({ ...CaseQualitySchema.shape, findings: z.array(QualityFindingWireSchema) })
  .openapi('CaseQuality');
export const StoryQualityWireSchema = z
  .object({
    ...StoryQualitySchema.shape,
    cases: z.array(CaseQualityWireSchema),
    findings: z.array(QualityFindingWireSchema),
  })
  .openapi('StoryQuality', {
    description:
      'Quality score 0–100. Case: 100 − 25 per error − 10 per warning − 3 per info. Story: mean case score × share of criteria covered − 10 per error, 5 per warning, 1 per info about the whole set.',
  });
/** A stored case's quality, as the case list and the case carry it. */
export const TestCaseQualityWireSchema = z
  .object({ ...TestCaseQualitySchema.shape, findings: z.array(QualityFindingWireSchema) })
  .openapi('TestCaseQuality', {
    description:
      'Quality score 0–100 (100 − 25 per error − 10 per warning − 3 per info), scored with the other draft and accepted cases of its story; each finding says what to fix.',
  });
export const CaseRepairWireSchema = z.object(CaseRepairSchema.shape).openapi('CaseRepair');

/** `{ min, max }` or one number (about that many). */
export const CountSchema = z
  .union([
    z.number().int().min(1).max(200),
    z
      .object({ min: z.number().int().min(1).max(200), max: z.number().int().min(1).max(200) })
      .refine((count) => count.min <= count.max, { message: 'min must not be above max', path: ['max'] }),
  ])
  .openapi({ description: 'How many test cases: a number, or a range { min, max } (1 to 200).' });

export function countRange(
  count: z.infer<typeof CountSchema> | undefined,
): { min: number; max: number } | undefined {
  if (count === undefined) return undefined;
  return typeof count === 'number' ? { min: count, max: count } : count;
}

/** Generation options shared by the ad-hoc and the stored-story routes. */
export const GenerationOptionsShape = {
  format: TestFormatSchema.optional().openapi({
    description: 'bdd, manual or generic. Default: manual (ad hoc) or the project’s default format.',
  }),
  additionalContext: z.string().max(20_000).optional(),
  count: CountSchema.optional(),
  kinds: z.array(TestKindSchema).min(1).optional(),
  priorities: z
    .array(z.string().min(1).max(50))
    .min(1)
    .max(10)
    .optional()
    .openapi({ description: 'Priority labels, highest first.' }),
  language: z.string().min(2).max(50).optional(),
  fillGaps: z
    .boolean()
    .optional()
    .openapi({ description: 'Ask once more for criteria no case covers. Default true.' }),
  repair: z.boolean().optional().openapi({
    description:
      'Send cases with error findings back to the model once, in the same follow-up request as fillGaps. Default true.',
  }),
} as const;

/** Provider settings given inline (ad-hoc generation and checks). The key is write-only. */
export const InlineProviderSchema = z
  .object({
    preset: z.string().max(50).optional(),
    baseUrl: z.string().max(2000).optional(),
    model: z.string().max(200).optional(),
    apiKey: z.string().max(4000).optional().openapi({ description: 'Write-only: never returned.' }),
  })
  .openapi('InlineProvider');

export const AdHocStorySchema = z
  .object({
    key: z.string().min(1).max(100).optional(),
    summary: z.string().min(1).max(500),
    description: z.string().max(200_000).optional(),
    acceptanceCriteria: z.array(z.string().min(1).max(20_000)).max(200).optional(),
  })
  .openapi('AdHocStory');

export const AdHocGenerateBodySchema = z
  .object({
    story: AdHocStorySchema.optional().openapi({ description: 'The story as fields; or give `content`.' }),
    content: z.string().min(1).max(1_000_000).optional().openapi({
      description: 'Story text in any supported format (Markdown, JSON, Jira JSON, CSV, .feature, text).',
    }),
    storyKey: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: 'Only this story, when `content` holds several.' }),
    offline: z
      .boolean()
      .optional()
      .openapi({ description: 'Use the offline rules engine even when a model is configured.' }),
    provider: InlineProviderSchema.optional().openapi({
      description:
        'The model to use; default: the server’s configuration (REQASE_* variables, config file), else offline.',
    }),
    ...GenerationOptionsShape,
  })
  .refine((body) => (body.story === undefined) !== (body.content === undefined), {
    message: 'give exactly one of story or content',
    path: ['story'],
  })
  .openapi('AdHocGenerateRequest');

export const ProviderSummarySchema = z.object({ name: z.string(), baseUrl: z.string(), model: z.string() });

export const GenerationResultSchema = z
  .object({
    story: StoryWireSchema,
    engine: EngineSchema,
    provider: ProviderSummarySchema.optional(),
    responseMode: z.string().optional(),
    testCases: z.array(TestCaseWireSchema),
    coverage: z.record(z.string(), z.array(z.string())),
    uncovered: z.array(z.string()),
    warnings: z.array(z.string()),
    quality: StoryQualityWireSchema,
    repairs: z.array(CaseRepairWireSchema),
    truncated: z.boolean(),
    usage: UsageSchema.nullable(),
    latencyMilliseconds: z.number(),
  })
  .openapi('GenerationResult');

/** Which engine runs a generation, said in words. */
export const EngineSummarySchema = z
  .object({ kind: EngineSchema, description: z.string() })
  .openapi('EngineSummary');

export const AdHocGenerateResponseSchema = z
  .object({
    engine: EngineSummarySchema,
    notices: z.array(z.string()),
    results: z.array(GenerationResultSchema),
  })
  .openapi('AdHocGenerateResponse');

export const SSE_DESCRIPTION =
  'With `Accept: text/event-stream` the answer is a stream of server-sent events: `engine` (which engine runs), ' +
  '`test-case` (`{ storyKey, testCase }`, one per case as soon as it is complete), `warning` (`{ storyKey, message }`), ' +
  'then `done` (the same JSON as the non-streaming answer) or `error` (`{ code, message, fix? }`). Otherwise one JSON answer.';

export const IdParamSchema = z.object({ id: z.string().min(1).max(200) });
export const OkSchema = z.object({ ok: z.literal(true) }).openapi('Ok');
