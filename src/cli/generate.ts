import { TestFormatSchema, type TestFormat } from '../app/index.ts';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { generateFromFile, parseCount, type GenerationOutput, resolveSettings } from '../app/index.ts';
import {
  renderGeneration,
  renderGenerationSummary,
  renderStoryHeader,
  renderTestCase,
  generationJson,
} from './render-generation.ts';
import { runGenerateForStoredStory } from './generate-stored.ts';
import { checkBulkFlags, parseStoryKeys, runBulkGeneration } from './job.ts';
import { EXIT, reportError, runCommand } from './run-command.ts';
import { InvalidInputError } from '../shared/errors.ts';
import { detectTerminal, paint, startProgress } from './terminal.ts';
import { usageError } from './workspace-command.ts';

interface GenerateFlags {
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

/** `--count 0` is wrong usage (exit 2), caught while parsing; the text itself is kept. */
function validateCount(text: string): string {
  try {
    parseCount(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
  return text;
}

function parseTemperature(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 2) {
    throw new InvalidArgumentError('Give a number from 0 to 2, e.g. --temperature 1.');
  }
  return value;
}

function parseMaxTokens(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError('Give a positive whole number, e.g. --max-tokens 4000.');
  }
  return value;
}

/**
 * `reqase generate <story-file|->`: test cases for the stories in a file, with a model or offline.
 * `reqase generate --project P --story KEY`: for one stored story, saved as drafts.
 * `reqase generate --project P --all|--stories KEY,…`: a durable bulk job, run here (or `--detach`).
 */
// eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description(
      'Generate test cases for the user stories in a file (Markdown, JSON, Jira JSON, CSV, .feature, text), or for stored stories of a project (--project)',
    )
    .argument('[story-file]', 'the story file, or - to read standard input')
    .addOption(
      new Option(
        '-f, --format <format>',
        "layout of the test cases (default: manual for a file, the project's default with --project)",
      ).choices(TestFormatSchema.options),
    )
    .option('--offline', 'use the offline rules engine even when a model is configured')
    .option(
      '--provider <name>',
      'a provider preset: openai, litellm, localai, vllm, fastchat, ollama, lmstudio, openrouter, groq, azure-openai; with --project also a stored provider (`reqase provider add`)',
    )
    .option('--base-url <url>', 'base URL of an OpenAI-compatible endpoint (env REQASE_BASE_URL)')
    .option('--api-key <key>', 'API key sent as Authorization: Bearer (env REQASE_API_KEY)')
    .option('--model <name>', 'model name as the endpoint knows it (env REQASE_MODEL)')
    .option(
      '--temperature <number>',
      'sampling temperature, 0 to 2 (env REQASE_TEMPERATURE; default 0.7)',
      parseTemperature,
    )
    .option(
      '--max-tokens <n>',
      'most tokens of one answer (env REQASE_MAX_TOKENS; default 2000)',
      parseMaxTokens,
    )
    .option('--rules <file>', "a file with your team's test case rules (naming, structure, terminology)")
    .option('--context <text>', 'additional context for this generation')
    .option('--count <n|min-max>', 'how many test cases, e.g. 8 or 5-12', validateCount)
    .option('--kinds <list>', 'which kinds: positive,negative,boundary,edge')
    .option('--priorities <list>', 'priority labels, highest first (default high,medium,low)')
    .option('--language <language>', 'language of the test cases (default: the story’s)')
    .option(
      '--story <key>',
      'only the story with this key, when the file holds several; with --project, the stored story',
    )
    .option(
      '--project <name>',
      'generate for stored stories of this project (with --story, --stories or --all)',
    )
    .option('--all', 'with --project: a bulk job over every story of the project')
    .option('--stories <keys>', 'with --project: a bulk job over these stories (KEY1,KEY2)', parseStoryKeys)
    .option(
      '--only-changed',
      'with --project: only criteria that are new or changed since the last generation',
    )
    .option(
      '--regenerate',
      'bulk job: generate again for every story (by default stories already covered are skipped)',
    )
    .option('--budget-cases <n>', 'bulk job: stop cleanly once this many test cases are stored')
    .option('--budget-tokens <n>', 'bulk job: stop cleanly once this many tokens are used')
    .option('--detach', 'bulk job: only create it, for `reqase worker` or `reqase job resume ID`')
    .option('--no-fill-gaps', 'do not ask again for acceptance criteria left uncovered')
    .option('--no-repair', 'do not send cases with error findings back to the model')
    .option('--stream', 'stream the answer and show each test case as it completes (default on a terminal)')
    .option('--no-stream', 'wait for the whole answer')
    .option('--json', 'print JSON instead of the readable listing')
    .option('--out <file>', 'also write the result to this file (JSON when it ends in .json)')
    // eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
    .action(async (storyFile: string | undefined, flags: GenerateFlags) => {
      if (flags.project !== undefined || storyFile === undefined) {
        await generateStored(storyFile, flags);
        return;
      }
      // eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
      await runCommand(async () => {
        const projectOnly = (
          ['all', 'stories', 'onlyChanged', 'regenerate', 'budgetCases', 'budgetTokens', 'detach'] as const
        ).filter((name) => flags[name] !== undefined);
        if (projectOnly.length > 0) {
          throw usageError(
            `--${projectOnly[0]!.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} works on stored stories only.`,
            'Add --project NAME (stories imported with `reqase story import`), or leave it out for a story file.',
          );
        }
        const settings = resolveSettings();
        const terminal = detectTerminal();
        const live = !flags.json && terminal.interactive;
        const progress = flags.json ? undefined : startProgress('Generating test cases');
        let headerShown = new Set<string>();
        try {
          const result = await generateFromFile(
            {
              path: storyFile,
              ...(storyFile === '-' ? { standardInput: process.stdin } : {}),
              format: flags.format ?? 'manual',
              ...(flags.offline ? { offline: true } : {}),
              providerFlags: {
                ...(flags.provider ? { provider: flags.provider } : {}),
                ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
                ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
                ...(flags.model ? { model: flags.model } : {}),
                ...(flags.temperature === undefined ? {} : { temperature: flags.temperature }),
                ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
              },
              ...(flags.rules ? { rulesFile: flags.rules } : {}),
              ...(flags.context ? { additionalContext: flags.context } : {}),
              ...(flags.count ? { count: flags.count } : {}),
              ...(flags.kinds ? { kinds: flags.kinds } : {}),
              ...(flags.priorities ? { priorities: flags.priorities } : {}),
              ...(flags.language ? { language: flags.language } : {}),
              ...(flags.story ? { storyKey: flags.story } : {}),
              fillGaps: flags.fillGaps,
              repair: flags.repair,
              stream: flags.stream ?? live,
              onEngine: (engine) => {
                if (flags.json) return;
                progress?.stop();
                process.stderr.write(`${paint(terminal, 'dim', `Engine: ${engine.description}`)}\n`);
              },
              onEvent: (story, event) => {
                if (!live || event.kind !== 'test-case-end') return;
                progress?.stop();
                if (!headerShown.has(story.key)) {
                  headerShown = new Set([...headerShown, story.key]);
                  process.stdout.write(`${renderStoryHeader({ story }, terminal)}\n\n`);
                }
                process.stdout.write(`${renderTestCase(event.testCase, terminal)}\n\n`);
              },
            },
            settings,
          );
          progress?.stop();
          for (const notice of result.notices)
            process.stderr.write(`${paint(terminal, 'dim', `Note: ${notice}`)}\n`);

          const documents = result.outputs.map(generationJson);
          const json = JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2);
          if (flags.json) {
            process.stdout.write(`${json}\n`);
          } else {
            for (const output of result.outputs) {
              if (headerShown.has(output.story.key)) {
                process.stdout.write(`${renderGenerationSummary(output, terminal)}\n\n`);
              } else {
                process.stdout.write(`${renderGeneration(output, terminal)}\n\n`);
              }
            }
          }
          if (flags.out) {
            const content = flags.out.endsWith('.json')
              ? `${json}\n`
              : result.outputs.map((output) => renderGeneration(output, { color: false })).join('\n\n') +
                '\n';
            writeFileSync(resolve(settings.cwd, flags.out), content);
            if (!flags.json) process.stderr.write(`Written to ${flags.out}\n`);
          }
          return reportNothingProduced(result.outputs);
        } finally {
          progress?.stop();
        }
      });
    });
}

/**
 * Exit 1 with the reason when no story of the file got a test case (README: 1 when none could be
 * produced); 0 otherwise.
 */
function reportNothingProduced(outputs: ReadonlyArray<GenerationOutput>): number {
  if (outputs.some((output) => output.testCases.length > 0)) return EXIT.ok;
  const withoutCriteria = outputs.filter((output) => output.story.acceptanceCriteria.length === 0);
  const keys = outputs.map((output) => output.story.key).join(', ') || 'the file';
  const reason =
    withoutCriteria.length === outputs.length && outputs.length > 0
      ? new InvalidInputError(
          `No test cases were produced for ${keys}: the story has no acceptance criteria to derive them from.`,
          {
            fix: 'Add an "## Acceptance Criteria" section with one criterion per line, then run the command again.',
          },
        )
      : new InvalidInputError(`No test cases were produced for ${keys}.`, {
          fix: 'Read the warnings above; give the story acceptance criteria, or try another model or --offline.',
        });
  return reportError(reason);
}

/** `--project`: one stored story now, or a bulk job; neither a file nor a project is a usage error. */
// eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
async function generateStored(storyFile: string | undefined, flags: GenerateFlags): Promise<void> {
  const bulk = flags.all === true || (flags.stories?.length ?? 0) > 0;
  const problem = (() => {
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
  })();
  if (problem) {
    await runCommand(async () => {
      throw problem;
    });
    return;
  }
  const project = flags.project as string;
  if (!bulk) {
    await runGenerateForStoredStory({
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
    });
    return;
  }
  if (
    flags.baseUrl ||
    flags.apiKey ||
    flags.model ||
    flags.temperature !== undefined ||
    flags.maxTokens !== undefined
  ) {
    await runCommand(async () => {
      throw usageError(
        'A bulk job uses a stored provider, not --base-url, --api-key, --model, --temperature or --max-tokens.',
        'Add it once with `reqase provider add NAME --base-url URL --model MODEL`, then pass --provider NAME (or make it the project default).',
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
