import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  TestCaseSchema,
  TestKindSchema,
  TestStepSchema,
  validateGherkin,
  type GenerationRecord,
  type TestCaseContent,
  type TestCaseRecord,
  type TestCaseStatus,
  type TestCaseVersion,
  type TestFormat,
} from '../../core/index.ts';
import type { ProviderFlags } from '../../llm/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError, NotFoundError, ReqaseError } from '../../shared/errors.ts';
import { refuseNulCharacter } from '../../shared/nul-character.ts';
import type { EngineSummary } from '../generate-from-file.ts';
import { domainStory, requireProject, requireStory, type WorkspaceContext } from './context.ts';
import { prepareGeneration } from './generation.ts';

/** A stored case with the key of its story. */
export interface TestCaseView extends TestCaseRecord {
  storyKey: string;
}

export interface CaseListFilter {
  projectName?: string;
  /** Needs `projectName`. */
  storyKey?: string;
  status?: TestCaseStatus | TestCaseStatus[];
  needsReview?: boolean;
  /** Default 500. */
  limit?: number;
  offset?: number;
}

/**
 * Which cases a review action applies to: case references (a stored id, or `STORY-KEY/TC-3` with
 * `projectName`), or every draft of one story.
 */
export type CaseSelection =
  { references: string[]; projectName?: string } | { projectName: string; storyKey: string; allDrafts: true };

export interface ReviewResult {
  /** How many cases changed status. */
  changed: number;
  /** The ids of the cases selected. */
  ids: string[];
}

/** Fields an edit may change; absent fields keep their value. `gherkin: null` drops the Gherkin text. */
export const TestCasePatchSchema = z
  .object({
    title: z.string().min(1),
    kind: TestKindSchema,
    priority: z.string().min(1),
    preconditions: z.array(z.string()),
    steps: z.array(TestStepSchema),
    gherkin: z.string().min(1).nullable(),
    covers: z.array(z.string()),
  })
  .partial()
  .strict();
export type TestCasePatch = z.infer<typeof TestCasePatchSchema>;

export interface CaseReferenceOptions {
  /** Needed for `STORY-KEY/TC-3` references. */
  projectName?: string;
}

export interface EditOptions extends CaseReferenceOptions {
  /** Kept with the previous version. Default "edited". */
  note?: string;
  /** Refuse the edit when the case is no longer at this version (lost-update guard). */
  expectedVersion?: number;
}

export interface RegenerateOptions extends CaseReferenceOptions {
  provider?: string;
  providerFlags?: ProviderFlags;
  offline?: boolean;
  additionalContext?: string;
  signal?: AbortSignal;
}

export interface RegeneratedCase {
  testCase: TestCaseView;
  /** The generation that wrote the replacement (kept for audit; it owns no cases). */
  generation: GenerationRecord;
  engine: EngineSummary;
}

export interface CaseHistory {
  testCase: TestCaseView;
  /** Earlier versions, oldest first; the current content is `testCase`. */
  versions: TestCaseVersion[];
}

export interface ReviewService {
  list(filter?: CaseListFilter): Promise<{ testCases: TestCaseView[]; total: number }>;
  show(reference: string, options?: CaseReferenceOptions): Promise<TestCaseView>;
  accept(selection: CaseSelection): Promise<ReviewResult>;
  reject(selection: CaseSelection): Promise<ReviewResult>;
  /** A new version with the patch applied (JSON or YAML text, or an object). Gherkin must parse. */
  edit(reference: string, patch: TestCasePatch | string, options?: EditOptions): Promise<TestCaseView>;
  /** Asks the engine for a replacement covering the same criteria; stored as a new version. */
  regenerate(reference: string, options?: RegenerateOptions): Promise<RegeneratedCase>;
  history(reference: string, options?: CaseReferenceOptions): Promise<CaseHistory>;
}

const DEFAULT_LIST_LIMIT = 500;

export function createReviewService(context: WorkspaceContext): ReviewService {
  async function withStoryKeys(storage: Storage, records: TestCaseRecord[]): Promise<TestCaseView[]> {
    const keys = new Map<string, string>();
    for (const record of records) {
      if (!keys.has(record.storyId))
        keys.set(record.storyId, (await storage.stories.get(record.storyId))?.key ?? '');
    }
    return records.map((record) => ({ ...record, storyKey: keys.get(record.storyId) ?? '' }));
  }

  async function resolveCase(
    storage: Storage,
    reference: string,
    projectName?: string,
  ): Promise<TestCaseRecord> {
    const trimmed = reference.trim();
    const keyed = /^(.+?)[/:#](TC-?\d+)$/i.exec(trimmed);
    if (keyed) {
      if (!projectName) {
        throw new InvalidInputError(`The case ${trimmed} is named by story key: the project is needed too.`, {
          fix: 'Add --project NAME, or use the case id shown by `reqase case list --json`.',
        });
      }
      const project = await requireProject(storage, projectName);
      const story = await requireStory(storage, project, keyed[1] as string);
      const number = Number(/\d+$/.exec(keyed[2] as string)?.[0]);
      const [found] = (await storage.testCases.list({ storyId: story.id })).filter(
        (testCase) => testCase.caseNumber === number,
      );
      if (found) return found;
    } else {
      const found = await storage.testCases.get(trimmed);
      if (found) return found;
    }
    throw new NotFoundError(`There is no test case ${trimmed}.`, {
      fix: 'List cases with `reqase case list --project NAME`; refer to one by its id or as STORY-KEY/TC-3 with --project.',
    });
  }

  async function selected(storage: Storage, selection: CaseSelection): Promise<string[]> {
    if ('allDrafts' in selection) {
      const project = await requireProject(storage, selection.projectName);
      const story = await requireStory(storage, project, selection.storyKey);
      return (await storage.testCases.list({ storyId: story.id, status: 'draft' })).map(
        (testCase) => testCase.id,
      );
    }
    if (selection.references.length === 0) {
      throw new InvalidInputError('No test case was named.', {
        fix: 'Give one or more case ids (or STORY-KEY/TC-3 with --project), or --story KEY --all-drafts.',
      });
    }
    const ids: string[] = [];
    for (const reference of selection.references) {
      ids.push((await resolveCase(storage, reference, selection.projectName)).id);
    }
    return ids;
  }

  async function review(selection: CaseSelection, status: TestCaseStatus): Promise<ReviewResult> {
    const storage = await context.storage();
    const ids = await selected(storage, selection);
    const changed = await storage.testCases.setStatus(ids, status);
    return { changed, ids };
  }

  return {
    async list(filter = {}) {
      const storage = await context.storage();
      let projectId: string | undefined;
      let storyId: string | undefined;
      if (filter.projectName !== undefined) {
        const project = await requireProject(storage, filter.projectName);
        projectId = project.id;
        if (filter.storyKey !== undefined)
          storyId = (await requireStory(storage, project, filter.storyKey)).id;
      } else if (filter.storyKey !== undefined) {
        throw new InvalidInputError('--story needs --project.', { fix: 'Add --project NAME.' });
      }
      const query = {
        ...(projectId ? { projectId } : {}),
        ...(storyId ? { storyId } : {}),
        ...(filter.status === undefined ? {} : { status: filter.status }),
        ...(filter.needsReview === undefined ? {} : { needsReview: filter.needsReview }),
      };
      const [records, total] = await Promise.all([
        storage.testCases.list({
          ...query,
          limit: filter.limit ?? DEFAULT_LIST_LIMIT,
          offset: filter.offset ?? 0,
        }),
        storage.testCases.count(query),
      ]);
      return { testCases: await withStoryKeys(storage, records), total };
    },

    async show(reference, options = {}) {
      const storage = await context.storage();
      const [view] = await withStoryKeys(storage, [
        await resolveCase(storage, reference, options.projectName),
      ]);
      return view as TestCaseView;
    },

    accept: (selection) => review(selection, 'accepted'),
    reject: (selection) => review(selection, 'rejected'),

    async edit(reference, patch, options = {}) {
      const storage = await context.storage();
      const current = await resolveCase(storage, reference, options.projectName);
      const changes = parsePatch(patch);
      refuseNulCharacter(changes, 'The edit');
      const story = await storage.stories.get(current.storyId);
      const content = mergedContent(
        current,
        changes,
        story?.acceptanceCriteria.map((criterion) => criterion.id) ?? [],
      );
      if (isDeepStrictEqual(content, contentOf(current))) {
        const [view] = await withStoryKeys(storage, [current]);
        return view as TestCaseView;
      }
      const updated = await storage.testCases.updateContent(current.id, content, {
        note: options.note ?? 'edited',
        ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
      });
      const [view] = await withStoryKeys(storage, [updated]);
      return view as TestCaseView;
    },

    async regenerate(reference, options = {}) {
      const storage = await context.storage();
      const current = await resolveCase(storage, reference, options.projectName);
      const project = await storage.projects.get(current.projectId);
      const story = await storage.stories.get(current.storyId);
      if (!project || !story)
        throw new NotFoundError(`The story of test case ${current.id} no longer exists.`);
      const full = domainStory(story);
      const covered = full.acceptanceCriteria.filter((criterion) => current.covers.includes(criterion.id));
      const format: TestFormat = current.gherkin
        ? 'bdd'
        : project.defaultFormat === 'bdd'
          ? 'manual'
          : project.defaultFormat;
      const siblings = (
        await storage.testCases.list({ storyId: story.id, status: ['draft', 'accepted'] })
      ).filter((testCase) => testCase.id !== current.id);
      const instruction =
        `Write exactly one test case that replaces the existing case "${current.title}" (${current.kind}` +
        `${current.covers.length ? `, covering ${current.covers.join(', ')}` : ''}). ` +
        'Keep what it tests, but make it clearer and more precise than the current version.';
      const prepared = await prepareGeneration(context, storage, project, story, {
        format,
        count: { min: 1, max: 1 },
        kinds: [current.kind],
        fillGaps: false,
        additionalContext: options.additionalContext
          ? `${instruction}\n\n${options.additionalContext}`
          : instruction,
        storyOverride: covered.length ? { ...full, acceptanceCriteria: covered } : full,
        existingCasesOverride: siblings.map((testCase) => ({
          id: testCase.displayId,
          title: testCase.title,
          kind: testCase.kind,
          covers: testCase.covers,
        })),
        ...(options.provider ? { provider: options.provider } : {}),
        ...(options.providerFlags ? { providerFlags: options.providerFlags } : {}),
        ...(options.offline ? { offline: true } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const candidates = prepared.completion.testCases;
      const replacement =
        candidates.find(
          (candidate) =>
            candidate.kind === current.kind &&
            candidate.title !== current.title &&
            candidate.covers.some((id) => current.covers.includes(id)),
        ) ??
        candidates.find((candidate) => candidate.covers.some((id) => current.covers.includes(id))) ??
        candidates[0];
      if (!replacement) {
        throw new ReqaseError(
          'no_replacement',
          `The engine wrote no replacement for test case ${current.displayId}.`,
          {
            fix: 'Try again, or edit the case with `reqase case edit`.',
          },
        );
      }
      const { caseNumber: _caseNumber, status: _status, ...content } = replacement;
      if (
        content.title === current.title &&
        isDeepStrictEqual(content.steps, current.steps) &&
        (content.gherkin ?? null) === (current.gherkin ?? null)
      ) {
        throw new ReqaseError(
          'no_replacement',
          `The engine wrote test case ${current.displayId} again unchanged.`,
          {
            fix:
              prepared.engine.choice.kind === 'rules'
                ? 'The offline rules engine writes the same case each time: configure a model (`reqase provider add`), or edit the case with `reqase case edit`.'
                : 'Try again with --context saying what to change, or edit the case with `reqase case edit`.',
          },
        );
      }
      const saved = await storage.generations.saveGenerationWithTestCases(
        { ...prepared.completion.generation, projectId: project.id, storyId: story.id },
        [],
      );
      const updated = await storage.testCases.updateContent(
        current.id,
        { ...content, covers: content.covers.length ? content.covers : current.covers },
        { note: `regenerated (generation ${saved.generation.id})` },
      );
      const [view] = await withStoryKeys(storage, [updated]);
      return {
        testCase: view as TestCaseView,
        generation: saved.generation,
        engine: prepared.engine.summary,
      };
    },

    async history(reference, options = {}) {
      const storage = await context.storage();
      const current = await resolveCase(storage, reference, options.projectName);
      const [view] = await withStoryKeys(storage, [current]);
      return { testCase: view as TestCaseView, versions: await storage.testCases.history(current.id) };
    },
  };
}

/** Reads a patch given as an object, or as JSON or YAML text. */
export function parsePatch(patch: TestCasePatch | string): TestCasePatch {
  let value: unknown = patch;
  if (typeof patch === 'string') {
    try {
      value = parseYaml(patch);
    } catch (cause) {
      throw new InvalidInputError(`The edit is neither JSON nor YAML: ${(cause as Error).message}`, {
        fix: 'Give an object such as {"title": "New title"} or YAML lines such as `title: New title`.',
        cause,
      });
    }
  }
  const parsed = TestCasePatchSchema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new InvalidInputError(
      `The edit is not usable: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'edit'}: ${issue.message}`).join('; ')}.`,
      {
        fix: 'Edit only title, kind, priority, preconditions, steps ([{action, data, expected}]), gherkin or covers.',
      },
    );
  }
  return parsed.data;
}

function contentOf(record: TestCaseRecord): TestCaseContent {
  return {
    title: record.title,
    kind: record.kind,
    priority: record.priority,
    preconditions: record.preconditions,
    steps: record.steps,
    ...(record.gherkin === undefined || record.gherkin === null ? {} : { gherkin: record.gherkin }),
    covers: record.covers,
    engine: record.engine,
    warnings: record.warnings,
  };
}

function mergedContent(
  current: TestCaseRecord,
  patch: TestCasePatch,
  criterionIds: string[],
): TestCaseContent {
  const { gherkin, ...rest } = patch;
  const merged: TestCaseContent = { ...contentOf(current), ...rest };
  if (gherkin === null) delete merged.gherkin;
  else if (gherkin !== undefined) merged.gherkin = gherkin.endsWith('\n') ? gherkin : `${gherkin}\n`;
  const checked = TestCaseSchema.omit({ id: true }).safeParse(merged);
  if (!checked.success) {
    throw new InvalidInputError(`The edited case is not valid: ${checked.error.issues[0]?.message}.`, {
      fix: 'Check the fields of the edit.',
    });
  }
  if (merged.gherkin !== undefined) {
    const gherkinCheck = validateGherkin(merged.gherkin);
    if (!gherkinCheck.ok) {
      throw new InvalidInputError(`The edited Gherkin does not parse: ${gherkinCheck.error.message}`, {
        fix: 'Keep one "Feature:" with a "Scenario:" and Given/When/Then steps.',
        cause: gherkinCheck.error,
      });
    }
  }
  const unknown = merged.covers.filter((id) => !criterionIds.includes(id));
  if (patch.covers && unknown.length > 0) {
    throw new InvalidInputError(`The story has no acceptance criterion ${unknown.join(', ')}.`, {
      fix: `Cover only ${criterionIds.join(', ') || 'the story’s criteria'}.`,
    });
  }
  // The reviewer's edit replaces the generator's findings about the old text.
  return {
    ...merged,
    warnings: patch.title || patch.steps || patch.gherkin !== undefined ? [] : merged.warnings,
  };
}
