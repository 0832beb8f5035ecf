import { Command, CommanderError, InvalidArgumentError, type Option } from 'commander';
import { readPackageVersion } from '../shared/package-root.ts';
import { EXIT } from './exit-codes.ts';

const version = readPackageVersion(import.meta.dirname);

/**
 * Every command, with the one-line description `reqase --help` shows and how to load it. A command
 * module (and everything it imports: the model client, storage, the server) is loaded only when
 * that command runs, so `reqase --help` and quick commands start fast.
 */
const commands: Array<{
  name: string;
  description: string;
  load: () => Promise<(program: Command) => void>;
}> = [
  {
    name: 'generate',
    description: 'Generate test cases for the user stories in a file, or for stored stories',
    load: async () => (await import('./generate.ts')).registerGenerateCommand,
  },
  {
    name: 'score',
    description: 'Score existing test cases (a file or a project) against their stories',
    load: async () => (await import('./score.ts')).registerScoreCommand,
  },
  {
    name: 'compare',
    description: 'Run the same stories through several models and the offline engine, side by side',
    load: async () => (await import('./compare.ts')).registerCompareCommand,
  },
  {
    name: 'check',
    description: 'Test an OpenAI-compatible endpoint against the contract and say what to fix',
    load: async () => {
      const [
        { registerCheckCommand },
        { parseCheckTestCases, rememberCheckedResponseMode, resolveSettings },
      ] = await Promise.all([import('./check.ts'), import('../app/index.ts')]);
      return (program) =>
        registerCheckCommand(program, {
          parseTestCases: parseCheckTestCases,
          onReport: (report) => rememberCheckedResponseMode(report, resolveSettings().dataDirectory),
        });
    },
  },
  {
    name: 'project',
    description: 'Create and manage projects',
    load: async () => (await import('./project.ts')).registerProjectCommand,
  },
  {
    name: 'story',
    description: 'Import and inspect the stories of a project',
    load: async () => (await import('./story.ts')).registerStoryCommand,
  },
  {
    name: 'case',
    description: 'Review test cases: list, show, accept, reject, edit, regenerate, history',
    load: async () => (await import('./case.ts')).registerCaseCommand,
  },
  {
    name: 'export',
    description: 'Export test cases to Xray, Zephyr Scale, TestRail, Cucumber, CSV, Markdown or JSON',
    load: async () => (await import('./export.ts')).registerExportCommand,
  },
  {
    name: 'provider',
    description: 'Store model providers (API keys encrypted at rest)',
    load: async () => (await import('./provider.ts')).registerProviderCommand,
  },
  {
    name: 'connection',
    description: 'Store connections to Jira, Xray Cloud and TestRail (secrets encrypted at rest)',
    load: async () => (await import('./connection.ts')).registerConnectionCommand,
  },
  {
    name: 'push',
    description: 'Push test cases to TestRail or Xray Cloud, idempotent and resumable',
    load: async () => (await import('./push.ts')).registerPushCommand,
  },
  {
    name: 'serve',
    description: 'Run the HTTP API and the web app',
    load: async () => (await import('./serve.ts')).registerServeCommand,
  },
  {
    name: 'token',
    description: 'API tokens for the HTTP API and the web login',
    load: async () => (await import('./token.ts')).registerTokenCommand,
  },
  {
    name: 'job',
    description: 'Follow, cancel and resume bulk generation jobs',
    load: async () => (await import('./job.ts')).registerJobCommand,
  },
  {
    name: 'worker',
    description: 'Process bulk generation jobs until stopped',
    load: async () => (await import('./worker.ts')).registerWorkerCommand,
  },
];

/**
 * Builds the `reqase` command line for these arguments: the named command fully, the others as
 * entries of the help listing. `reqase help NAME` loads NAME.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command();
  program
    .name('reqase')
    .description('Turn user stories into structured, reviewable test cases with your own model, or offline.')
    .version(version)
    // Options after a command are that command's: `reqase case restore KEY --version 2`.
    .enablePositionalOptions();
  const words = argv.slice(2).filter((word) => !word.startsWith('-'));
  const wanted = words[0] === 'help' ? words[1] : words[0];
  for (const command of commands) {
    if (command.name === wanted) (await command.load())(program);
    else program.command(command.name).description(command.description);
  }
  enforceUsageConventions(program);
  return program;
}

/**
 * Runs `reqase` with these arguments and returns the exit code: 0 done, 1 an error the user can
 * fix, 2 wrong usage (commander's own errors included: an unknown option, a missing argument,
 * a value outside its choices). Help and version exit with 0.
 *
 * @example process.exitCode = await runReqaseCli(process.argv);
 */
export async function runReqaseCli(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // Loaded only now: the error types it knows bring zod, which `reqase --help` does not need.
    const { reportError } = await import('./run-command.ts');
    return reportError(error);
  }
}

/**
 * Applied to every command once all are registered: commander's usage errors are thrown (and
 * mapped to exit 2 by `runReqaseCli`) instead of exiting with 1, and options with a fixed set of
 * values accept them in any case (`--format BDD`).
 */
function enforceUsageConventions(command: Command): void {
  command.exitOverride((error) => {
    throw error;
  });
  for (const option of command.options) caseInsensitiveChoices(option);
  for (const subcommand of command.commands) enforceUsageConventions(subcommand);
}

function caseInsensitiveChoices(option: Option): void {
  const choices = option.argChoices;
  if (!choices?.length) return;
  option.argParser((value: string) => {
    const match = choices.find((choice) => choice.toLowerCase() === value.toLowerCase());
    if (match === undefined) {
      throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    }
    return match;
  });
}
