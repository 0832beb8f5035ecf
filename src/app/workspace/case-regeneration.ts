import { isDeepStrictEqual } from 'node:util';
import type {
  GenerationRecord,
  ProjectRecord,
  StoryRecord,
  TestCaseRecord,
  TestFormat,
} from '../../core/index.ts';
import type { ProviderFlags } from '../../llm/index.ts';
import type { Storage } from '../../storage/index.ts';
import { NotFoundError, ReqaseError } from '../../shared/errors.ts';
import type { EngineSummary } from '../generate-from-file.ts';
import { resolveCase, viewOf, type TestCaseView } from './case-lookup.ts';
import { domainStory, type WorkspaceContext } from './context.ts';
import { prepareGeneration } from './generation.ts';

export interface RegenerateOptions {
  /** Needed for `STORY-KEY/TC-3` references. */
  projectName?: string;
  provider?: string;
  providerFlags?: ProviderFlags;
  offline?: boolean;
  additionalContext?: string;
  signal?: AbortSignal;
  /** Who asks (see `ActorSchema`); recorded with the new version. */
  actor?: string;
}

export interface RegeneratedCase {
  testCase: TestCaseView;
  /** The generation that wrote the replacement (kept for audit; it owns no cases). */
  generation: GenerationRecord;
  engine: EngineSummary;
}

type PreparedGeneration = Awaited<ReturnType<typeof prepareGeneration>>;
type Candidate = PreparedGeneration['completion']['testCases'][number];

/** Asks the engine for a replacement of one case covering the same criteria; stores it as a new version. */
export async function regenerateCase(
  context: WorkspaceContext,
  reference: string,
  options: RegenerateOptions,
): Promise<RegeneratedCase> {
  const storage = await context.storage();
  const current = await resolveCase(storage, reference, options.projectName);
  const project = await storage.projects.get(current.projectId);
  const story = await storage.stories.get(current.storyId);
  if (!project || !story) throw new NotFoundError(`The story of test case ${current.id} no longer exists.`);
  const prepared = await prepareReplacement(context, storage, { project, story, current }, options);
  const replacement = pickReplacement(prepared.completion.testCases, current);
  const { caseNumber: _caseNumber, status: _status, ...content } = replacement;
  refuseUnchanged(content, current, prepared);
  const saved = await storage.generations.saveGenerationWithTestCases(
    { ...prepared.completion.generation, projectId: project.id, storyId: story.id },
    [],
  );
  const updated = await storage.testCases.updateContent(
    current.id,
    { ...content, covers: content.covers.length ? content.covers : current.covers },
    {
      note: `regenerated (generation ${saved.generation.id})`,
      actor: options.actor ?? null,
      reviewAction: 'regenerated',
    },
  );
  return {
    testCase: await viewOf(storage, updated),
    generation: saved.generation,
    engine: prepared.engine.summary,
  };
}

/** Runs the engine for exactly one case of the same kind over the criteria `current` covers. */
async function prepareReplacement(
  context: WorkspaceContext,
  storage: Storage,
  target: { project: ProjectRecord; story: StoryRecord; current: TestCaseRecord },
  options: RegenerateOptions,
): Promise<PreparedGeneration> {
  const { project, story, current } = target;
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
  return prepareGeneration(context, storage, project, story, {
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
}

/** The candidate most like a replacement: same kind, new title, same criteria; else the closest. */
function pickReplacement(candidates: readonly Candidate[], current: TestCaseRecord): Candidate {
  const sharesCriteria = (candidate: Candidate) => candidate.covers.some((id) => current.covers.includes(id));
  const replacement =
    candidates.find(
      (candidate) =>
        candidate.kind === current.kind && candidate.title !== current.title && sharesCriteria(candidate),
    ) ??
    candidates.find(sharesCriteria) ??
    candidates[0];
  if (!replacement) {
    throw new ReqaseError(
      'no_replacement',
      `The engine wrote no replacement for test case ${current.displayId}.`,
      {
        fix: 'Try again, or edit the case by hand.',
        remedies: [{ kind: 'run-action', action: 'edit-test-case' }],
      },
    );
  }
  return replacement;
}

/** A replacement identical to the current case is no replacement: say what to do instead. */
function refuseUnchanged(
  content: Pick<Candidate, 'title' | 'steps' | 'gherkin'>,
  current: TestCaseRecord,
  prepared: PreparedGeneration,
): void {
  if (
    content.title !== current.title ||
    !isDeepStrictEqual(content.steps, current.steps) ||
    (content.gherkin ?? null) !== (current.gherkin ?? null)
  ) {
    return;
  }
  throw new ReqaseError(
    'no_replacement',
    `The engine wrote test case ${current.displayId} again unchanged.`,
    prepared.engine.choice.kind === 'rules'
      ? {
          fix: 'The offline rules engine writes the same case each time: configure a model, or edit the case by hand.',
          remedies: [
            { kind: 'run-action', action: 'add-provider' },
            { kind: 'run-action', action: 'edit-test-case' },
          ],
        }
      : {
          fix: 'Try again with additional context saying what to change, or edit the case by hand.',
          remedies: [
            { kind: 'change-value', field: 'additionalContext' },
            { kind: 'run-action', action: 'edit-test-case' },
          ],
        },
  );
}
