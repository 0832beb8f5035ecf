import { z } from 'zod';
import {
  TestFormatSchema,
  TestKindSchema,
  type ExistingCase,
  type GeneratedTestCase,
  type GenerationEvent,
  type GenerationRecord,
  type NewGeneration,
  type ProjectRecord,
  type Story,
  type StoryRecord,
  type TaskCompletion,
  type TestCase,
  type TestCaseRecord,
  type TestFormat,
  type TestKind,
} from '../../core/index.ts';
import type { GenerateForStory } from '../../jobs/index.ts';
import type { ProviderFlags } from '../../llm/index.ts';
import { definedFields } from '../../shared/defined-fields.ts';
import type { Storage } from '../../storage/index.ts';
import { parseCount, parseKinds, type EngineSummary } from '../generate-from-file.ts';
import { generateForStory, type GenerateForStoryRequest, type GenerationOutput } from '../generation.ts';
import {
  domainStory,
  domainTestCase,
  requireProject,
  requireStory,
  type WorkspaceContext,
} from './context.ts';
import { checkFormat } from './projects.ts';
import { rememberResponseMode, resolveEngine, type ResolvedEngine } from './engine-resolution.ts';
import { GenerationModelSchema } from './stored-engine.ts';

export { GenerationModelSchema } from './stored-engine.ts';
export { resolveEngine, type ResolvedEngine } from './engine-resolution.ts';

/** How many accepted cases of the same story, and of other stories, are passed as existing cases. */
export const EXISTING_CASES_SAME_STORY = 40;
export const EXISTING_CASES_OTHER_STORIES = 20;

export interface StoredGenerationOptions {
  /** Default: the project's default format. */
  format?: TestFormat | string;
  /** `{ min, max }`, or `N` / `MIN-MAX` as typed. */
  count?: { min: number; max: number } | string;
  /** Kinds, or a comma-separated list. */
  kinds?: TestKind[] | string;
  additionalContext?: string;
  language?: string;
  /**
   * Generate only for criteria without an up-to-date case: new criteria, and criteria whose cases
   * were marked as needing review (changed or removed on re-import) or all rejected.
   */
  onlyChanged?: boolean;
  /**
   * A stored provider by name; overrides the project's default provider. When no provider has
   * this name and it is a preset id (`ollama`, `openai`, …), the preset (with `providerFlags`).
   */
  provider?: string;
  /** The model to ask instead of the provider's own (`GenerationModelSchema`), e.g. one from GET /models. */
  model?: string;
  /** Provider flags (`--base-url`, `--model`, `--api-key`, `--provider` preset), as for a story file. */
  providerFlags?: ProviderFlags;
  /** Use the offline rules engine whatever is configured. */
  offline?: boolean;
  /** Ask again for criteria left uncovered (model only). Default true. */
  fillGaps?: boolean;
  /** Send cases with error findings back to the model once (model only). Default true. */
  repair?: boolean;
  stream?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: GenerationEvent) => void;
  /** Called once the engine is known, before the first request. */
  onEngine?: (engine: EngineSummary) => void;
  /** Makes the save idempotent (e.g. a job task id). */
  idempotencyKey?: string;
  /** Who asked (see `ActorSchema`): recorded as the actor of the cases. Default: unknown. */
  actor?: string;
}

export interface StoredGenerationResult {
  project: string;
  story: StoryRecord;
  engine: EngineSummary;
  /** Null when `onlyChanged` found nothing to generate. */
  generation: GenerationRecord | null;
  testCases: TestCaseRecord[];
  /** The engine's output (coverage of the generated set, warnings, usage); null when skipped. */
  output: GenerationOutput | null;
  /** The criteria generated for. */
  criteria: string[];
  /** Why nothing was generated, when nothing was. */
  skipped: string | null;
  /** What was assumed while resolving the provider. */
  notices: string[];
}

export interface GenerationService {
  /**
   * Generates test cases for a stored story and saves the generation (audit: prompt messages,
   * raw answer, usage, latency, warnings) with its cases in one transaction.
   *
   * Engine: `offline` → rules; else `provider` (stored) → `providerFlags` → the project's default
   * provider → `REQASE_*` environment / config file → the offline rules engine.
   */
  generateForStoredStory(
    projectName: string,
    storyKey: string,
    options?: StoredGenerationOptions,
  ): Promise<StoredGenerationResult>;
  /**
   * The per-story work of a bulk job (`GenerateForStory` of src/jobs): generates without saving;
   * the job stores the completion with the task. Reads `job.options` (see `JobGenerationOptionsSchema`).
   */
  generateForStoryRecord: GenerateForStory;
}

/** The options a bulk job stores and `generateForStoryRecord` reads. */
export const JobGenerationOptionsSchema = z.object({
  format: TestFormatSchema.optional(),
  count: z
    .union([z.string(), z.object({ min: z.number().int().positive(), max: z.number().int().positive() })])
    .optional(),
  kinds: z.union([z.string(), z.array(TestKindSchema)]).optional(),
  additionalContext: z.string().optional(),
  language: z.string().optional(),
  onlyChanged: z.boolean().optional(),
  /** A stored provider by name (else the project's default provider). */
  provider: z.string().optional(),
  /** The model every story of the job asks for; default: the provider's (stored when the job names one). */
  model: GenerationModelSchema.optional(),
  offline: z.boolean().optional(),
  fillGaps: z.boolean().optional(),
  /** Who started the job: recorded as the actor of the cases it stores. */
  actor: z.string().optional(),
});
export type JobGenerationOptions = z.infer<typeof JobGenerationOptionsSchema>;

export interface PreparedGeneration {
  engine: ResolvedEngine;
  completion: TaskCompletion;
  output: GenerationOutput | null;
  criteria: string[];
  skipped: string | null;
}

export interface PrepareRequest extends StoredGenerationOptions {
  /** Replaces the story sent to the engine (e.g. one criterion for a regenerated case). */
  storyOverride?: Story;
  /** Replaces the computed existing cases. */
  existingCasesOverride?: ExistingCase[];
}

export function createGenerationService(context: WorkspaceContext): GenerationService {
  return {
    async generateForStoredStory(projectName, storyKey, options = {}) {
      const storage = await context.storage();
      const project = await requireProject(storage, projectName);
      const story = await requireStory(storage, project, storyKey);
      const prepared = await prepareGeneration(context, storage, project, story, options);
      if (prepared.skipped !== null) {
        return {
          project: project.name,
          story,
          engine: prepared.engine.summary,
          generation: null,
          testCases: [],
          output: null,
          criteria: [],
          skipped: prepared.skipped,
          notices: prepared.engine.notices,
        };
      }
      const saved = await storage.generations.saveGenerationWithTestCases(
        {
          ...prepared.completion.generation,
          projectId: project.id,
          storyId: story.id,
          ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
          ...(options.actor ? { actor: options.actor } : {}),
        },
        prepared.completion.testCases,
      );
      return {
        project: project.name,
        story,
        engine: prepared.engine.summary,
        generation: saved.generation,
        testCases: saved.testCases,
        output: prepared.output,
        criteria: prepared.criteria,
        skipped: null,
        notices: prepared.engine.notices,
      };
    },

    async generateForStoryRecord(story, { job, signal }) {
      const storage = await context.storage();
      const project = await storage.projects.get(story.projectId);
      if (!project) throw new Error(`The project ${story.projectId} of story ${story.key} no longer exists.`);
      const parsed = JobGenerationOptionsSchema.safeParse(job.options ?? {});
      const options: JobGenerationOptions = parsed.success ? parsed.data : {};
      const prepared = await prepareGeneration(context, storage, project, story, {
        ...definedFields(options),
        signal,
      });
      const { completion } = prepared;
      return options.actor
        ? { ...completion, generation: { ...completion.generation, actor: options.actor } }
        : completion;
    },
  };
}

/** Resolves the engine, chooses the criteria and existing cases, and runs the engine. Saves nothing. */
export async function prepareGeneration(
  context: WorkspaceContext,
  storage: Storage,
  project: ProjectRecord,
  story: StoryRecord,
  options: PrepareRequest,
): Promise<PreparedGeneration> {
  const shape = requestedShape(project, options);
  const engine = await resolveEngine(context, storage, project, options);
  options.onEngine?.(engine.summary);

  const storyCases = await storage.testCases.list({ storyId: story.id, status: ['draft', 'accepted'] });
  const target = targetStory(story, storyCases, options);
  if (target === undefined) return skippedGeneration(engine, story);

  const existingCases =
    options.existingCasesOverride ??
    (await existingCasesFor(storage, project, story, options.onlyChanged ? storyCases : undefined));
  const output = await generateForStory(
    engineRequest(project, target, engine, shape, existingCases, options),
    context.generation,
  );
  await rememberResponseMode(context, storage, engine, output);
  return {
    engine,
    completion: {
      generation: generationToStore(output, target, shape),
      testCases: output.testCases.map(toGeneratedTestCase),
    },
    output,
    criteria: target.acceptanceCriteria.map((criterion) => criterion.id),
    skipped: null,
  };
}

/** The format, count and kinds asked for, parsed; the project's default format when none is. */
interface RequestedShape {
  format: TestFormat;
  count: { min: number; max: number } | undefined;
  kinds: TestKind[] | undefined;
}

function requestedShape(project: ProjectRecord, options: PrepareRequest): RequestedShape {
  return {
    format: options.format === undefined ? project.defaultFormat : checkFormat(options.format),
    count: typeof options.count === 'string' ? parseCount(options.count) : options.count,
    kinds: typeof options.kinds === 'string' ? parseKinds(options.kinds) : options.kinds,
  };
}

/**
 * The story sent to the engine: the override, or the stored story; with `onlyChanged`, only its
 * criteria without an up-to-date case. Undefined when `onlyChanged` leaves none.
 */
function targetStory(
  story: StoryRecord,
  storyCases: readonly TestCaseRecord[],
  options: PrepareRequest,
): Story | undefined {
  const target: Story = options.storyOverride ?? domainStory(story);
  if (!options.onlyChanged || options.storyOverride) return target;
  const upToDate = new Set(
    storyCases.filter((testCase) => !testCase.needsReview).flatMap((testCase) => testCase.covers),
  );
  const pending = target.acceptanceCriteria.filter((criterion) => !upToDate.has(criterion.id));
  return pending.length === 0 ? undefined : { ...target, acceptanceCriteria: pending };
}

function skippedGeneration(engine: ResolvedEngine, story: StoryRecord): PreparedGeneration {
  const skipped = `Every acceptance criterion of ${story.key} has an up-to-date test case; nothing to generate.`;
  return {
    engine,
    completion: {
      generation: {
        engine: engine.choice.kind,
        warnings: [skipped],
        prompt: { onlyChanged: true, criteria: [] },
      },
      testCases: [],
    },
    output: null,
    criteria: [],
    skipped,
  };
}

function engineRequest(
  project: ProjectRecord,
  target: Story,
  engine: ResolvedEngine,
  { format, count, kinds }: RequestedShape,
  existingCases: ExistingCase[],
  options: PrepareRequest,
): GenerateForStoryRequest {
  return {
    story: target,
    format,
    engine: engine.choice,
    ...(project.testCaseRules.trim() ? { projectRules: project.testCaseRules } : {}),
    ...(options.additionalContext ? { additionalContext: options.additionalContext } : {}),
    ...(count ? { count } : {}),
    ...(kinds?.length ? { kinds } : {}),
    ...(options.language ? { language: options.language } : {}),
    ...(existingCases.length ? { existingCases } : {}),
    ...(options.fillGaps === undefined ? {} : { fillGaps: options.fillGaps }),
    ...(options.repair === undefined ? {} : { repair: options.repair }),
    ...(options.stream === undefined ? {} : { stream: options.stream }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
}

/** The generation's audit record: the prompt and raw answer from a model, what was asked offline. */
function generationToStore(
  output: GenerationOutput,
  target: Story,
  { format, count, kinds }: RequestedShape,
): Omit<NewGeneration, 'projectId' | 'storyId' | 'idempotencyKey'> {
  return {
    engine: output.engine,
    providerName: output.provider?.name ?? null,
    model: output.audit?.model ?? output.provider?.model ?? null,
    responseMode: output.responseMode ?? null,
    prompt: output.audit?.messages ?? {
      engine: 'rules',
      format,
      criteria: target.acceptanceCriteria.map((criterion) => criterion.id),
      ...(count ? { count } : {}),
      ...(kinds?.length ? { kinds } : {}),
    },
    rawAnswer: output.audit?.rawAnswer ?? null,
    usage: output.usage,
    latencyMilliseconds: Math.round(output.latencyMilliseconds),
    warnings: output.warnings,
  };
}

/**
 * Cases the engine must not write again, which also show the team's style: the story's own
 * accepted cases (and, for `onlyChanged`, its up-to-date drafts) first, then a bounded number of
 * accepted cases of other stories of the project.
 */
async function existingCasesFor(
  storage: Storage,
  project: ProjectRecord,
  story: StoryRecord,
  storyCases: TestCaseRecord[] | undefined,
): Promise<ExistingCase[]> {
  const own = (
    storyCases
      ? storyCases.filter((testCase) => !testCase.needsReview)
      : await storage.testCases.list({
          storyId: story.id,
          status: 'accepted',
          limit: EXISTING_CASES_SAME_STORY,
        })
  ).slice(0, EXISTING_CASES_SAME_STORY);
  const others = (
    await storage.testCases.list({
      projectId: project.id,
      status: 'accepted',
      limit: EXISTING_CASES_OTHER_STORIES + EXISTING_CASES_SAME_STORY,
    })
  )
    .filter((testCase) => testCase.storyId !== story.id)
    .slice(0, EXISTING_CASES_OTHER_STORIES);
  return [
    ...own.map((testCase) => ({
      id: testCase.displayId,
      title: testCase.title,
      kind: testCase.kind,
      covers: testCase.covers,
      steps: testCase.steps,
    })),
    // Other stories' criterion ids mean nothing here: only the title, kind and steps are passed.
    ...others.map((testCase) => ({ title: testCase.title, kind: testCase.kind, steps: testCase.steps })),
  ];
}

export function toGeneratedTestCase(testCase: TestCase): GeneratedTestCase {
  const { id: _id, ...content } = testCase;
  return content;
}

export { domainTestCase };
