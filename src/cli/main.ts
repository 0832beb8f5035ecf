import { Command } from 'commander';
import { createRequire } from 'node:module';
import { parseCheckTestCases } from '../app/check-endpoint.ts';
import { registerCaseCommand } from './case.ts';
import { registerCheckCommand } from './check.ts';
import { registerExportCommand } from './export.ts';
import { registerGenerateCommand } from './generate.ts';
import { registerProjectCommand } from './project.ts';
import { registerProviderCommand } from './provider.ts';
import { registerServeCommand } from './serve.ts';
import { registerStoryCommand } from './story.ts';
import { registerTokenCommand } from './token.ts';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

/** Builds the `reqase` command line. Each command lives in its own file and calls into app/. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('reqase')
    .description('Turn user stories into structured, reviewable test cases with your own model, or offline.')
    .version(version);
  registerGenerateCommand(program);
  registerCheckCommand(program, { parseTestCases: parseCheckTestCases });
  registerServeCommand(program);
  registerTokenCommand(program);
  registerProjectCommand(program);
  registerStoryCommand(program);
  registerCaseCommand(program);
  registerExportCommand(program);
  registerProviderCommand(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
