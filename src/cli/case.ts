import { TestKindSchema } from '../app/index.ts';
import { Option, type Command } from 'commander';
import {
  type CaseSelection,
  type TestCaseQuality,
  type TestCasePatch,
  type TestCaseView,
  parsePatch,
  MAX_PATCH_FILE_BYTES,
  readInput,
} from '../app/index.ts';
import { cliActor, registerCaseHistoryCommands } from './case-history.ts';
import { renderTestCase } from './render-generation.ts';
import { renderFinding, scoreColour } from './render-quality.ts';
import { paint, type Terminal } from './terminal.ts';
import {
  caseLine,
  collectList,
  exitTwoOnUsageErrors,
  parsePositiveInteger,
  parseStatuses,
  printJson,
  printLine,
  runWorkspaceCommand,
  usageError,
  type JsonFlag,
} from './workspace-command.ts';

interface CaseFlags extends JsonFlag {
  project?: string;
  story?: string;
  status?: string[];
  needsReview?: boolean;
  limit?: string;
  offset?: string;
  allDrafts?: boolean;
  patch?: string;
  title?: string;
  priority?: string;
  kind?: string;
  covers?: string[];
  note?: string;
  expectedVersion?: string;
  offline?: boolean;
  provider?: string;
  context?: string;
}

const REFERENCE_HELP = 'a case id, or STORY-KEY/TC-3 with --project';

/** `reqase case list|show|accept|reject|edit|regenerate|history|restore`. */
export function registerCaseCommand(program: Command): void {
  const testCase = program
    .command('case')
    .description('Review stored test cases: list, accept, reject, edit, regenerate');
  registerList(testCase);
  registerShow(testCase);
  registerReview(testCase, 'accept');
  registerReview(testCase, 'reject');
  registerEdit(testCase);
  registerRegenerate(testCase);
  registerCaseHistoryCommands(testCase);
  exitTwoOnUsageErrors(testCase);
}

function registerList(testCase: Command): void {
  testCase
    .command('list')
    .description('List test cases with their quality scores (0–100)')
    .option('-p, --project <name>', 'only this project')
    .option('--story <key>', 'only this story (with --project)')
    .option('--status <list>', 'only these statuses: draft, accepted, rejected', collectList)
    .option('--needs-review', 'only cases marked as needing review (their criterion changed)')
    .option('--limit <n>', 'at most this many', '500')
    .option('--offset <n>', 'skip this many')
    .option('--json', 'print JSON')
    .action(async (flags: CaseFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const statuses = parseStatuses(flags.status);
        const result = await workspace.testCases.list({
          ...(flags.project ? { projectName: flags.project } : {}),
          ...(flags.story ? { storyKey: flags.story } : {}),
          ...(statuses ? { status: statuses } : {}),
          ...(flags.needsReview ? { needsReview: true } : {}),
          limit: parsePositiveInteger(flags.limit ?? '500', '--limit'),
          ...(flags.offset ? { offset: Number(flags.offset) || 0 } : {}),
          withQuality: true,
        });
        if (flags.json) return printJson(result);
        if (result.total === 0) return printLine('No test cases match.');
        for (const item of result.testCases) printLine(scoredCaseLine(item, terminal));
        if (result.testCases.length < result.total)
          printLine(paint(terminal, 'dim', `${result.testCases.length} of ${result.total} shown`));
      }),
    );
}

function registerShow(testCase: Command): void {
  testCase
    .command('show')
    .description('Show one test case with its quality score and findings')
    .argument('<case>', REFERENCE_HELP)
    .option('-p, --project <name>', 'the project (for STORY-KEY/TC-n)')
    .option('--json', 'print JSON')
    .action(async (reference: string, flags: CaseFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const found = await workspace.testCases.show(reference, projectOf(flags));
        if (flags.json) return printJson(found);
        printCase(found, terminal);
        printQuality(found.quality, terminal);
      }),
    );
}

function registerReview(testCase: Command, name: 'accept' | 'reject'): void {
  const verb = name === 'accept' ? 'Accept' : 'Reject';
  testCase
    .command(name)
    .description(`${verb} test cases: one or many, or every draft of a story`)
    .argument('[cases...]', REFERENCE_HELP)
    .option('-p, --project <name>', 'the project (for STORY-KEY/TC-n and --story)')
    .option('--story <key>', 'with --all-drafts: the story')
    .option('--all-drafts', `${name} every draft case of --story`)
    .option('--json', 'print JSON')
    .action(async (references: string[], flags: CaseFlags) =>
      runWorkspaceCommand(flags, async (workspace) => {
        const result = await workspace.testCases[name](selectionOf(references, flags));
        if (flags.json) return printJson(result);
        printLine(`${name === 'accept' ? 'Accepted' : 'Rejected'} ${result.changed} test case(s).`);
      }),
    );
}

function registerEdit(testCase: Command): void {
  testCase
    .command('edit')
    .description('Edit a test case (a new version; the old one is kept in its history)')
    .argument('<case>', REFERENCE_HELP)
    .option('-p, --project <name>', 'the project (for STORY-KEY/TC-n)')
    .option('--patch <file>', 'a JSON or YAML file with the fields to change (- for standard input)')
    .option('--title <text>', 'new title')
    .option('--priority <label>', 'new priority')
    .addOption(new Option('--kind <kind>', 'new kind').choices(TestKindSchema.options))
    .option('--covers <list>', 'criteria covered, e.g. AC-1,AC-3', collectList)
    .option('--note <text>', 'a note kept with the previous version')
    .option('--expected-version <n>', 'refuse the edit if the case is no longer at this version')
    .option('--json', 'print JSON')
    .action(async (reference: string, flags: CaseFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const patch = await patchOf(flags);
        const edited = await workspace.testCases.edit(reference, patch, {
          ...projectOf(flags),
          ...(flags.note ? { note: flags.note } : {}),
          ...(flags.expectedVersion
            ? { expectedVersion: parsePositiveInteger(flags.expectedVersion, '--expected-version') }
            : {}),
          actor: cliActor(),
        });
        if (flags.json) return printJson(edited);
        printLine(`Saved version ${edited.version}:`);
        printCase(edited, terminal);
      }),
    );
}

/** The edit's patch: the --patch file, then the single-field flags over it. */
async function patchOf(flags: CaseFlags): Promise<TestCasePatch> {
  const patch: TestCasePatch = {
    ...(flags.patch ? parsePatch(await readPatch(flags.patch)) : {}),
    ...(flags.title ? { title: flags.title } : {}),
    ...(flags.priority ? { priority: flags.priority } : {}),
    ...(flags.kind ? { kind: flags.kind as TestCasePatch['kind'] & string } : {}),
    ...(flags.covers ? { covers: flags.covers } : {}),
  };
  if (Object.keys(patch).length === 0) {
    throw usageError('Nothing to change.', 'Give --patch FILE, or --title, --priority, --kind or --covers.');
  }
  return patch;
}

function registerRegenerate(testCase: Command): void {
  testCase
    .command('regenerate')
    .description('Ask the engine for a better version of one case, covering the same criteria')
    .argument('<case>', REFERENCE_HELP)
    .option('-p, --project <name>', 'the project (for STORY-KEY/TC-n)')
    .option('--provider <name>', 'a stored provider instead of the project default')
    .option('--offline', 'use the offline rules engine')
    .option('--context <text>', 'what to change, e.g. "use a Mastercard and check the receipt number"')
    .option('--json', 'print JSON')
    .action(async (reference: string, flags: CaseFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const result = await workspace.testCases.regenerate(reference, {
          ...projectOf(flags),
          ...(flags.provider ? { provider: flags.provider } : {}),
          ...(flags.offline ? { offline: true } : {}),
          ...(flags.context ? { additionalContext: flags.context } : {}),
          actor: cliActor(),
        });
        if (flags.json) return printJson(result);
        process.stderr.write(`${paint(terminal, 'dim', `Engine: ${result.engine.description}`)}\n`);
        printLine(`Saved version ${result.testCase.version}:`);
        printCase(result.testCase, terminal);
      }),
    );
}

function projectOf(flags: CaseFlags): { projectName?: string } {
  return flags.project ? { projectName: flags.project } : {};
}

function selectionOf(references: string[], flags: CaseFlags): CaseSelection {
  if (flags.allDrafts) {
    if (!flags.project || !flags.story) {
      throw usageError(
        '--all-drafts needs --project and --story.',
        'Give e.g. --project Shop --story SHOP-1 --all-drafts.',
      );
    }
    if (references.length)
      throw usageError('Give case references or --all-drafts, not both.', 'Drop one of them.');
    return { projectName: flags.project, storyKey: flags.story, allDrafts: true, actor: cliActor() };
  }
  if (references.length === 0) {
    throw usageError(
      'No test case was named.',
      'Give case ids (or STORY-KEY/TC-3 with --project), or --story KEY --all-drafts.',
    );
  }
  return { references, ...projectOf(flags), actor: cliActor() };
}

async function readPatch(path: string): Promise<string> {
  const content = await readInput(path, {
    what: 'patch file',
    maxBytes: MAX_PATCH_FILE_BYTES,
    cwd: process.cwd(),
    standardInput: process.stdin,
  });
  return content.toString('utf8');
}

/** The case's list line with its quality score in front: `  75  SHOP-1/TC-2  [draft]  Title …`. */
function scoredCaseLine(testCase: TestCaseView & { quality?: TestCaseQuality }, terminal: Terminal): string {
  if (!testCase.quality) return `  -  ${caseLine(testCase, terminal)}`;
  return `${paint(terminal, scoreColour(testCase.quality.score), String(testCase.quality.score).padStart(3))}  ${caseLine(testCase, terminal)}`;
}

/** `Quality: 75/100`, then each finding with its fix. */
function printQuality(quality: TestCaseQuality, terminal: Terminal): void {
  printLine(
    `${paint(terminal, 'bold', 'Quality:')} ${paint(terminal, scoreColour(quality.score), `${quality.score}/100`)}${quality.findings.length ? '' : '  no findings'}`,
  );
  for (const finding of quality.findings)
    for (const line of renderFinding(finding, terminal)) printLine(line);
}

function printCase(testCase: TestCaseView, terminal: Terminal): void {
  printLine(caseLine(testCase, terminal));
  printLine(renderTestCase({ ...testCase, id: testCase.displayId }, terminal));
}
