/**
 * Wire shapes of the stored workspace (projects, stories, test cases, providers, tokens).
 */
import { z } from '@hono/zod-openapi';
import { GenerationModelSchema, TestCasePatchSchema } from '../app/index.ts';
import {
  AcceptanceCriterionSchema,
  EngineSchema,
  QualityRuleIdSchema,
  TEST_CASE_SORT_COLUMNS,
  TestCaseRecordSchema,
  TestCaseStatusSchema,
  TestFormatSchema,
  TestKindSchema,
  UsageSchema,
} from '../app/index.ts';
import { ExportTargetSchema } from '../app/index.ts';
import {
  EngineSummarySchema,
  GenerationOptionsShape,
  GenerationResultSchema,
  StoryQualityWireSchema,
  TestCaseQualityWireSchema,
} from './schemas.ts';

/** An ISO 8601 instant in UTC, as every record carries them. */
export const timestamp = z.string().openapi({ example: '2026-01-31T12:00:00.000Z' });
export { TestCaseStatusSchema };

/** Splits a comma-separated query value, dropping blanks: `draft, accepted,` → `['draft', 'accepted']`. */
export function commaSeparated(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * A comma-separated list of an enum's values in a query string. An unknown value is a 400 that
 * names the allowed ones (it reached the enum's `parse` in the route and answered 500).
 */
function enumListQuery(allowed: readonly string[], noun: string, description: string) {
  return z
    .string()
    .superRefine((text, context) => {
      const unknown = commaSeparated(text).filter((item) => !allowed.includes(item));
      if (unknown.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `${unknown.map((item) => JSON.stringify(item)).join(', ')} is not a ${noun}; use ${allowed.join(', ')} (comma-separated)`,
        });
      }
    })
    .optional()
    .openapi({ description });
}

/** A comma-separated list of test case statuses in a query string. */
function statusListQuery(description: string) {
  return enumListQuery(TestCaseStatusSchema.options, 'test case status', description);
}

export const ProjectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    defaultFormat: TestFormatSchema,
    testCaseRules: z.string(),
    defaultProviderId: z.string().nullable(),
    defaultProvider: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Project');

export const ProjectDetailsSchema = ProjectSchema.extend({
  storyCount: z.number().int(),
  testCases: z.object({
    total: z.number().int(),
    draft: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    needsReview: z.number().int(),
  }),
}).openapi('ProjectDetails');

export const CreateProjectSchema = z
  .object({
    name: z.string().min(1).max(200),
    defaultFormat: TestFormatSchema.optional(),
    testCaseRules: z.string().max(50_000).optional(),
    defaultProvider: z.string().max(200).nullable().optional(),
  })
  .openapi('CreateProject');

export const UpdateProjectSchema = CreateProjectSchema.partial().openapi('UpdateProject');

export const StoryRecordSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    key: z.string(),
    summary: z.string(),
    description: z.string(),
    acceptanceCriteria: z.array(AcceptanceCriterionSchema),
    outOfScope: z.array(z.string()),
    notes: z.array(z.string()),
    source: z.string(),
    contentHash: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('StoredStory');

export const CoverageStatusSchema = z
  .object({
    criteria: z.number().int(),
    covered: z.number().int(),
    uncovered: z.array(z.string()),
    testCases: z.number().int(),
    accepted: z.number().int(),
    needsReview: z.number().int(),
    status: z.enum(['no-criteria', 'not-generated', 'partial', 'covered']),
  })
  .openapi('CoverageStatus');

export const StoryListSchema = z
  .object({
    stories: z.array(StoryRecordSchema.extend({ coverage: CoverageStatusSchema })),
    total: z.number().int(),
  })
  .openapi('StoryList');

/** A stored test case (core's `TestCaseRecordSchema`) with its story's key where the route knows it. */
export const TestCaseRecordWireSchema = z
  .object({
    ...TestCaseRecordSchema.shape,
    storyKey: z.string().optional(),
    gherkin: z.string().nullable().optional(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('StoredTestCase');

/** A stored case with its quality score and findings (one case; the case list with `quality=true`). */
export const ScoredTestCaseWireSchema = z
  .object({ ...TestCaseRecordWireSchema.shape, storyKey: z.string(), quality: TestCaseQualityWireSchema })
  .openapi('ScoredTestCase');

export const GenerationSummarySchema = z
  .object({
    id: z.string(),
    engine: EngineSchema,
    providerName: z.string().nullable(),
    model: z.string().nullable(),
    responseMode: z.string().nullable(),
    usage: UsageSchema.nullable(),
    latencyMilliseconds: z.number().nullable(),
    warnings: z.array(z.string()),
    createdAt: timestamp,
  })
  .openapi('GenerationSummary');

export const StoryDetailsSchema = z
  .object({
    story: StoryRecordSchema,
    testCases: z.array(TestCaseRecordWireSchema),
    coverage: z.record(z.string(), z.array(z.string())),
    uncovered: z.array(z.string()),
    quality: StoryQualityWireSchema,
    generations: z.array(GenerationSummarySchema),
  })
  .openapi('StoryDetails');

export const ImportBodySchema = z
  .object({
    content: z
      .string()
      .min(1)
      .openapi({ description: 'The file content (Markdown, JSON, Jira JSON, CSV, .feature, text).' }),
    fileName: z
      .string()
      .max(300)
      .optional()
      .openapi({ description: 'Its name; the extension decides the kind.' }),
  })
  .openapi('ImportStories');

export const ImportUploadSchema = z.object({
  file: z.any().openapi({ type: 'string', format: 'binary' }),
  fileName: z.string().max(300).optional(),
});

const CsvColumnMappingSchema = z
  .object({
    key: z.string().optional(),
    summary: z.string().optional(),
    description: z.string().optional(),
    acceptanceCriteria: z.string().optional(),
    outOfScope: z.string().optional(),
  })
  .openapi('CsvColumnMapping', {
    description: 'The CSV column (header name) read for each story field, when the input was CSV.',
  });

export const ImportResultSchema = z
  .object({
    project: z.string(),
    stories: z.array(
      z.object({
        key: z.string(),
        status: z.enum(['created', 'unchanged', 'changed']),
        story: StoryRecordSchema,
        changes: z.unknown().nullable(),
        markedForReview: z.array(z.string()),
      }),
    ),
    summary: z
      .object({ created: z.number().int(), changed: z.number().int(), unchanged: z.number().int() })
      .openapi({
        description:
          'What this import wrote: stories it inserted, replaced, and left as they were. Concurrent imports of the same stories add up to what is stored.',
      }),
    warnings: z.array(z.string()),
    csvMapping: CsvColumnMappingSchema.optional(),
  })
  .openapi('ImportResult');

export const StoredGenerateBodySchema = z
  .object({
    ...GenerationOptionsShape,
    onlyChanged: z.boolean().optional().openapi({ description: 'Only criteria without an up-to-date case.' }),
    provider: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: 'A stored provider by name; default: the project’s.' }),
    model: GenerationModelSchema.optional().openapi({
      description:
        'The model to ask for this generation, e.g. one the provider lists at GET /providers/{name}/models; default: the provider’s.',
    }),
    offline: z.boolean().optional(),
  })
  .openapi('StoredGenerateRequest');

export const StoredGenerateResultSchema = z
  .object({
    project: z.string(),
    storyKey: z.string(),
    engine: EngineSummarySchema,
    testCases: z.array(TestCaseRecordWireSchema),
    result: GenerationResultSchema.nullable(),
    criteria: z.array(z.string()),
    skipped: z.string().nullable(),
    notices: z.array(z.string()),
  })
  .openapi('StoredGenerateResult');

export const ReviewSelectionSchema = z
  .union([
    z.object({ ids: z.array(z.string().min(1)).min(1).max(1000) }),
    z.object({ project: z.string().min(1), story: z.string().min(1), allDrafts: z.literal(true) }),
  ])
  .openapi('ReviewSelection');

export const ReviewResultSchema = z
  .object({ changed: z.number().int(), ids: z.array(z.string()) })
  .openapi('ReviewResult');

/** The app's test case patch, with the edit's note and the lost-update guard. */
export const EditBodySchema = z
  .object({
    ...TestCasePatchSchema.shape,
    note: z.string().max(500).optional(),
    expectedVersion: z.number().int().positive().optional(),
  })
  .strict()
  .openapi('EditTestCase');

export const RegenerateBodySchema = z
  .object({
    provider: z.string().max(200).optional(),
    offline: z.boolean().optional(),
    additionalContext: z.string().max(20_000).optional(),
  })
  .openapi('RegenerateTestCase');

export const RegeneratedSchema = z
  .object({
    testCase: TestCaseRecordWireSchema,
    engine: EngineSummarySchema,
  })
  .openapi('RegeneratedTestCase');

/** The content of one earlier version: the test case without its display id. */
export const TestCaseContentWireSchema = z
  .object(
    TestCaseRecordSchema.pick({
      title: true,
      kind: true,
      priority: true,
      preconditions: true,
      steps: true,
      gherkin: true,
      covers: true,
      engine: true,
      warnings: true,
    }).shape,
  )
  .openapi('TestCaseContent');

export const HistorySchema = z
  .object({
    testCase: TestCaseRecordWireSchema.extend({
      origin: z
        .string()
        .openapi({ description: 'How the current version came about, e.g. "edited by a person".' }),
      editedByPerson: z.boolean(),
    }),
    versions: z.array(
      z.object({
        version: z.number().int(),
        content: TestCaseContentWireSchema,
        editedAt: timestamp,
        note: z.string().nullable().openapi({ description: 'The change that replaced this version.' }),
        origin: z.string().openapi({
          description:
            'How this version came about: "generated by the model", "edited by a person", "regenerated (…)".',
        }),
      }),
    ),
  })
  .openapi('TestCaseHistory');

/** The case list's orders: the stored columns, and `quality` (the stored quality score). */
export const TestCaseListSortSchema = z.enum([...TEST_CASE_SORT_COLUMNS, 'quality']);

export const TestCaseListQuerySchema = z.object({
  story: z.string().optional(),
  status: statusListQuery(`Comma-separated: ${TestCaseStatusSchema.options.join(', ')}.`),
  needsReview: z.enum(['true', 'false']).optional(),
  kind: enumListQuery(
    TestKindSchema.options,
    'test kind',
    `Comma-separated: ${TestKindSchema.options.join(', ')}.`,
  ),
  priority: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: 'Comma-separated priorities, e.g. high,medium.' }),
  engine: enumListQuery(
    EngineSchema.options,
    'engine',
    `Comma-separated: ${EngineSchema.options.join(', ')}.`,
  ),
  q: z.string().max(200).optional().openapi({
    description: 'Words the title, the steps or the Gherkin contain (case-insensitive).',
  }),
  finding: QualityRuleIdSchema.optional().openapi({
    description: 'Only cases with a finding of this quality rule (stored with each case).',
  }),
  hasFindings: z.enum(['true', 'false']).optional().openapi({
    description: 'true: only cases with quality findings; false: only those without.',
  }),
  sort: TestCaseListSortSchema.optional().openapi({
    description: 'The column to sort by. Default key (story key, then case number); ties by case id.',
  }),
  order: z.enum(['asc', 'desc']).optional().openapi({ description: 'Default asc.' }),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  quality: z.enum(['true', 'false']).optional().openapi({
    description: "true: add each case's stored quality score and findings. Default false.",
  }),
  cursor: z.string().max(1000).optional().openapi({
    description:
      'Keyset paging: the nextCursor of the previous page, asked with the same filters and sort. Deep pages cost as little as the first; not with offset.',
  }),
});

export const ExportQuerySchema = z.object({
  to: ExportTargetSchema,
  story: z.string().optional().openapi({ description: 'Comma-separated story keys. Default: every story.' }),
  status: statusListQuery('Comma-separated statuses (draft, accepted, rejected). Default: draft,accepted.'),
  jiraProjectKey: z.string().max(50).optional(),
  folder: z.string().max(200).optional(),
  xrayLinkType: z.string().max(100).optional().openapi({
    description: 'xray-json: the link type to the story. Default: Test (Xray Cloud); Tests on Server/DC.',
  }),
  xrayTags: z.enum(['cloud', 'server']).optional().openapi({
    description:
      'cucumber: tag each feature with its story for Xray: cloud @REQ_KEY, server @KEY (the default).',
  }),
});
