import type { Command } from 'commander';
import { scoreCasesFile, scoreStoredProject, resolveSettings } from '../app/index.ts';
import { renderQualityReport } from './render-quality.ts';
import { EXIT, runCommand } from './run-command.ts';
import { detectTerminal, paint } from './terminal.ts';
import {
  collectList,
  exitTwoOnUsageErrors,
  printJson,
  runWorkspaceCommand,
  usageError,
  type JsonFlag,
} from './workspace-command.ts';

interface ScoreFlags extends JsonFlag {
  storyFile?: string;
  project?: string;
  story?: string[];
}

/**
 * `reqase score CASES.json [--story-file F]` or `reqase score --project P`: the quality score of
 * existing test cases (generated, exported, or written by hand) against their stories.
 */
export function registerScoreCommand(program: Command): void {
  const command = program
    .command('score')
    .description(
      'Score existing test cases against their stories: a `generate --json` output, a JSON export, hand-written cases, or a project',
    )
    .argument(
      '[cases-file]',
      'JSON from `reqase generate --json`, `reqase export --to json`, or an array of cases',
    )
    .option(
      '--story-file <path>',
      'the stories to score against (a file or a folder); default: those in the cases file',
    )
    .option('-p, --project <name>', 'score the stored cases (draft and accepted) of this project')
    .option('--story <keys>', 'with --project: only these stories', collectList)
    .option('--json', 'print the report as JSON')
    .action(async (casesFile: string | undefined, flags: ScoreFlags) => {
      if (flags.project !== undefined) {
        if (casesFile !== undefined) {
          await runCommand(async () => {
            throw usageError(
              'Give either a cases file or --project, not both.',
              'Run `reqase score FILE` or `reqase score --project P`.',
            );
          });
          return;
        }
        await runWorkspaceCommand(flags, async (workspace, terminal) => {
          const report = await scoreStoredProject(workspace, flags.project!, flags.story);
          if (flags.json) printJson(report);
          else
            process.stdout.write(`${renderQualityReport(report, terminal, `Project ${report.project}`)}\n`);
          return EXIT.ok;
        });
        return;
      }
      await runCommand(async () => {
        if (casesFile === undefined) {
          throw usageError(
            'Nothing to score: give a cases file or --project.',
            'Run `reqase score cases.json` (from `reqase generate --json --out cases.json`) or `reqase score --project P`.',
          );
        }
        const settings = resolveSettings();
        const report = scoreCasesFile(
          { casesPath: casesFile, ...(flags.storyFile ? { storyFile: flags.storyFile } : {}) },
          settings,
        );
        const terminal = detectTerminal();
        for (const notice of report.notices)
          process.stderr.write(`${paint(terminal, 'dim', `Note: ${notice}`)}\n`);
        if (flags.json) printJson(report);
        else process.stdout.write(`${renderQualityReport(report, terminal)}\n`);
        return EXIT.ok;
      });
    });
  exitTwoOnUsageErrors(command);
}
