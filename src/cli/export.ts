import { existsSync, statSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, parse, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ExportTargetSchema, type Workspace } from '../app/index.ts';
import { paint, type Terminal } from './terminal.ts';
import {
  collectList,
  exitTwoOnUsageErrors,
  parseStatuses,
  printJson,
  runWorkspaceCommand,
  usageError,
  type JsonFlag,
} from './workspace-command.ts';

interface ExportFlags extends JsonFlag {
  project: string;
  to: string;
  story?: string[];
  status?: string[];
  out?: string;
  jiraProject?: string;
  folder?: string;
  xrayLinkType?: string;
  xrayTags?: 'cloud' | 'server';
}

/**
 * Where a file of the export goes when `--out` names a file: the main file at `--out` itself,
 * numbered parts (`xray-tests-2.json`) as `OUT-2.json`, companions (`xray-tests-config.json`,
 * `testrail-bdd.csv`) next to it as `OUT-config.json`, `OUT-bdd.csv`.
 *
 * @example
 * fileOutputPath('/tmp/cases.json', 'xray-tests-2.json'); // '/tmp/cases-2.json'
 */
export function fileOutputPath(out: string, fileName: string): string {
  const target = parse(out);
  const file = parse(fileName);
  const numbered = /-(\d+)$/.exec(file.name);
  if (numbered) return join(target.dir, `${target.name}-${numbered[1]}${target.ext || file.ext}`);
  const companion = /-(config|bdd)$/.exec(file.name);
  if (companion) return join(target.dir, `${target.name}-${companion[1]}${file.ext}`);
  return out;
}

/** `reqase export --project P --to TARGET [--story K] [--status accepted] [--out FILE|DIR]`. */
export function registerExportCommand(program: Command): void {
  const command = program
    .command('export')
    .description(
      'Export test cases to a test management tool (Xray, Zephyr Scale, TestRail), Cucumber, CSV, Markdown or JSON',
    )
    .requiredOption('-p, --project <name>', 'the project')
    .addOption(
      new Option('--to <target>', 'the format').choices(ExportTargetSchema.options).makeOptionMandatory(),
    )
    .option('--story <keys>', 'only these stories (comma-separated or repeated)', collectList)
    .option('--status <list>', 'only these statuses (default: draft,accepted)', collectList)
    .option('--out <path>', 'a file, or a directory (required for cucumber: one .feature per story)')
    .option(
      '--jira-project <key>',
      'Jira project key for Xray and Zephyr Scale (default: the story key prefix)',
    )
    .option('--folder <name>', 'test repository folder / section (default: the project name)')
    .option(
      '--xray-link-type <name>',
      'xray-json: the issue link type to the story (default: Test, Xray Cloud; Tests on Server/Data Center)',
    )
    .addOption(
      new Option(
        '--xray-tags <edition>',
        'cucumber: tag each feature with its story for Xray (cloud: @REQ_KEY; server: @KEY, the default)',
      ).choices(['cloud', 'server']),
    )
    .option('--json', 'print a JSON summary (with the content when there is no --out)')
    .action(async (flags: ExportFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const request = exportRequest(flags);
        if (!flags.out) return exportToStandardOutput(workspace, request, flags, terminal);
        return exportToPath(workspace, request, { ...flags, out: flags.out }, terminal);
      }),
    );
  exitTwoOnUsageErrors(command);
}

type ExportRequest = Parameters<Workspace['exports']['exportCases']>[0];

function exportRequest(flags: ExportFlags): ExportRequest {
  const statuses = parseStatuses(flags.status);
  return {
    projectName: flags.project,
    target: flags.to,
    ...(flags.story?.length ? { storyKeys: flags.story } : {}),
    ...(statuses ? { statuses } : {}),
    ...(flags.jiraProject ? { jiraProjectKey: flags.jiraProject } : {}),
    ...(flags.folder ? { folder: flags.folder } : {}),
    ...(flags.xrayLinkType ? { xrayLinkType: flags.xrayLinkType } : {}),
    ...(flags.xrayTags ? { xrayTags: flags.xrayTags } : {}),
  };
}

/** Without `--out`: the first file on stdout (all of them with `--json`). */
async function exportToStandardOutput(
  workspace: Workspace,
  request: ExportRequest,
  flags: ExportFlags,
  terminal: Terminal,
): Promise<void> {
  if (flags.to === 'cucumber' && !flags.json) {
    throw usageError(
      'Cucumber export writes one .feature file per story.',
      'Give a directory with --out, e.g. --out features/.',
    );
  }
  const result = await workspace.exports.exportCases(request);
  printWarnings(result.warnings, terminal);
  if (flags.json) return printJson(result);
  if (result.files.length > 1) {
    process.stderr.write(
      `${paint(terminal, 'yellow', 'Warning:')} this export has ${result.files.length} files (${result.files.map((file) => file.name).join(', ')}); only the first is printed. Give --out FILE or --out DIRECTORY to write them all.\n`,
    );
  }
  process.stdout.write(result.files[0]?.content ?? '');
}

/** With `--out`: the files written to a file (numbered parts next to it) or into a directory. */
async function exportToPath(
  workspace: Workspace,
  request: ExportRequest,
  flags: ExportFlags & { out: string },
  terminal: Terminal,
): Promise<void> {
  const out = resolve(process.cwd(), flags.out);
  const toDirectory =
    flags.to === 'cucumber' || flags.out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory());
  const paths: string[] = [];
  const summary = await workspace.exports.exportCasesTo(request, async (file, append) => {
    const path = toDirectory ? join(out, file.name) : fileOutputPath(out, file.name);
    if (!append) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content);
      paths.push(path);
    } else {
      await appendFile(path, file.content);
    }
  });
  printWarnings(summary.warnings, terminal);
  if (flags.json) return printJson({ ...summary, paths });
  process.stderr.write(
    `Exported ${summary.testCaseCount} test case(s) of ${summary.storyCount} story(ies) to ${paths.length === 1 ? paths[0] : `${paths.length} files in ${out}`}.\n`,
  );
}

function printWarnings(warnings: readonly string[], terminal: Terminal): void {
  for (const warning of warnings)
    process.stderr.write(`${paint(terminal, 'yellow', 'Warning:')} ${warning}\n`);
}
