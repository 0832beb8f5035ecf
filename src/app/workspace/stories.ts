import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  assessQuality,
  buildCoverage,
  type StoryQuality,
  type AcceptanceCriterion,
  type GenerationRecord,
  type Story,
  type StoryRecord,
  type TestCaseCoverageRow,
  type TestCaseRecord,
} from '../../core/index.ts';
import {
  diffStories,
  parseStoriesCsv,
  parseStoryText,
  storyContentHash,
  type CsvColumnMapping,
} from '../../formats/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import {
  domainStory,
  domainTestCase,
  isoDate,
  requireProject,
  requireStory,
  type WorkspaceContext,
} from './context.ts';

/**
 * Most stories one import takes. Each story is its own write, so a larger file would run for
 * minutes and, if interrupted, leave part of it stored; refusing it before anything is written
 * keeps an import all-or-nothing from the user's side. Jira's own CSV export stops at 1,000 issues.
 */
export const MAX_STORIES_PER_IMPORT = 10_000;

export interface ImportStoriesInput {
  /** The file's content: Markdown, JSON, Jira issue or search JSON, CSV, .feature or text. */
  content: string | Uint8Array;
  /** Its name; the extension decides the kind (`.csv`, `.md`, `.json`, …). */
  fileName?: string;
  /** CSV columns to read (header names); guessed from the headers when absent. Implies CSV. */
  csvMapping?: CsvColumnMapping;
}

export interface CriterionChangeView {
  /** The stored id (kept from the earlier import). */
  id: string;
  before: string;
  after: string;
  /** 0 to 1. */
  similarity: number;
}

export interface StoryChanges {
  /** New criteria with the ids they were stored under (after the highest earlier id). */
  added: AcceptanceCriterion[];
  changed: CriterionChangeView[];
  removed: AcceptanceCriterion[];
  summaryChanged: boolean;
  descriptionChanged: boolean;
}

export interface ImportedStory {
  key: string;
  status: 'created' | 'unchanged' | 'changed';
  story: StoryRecord;
  /** Null unless `changed`. */
  changes: StoryChanges | null;
  /** Ids of the stored cases now marked as needing review. */
  markedForReview: string[];
}

export interface ImportStoriesResult {
  project: string;
  stories: ImportedStory[];
  /** What was assumed while reading (guessed columns, derived keys…). */
  warnings: string[];
  /** The CSV mapping used, when the input was CSV: show it so a wrong guess can be corrected. */
  csvMapping?: CsvColumnMapping;
}

/** How far a story's acceptance criteria are covered by its live (draft or accepted) cases. */
export interface StoryCoverage {
  criteria: number;
  covered: number;
  uncovered: string[];
  testCases: number;
  accepted: number;
  needsReview: number;
  status: 'no-criteria' | 'not-generated' | 'partial' | 'covered';
}

export interface StoryListResult {
  stories: Array<StoryRecord & { coverage: StoryCoverage }>;
  total: number;
}

/** A generation without the audit payload (prompt and raw answer), for listings. */
export type GenerationSummary = Omit<GenerationRecord, 'prompt' | 'rawAnswer'>;

export interface StoryDetails {
  story: StoryRecord;
  testCases: TestCaseRecord[];
  /** Each criterion with the display ids (`TC-3`) of the draft and accepted cases covering it. */
  coverage: Record<string, string[]>;
  uncovered: string[];
  /** Quality score of the story's draft and accepted cases (by display id), with the findings. */
  quality: StoryQuality;
  generations: GenerationSummary[];
}

export interface StoryService {
  /**
   * Reads every story of the input first (nothing is written when any of it is unusable), then
   * stores each: new stories are `created`; stories whose text is the same are `unchanged`;
   * others are `changed`, with the criteria diff. Criteria keep the ids they had, new ones get
   * the next free ids, and cases covering changed or removed criteria are marked as needing review.
   */
  importStories(projectName: string, input: ImportStoriesInput): Promise<ImportStoriesResult>;
  /** As `importStories`, reading the file (relative to the settings' cwd). */
  importStoryFile(
    projectName: string,
    path: string,
    options?: { csvMapping?: CsvColumnMapping },
  ): Promise<ImportStoriesResult>;
  list(projectName: string, page?: { limit?: number; offset?: number }): Promise<StoryListResult>;
  show(projectName: string, storyKey: string): Promise<StoryDetails>;
}

export function createStoryService(context: WorkspaceContext): StoryService {
  const service: StoryService = {
    async importStories(projectName, input) {
      const storage = await context.storage();
      const project = await requireProject(storage, projectName);
      const parsed = readStories(input);
      const date = isoDate(context.now());
      const results: ImportedStory[] = [];
      for (const story of parsed.stories) {
        results.push(await importOne(storage, project.id, story, date));
      }
      return {
        project: project.name,
        stories: results,
        warnings: parsed.warnings,
        ...(parsed.csvMapping ? { csvMapping: parsed.csvMapping } : {}),
      };
    },

    async importStoryFile(projectName, path, options = {}) {
      let content: Buffer;
      try {
        content = await readFile(resolve(context.settings.cwd, path));
      } catch (cause) {
        throw new InvalidInputError(`Cannot read the story file ${path}.`, {
          fix: 'Check the path (relative paths start from the current directory).',
          cause,
        });
      }
      return service.importStories(projectName, {
        content,
        fileName: basename(path),
        ...(options.csvMapping ? { csvMapping: options.csvMapping } : {}),
      });
    },

    async list(projectName, page = {}) {
      const storage = await context.storage();
      const project = await requireProject(storage, projectName);
      const [stories, total] = await Promise.all([
        storage.stories.list(project.id, page),
        storage.stories.count(project.id),
      ]);
      // One query for the coverage of every story on the page, not one per story, and only the
      // columns coverage needs.
      const rows = await storage.testCases.listCoverage({
        storyIds: stories.map((story) => story.id),
        status: ['draft', 'accepted'],
      });
      const byStory = new Map<string, TestCaseCoverageRow[]>();
      for (const row of rows) {
        const cases = byStory.get(row.storyId);
        if (cases) cases.push(row);
        else byStory.set(row.storyId, [row]);
      }
      return {
        stories: stories.map((story) => ({
          ...story,
          coverage: coverageOf(story, byStory.get(story.id) ?? []),
        })),
        total,
      };
    },

    async show(projectName, storyKey) {
      const storage = await context.storage();
      const project = await requireProject(storage, projectName);
      const story = await requireStory(storage, project, storyKey);
      const [testCases, generations] = await Promise.all([
        storage.testCases.list({ storyId: story.id }),
        storage.generations.listByStory(story.id),
      ]);
      const live = testCases.filter((testCase) => testCase.status !== 'rejected').map(domainTestCase);
      const { coverage, uncovered } = buildCoverage(domainStory(story), live);
      // Scored on the fly: cheap, and always up to date with the latest edits.
      const quality = assessQuality(live, { story: domainStory(story) });
      return {
        story,
        testCases,
        coverage,
        uncovered,
        quality,
        generations: generations.map(({ prompt: _prompt, rawAnswer: _rawAnswer, ...summary }) => summary),
      };
    },
  };
  return service;
}

function readStories(input: ImportStoriesInput): {
  stories: Story[];
  warnings: string[];
  csvMapping?: CsvColumnMapping;
} {
  const isCsv = input.csvMapping !== undefined || /\.csv$/i.test(input.fileName ?? '');
  let stories: Story[];
  let warnings: string[];
  let csvMapping: CsvColumnMapping | undefined;
  if (isCsv) {
    const csv = parseStoriesCsv(input.content, input.csvMapping ? { mapping: input.csvMapping } : {});
    if (!csv.ok) throw csv.error;
    ({ stories, warnings, mapping: csvMapping } = csv.value);
  } else {
    const result = parseStoryText(input.content, input.fileName ? { fileName: input.fileName } : {});
    if (!result.ok) throw result.error;
    stories = result.value;
    warnings = result.warnings;
  }
  const name = input.fileName ?? 'the input';
  if (stories.length === 0) {
    throw new InvalidInputError(`No story was found in ${name}.`, {
      fix: 'Give a file with at least one story (a title and acceptance criteria), or check the CSV column mapping.',
    });
  }
  if (stories.length > MAX_STORIES_PER_IMPORT) {
    throw new InvalidInputError(
      `${name} holds ${stories.length} stories; one import takes at most ${MAX_STORIES_PER_IMPORT}. Nothing was imported.`,
      {
        fix: `Split the file into parts of at most ${MAX_STORIES_PER_IMPORT} stories and import each one.`,
      },
    );
  }
  const seen = new Set<string>();
  for (const story of stories) {
    if (seen.has(story.key)) {
      throw new InvalidInputError(
        `The story key ${story.key} appears more than once in ${name}; nothing was imported.`,
        {
          fix: 'Give each story its own key.',
        },
      );
    }
    seen.add(story.key);
  }
  return { stories, warnings, ...(csvMapping ? { csvMapping } : {}) };
}

async function importOne(
  storage: Storage,
  projectId: string,
  story: Story,
  date: string,
): Promise<ImportedStory> {
  const contentHash = storyContentHash(story);
  const previous = await storage.stories.findByKey(projectId, story.key);
  if (!previous) {
    const saved = await storage.stories.save(projectId, { ...story, contentHash });
    return { key: story.key, status: 'created', story: saved, changes: null, markedForReview: [] };
  }
  if (
    previous.contentHash === contentHash &&
    sameList(previous.outOfScope, story.outOfScope) &&
    sameList(previous.notes, story.notes)
  ) {
    return { key: story.key, status: 'unchanged', story: previous, changes: null, markedForReview: [] };
  }

  const diff = diffStories(previous, story);
  // Keep the ids the stored cases refer to: paired criteria keep their old id, new ones follow the highest.
  const keptIds = new Map<AcceptanceCriterion, string>();
  for (const pair of [...diff.unchanged, ...diff.changed]) keptIds.set(pair.after, pair.before.id);
  let nextNumber = Math.max(
    0,
    ...previous.acceptanceCriteria.map((criterion) => criterionNumber(criterion.id)),
  );
  const acceptanceCriteria = story.acceptanceCriteria.map((criterion) => ({
    id: keptIds.get(criterion) ?? `AC-${(nextNumber += 1)}`,
    text: criterion.text,
  }));
  const added = acceptanceCriteria.filter(
    (_, index) => !keptIds.has(story.acceptanceCriteria[index] as AcceptanceCriterion),
  );
  const saved = await storage.stories.save(projectId, { ...story, acceptanceCriteria, contentHash });

  const marked = new Set<string>();
  for (const change of diff.changed) {
    const ids = await storage.testCases.markNeedsReview(
      previous.id,
      [change.before.id],
      `${change.before.id} changed on ${date}`,
    );
    ids.forEach((id) => marked.add(id));
  }
  for (const removed of diff.removed) {
    const ids = await storage.testCases.markNeedsReview(
      previous.id,
      [removed.id],
      `${removed.id} removed on ${date}`,
    );
    ids.forEach((id) => marked.add(id));
  }
  return {
    key: story.key,
    status: 'changed',
    story: saved,
    changes: {
      added,
      changed: diff.changed.map((change) => ({
        id: change.before.id,
        before: change.before.text,
        after: change.after.text,
        similarity: change.similarity,
      })),
      removed: diff.removed,
      summaryChanged: diff.summaryChanged,
      descriptionChanged: diff.descriptionChanged,
    },
    markedForReview: [...marked],
  };
}

function criterionNumber(id: string): number {
  const match = /^AC-(\d+)$/.exec(id);
  return match ? Number(match[1]) : 0;
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

function coverageOf(story: StoryRecord, testCases: readonly TestCaseCoverageRow[]): StoryCoverage {
  const covered = new Set(testCases.flatMap((testCase) => testCase.covers));
  const criteria = story.acceptanceCriteria.map((criterion) => criterion.id);
  const uncovered = criteria.filter((id) => !covered.has(id));
  return {
    criteria: criteria.length,
    covered: criteria.length - uncovered.length,
    uncovered,
    testCases: testCases.length,
    accepted: testCases.filter((testCase) => testCase.status === 'accepted').length,
    needsReview: testCases.filter((testCase) => testCase.needsReview).length,
    status:
      criteria.length === 0
        ? 'no-criteria'
        : testCases.length === 0
          ? 'not-generated'
          : uncovered.length > 0
            ? 'partial'
            : 'covered',
  };
}
