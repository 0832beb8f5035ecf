import { z } from 'zod';
import type { Story, TestCase } from '../../core/model.ts';
import { StorySchema, TestCaseSchema, TestCaseStatusSchema, type TestCaseStatus } from '../../core/model.ts';

export { TestCaseStatusSchema, type TestCaseStatus };

/** A test case as exported: the generated fields plus its review status when it is stored. */
export type ExportTestCase = TestCase & { status?: TestCaseStatus };

/** What an export writes: the stories with their test cases, already chosen by the caller. */
export interface ExportBundle {
  project?: { name: string };
  stories: Array<{ story: Story; testCases: ExportTestCase[] }>;
}

/** The tools and formats test cases can be exported to. */
export const ExportTargetSchema = z.enum([
  'xray-json',
  'xray-csv',
  'zephyr',
  'testrail',
  'cucumber',
  'csv',
  'markdown',
  'json',
]);
export type ExportTarget = z.infer<typeof ExportTargetSchema>;

export interface ExportFile {
  /** A file name without directories, e.g. `xray-tests.json` or `SHOP-12.feature`. */
  name: string;
  mediaType: string;
  content: string;
}

export interface ExportResult {
  files: ExportFile[];
  /** What could not be carried over exactly, in plain words (e.g. a Gherkin text that did not parse). */
  warnings: string[];
}

export interface ExportOptions {
  /** Export only cases with these review statuses. Default: every case in the bundle. */
  statuses?: TestCaseStatus[];
  /**
   * Jira project key for Xray and Zephyr Scale (`fields.project.key`). Default: the prefix of each
   * story's key when it looks like a Jira key (`SHOP` for `SHOP-12`), else none (the importer asks).
   */
  jiraProjectKey?: string;
  /** Xray test repository folder / Zephyr Scale folder / TestRail parent section. Default: the project name, else none. */
  folder?: string;
  /**
   * Jira issue link type from each Xray test to its story (xray-json). Default: `Test`, Xray Cloud's
   * name; Xray Server/Data Center calls it `Tests`.
   */
  xrayLinkType?: string;
  /**
   * Cucumber: tag each feature with its story so that Xray's feature import links the scenarios to
   * it as their requirement: `cloud` writes `@REQ_SHOP-12`, `server` (Server/Data Center) `@SHOP-12`.
   * Default: the story key as a plain tag (`@SHOP-12`), as Server/DC reads it.
   */
  xrayTags?: 'cloud' | 'server';
}

/** Xray's Test Case Importer and bulk import take at most 1,000 tests per import. */
export const XRAY_MAX_TESTS_PER_FILE = 1_000;

/** Link type names of Xray's test-to-requirement link. */
export const XRAY_LINK_TYPES = { cloud: 'Test', server: 'Tests' } as const;

/** Version of Reqase Lite's own JSON export. Bumped on any change a reader must know about. */
export const EXPORT_DOCUMENT_VERSION = 1;

/** Reqase Lite's own JSON export (`--to json`); readers should check `format` and `version`. */
export const ExportDocumentSchema = z.object({
  format: z.literal('reqase-lite/test-cases'),
  version: z.literal(EXPORT_DOCUMENT_VERSION),
  project: z.object({ name: z.string() }).nullable(),
  stories: z.array(
    z.object({
      story: StorySchema,
      testCases: z.array(TestCaseSchema.extend({ status: TestCaseStatusSchema.optional() })),
      /** Each criterion id with the ids of the cases covering it. */
      coverage: z.record(z.string(), z.array(z.string())),
      /** Ids of the criteria no exported case covers. */
      uncovered: z.array(z.string()),
    }),
  ),
});
export type ExportDocument = z.infer<typeof ExportDocumentSchema>;

/** Each criterion of the story with the exported cases covering it, in criterion order. */
export function coverageOf(story: Story, testCases: readonly TestCase[]): Record<string, string[]> {
  const coverage: Record<string, string[]> = {};
  for (const criterion of story.acceptanceCriteria) {
    coverage[criterion.id] = testCases
      .filter((testCase) => testCase.covers.includes(criterion.id))
      .map((testCase) => testCase.id);
  }
  return coverage;
}
