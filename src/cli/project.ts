import { TestFormatSchema } from '../app/index.ts';
import { Option, type Command } from 'commander';
import type { ProjectView } from '../app/index.ts';
import { paint, type Terminal } from './terminal.ts';
import {
  exitTwoOnUsageErrors,
  printJson,
  printLine,
  runWorkspaceCommand,
  usageError,
  type JsonFlag,
} from './workspace-command.ts';

interface ProjectFlags extends JsonFlag {
  format?: string;
  rules?: string;
  rulesFile?: string;
  provider?: string | false;
  name?: string;
  yes?: boolean;
}

const formatOption = () =>
  new Option('-f, --format <format>', 'default layout of the test cases').choices(TestFormatSchema.options);

/** `reqase project create|list|show|update|remove`. */
export function registerProjectCommand(program: Command): void {
  const project = program
    .command('project')
    .description('Create and manage projects (stories, test cases and rules live in a project)');

  registerCreate(project);
  registerList(project);
  registerShow(project);
  registerUpdate(project);
  registerRemove(project);
  exitTwoOnUsageErrors(project);
}

function registerCreate(project: Command): void {
  project
    .command('create')
    .description('Create a project')
    .argument('<name>', 'the project name, unique in the workspace')
    .addOption(formatOption().default('manual'))
    .option('--rules <text>', "the team's test case rules (naming, structure, terminology)")
    .option('--rules-file <file>', 'read the test case rules from this file')
    .option('--provider <name>', 'default provider (added with `reqase provider add`)')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ProjectFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const created = await workspace.projects.create({
          name,
          ...(flags.format ? { defaultFormat: flags.format } : {}),
          ...(flags.rules !== undefined ? { testCaseRules: flags.rules } : {}),
          ...(flags.rulesFile ? { testCaseRulesFile: flags.rulesFile } : {}),
          ...(typeof flags.provider === 'string' ? { defaultProvider: flags.provider } : {}),
        });
        if (flags.json) return printJson(created);
        printLine(`Created project ${paint(terminal, 'bold', created.name)} (${created.defaultFormat}).`);
        printLine(paint(terminal, 'dim', `Next: reqase story import FILE --project "${created.name}"`));
      }),
    );
}

function registerList(project: Command): void {
  project
    .command('list')
    .description('List projects')
    .option('--json', 'print JSON')
    .action(async (flags: ProjectFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const projects = await workspace.projects.list();
        if (flags.json) return printJson(projects);
        if (projects.length === 0)
          return printLine('No projects yet. Create one with `reqase project create NAME`.');
        for (const item of projects) printLine(projectLine(item, terminal));
      }),
    );
}

function registerShow(project: Command): void {
  project
    .command('show')
    .description('Show a project with its counts')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ProjectFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const details = await workspace.projects.show(name);
        if (flags.json) return printJson(details);
        printLine(projectLine(details, terminal));
        printLine(`  Stories: ${details.storyCount}`);
        const counts = details.testCases;
        printLine(
          `  Test cases: ${counts.total} (${counts.draft} draft, ${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.needsReview} need review)`,
        );
        if (details.testCaseRules.trim()) {
          printLine('  Test case rules:');
          for (const line of details.testCaseRules.trimEnd().split('\n')) printLine(`    ${line}`);
        }
      }),
    );
}

function registerUpdate(project: Command): void {
  project
    .command('update')
    .description('Change a project: name, default format, rules, default provider')
    .argument('<name>')
    .option('--name <new-name>', 'rename the project')
    .addOption(formatOption())
    .option('--rules <text>', 'replace the test case rules')
    .option('--rules-file <file>', 'replace the test case rules with this file')
    .option('--provider <name>', 'set the default provider')
    .option('--no-provider', 'clear the default provider')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ProjectFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const updated = await workspace.projects.update(name, {
          ...(flags.name ? { name: flags.name } : {}),
          ...(flags.format ? { defaultFormat: flags.format } : {}),
          ...(flags.rules !== undefined ? { testCaseRules: flags.rules } : {}),
          ...(flags.rulesFile ? { testCaseRulesFile: flags.rulesFile } : {}),
          ...(flags.provider === false
            ? { defaultProvider: null }
            : typeof flags.provider === 'string'
              ? { defaultProvider: flags.provider }
              : {}),
        });
        if (flags.json) return printJson(updated);
        printLine(`Updated: ${projectLine(updated, terminal)}`);
      }),
    );
}

function registerRemove(project: Command): void {
  project
    .command('remove')
    .description('Remove a project with its stories, test cases, generations and jobs')
    .argument('<name>')
    .option('--yes', 'confirm: everything in the project is deleted')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: ProjectFlags) =>
      runWorkspaceCommand(flags, async (workspace) => {
        if (!flags.yes) {
          throw usageError(
            `Removing project "${name}" deletes its stories, test cases, generations and jobs.`,
            `Run again with --yes to confirm: reqase project remove "${name}" --yes`,
          );
        }
        await workspace.projects.remove(name);
        if (flags.json) return printJson({ removed: name });
        printLine(`Removed project ${name}.`);
      }),
    );
}

function projectLine(project: ProjectView, terminal: Terminal): string {
  const provider = project.defaultProvider ? `provider ${project.defaultProvider}` : 'no default provider';
  return `${paint(terminal, 'bold', project.name)}  ${project.defaultFormat}  ${paint(terminal, 'dim', provider)}`;
}
