import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  StoryQualitySchema,
  StorySchema,
  TestCaseSchema,
  assessQuality,
  scoreProject,
  type Story,
  type TestCase,
} from '../core/index.ts';
import { ExportDocumentSchema } from '../formats/index.ts';
import { InvalidInputError } from '../shared/errors.ts';
import type { AppSettings } from './settings.ts';
import { readStoriesFrom } from './story-files.ts';
import type { Workspace } from './workspace/index.ts';

/** One story's score in a report: the story, how many cases were scored, and the findings. */
export const ScoredStorySchema = z.object({
  storyKey: z.string(),
  summary: z.string(),
  caseCount: z.number().int(),
  /** Each scored case's title, by its id. */
  titles: z.record(z.string(), z.string()),
  quality: StoryQualitySchema,
});
export type ScoredStory = z.infer<typeof ScoredStorySchema>;

/** The score of a set of stories (a file, a project): per story, per case, and overall. */
export const QualityReportSchema = z.object({
  /** 0–100: the mean of the story scores over the stories that have cases. */
  score: z.number().int(),
  storyCount: z.number().int(),
  caseCount: z.number().int(),
  stories: z.array(ScoredStorySchema),
  /** What was assumed while reading the input. */
  notices: z.array(z.string()),
});
export type QualityReport = z.infer<typeof QualityReportSchema>;

export interface StoryWithCases {
  story: Story;
  testCases: TestCase[];
}

/**
 * Scores each story's cases with the quality rules, and the whole set.
 *
 * @example
 * scoreStories([{ story, testCases }]).score // 0–100
 */
export function scoreStories(entries: readonly StoryWithCases[], notices: string[] = []): QualityReport {
  const stories = entries.map(({ story, testCases }) => ({
    storyKey: story.key,
    summary: story.summary,
    caseCount: testCases.length,
    titles: Object.fromEntries(testCases.map((testCase) => [testCase.id, testCase.title])),
    quality: assessQuality(testCases, {
      story,
      format: testCases.some((testCase) => testCase.gherkin) ? 'bdd' : 'manual',
    }),
  }));
  return {
    score: scoreProject(stories.map((story) => ({ score: story.quality.score, caseCount: story.caseCount }))),
    storyCount: stories.length,
    caseCount: stories.reduce((sum, story) => sum + story.caseCount, 0),
    stories,
    notices,
  };
}

// Hand-written cases may leave out what a generator always fills in.
const LenientCaseSchema = TestCaseSchema.extend({
  id: z.string().min(1).optional(),
  kind: TestCaseSchema.shape.kind.catch('positive'),
  priority: z.string().min(1).default('medium'),
  storyKey: z.string().optional(),
});
const StoryWithCasesSchema = z.object({ story: StorySchema, testCases: z.array(LenientCaseSchema) });
/** `reqase generate --json` (one story or an array), `reqase export --to json`, or bare cases. */
const ScoreInputSchema = z.union([
  z.object({ format: z.literal('reqase-lite/test-cases'), stories: z.array(StoryWithCasesSchema) }),
  StoryWithCasesSchema,
  z.array(StoryWithCasesSchema),
  z.object({ testCases: z.array(LenientCaseSchema) }),
  z.array(LenientCaseSchema),
]);

/**
 * Reads test cases to score from JSON text: the output of `generate --json`, a JSON export, or
 * cases written by hand (`[{ title, steps, covers, … }]`, optionally with `storyKey`), matched to
 * `stories` (from a story file) by key. Stories given in `stories` replace the copies in the file.
 */
export function readCasesToScore(text: string, stories: readonly Story[], source: string): StoryWithCases[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new InvalidInputError(`${source} is not JSON.`, {
      fix: 'Give the JSON output of a generation or a JSON export; other formats are not read back yet.',
      cause,
    });
  }
  const parsed = ScoreInputSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInputError(`${source} does not hold test cases in a shape Reqase Lite reads.`, {
      fix: 'Give the JSON output of a generation, a JSON export, or an array of cases with title, steps and covers.',
    });
  }
  const value = parsed.data;
  const byKey = new Map(stories.map((story) => [story.key.toLowerCase(), story]));
  const withStory = (story: Story) => byKey.get(story.key.toLowerCase()) ?? story;
  const numbered = (cases: ReadonlyArray<z.infer<typeof LenientCaseSchema>>): TestCase[] =>
    cases.map(({ storyKey: _storyKey, ...testCase }, index) => ({
      ...testCase,
      id: testCase.id ?? `TC-${index + 1}`,
    }));
  if (Array.isArray(value) && (value.length === 0 || 'story' in (value[0] ?? {}))) {
    return (value as Array<z.infer<typeof StoryWithCasesSchema>>).map((entry) => ({
      story: withStory(entry.story),
      testCases: numbered(entry.testCases),
    }));
  }
  if (!Array.isArray(value) && 'stories' in value)
    return value.stories.map((entry) => ({
      story: withStory(entry.story),
      testCases: numbered(entry.testCases),
    }));
  if (!Array.isArray(value) && 'story' in value)
    return [{ story: withStory(value.story), testCases: numbered(value.testCases) }];
  const cases = (Array.isArray(value) ? value : value.testCases) as Array<z.infer<typeof LenientCaseSchema>>;
  return bareCasesToStories(cases, stories, source, numbered);
}

function bareCasesToStories(
  cases: Array<z.infer<typeof LenientCaseSchema>>,
  stories: readonly Story[],
  source: string,
  numbered: (cases: ReadonlyArray<z.infer<typeof LenientCaseSchema>>) => TestCase[],
): StoryWithCases[] {
  if (stories.length === 0) {
    throw new InvalidInputError(`${source} holds test cases without their story.`, {
      fix: 'Give the story file too (the cases are scored against it).',
      remedies: [{ kind: 'change-value', field: 'storyFile', example: 'story.md' }],
    });
  }
  if (stories.length === 1) return [{ story: stories[0]!, testCases: numbered(cases) }];
  const unmatched = cases.filter(
    (testCase) => !stories.some((story) => story.key.toLowerCase() === testCase.storyKey?.toLowerCase()),
  );
  if (unmatched.length > 0) {
    throw new InvalidInputError(
      `The story file holds ${stories.length} stories, and ${unmatched.length} case(s) do not say which one they test.`,
      { fix: `Give each case a "storyKey" (one of ${stories.map((story) => story.key).join(', ')}).` },
    );
  }
  return stories.map((story) => ({
    story,
    testCases: numbered(
      cases.filter((testCase) => testCase.storyKey?.toLowerCase() === story.key.toLowerCase()),
    ),
  }));
}

export interface ScoreFileRequest {
  /** The JSON file with the cases. */
  casesPath: string;
  /** Stories to score against (a file or a folder); default: the stories inside the cases file. */
  storyFile?: string;
}

/** `reqase score FILE [--story-file F]`: reads the cases (and stories) and scores them. */
export function scoreCasesFile(request: ScoreFileRequest, settings: AppSettings): QualityReport {
  const notices: string[] = [];
  const stories = request.storyFile ? readStoriesFrom(request.storyFile, settings, notices) : [];
  let text: string;
  try {
    text = readFileSync(resolve(settings.cwd, request.casesPath), 'utf8');
  } catch (cause) {
    throw new InvalidInputError(`Cannot read the cases file ${request.casesPath}.`, {
      fix: 'Check the path (relative paths start from the current directory).',
      cause,
    });
  }
  return scoreStories(readCasesToScore(text, stories, request.casesPath), notices);
}

/** The slice of the workspace that scoring a project needs. */
export interface ProjectCasesSource {
  exports: Pick<Workspace['exports'], 'exportCases'>;
}

/**
 * `reqase score --project P`: the project's stories and their draft and accepted cases, scored.
 * Read through the JSON export, so exactly what an export would hand to a test tool is judged.
 */
export async function scoreStoredProject(
  workspace: ProjectCasesSource,
  projectName: string,
  storyKeys?: string[],
): Promise<QualityReport & { project: string }> {
  const exported = await workspace.exports.exportCases({
    projectName,
    target: 'json',
    ...(storyKeys?.length ? { storyKeys } : {}),
  });
  const document = ExportDocumentSchema.parse(JSON.parse(exported.files[0]?.content ?? '{}'));
  const report = scoreStories(
    document.stories.map((entry) => ({
      story: entry.story,
      testCases: entry.testCases.map(({ status: _status, ...testCase }) => testCase),
    })),
  );
  return { ...report, project: projectName };
}
