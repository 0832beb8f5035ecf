import { TestCaseStatusSchema } from '../app/index.ts';
import type { Command } from 'commander';
import { loadWorkspace, resolveSettings, type TestCaseRecord, type Workspace } from '../app/index.ts';
import { ReqaseError } from '../shared/errors.ts';
import { cliFix } from './remedy-wording.ts';
import { EXIT, runCommand } from './run-command.ts';
import { detectTerminal, paint, type Terminal } from './terminal.ts';

/** Shared by the workspace commands (project, story, case, export, provider, generate --project). */

export interface JsonFlag {
  json?: boolean;
}

/**
 * Runs a workspace command: opens the workspace of `REQASE_DATA_DIR` / `DATABASE_URL`, closes it
 * afterwards, and turns errors into exit codes (with `--json`, the error is also printed as
 * `{ "error": { code, message, fix } }` on stdout so scripts can read it).
 */
export async function runWorkspaceCommand(
  flags: JsonFlag,
  action: (workspace: Workspace, terminal: Terminal) => Promise<number | void>,
): Promise<void> {
  await runCommand(async () => {
    // Storage, jobs and pg-boss load only now: `reqase generate story.md` never loads them.
    const workspace = await loadWorkspace(resolveSettings());
    try {
      return await action(workspace, detectTerminal());
    } catch (error) {
      if (flags.json && error instanceof ReqaseError) printJson({ error: errorJson(error) });
      throw error;
    } finally {
      await workspace.close();
    }
  });
}

/** `{ code, message, fix, remedies? }` with the fix in the command line's words. */
export function errorJson(error: ReqaseError): ReturnType<ReqaseError['toJSON']> {
  const fix = cliFix(error);
  return { ...error.toJSON(), ...(fix ? { fix } : {}) };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A wrong flag value: exit code 2, like commander's own usage errors. */
export function usageError(message: string, fix: string): ReqaseError {
  return new ReqaseError('invalid_usage', message, { fix });
}

/** `a,b, c` → ['a', 'b', 'c']; repeated flags are collected too. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ];
}

export function parsePositiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw usageError(`${flag} must be a positive whole number, got "${value}".`, `Give e.g. ${flag} 10.`);
  }
  return number;
}

export function parseNumber(value: string, flag: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) {
    throw usageError(`${flag} must be a number, got "${value}".`, `Give e.g. ${flag} 0.2.`);
  }
  return number;
}

const STATUSES = TestCaseStatusSchema.options;
export function parseStatuses(values: string[] | undefined): Array<(typeof STATUSES)[number]> | undefined {
  if (!values?.length) return undefined;
  for (const value of values) {
    if (!(STATUSES as readonly string[]).includes(value)) {
      throw usageError(
        `Unknown status "${value}".`,
        `Use ${STATUSES.join(', ')} (comma-separated for several).`,
      );
    }
  }
  return values as Array<(typeof STATUSES)[number]>;
}

/**
 * Commander's own usage errors (unknown option, missing argument) exit with 2, as our usage
 * errors do; help and version still exit with 0. Applied to a command and all its subcommands.
 */
export function exitTwoOnUsageErrors(command: Command): Command {
  command.exitOverride((error) => {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    ) {
      process.exit(0);
    }
    process.exit(EXIT.usage);
  });
  for (const subcommand of command.commands) exitTwoOnUsageErrors(subcommand);
  return command;
}

/** One line per case: `TC-3  [accepted]  Title  (covers AC-1, AC-2)`. */
export function caseLine(testCase: TestCaseRecord & { storyKey?: string }, terminal: Terminal): string {
  const status =
    testCase.status === 'accepted'
      ? paint(terminal, 'green', 'accepted')
      : testCase.status === 'rejected'
        ? paint(terminal, 'red', 'rejected')
        : paint(terminal, 'dim', 'draft');
  const review = testCase.needsReview
    ? ` ${paint(terminal, 'yellow', `needs review: ${testCase.needsReviewReason ?? ''}`)}`
    : '';
  const story = testCase.storyKey ? `${testCase.storyKey}/` : '';
  const covers = testCase.covers.length
    ? paint(terminal, 'dim', `  (covers ${testCase.covers.join(', ')})`)
    : '';
  return `${story}${testCase.displayId}  [${status}]  ${testCase.title}${covers}${review}  ${paint(terminal, 'dim', testCase.id)}`;
}
