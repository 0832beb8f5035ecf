import type { TestFormat } from '../app/index.ts';
import { runGenerateForStoredStory, type GenerateStoredFlags } from './generate-stored.ts';
import { checkBulkFlags, runBulkGeneration } from './job.ts';
import { runCommand } from './run-command.ts';
import { usageError } from './workspace-command.ts';

/** The flags of `reqase generate`, for a story file and for stored stories (`--project`). */
export interface GenerateFlags {
  /** Default: manual for a file, the project's default format with --project. */
  format?: TestFormat;
  offline?: boolean;
  provider?: string;
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  rules?: string;
  context?: string;
  count?: string;
  kinds?: string;
  priorities?: string;
  language?: string;
  story?: string;
  fillGaps: boolean;
  repair: boolean;
  stream?: boolean;
  json?: boolean;
  out?: string;
  project?: string;
  all?: boolean;
  stories?: string[];
  onlyChanged?: boolean;
  regenerate?: boolean;
  budgetCases?: string;
  budgetTokens?: string;
  detach?: boolean;
}

/** `--project`: one stored story now, or a bulk job; neither a file nor a project is a usage error. */
export async function generateForProject(storyFile: string | undefined, flags: GenerateFlags): Promise<void> {
  const bulk = flags.all === true || (flags.stories?.length ?? 0) > 0;
  const problem = usageProblem(storyFile, flags, bulk);
  if (problem) {
    await runCommand(async () => {
      throw problem;
    });
    return;
  }
  const project = flags.project as string;
  if (!bulk) {
    await runGenerateForStoredStory(storedStoryFlags(project, flags));
    return;
  }
  await generateInBulk(project, flags);
}

function usageProblem(storyFile: string | undefined, flags: GenerateFlags, bulk: boolean): unknown {
  if (storyFile !== undefined) {
    return usageError(
      'Give either a story file or --project, not both.',
      'Generate from a file with `reqase generate FILE`, or for stored stories with `reqase generate --project P --story KEY`.',
    );
  }
  if (flags.project === undefined) {
    return usageError(
      'Nothing to generate for: give a story file or --project.',
      'Run `reqase generate stories.md`, `reqase generate --project P --story KEY` or `reqase generate --project P --all`.',
    );
  }
  if (!bulk && !flags.story) {
    return usageError(
      `Name the stories of project "${flags.project}" to generate for.`,
      'Give --story KEY for one story now, or --stories KEY1,KEY2 or --all for a bulk job.',
    );
  }
  try {
    checkBulkFlags(flags);
  } catch (error) {
    return error;
  }
  if (!bulk && (flags.budgetCases || flags.budgetTokens || flags.detach)) {
    return usageError(
      '--budget-cases, --budget-tokens and --detach apply to bulk jobs only.',
      'Use --all or --stories KEY1,KEY2 with them.',
    );
  }
  return undefined;
}

function storedStoryFlags(project: string, flags: GenerateFlags): GenerateStoredFlags {
  return {
    project,
    ...(flags.story ? { story: flags.story } : {}),
    ...(flags.onlyChanged ? { onlyChanged: true } : {}),
    ...(flags.format ? { format: flags.format } : {}),
    ...(flags.offline ? { offline: true } : {}),
    ...(flags.provider ? { provider: flags.provider } : {}),
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.temperature === undefined ? {} : { temperature: flags.temperature }),
    ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.count ? { count: flags.count } : {}),
    ...(flags.kinds ? { kinds: flags.kinds } : {}),
    ...(flags.language ? { language: flags.language } : {}),
    fillGaps: flags.fillGaps,
    ...(flags.json ? { json: true } : {}),
  };
}

/**
 * `--all` or `--stories`: a durable job with a stored provider and, with --model, another model
 * of it for every story (connection flags are refused: a worker elsewhere could not reuse them).
 */
async function generateInBulk(project: string, flags: GenerateFlags): Promise<void> {
  if (flags.baseUrl || flags.apiKey || flags.temperature !== undefined || flags.maxTokens !== undefined) {
    await runCommand(async () => {
      throw usageError(
        'A bulk job uses a stored provider, not --base-url, --api-key, --temperature or --max-tokens.',
        'Add it once with `reqase provider add NAME --base-url URL --model MODEL`, then pass --provider NAME (or make it the project default), and --model M for another model it serves.',
      );
    });
    return;
  }
  await runBulkGeneration({
    project,
    ...(flags.all ? { all: true } : {}),
    ...(flags.stories?.length ? { stories: flags.stories } : {}),
    ...(flags.format ? { format: flags.format } : {}),
    ...(flags.offline ? { offline: true } : {}),
    ...(flags.provider ? { provider: flags.provider } : {}),
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.count ? { count: flags.count } : {}),
    ...(flags.kinds ? { kinds: flags.kinds } : {}),
    ...(flags.language ? { language: flags.language } : {}),
    ...(flags.onlyChanged ? { onlyChanged: true } : {}),
    ...(flags.regenerate ? { regenerate: true } : {}),
    fillGaps: flags.fillGaps,
    ...(flags.budgetCases ? { budgetCases: flags.budgetCases } : {}),
    ...(flags.budgetTokens ? { budgetTokens: flags.budgetTokens } : {}),
    ...(flags.detach ? { detach: true } : {}),
    ...(flags.json ? { json: true } : {}),
  });
}
