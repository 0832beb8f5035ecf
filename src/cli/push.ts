import { TestCaseStatusSchema } from '../app/index.ts';
import type { Command } from 'commander';
import type { PushResult, PushTarget } from '../app/index.ts';
import { paint, type Terminal } from './terminal.ts';
import {
  collectList,
  exitTwoOnUsageErrors,
  printJson,
  printLine,
  runWorkspaceCommand,
  usageError,
  type JsonFlag,
} from './workspace-command.ts';

interface PushFlags extends JsonFlag {
  project: string;
  to?: string;
  connection?: string;
  status?: string[];
  story?: string;
  dryRun?: boolean;
}

const TARGETS = ['testrail', 'xray-cloud', 'xray-server', 'zephyr-scale'] as const;
const STATUSES = TestCaseStatusSchema.options;

/** `--project`, given before or after the subcommand (`push jobs --project P`). */
function project(flags: PushFlags): string {
  if (!flags.project) throw usageError('No project was named.', 'Give it with --project NAME.');
  return flags.project;
}

function target(given: string | undefined): PushTarget {
  // Tool names are case-insensitive, like every other choice of the CLI (`--to TestRail`).
  const value = given?.toLowerCase();
  if (!value || !(TARGETS as readonly string[]).includes(value)) {
    throw usageError(
      `--to ${given ?? '(missing)'} is not a tool Reqase Lite pushes to.`,
      `Use --to ${TARGETS.join(' or --to ')}.`,
    );
  }
  return value as PushTarget;
}

function statuses(values: string[] | undefined) {
  for (const value of values ?? []) {
    if (!(STATUSES as readonly string[]).includes(value)) {
      throw usageError(
        `--status ${value} is not a status.`,
        'Use draft, accepted or rejected (comma-separated).',
      );
    }
  }
  return values as Array<(typeof STATUSES)[number]> | undefined;
}

/** `reqase push --to testrail|xray-cloud|xray-server|zephyr-scale`, `push status`, `push jobs`, `push resume`. */
export function registerPushCommand(program: Command): void {
  const push = program
    .command('push')
    .description(
      'Push test cases to TestRail, Xray Cloud, Xray Server/DC or Zephyr Scale: new ones created, edited ones updated, nothing twice',
    )
    .option('-p, --project <name>', 'the project')
    .option('--to <tool>', `where: ${TARGETS.join(', ')}`)
    .option('--connection <name>', "a stored connection (else the tool's REQASE_* variables)")
    .option('--status <list>', 'which cases (default accepted)', collectList)
    .option('--story <key>', "only this story's cases")
    .option('--dry-run', 'say what would be created and updated; send nothing')
    .option('--json', 'print JSON')
    .action(async (flags: PushFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const chosen = statuses(flags.status);
        const result = await workspace.push.push({
          project: project(flags),
          to: target(flags.to),
          ...(flags.connection ? { connection: flags.connection } : {}),
          ...(chosen ? { status: chosen } : {}),
          ...(flags.story ? { story: flags.story } : {}),
          ...(flags.dryRun ? { dryRun: true } : {}),
        });
        if (flags.json) return printJson(result);
        return renderPush(result, terminal);
      }),
    );

  registerStatus(push);
  registerJobs(push);
  registerResume(push);
  exitTwoOnUsageErrors(push);
}

function registerStatus(push: Command): void {
  push
    .command('status')
    .description('Per case: not pushed, up to date, or out of date (edited after its last push)')
    .option('-p, --project <name>', 'the project')
    .option('--to <tool>', `where: ${TARGETS.join(', ')}`)
    .option('--connection <name>', 'a stored connection')
    .option('--status <list>', 'which cases (default accepted)', collectList)
    .option('--story <key>', "only this story's cases")
    .option('--json', 'print JSON')
    .action(async (_options: PushFlags, command: Command) => {
      // A subcommand's flags, with those given before its name (`push --project P jobs`).
      const flags = command.optsWithGlobals<PushFlags>();
      return runWorkspaceCommand(flags, async (workspace, terminal) => {
        const chosen = statuses(flags.status);
        const result = await workspace.push.status({
          project: project(flags),
          to: target(flags.to),
          ...(flags.connection ? { connection: flags.connection } : {}),
          ...(chosen ? { status: chosen } : {}),
          ...(flags.story ? { story: flags.story } : {}),
        });
        if (flags.json) return printJson(result);
        for (const testCase of result.cases) {
          const color =
            testCase.state === 'up-to-date' ? 'green' : testCase.state === 'out-of-date' ? 'yellow' : 'dim';
          printLine(
            `${paint(terminal, color, testCase.state.padEnd(11))} ${testCase.reference}  ${testCase.externalKey ?? ''}`,
          );
        }
      });
    });
}

function registerJobs(push: Command): void {
  push
    .command('jobs')
    .description('List the push jobs of a project')
    .option('-p, --project <name>', 'the project')
    .option('--json', 'print JSON')
    .action(async (_options: PushFlags, command: Command) => {
      // A subcommand's flags, with those given before its name (`push --project P jobs`).
      const flags = command.optsWithGlobals<PushFlags>();
      return runWorkspaceCommand(flags, async (workspace) => {
        const jobs = await workspace.push.listJobs(project(flags));
        if (flags.json) return printJson(jobs);
        for (const job of jobs) {
          const { created, updated, unchanged, failed } = job.counts;
          printLine(
            `${job.id}  ${job.status}  ${job.target}  ${created} created, ${updated} updated, ${unchanged} unchanged, ${failed} failed${job.error ? `  (${job.error})` : ''}`,
          );
        }
      });
    });
}

function registerResume(push: Command): void {
  push
    .command('resume')
    .description('Run a stopped push job again from where it stopped')
    .argument('<job-id>')
    .option('--json', 'print JSON')
    .action(async (jobId: string, _options: JsonFlag, command: Command) => {
      const flags = command.optsWithGlobals<PushFlags>();
      return runWorkspaceCommand(flags, async (workspace, terminal) => {
        const result = await workspace.push.resume(jobId);
        if (flags.json) return printJson(result);
        return renderPush(result, terminal);
      });
    });
}

function renderPush(result: PushResult, terminal: Terminal): number | void {
  for (const testCase of result.cases) {
    if (testCase.outcome === 'unchanged') continue;
    const color =
      testCase.outcome === 'failed' ? 'red' : testCase.outcome.startsWith('would') ? 'dim' : 'green';
    printLine(
      `${paint(terminal, color, testCase.outcome.padEnd(12))} ${testCase.reference}  ${testCase.externalKey ?? ''}${testCase.error ? `  ${testCase.error}` : ''}`,
    );
  }
  for (const warning of result.warnings) printLine(paint(terminal, 'yellow', `warning: ${warning}`));
  const { created, updated, unchanged, failed } = result.counts;
  printLine(
    paint(
      terminal,
      'dim',
      result.dryRun
        ? `Dry run for ${result.target}: ${result.cases.filter((item) => item.outcome === 'would-create').length} to create, ${result.cases.filter((item) => item.outcome === 'would-update').length} to update, ${unchanged} unchanged. Nothing was sent.`
        : `${result.target}: ${created} created, ${updated} updated, ${unchanged} unchanged, ${failed} failed (job ${result.jobId}).`,
    ),
  );
  return failed > 0 ? 1 : undefined;
}
