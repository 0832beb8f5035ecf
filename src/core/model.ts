import { z } from 'zod';

/**
 * The domain's single source of truth. Types come from the schemas (`z.infer`).
 * Wire shapes (HTTP bodies, model answers, CSV rows) live next to their adapters and map onto these.
 */

/** The layout of the test cases asked for: Gherkin scenarios, manual steps, or generic cases. */
export const TestFormatSchema = z.enum(['bdd', 'manual', 'generic']);
export type TestFormat = z.infer<typeof TestFormatSchema>;

/** What a test case sets out to show. */
export const TestKindSchema = z.enum(['positive', 'negative', 'boundary', 'edge']);
export type TestKind = z.infer<typeof TestKindSchema>;

/** Where a stored test case stands in review. */
export const TestCaseStatusSchema = z.enum(['draft', 'accepted', 'rejected']);
export type TestCaseStatus = z.infer<typeof TestCaseStatusSchema>;

/** The default priority scheme; a project may use its own labels (any non-empty string). */
export const DEFAULT_PRIORITIES = ['high', 'medium', 'low'] as const;

/** One acceptance criterion of a story, with its stable id (`AC-1`, `AC-2`, …). */
export const AcceptanceCriterionSchema = z.object({
  id: z.string().regex(/^AC-\d+$/, 'acceptance criterion ids look like AC-1'),
  text: z.string().min(1),
});
export type AcceptanceCriterion = z.infer<typeof AcceptanceCriterionSchema>;

export const StorySourceKindSchema = z.enum(['markdown', 'json', 'jira', 'text', 'csv']);
export type StorySourceKind = z.infer<typeof StorySourceKindSchema>;

/**
 * Why a story key cannot be used, or `undefined` when it can. A key is a path segment of the API
 * (`/api/projects/P/stories/KEY`) and of the web app's addresses: `.` and `..` are removed from a
 * path by URL parsers (even percent-encoded), `/` and `\\` split it (proxies decode `%2F`,
 * browsers read `\\` as `/`), and control characters do not survive copying an address. Every other
 * character is percent-encoded and comes back intact.
 *
 * @example
 * storyKeyProblem('SHOP-12'); // undefined
 * storyKeyProblem('..'); // 'it is "." or ".."'
 */
export function storyKeyProblem(key: string): string | undefined {
  if (key === '.' || key === '..') return 'it is "." or ".."';
  if (key.includes('/')) return 'it contains "/"';
  if (key.includes('\\')) return 'it contains "\\"';
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  if (/[\u0000-\u001f\u007f-\u009f]/.test(key)) return 'it contains a control character';
  return undefined;
}

/** A user story as Reqase Lite reads it, whatever it was imported from. */
export const StorySchema = z.object({
  /** Tracker key such as `SHOP-12`; generated from the summary when the source has none. */
  key: z.string().min(1).max(100),
  summary: z.string().min(1).max(500),
  description: z.string().default(''),
  acceptanceCriteria: z.array(AcceptanceCriterionSchema).default([]),
  /** Items the story explicitly leaves out ("Out of scope" notes). Test cases must not test them. */
  outOfScope: z.array(z.string()).default([]),
  /** Other notes of the story (assumptions, links, technical notes). */
  notes: z.array(z.string()).default([]),
  source: StorySourceKindSchema.default('text'),
});
export type Story = z.infer<typeof StorySchema>;

/** One step of a manual or generic test case. */
export const TestStepSchema = z.object({
  action: z.string().min(1),
  data: z.string().optional(),
  expected: z.string().optional(),
});
export type TestStep = z.infer<typeof TestStepSchema>;

/** Which engine produced a test case: a language model, or the offline rules engine. */
export const EngineSchema = z.enum(['llm', 'rules']);
export type Engine = z.infer<typeof EngineSchema>;

/** A structured test case, as generated and as reviewed. */
export const TestCaseSchema = z.object({
  /** `TC-1`, `TC-2`, … within one generation; stored cases also get a database id. */
  id: z.string().min(1),
  title: z.string().min(1),
  kind: TestKindSchema,
  priority: z.string().min(1),
  preconditions: z.array(z.string()).default([]),
  steps: z.array(TestStepSchema).default([]),
  /** For the BDD format: one Gherkin `Feature` with this case's `Scenario`; always parses. */
  gherkin: z.string().optional(),
  /** Ids of the acceptance criteria this case covers. */
  covers: z.array(z.string()).default([]),
  engine: EngineSchema.default('llm'),
  /** Quality findings and repairs made to this case, in plain words. */
  warnings: z.array(z.string()).default([]),
});
export type TestCase = z.infer<typeof TestCaseSchema>;

/** Token counts of one model call; `estimated` when the endpoint did not report them. */
export const UsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  estimated: z.boolean().default(false),
  /**
   * Prompt tokens the provider served from its prompt cache (OpenAI's and vLLM's automatic prefix
   * caching); absent when the provider did not report it.
   */
  cachedTokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof UsageSchema>;
