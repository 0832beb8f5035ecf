import { basename } from 'node:path';
import {
  assessQuality,
  buildCoverage,
  type StoryQuality,
  type AcceptanceCriterion,
  type GenerationRecord,
  type Story,
  type StoryRecord,
  type StoryCoverageGroup,
  type TestCaseRecord,
} from '../../core/index.ts';
import { maxStoryInputBytes, diffStories, type CsvColumnMapping } from '../../formats/index.ts';
import { ConflictError, type Repositories } from '../../storage/index.ts';
import { readInput } from '../read-input.ts';
import { readStoriesOffThread, type ReadStories } from './story-reading.ts';
import {
  domainStory,
  domainTestCase,
  isoDate,
  requireProject,
  requireStory,
  type WorkspaceContext,
} from './context.ts';

export { MAX_STORIES_PER_IMPORT } from './story-reading.ts';

/** Most stories written in one chunk (one look-up and one insert statement). */
const IMPORT_CHUNK_SIZE = 25;

/**
 * Time after which the import lets the event loop run before its next chunk. SQLite's driver is
 * synchronous, so a chunk holds the loop while it runs; a few milliseconds keep requests answered.
 */
const IMPORT_SLICE_MILLISECONDS = 4;

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

/** What one import wrote; the counts add up to the stories of the input. */
export interface ImportSummary {
  /** Stories this import inserted (a key stored by a concurrent import meanwhile is not counted). */
  created: number;
  /** Stored stories whose text this import replaced. */
  changed: number;
  /** Stored stories left as they were: the same text. */
  unchanged: number;
}

export interface ImportStoriesResult {
  project: string;
  stories: ImportedStory[];
  summary: ImportSummary;
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
   * Reads every story of the input first (nothing is written when any of it is unusable, a NUL
   * character included), then stores them all in one transaction (all or nothing): new stories are `created`; stories whose text is the same are `unchanged`;
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
      // Parsing, checks and hashes run in a worker thread for a large input.
      const parsed = await readStoriesOffThread(input);
      const date = isoDate(context.now());
      // One transaction: a failure anywhere leaves the project as it was.
      const results = await storage.transaction((repositories) =>
        writeStories(repositories, project.id, parsed.stories, date),
      );
      return {
        project: project.name,
        stories: results,
        summary: summarize(results),
        warnings: parsed.warnings,
        ...(parsed.csvMapping ? { csvMapping: parsed.csvMapping } : {}),
      };
    },

    async importStoryFile(projectName, path, options = {}) {
      const content = await readInput(path, {
        what: 'story file',
        maxBytes: maxStoryInputBytes(path, { csv: options.csvMapping !== undefined }),
        cwd: context.settings.cwd,
      });
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
      // One query for the coverage of every story on the page, not one per story, with only the
      // columns coverage needs, grouped by the database (a few hundred rows, not thousands).
      const groups = await storage.stories.coverageGroups(stories.map((story) => story.id));
      const byStory = new Map<string, StoryCoverageGroup[]>();
      for (const row of groups) {
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

/**
 * Writes the stories inside the import's transaction, in key order (so concurrent imports of the
 * same stories lock them in the same order and never deadlock) and in chunks, letting the event
 * loop run whenever a slice of chunks has taken more than a few milliseconds (so a large import
 * leaves the server answering other requests).
 */
async function writeStories(
  repositories: Repositories,
  projectId: string,
  stories: ReadStories['stories'],
  date: string,
): Promise<ImportedStory[]> {
  const imported = new Map<string, ImportedStory>();
  const ordered = [...stories].sort((left, right) =>
    left.key < right.key ? -1 : left.key > right.key ? 1 : 0,
  );
  let sliceStarted = performance.now();
  for (let index = 0; index < ordered.length; index += IMPORT_CHUNK_SIZE) {
    if (performance.now() - sliceStarted > IMPORT_SLICE_MILLISECONDS) {
      await yieldToEventLoop();
      sliceStarted = performance.now();
    }
    const chunk = ordered.slice(index, index + IMPORT_CHUNK_SIZE);
    for (const result of await writeChunk(repositories, projectId, chunk, date)) {
      imported.set(result.key, result);
    }
  }
  return stories.map((story) => imported.get(story.key) as ImportedStory);
}

/**
 * One chunk: stored stories are read (and locked on PostgreSQL) first, new ones inserted where no
 * one stored the key meanwhile, and the rest compared with what is stored. A story counts as
 * `created` only when this import's insert wrote it, so concurrent imports add up.
 */
async function writeChunk(
  repositories: Repositories,
  projectId: string,
  hashed: ReadStories['stories'],
  date: string,
): Promise<ImportedStory[]> {
  const keys = hashed.map((story) => story.key);
  const stored = new Map(
    (await repositories.stories.findByKeys(projectId, keys, { lock: true })).map((story) => [
      story.key,
      story,
    ]),
  );
  const fresh = hashed.filter((story) => !stored.has(story.key));
  const inserted = new Map(
    (await repositories.stories.insertNew(projectId, fresh)).map((story) => [story.key, story]),
  );
  // Stored by a concurrent import between the look-up and the insert: compare with its version.
  const storedMeanwhile = fresh.filter((story) => !inserted.has(story.key)).map((story) => story.key);
  for (const story of await repositories.stories.findByKeys(projectId, storedMeanwhile, { lock: true })) {
    stored.set(story.key, story);
  }
  const results: ImportedStory[] = [];
  for (const story of hashed) {
    const created = inserted.get(story.key);
    const previous = stored.get(story.key);
    if (created) {
      results.push({ key: story.key, status: 'created', story: created, changes: null, markedForReview: [] });
    } else if (previous) {
      results.push(await updateOne(repositories, previous, story, date));
    } else {
      // Neither inserted nor stored: removed by a concurrent delete. Running again sorts it out.
      throw new ConflictError(
        `Story ${story.key} changed while it was being imported; nothing was imported.`,
        {
          fix: 'Import the file again.',
        },
      );
    }
  }
  return results;
}

async function updateOne(
  repositories: Repositories,
  previous: StoryRecord,
  story: Story & { contentHash: string },
  date: string,
): Promise<ImportedStory> {
  const { contentHash } = story;
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
  const saved = await repositories.stories.save(previous.projectId, {
    ...story,
    acceptanceCriteria,
    contentHash,
  });

  const marked = new Set<string>();
  for (const change of diff.changed) {
    const ids = await repositories.testCases.markNeedsReview(
      previous.id,
      [change.before.id],
      `${change.before.id} changed on ${date}`,
    );
    ids.forEach((id) => marked.add(id));
  }
  for (const removed of diff.removed) {
    const ids = await repositories.testCases.markNeedsReview(
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

/** Lets the event loop run pending I/O (other requests) before the next chunk. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** How many stories the import created, changed and left as they were: what it wrote. */
function summarize(stories: readonly ImportedStory[]): ImportSummary {
  const summary: ImportSummary = { created: 0, changed: 0, unchanged: 0 };
  for (const story of stories) summary[story.status] += 1;
  return summary;
}

function criterionNumber(id: string): number {
  const match = /^AC-(\d+)$/.exec(id);
  return match ? Number(match[1]) : 0;
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

function coverageOf(story: StoryRecord, groups: readonly StoryCoverageGroup[]): StoryCoverage {
  const covered = new Set(groups.flatMap((group) => group.covers));
  const criteria = story.acceptanceCriteria.map((criterion) => criterion.id);
  const uncovered = criteria.filter((id) => !covered.has(id));
  const countOf = (keep: (group: StoryCoverageGroup) => boolean) =>
    groups.reduce((sum, group) => (keep(group) ? sum + group.count : sum), 0);
  const testCases = countOf(() => true);
  return {
    criteria: criteria.length,
    covered: criteria.length - uncovered.length,
    uncovered,
    testCases,
    accepted: countOf((group) => group.status === 'accepted'),
    needsReview: countOf((group) => group.needsReview),
    status:
      criteria.length === 0
        ? 'no-criteria'
        : testCases === 0
          ? 'not-generated'
          : uncovered.length > 0
            ? 'partial'
            : 'covered',
  };
}
