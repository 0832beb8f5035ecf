import { TestFormatSchema } from '../app/index.ts';
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
import { generateForProject, type GenerateFlags } from './generate-project.ts';
import { parseStoryKeys } from './job.ts';
import { EXIT, reportError, runCommand } from './run-command.ts';
import { InvalidInputError } from '../shared/errors.ts';
import { detectTerminal, paint, startProgress, type Terminal } from './terminal.ts';
import { usageError } from './workspace-command.ts';

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
export function registerGenerateCommand(program: Command): void {
  const command = program
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
    );
  addModelOptions(command);
  addGenerationOptions(command);
  addProjectOptions(command);
  command
    .option('--no-fill-gaps', 'do not ask again for acceptance criteria left uncovered')
    .option('--no-repair', 'do not send cases with error findings back to the model')
    .option('--stream', 'stream the answer and show each test case as it completes (default on a terminal)')
    .option('--no-stream', 'wait for the whole answer')
    .option('--json', 'print JSON instead of the readable listing')
    .option('--out <file>', 'also write the result to this file (JSON when it ends in .json)')
    .action(async (storyFile: string | undefined, flags: GenerateFlags) => {
      if (flags.project !== undefined || storyFile === undefined) {
        await generateForProject(storyFile, flags);
        return;
      }
      await runCommand(() => generateFromStoryFile(storyFile, flags));
    });
}

/** The engine and the endpoint: offline, a preset or stored provider, or base URL, key and model. */
function addModelOptions(command: Command): void {
  command
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
    );
}

/** What to generate: rules, context, count, kinds, priorities, language. */
function addGenerationOptions(command: Command): void {
  command
    .option('--rules <file>', "a file with your team's test case rules (naming, structure, terminology)")
    .option('--context <text>', 'additional context for this generation')
    .option('--count <n|min-max>', 'how many test cases, e.g. 8 or 5-12', validateCount)
    .option('--kinds <list>', 'which kinds: positive,negative,boundary,edge')
    .option('--priorities <list>', 'priority labels, highest first (default high,medium,low)')
    .option('--language <language>', 'language of the test cases (default: the story’s)');
}

/** Stored stories of a project: one now, or a bulk job. */
function addProjectOptions(command: Command): void {
  command
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
    .option('--detach', 'bulk job: only create it, for `reqase worker` or `reqase job resume ID`');
}

/** Test cases for the stories in a file (or standard input), printed and optionally written out. */
async function generateFromStoryFile(storyFile: string, flags: GenerateFlags): Promise<number> {
  rejectProjectOnlyFlags(flags);
  const settings = resolveSettings();
  const terminal = detectTerminal();
  const live = !flags.json && terminal.interactive;
  const progress = flags.json ? undefined : startProgress('Generating test cases');
  const headerShown = new Set<string>();
  try {
    const result = await generateFromFile(
      {
        ...fileGenerationInput(storyFile, flags),
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
            headerShown.add(story.key);
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
    printOutputs(result.outputs, flags, headerShown, terminal);
    if (flags.out) writeOutputs(result.outputs, resolve(settings.cwd, flags.out), flags);
    return reportNothingProduced(result.outputs);
  } finally {
    progress?.stop();
  }
}

function rejectProjectOnlyFlags(flags: GenerateFlags): void {
  const projectOnly = (
    ['all', 'stories', 'onlyChanged', 'regenerate', 'budgetCases', 'budgetTokens', 'detach'] as const
  ).filter((name) => flags[name] !== undefined);
  if (projectOnly.length > 0) {
    throw usageError(
      `--${projectOnly[0]!.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} works on stored stories only.`,
      'Add --project NAME (stories imported with `reqase story import`), or leave it out for a story file.',
    );
  }
}

type FileGenerationInput = Parameters<typeof generateFromFile>[0];

function fileGenerationInput(
  storyFile: string,
  flags: GenerateFlags,
): Omit<FileGenerationInput, 'stream' | 'onEngine' | 'onEvent'> {
  return {
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
  };
}

function outputsJson(outputs: readonly GenerationOutput[]): string {
  const documents = outputs.map(generationJson);
  return JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2);
}

/** JSON, or each story's listing (only its summary when its cases were already shown live). */
function printOutputs(
  outputs: readonly GenerationOutput[],
  flags: GenerateFlags,
  headerShown: ReadonlySet<string>,
  terminal: Terminal,
): void {
  if (flags.json) {
    process.stdout.write(`${outputsJson(outputs)}\n`);
    return;
  }
  for (const output of outputs) {
    if (headerShown.has(output.story.key)) {
      process.stdout.write(`${renderGenerationSummary(output, terminal)}\n\n`);
    } else {
      process.stdout.write(`${renderGeneration(output, terminal)}\n\n`);
    }
  }
}

/** `--out FILE`: JSON when it ends in .json, else the listing without colour. */
function writeOutputs(outputs: readonly GenerationOutput[], path: string, flags: GenerateFlags): void {
  const content = path.endsWith('.json')
    ? `${outputsJson(outputs)}\n`
    : outputs.map((output) => renderGeneration(output, { color: false })).join('\n\n') + '\n';
  writeFileSync(path, content);
  if (!flags.json) process.stderr.write(`Written to ${flags.out}\n`);
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
