/**
 * `reqase case history` (every version with who made it and what changed) and `reqase case restore`.
 * The CLI's actor in a case's history is the OS user name (`cliActor`).
 */
import { userInfo } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import type { CaseHistory, CaseHistoryEntry } from '../app/index.ts';
import { renderTestCase } from './render-generation.ts';
import { paint, type Terminal } from './terminal.ts';
import {
  caseLine,
  parsePositiveInteger,
  printJson,
  printLine,
  runWorkspaceCommand,
  type JsonFlag,
} from './workspace-command.ts';

interface HistoryFlags extends JsonFlag {
  project?: string;
  version?: string;
  expectedVersion?: string;
}

const REFERENCE_HELP = 'a case id, or STORY-KEY/TC-3 with --project';

/**
 * Who runs the command, as a case's history records it: the OS user name, or "cli" when the
 * system has none (e.g. a container user without a passwd entry).
 */
export function cliActor(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

/** Registers `history` and `restore` under `reqase case`. */
export function registerCaseHistoryCommands(testCase: Command): void {
  testCase
    .command('history')
    .description('Show every version of a test case: who made it, when, and what changed')
    .argument('<case>', REFERENCE_HELP)
    .option('-p, --project <name>', 'the project (for STORY-KEY/TC-n)')
    .option('--json', 'print JSON')
    .action(async (reference: string, flags: HistoryFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const history = await workspace.testCases.history(reference, projectOf(flags));
        if (flags.json) return printJson(history);
        printHistory(history, terminal);
      }),
    );
  testCase
    .command('restore')
    .description('Make an earlier version the current one again (as a new version)')
    .argument('<case>', REFERENCE_HELP)
    .requiredOption('--version <n>', 'the version to restore (see `reqase case history`)')
    .option('-p, --project <name>', 'the project (for STORY-KEY/TC-n)')
    .option('--expected-version <n>', 'refuse if the case is no longer at this version')
    .option('--json', 'print JSON')
    .action(async (reference: string, flags: HistoryFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const restored = await workspace.testCases.restore(reference, {
          ...projectOf(flags),
          version: parsePositiveInteger(flags.version ?? '', '--version'),
          ...(flags.expectedVersion
            ? { expectedVersion: parsePositiveInteger(flags.expectedVersion, '--expected-version') }
            : {}),
          actor: cliActor(),
        });
        if (flags.json) return printJson(restored);
        printLine(`Restored version ${flags.version} as version ${restored.version}:`);
        printLine(caseLine(restored, terminal));
        printLine(renderTestCase({ ...restored, id: restored.displayId }, terminal));
      }),
    );
}

function projectOf(flags: HistoryFlags): { projectName?: string } {
  return flags.project ? { projectName: flags.project } : {};
}

const COMPARED_FIELDS = ['title', 'kind', 'priority', 'preconditions', 'steps', 'gherkin', 'covers'] as const;

/** The fields whose value differs between two versions, e.g. `title, steps`. */
export function changedFields(before: CaseHistoryEntry, after: CaseHistoryEntry): string[] {
  return COMPARED_FIELDS.filter(
    (field) => !isDeepStrictEqual(before.content[field] ?? null, after.content[field] ?? null),
  );
}

function printHistory(history: CaseHistory, terminal: Terminal): void {
  history.entries.forEach((entry, index) => {
    const previous = history.entries[index - 1];
    const label = `Version ${entry.version} (${entry.current ? 'current, ' : ''}${entry.origin})`;
    printLine(`${paint(terminal, 'bold', label)} · recorded by ${entry.actor} · ${entry.at}`);
    if (previous) {
      const changed = changedFields(previous, entry);
      printLine(paint(terminal, 'dim', `  changed: ${changed.length ? changed.join(', ') : 'nothing'}`));
      if (changed.includes('title')) {
        printLine(`  - ${previous.content.title}`);
        printLine(`  + ${entry.content.title}`);
      }
    }
  });
  if (history.review) {
    printLine(`${history.review.status} by ${history.review.actor} · ${history.review.at}`);
  }
  printLine();
  printLine(paint(terminal, 'bold', `Current (version ${history.testCase.version}):`));
  printLine(caseLine(history.testCase, terminal));
  printLine(renderTestCase({ ...history.testCase, id: history.testCase.displayId }, terminal));
}
