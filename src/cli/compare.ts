import { TestFormatSchema, type TestFormat } from '../app/index.ts';
import { Option, type Command } from 'commander';
import {
  compareEngines,
  enginesToCompare,
  providerLookup,
  storedTokenPrice,
  type Comparison,
  readStoriesFrom,
} from '../app/index.ts';
import { NotFoundError } from '../shared/errors.ts';
import { EXIT } from './run-command.ts';
import { paint, type Terminal } from './terminal.ts';
import { exitTwoOnUsageErrors, printJson, runWorkspaceCommand, type JsonFlag } from './workspace-command.ts';

interface CompareFlags extends JsonFlag {
  provider: string[];
  offline?: boolean;
  format: TestFormat;
  price: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `reqase compare STORIES --provider a --provider b --offline [--price a=IN/OUT] [--json]`. */
export function registerCompareCommand(program: Command): void {
  const command = program
    .command('compare')
    .description(
      'Run the same stories through several providers or models and the offline engine, and print one table: quality, coverage, negative and boundary cases, duplicates, findings, latency, tokens, cost',
    )
    .argument('<stories>', 'a story file, or a folder of story files')
    .option(
      '--provider <name>',
      'a stored provider (`reqase provider add`) or a preset; NAME:MODEL picks the model; repeat to compare several',
      collect,
      [],
    )
    .option('--offline', 'include the offline rules engine')
    .addOption(
      new Option('-f, --format <format>', 'layout of the test cases')
        .choices(TestFormatSchema.options)
        .default('manual'),
    )
    .option(
      '--price <name=in/out>',
      'US dollars per million input/output tokens for a provider, e.g. gpt-4o=2.5/10; repeat per provider',
      collect,
      [],
    )
    .option('--json', 'print the comparison as JSON')
    .action(async (storiesPath: string, flags: CompareFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const notices: string[] = [];
        const stories = readStoriesFrom(storiesPath, workspace.settings, notices);
        const lookup = providerLookup(async (name) => {
          try {
            return (await workspace.providers.resolveProvider(name)).config;
          } catch (error) {
            if (error instanceof NotFoundError) return undefined;
            throw error;
          }
        }, workspace.settings);
        const engines = await enginesToCompare(
          { providers: flags.provider, offline: flags.offline === true, prices: flags.price },
          lookup,
          async (name) => {
            const stored = (await workspace.providers.list()).find((provider) => provider.name === name);
            return stored && storedTokenPrice(stored);
          },
        );
        for (const notice of notices) process.stderr.write(`${paint(terminal, 'dim', `Note: ${notice}`)}\n`);
        const comparison = await compareEngines({
          stories,
          engines,
          format: flags.format,
          ...(flags.json
            ? {}
            : {
                onStoryEnd: (engine, story) =>
                  process.stderr.write(paint(terminal, 'dim', `${engine}: ${story} done\n`)),
              }),
        });
        if (flags.json) printJson(comparison);
        else process.stdout.write(`${renderComparison(comparison, terminal)}\n`);
        return EXIT.ok;
      }),
    );
  exitTwoOnUsageErrors(command);
}

/** The comparison as one aligned table, then each engine's failures. */
export function renderComparison(comparison: Comparison, terminal: Pick<Terminal, 'color'>): string {
  const header = [
    'engine',
    'score',
    'criteria',
    'cases',
    'negative',
    'boundary',
    'duplicates',
    'errors',
    'warnings',
    'repaired',
    'latency',
    'tokens',
    'cost',
  ];
  const rows = comparison.rows.map((row) => [
    row.model && row.model !== row.name && !row.name.endsWith(`:${row.model}`)
      ? `${row.name} (${row.model})`
      : row.name,
    `${row.score}/100`,
    `${row.criteria.covered}/${row.criteria.total}`,
    String(row.testCases),
    String(row.negativeCases),
    String(row.boundaryCases),
    String(row.duplicates),
    String(row.findings.error),
    String(row.findings.warning),
    String(row.repaired),
    `${(row.latencyMilliseconds / 1000).toFixed(1)} s`,
    row.engine === 'rules' ? '-' : `${row.tokens.total}${row.tokens.estimated ? '~' : ''}`,
    row.costUsd === null ? 'no price' : `$${row.costUsd.toFixed(4)}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  const lines = [paint(terminal, 'bold', line(header)), ...rows.map(line)];
  for (const row of comparison.rows)
    for (const failure of row.failures)
      lines.push(paint(terminal, 'red', `${row.name} failed on ${failure.storyKey}: ${failure.message}`));
  lines.push(
    paint(
      terminal,
      'dim',
      `${comparison.storyCount} stories, format ${comparison.format}. Cost from --price or the provider's stored price (US dollars per million tokens); ~ marks estimated tokens.`,
    ),
  );
  return lines.join('\n');
}
