import type { Command } from 'commander';
import type { ImportStoriesResult, StoryDetails, CsvColumnMapping } from '../app/index.ts';
import { paint, type Terminal } from './terminal.ts';
import {
  caseLine,
  exitTwoOnUsageErrors,
  parsePositiveInteger,
  printJson,
  printLine,
  runWorkspaceCommand,
  usageError,
  type JsonFlag,
} from './workspace-command.ts';

interface StoryFlags extends JsonFlag {
  project: string;
  mapping?: string;
  from?: string;
  jql?: string;
  keys?: string;
  connection?: string;
  acField?: string;
  deployment?: string;
  limit?: string;
  offset?: string;
}

const MAPPING_FIELDS: Record<string, keyof CsvColumnMapping> = {
  key: 'key',
  summary: 'summary',
  title: 'summary',
  description: 'description',
  acceptancecriteria: 'acceptanceCriteria',
  criteria: 'acceptanceCriteria',
  ac: 'acceptanceCriteria',
  outofscope: 'outOfScope',
};

/** `key=Issue key,summary=Title,acceptanceCriteria=AC` → a CSV column mapping. */
export function parseMapping(text: string): CsvColumnMapping {
  const mapping: CsvColumnMapping = {};
  for (const pair of text.split(',')) {
    if (!pair.trim()) continue;
    const [field, ...rest] = pair.split('=');
    const name =
      MAPPING_FIELDS[
        (field ?? '')
          .trim()
          .toLowerCase()
          .replace(/[\s_-]/g, '')
      ];
    const column = rest.join('=').trim();
    if (!name || !column) {
      throw usageError(
        `"${pair.trim()}" in --mapping is not FIELD=Column header.`,
        'Use e.g. --mapping "key=Issue key,summary=Title,acceptanceCriteria=Acceptance Criteria" (fields: key, summary, description, acceptanceCriteria, outOfScope).',
      );
    }
    mapping[name] = column;
  }
  return mapping;
}

/** `reqase story import|list|show`. */
export function registerStoryCommand(program: Command): void {
  const story = program.command('story').description('Import and inspect the stories of a project');

  registerImport(story);
  registerList(story);
  registerShow(story);
  exitTwoOnUsageErrors(story);
}

function registerImport(story: Command): void {
  story
    .command('import')
    .description(
      'Import stories (Markdown, JSON, Jira JSON, CSV, .feature, text, or --from jira); re-importing shows what changed',
    )
    .argument('[file]', 'the story file (not with --from jira)')
    .requiredOption('-p, --project <name>', 'the project')
    .option(
      '--mapping <pairs>',
      'CSV columns, e.g. "key=Issue key,summary=Title,acceptanceCriteria=AC" (guessed when absent)',
    )
    .option('--from <source>', 'read from a tool instead of a file: jira')
    .option('--jql <query>', 'with --from jira: the issues, e.g. "project = SHOP AND issuetype = Story"')
    .option('--keys <list>', 'with --from jira: issue keys, e.g. SHOP-1,SHOP-2')
    .option(
      '--connection <name>',
      'with --from jira: a stored jira connection (else REQASE_JIRA_URL, _EMAIL, _TOKEN)',
    )
    .option(
      '--ac-field <id>',
      'with --from jira: the custom field holding acceptance criteria (found by name when absent)',
    )
    .option('--deployment <kind>', 'with --from jira: cloud (default) or server (Server / Data Center)')
    .option('--json', 'print JSON')
    .action(async (file: string | undefined, flags: StoryFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        if (flags.from !== undefined) {
          if (flags.from !== 'jira')
            throw usageError(`--from ${flags.from} is not a source.`, 'Use --from jira.');
          if (
            flags.deployment !== undefined &&
            flags.deployment !== 'cloud' &&
            flags.deployment !== 'server'
          ) {
            throw usageError(
              `--deployment ${flags.deployment} is not known.`,
              'Use --deployment cloud or --deployment server.',
            );
          }
          const result = await workspace.importStoriesFromJira(flags.project, {
            ...(flags.jql ? { jql: flags.jql } : {}),
            ...(flags.keys
              ? {
                  keys: flags.keys
                    .split(',')
                    .map((key) => key.trim())
                    .filter(Boolean),
                }
              : {}),
            ...(flags.connection ? { connection: flags.connection } : {}),
            ...(flags.acField ? { acceptanceCriteriaField: flags.acField } : {}),
            ...(flags.deployment ? { deployment: flags.deployment as 'cloud' | 'server' } : {}),
          });
          if (flags.json) return printJson(result);
          return renderImport(result, terminal);
        }
        if (!file) throw usageError('No story file was given.', 'Give a file, or --from jira --jql "…".');
        const csvMapping = flags.mapping ? parseMapping(flags.mapping) : undefined;
        const result = await workspace.stories.importStoryFile(
          flags.project,
          file,
          csvMapping ? { csvMapping } : {},
        );
        if (flags.json) return printJson(result);
        renderImport(result, terminal);
      }),
    );
}

function registerList(story: Command): void {
  story
    .command('list')
    .description('List the stories of a project')
    .requiredOption('-p, --project <name>', 'the project')
    .option('--limit <n>', 'at most this many', '200')
    .option('--offset <n>', 'skip this many')
    .option('--json', 'print JSON')
    .action(async (flags: StoryFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const result = await workspace.stories.list(flags.project, {
          limit: parsePositiveInteger(flags.limit ?? '200', '--limit'),
          ...(flags.offset ? { offset: Number(flags.offset) || 0 } : {}),
        });
        if (flags.json) return printJson(result);
        if (result.total === 0) {
          return printLine(
            `No stories in ${flags.project}. Import some with \`reqase story import FILE --project "${flags.project}"\`.`,
          );
        }
        for (const item of result.stories) {
          printLine(
            `${paint(terminal, 'bold', item.key)}  ${item.summary}  ${paint(terminal, 'dim', `${item.acceptanceCriteria.length} criteria`)}`,
          );
        }
        if (result.stories.length < result.total)
          printLine(paint(terminal, 'dim', `${result.stories.length} of ${result.total} shown`));
      }),
    );
}

function registerShow(story: Command): void {
  story
    .command('show')
    .description('Show a story with its test cases and coverage')
    .argument('<key>', 'the story key, e.g. SHOP-12')
    .requiredOption('-p, --project <name>', 'the project')
    .option('--json', 'print JSON')
    .action(async (key: string, flags: StoryFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const details = await workspace.stories.show(flags.project, key);
        if (flags.json) return printJson(details);
        renderStory(details, terminal);
      }),
    );
}

function renderImport(result: ImportStoriesResult, terminal: Terminal): void {
  for (const warning of result.warnings)
    process.stderr.write(`${paint(terminal, 'dim', `Note: ${warning}`)}\n`);
  if (result.csvMapping) {
    const used = Object.entries(result.csvMapping)
      .filter(([, column]) => column)
      .map(([field, column]) => `${field}=${column}`)
      .join(',');
    process.stderr.write(`${paint(terminal, 'dim', `CSV columns: ${used} (change with --mapping)`)}\n`);
  }
  const counts = result.summary;
  for (const item of result.stories) {
    const label =
      item.status === 'created'
        ? paint(terminal, 'green', 'created  ')
        : item.status === 'changed'
          ? paint(terminal, 'yellow', 'changed  ')
          : paint(terminal, 'dim', 'unchanged');
    printLine(`${label} ${item.key}  ${item.story.summary}`);
    const changes = item.changes;
    if (!changes) continue;
    for (const added of changes.added) printLine(`    + ${added.id}  ${added.text}`);
    for (const changed of changes.changed) {
      printLine(`    ~ ${changed.id}  ${changed.after}`);
      printLine(paint(terminal, 'dim', `        was: ${changed.before}`));
    }
    for (const removed of changes.removed) printLine(`    - ${removed.id}  ${removed.text}`);
    if (changes.summaryChanged) printLine('    ~ summary');
    if (changes.descriptionChanged) printLine('    ~ description');
    if (item.markedForReview.length) {
      printLine(
        paint(terminal, 'yellow', `    ${item.markedForReview.length} test case(s) marked as needing review`),
      );
    }
  }
  printLine(
    paint(
      terminal,
      'dim',
      `${counts.created} created, ${counts.changed} changed, ${counts.unchanged} unchanged in ${result.project}`,
    ),
  );
  if (counts.changed > 0) {
    printLine(
      paint(
        terminal,
        'dim',
        `Next: reqase generate --project "${result.project}" --story KEY --only-changed`,
      ),
    );
  }
}

function renderStory(details: StoryDetails, terminal: Terminal): void {
  const { story } = details;
  printLine(paint(terminal, 'bold', `${story.key}: ${story.summary}`));
  if (story.description) printLine(story.description);
  printLine();
  printLine(paint(terminal, 'bold', 'Acceptance criteria'));
  for (const criterion of story.acceptanceCriteria) {
    const cases = details.coverage[criterion.id] ?? [];
    const mark = cases.length ? paint(terminal, 'green', '✓') : paint(terminal, 'red', '✗');
    printLine(
      `  ${mark} ${criterion.id}  ${criterion.text}  ${paint(terminal, 'dim', cases.join(', ') || 'not covered')}`,
    );
  }
  if (story.outOfScope.length)
    printLine(paint(terminal, 'dim', `Out of scope: ${story.outOfScope.join('; ')}`));
  printLine();
  printLine(paint(terminal, 'bold', `Test cases (${details.testCases.length})`));
  for (const testCase of details.testCases) printLine(`  ${caseLine(testCase, terminal)}`);
  if (details.generations.length) {
    printLine(
      paint(
        terminal,
        'dim',
        `${details.generations.length} generation(s), latest ${details.generations[0]?.createdAt}`,
      ),
    );
  }
}
