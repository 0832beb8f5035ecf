import { isDeepStrictEqual } from 'node:util';
import type { TestCaseRecord, TestCaseStatus } from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { refuseNulCharacter } from '../../shared/nul-character.ts';
import { EDITED_BY_PERSON_NOTE } from './actor.ts';
import {
  caseHistory,
  generationAudit,
  restoreCase,
  type CaseHistory,
  type GenerationAudit,
  type RestoreOptions,
} from './case-history.ts';
import { listCases, type CaseListFilter, type CaseListPage } from './case-list.ts';
import { resolveCase, viewOf, viewsOf, type TestCaseView } from './case-lookup.ts';
import { qualityOfCases, type TestCaseQuality } from './case-quality.ts';
import { regenerateCase, type RegeneratedCase, type RegenerateOptions } from './case-regeneration.ts';
import { requireProject, requireStory, type WorkspaceContext } from './context.ts';
import { contentOf, mergedContent, parsePatch, type TestCasePatch } from './test-case-patch.ts';

export type { CaseListFilter, CaseListPage, CaseListSortColumn } from './case-list.ts';
export type { TestCaseView } from './case-lookup.ts';
export {
  ActorSchema,
  EDITED_BY_PERSON_NOTE,
  UNKNOWN_ACTOR,
  VersionActionSchema,
  type VersionAction,
} from './actor.ts';
export type { CaseHistory, CaseHistoryEntry, GenerationAudit, RestoreOptions } from './case-history.ts';
export type { RegenerateOptions, RegeneratedCase } from './case-regeneration.ts';

/** A stored case with its story's key and its stored quality score with the findings. */
export interface ScoredTestCaseView extends TestCaseView {
  quality: TestCaseQuality;
}

/**
 * Which cases a review action applies to: case references (a stored id, or `STORY-KEY/TC-3` with
 * `projectName`), or every draft of one story.
 */
export type CaseSelection = (
  { references: string[]; projectName?: string } | { projectName: string; storyKey: string; allDrafts: true }
) & {
  /** Who reviews (see `ActorSchema`); recorded with the status. Default: unknown. */
  actor?: string;
};

export interface ReviewResult {
  /** How many cases changed status. */
  changed: number;
  /** The ids of the cases selected. */
  ids: string[];
}

export interface CaseReferenceOptions {
  /** Needed for `STORY-KEY/TC-3` references. */
  projectName?: string;
}

export interface EditOptions extends CaseReferenceOptions {
  /** Kept with the previous version. Default "edited". */
  note?: string;
  /** Refuse the edit when the case is no longer at this version (lost-update guard). */
  expectedVersion?: number;
  /** Who edits (see `ActorSchema`); recorded with the new version. */
  actor?: string;
}

export interface ReviewService {
  list(filter?: CaseListFilter): Promise<CaseListPage>;
  show(reference: string, options?: CaseReferenceOptions): Promise<ScoredTestCaseView>;
  accept(selection: CaseSelection): Promise<ReviewResult>;
  reject(selection: CaseSelection): Promise<ReviewResult>;
  /** A new version with the patch applied (JSON or YAML text, or an object). Gherkin must parse. */
  edit(reference: string, patch: TestCasePatch | string, options?: EditOptions): Promise<TestCaseView>;
  /** Asks the engine for a replacement covering the same criteria; stored as a new version. */
  regenerate(reference: string, options?: RegenerateOptions): Promise<RegeneratedCase>;
  /** Every version with who made it, how and when. */
  history(reference: string, options?: CaseReferenceOptions): Promise<CaseHistory>;
  /** An earlier version's content as a new version. */
  restore(reference: string, options: RestoreOptions): Promise<TestCaseView>;
  /** The stored prompt and raw answer of the generation that wrote the case. */
  generation(reference: string, options?: CaseReferenceOptions): Promise<GenerationAudit>;
}

/** The review service: each use case is one function below. */
export function createReviewService(context: WorkspaceContext): ReviewService {
  return {
    list: (filter = {}) => listCases(context, filter),
    show: (reference, options = {}) => showCase(context, reference, options),
    accept: (selection) => setReviewStatus(context, selection, 'accepted'),
    reject: (selection) => setReviewStatus(context, selection, 'rejected'),
    edit: (reference, patch, options = {}) => editCase(context, reference, patch, options),
    regenerate: (reference, options = {}) => regenerateCase(context, reference, options),
    history: (reference, options = {}) => caseHistory(context, reference, options),
    restore: (reference, options) => restoreCase(context, reference, options),
    generation: (reference, options = {}) => generationAudit(context, reference, options),
  };
}

/** The records with their story keys and stored quality. */
async function scoredViews(
  storage: Storage,
  records: readonly TestCaseRecord[],
): Promise<ScoredTestCaseView[]> {
  const quality = await qualityOfCases(storage, records);
  return (await viewsOf(storage, records)).map((view) => ({
    ...view,
    quality: quality.get(view.id) ?? { score: 0, findings: [] },
  }));
}

async function showCase(
  context: WorkspaceContext,
  reference: string,
  options: CaseReferenceOptions,
): Promise<ScoredTestCaseView> {
  const storage = await context.storage();
  const [view] = await scoredViews(storage, [await resolveCase(storage, reference, options.projectName)]);
  return view as ScoredTestCaseView;
}

async function selectedCaseIds(storage: Storage, selection: CaseSelection): Promise<string[]> {
  if ('allDrafts' in selection) {
    const project = await requireProject(storage, selection.projectName);
    const story = await requireStory(storage, project, selection.storyKey);
    return (await storage.testCases.list({ storyId: story.id, status: 'draft' })).map(
      (testCase) => testCase.id,
    );
  }
  if (selection.references.length === 0) {
    throw new InvalidInputError('No test case was named.', {
      fix: 'Name one or more test cases, or all drafts of a story.',
      remedies: [
        { kind: 'run-action', action: 'list-test-cases' },
        { kind: 'change-value', field: 'allDrafts' },
      ],
    });
  }
  const ids: string[] = [];
  for (const reference of selection.references) {
    ids.push((await resolveCase(storage, reference, selection.projectName)).id);
  }
  return ids;
}

async function setReviewStatus(
  context: WorkspaceContext,
  selection: CaseSelection,
  status: TestCaseStatus,
): Promise<ReviewResult> {
  const storage = await context.storage();
  const ids = await selectedCaseIds(storage, selection);
  const changed = await storage.testCases.setStatus(ids, status, selection.actor ?? null);
  return { changed, ids };
}

async function editCase(
  context: WorkspaceContext,
  reference: string,
  patch: TestCasePatch | string,
  options: EditOptions,
): Promise<TestCaseView> {
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
  if (isDeepStrictEqual(content, contentOf(current))) return viewOf(storage, current);
  const updated = await storage.testCases.updateContent(current.id, content, {
    note: options.note ? `${EDITED_BY_PERSON_NOTE}: ${options.note}` : EDITED_BY_PERSON_NOTE,
    ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    actor: options.actor ?? null,
  });
  return viewOf(storage, updated);
}
