/**
 * Starting a bulk job: the stories it covers, its generation options checked once (not once per
 * story), and the engine it runs with — the provider and model asked for are stored with the job,
 * so every task, in this process or a worker elsewhere, asks the same model.
 */
import type { ProjectRecord } from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';
import { definedFields } from '../../shared/defined-fields.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { parseCount, parseKinds } from '../generate-from-file.ts';
import { requireProject, requireStory, type WorkspaceContext } from './context.ts';
import {
  JobGenerationOptionsSchema,
  resolveEngine,
  type JobGenerationOptions,
  type ResolvedEngine,
  type StoredGenerationOptions,
} from './generation.ts';
import type { JobQueueStrategy } from './job-queue.ts';
import type { StartedJob, StartJobInput } from './job-types.ts';
import { view } from './job-views.ts';

/** Creates the job and its tasks; nothing runs yet. Fails before creating anything on a wrong option. */
export async function startJob(
  context: WorkspaceContext,
  queue: JobQueueStrategy,
  input: StartJobInput,
): Promise<StartedJob> {
  const storage = await context.storage();
  const project = await requireProject(storage, input.projectName);
  const storyIds = await storyIdsFor(storage, project, input);
  const asked = parseJobOptions(input.options);
  // Fail now, not once per story: a wrong count, kind, provider or model.
  if (typeof asked.count === 'string') parseCount(asked.count);
  if (typeof asked.kinds === 'string') parseKinds(asked.kinds);
  const engine = await resolveEngine(context, storage, project, engineOptions(asked));
  const options = withModelOf(engine, asked);
  const budget = definedFields(input.budget ?? {});
  const job = await queue.createJob(storage, {
    projectId: project.id,
    storyIds,
    options,
    ...(Object.keys(budget).length ? { budget } : {}),
  });
  return { ...view(job, project.name), engine: engine.summary, notices: engine.notices };
}

/**
 * The options as stored. A backlog run skips what is already covered: without this, running it
 * twice would store every story's cases twice. `onlyChanged: false` generates again for every story.
 */
function parseJobOptions(options: JobGenerationOptions | undefined): JobGenerationOptions {
  const parsed = JobGenerationOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new InvalidInputError(
      `The generation options are not valid: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`)
        .join('; ')}.`,
      {
        fix: 'Format is bdd, manual or generic; count is N or MIN-MAX; kinds are positive, negative, boundary, edge; a model name is 1 to 200 characters.',
      },
    );
  }
  return definedFields({ ...parsed.data, onlyChanged: parsed.data.onlyChanged ?? true });
}

/**
 * A job that names its provider also stores the model (the provider's own when none was asked
 * for): a provider edited while the job runs does not give its stories different models.
 */
function withModelOf(engine: ResolvedEngine, options: JobGenerationOptions): JobGenerationOptions {
  if (!options.provider || options.model || options.offline || engine.choice.kind !== 'llm') return options;
  return { ...options, model: engine.choice.provider.model };
}

/** What the engine of a job's tasks depends on. */
export function engineOptions(
  options: JobGenerationOptions,
): Pick<StoredGenerationOptions, 'offline' | 'provider' | 'model'> {
  return {
    ...(options.offline ? { offline: true } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.model ? { model: options.model } : {}),
  };
}

async function storyIdsFor(
  storage: Storage,
  project: ProjectRecord,
  input: StartJobInput,
): Promise<string[]> {
  const keys = [...new Set((input.storyKeys ?? []).map((key) => key.trim()).filter(Boolean))];
  if (input.all && keys.length > 0) {
    throw new InvalidInputError('Give either all stories or a list of story keys, not both.', {
      fix: 'Ask for all stories alone, or for a list of story keys alone.',
      remedies: [
        { kind: 'change-value', field: 'all' },
        { kind: 'change-value', field: 'stories', example: 'KEY1,KEY2' },
      ],
    });
  }
  if (input.all) return (await storage.stories.list(project.id)).map((story) => story.id);
  if (keys.length === 0) {
    throw new InvalidInputError('Name the stories of the job.', {
      fix: `Ask for every story of "${project.name}", or give a list of story keys.`,
      remedies: [
        { kind: 'change-value', field: 'all' },
        { kind: 'change-value', field: 'stories', example: 'KEY1,KEY2' },
      ],
    });
  }
  const ids: string[] = [];
  for (const key of keys) ids.push((await requireStory(storage, project, key)).id);
  return ids;
}
