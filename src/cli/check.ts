/**
 * `reqase check`: tests an OpenAI-compatible endpoint against the contract and prints what to fix.
 * Exit code 0 when compatible, 1 when not, 2 for wrong usage.
 */
import type { Command } from 'commander';
import {
  PROVIDER_PRESETS,
  checkEndpoint,
  renderCheckReport,
  type CheckReport,
  type ParseTestCases,
} from '../app/index.ts';
import { ReqaseError } from '../shared/errors.ts';
import { cliFix, cliRemedyWording } from './remedy-wording.ts';
import { redactSecrets } from '../shared/secrets.ts';

/** Default bound of each request of the check, in seconds (`--timeout`). */
export const defaultCheckTimeoutSeconds = 30;

export interface CheckCommandDependencies {
  /** The environment, for REQASE_* and OPENAI_* variables and NO_COLOR. Default `process.env`. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where to look for the config file. Default `process.cwd()`. */
  cwd: string;
  /** Where the report goes; colour only when `isTTY` and NO_COLOR is unset. Default `process.stdout`. */
  stdout: { write(text: string): unknown; isTTY?: boolean };
  /** Notices and errors. Default `process.stderr`. */
  stderr: { write(text: string): unknown };
  /** Injected `fetch` for the checks. Default: the global one. */
  fetch?: typeof fetch;
  /** Core's answer parser, for the `test-generation` check (skipped without it). */
  parseTestCases?: ParseTestCases;
  /** Told every finished report (the app remembers the structured-output mode it found). */
  onReport?: (report: CheckReport) => void;
  /** Sets the exit code once the command is done. Default: `process.exitCode = code`. */
  setExitCode: (code: number) => void;
  /** Ends the process at once (wrong usage found by the argument parser). Default `process.exit`. */
  exit: (code: number) => void;
}

interface CheckFlags {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  provider?: string;
  timeout?: string;
  json?: boolean;
}

/**
 * Adds `reqase check` to the program.
 *
 * @example registerCheckCommand(program) // in buildProgram()
 */
export function registerCheckCommand(
  program: Command,
  dependencies: Partial<CheckCommandDependencies> = {},
): Command {
  const resolved: CheckCommandDependencies = {
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    setExitCode: (code) => {
      process.exitCode = code;
    },
    exit: (code) => process.exit(code),
    ...dependencies,
  };
  const command = program
    .command('check')
    .description('Test an OpenAI-compatible endpoint against the contract and say exactly what to fix.')
    .option(
      '--base-url <url>',
      'base URL of the endpoint, e.g. http://localhost:8000/v1 (env REQASE_BASE_URL)',
    )
    .option(
      '--api-key <key>',
      'API key, sent as Authorization: Bearer (env REQASE_API_KEY or OPENAI_API_KEY)',
    )
    .option('--model <name>', 'model name as the endpoint knows it (env REQASE_MODEL)')
    .option(
      '--provider <name>',
      `a preset: ${Object.keys(PROVIDER_PRESETS).join(', ')} (env REQASE_PROVIDER)`,
    )
    .option(
      '--timeout <seconds>',
      `bound of each request, in seconds (default ${defaultCheckTimeoutSeconds})`,
    )
    .option('--json', 'print the report as JSON')
    .configureOutput({
      writeOut: (text) => resolved.stdout.write(text),
      writeErr: (text) => resolved.stderr.write(text),
    })
    // Wrong usage exits with 2 (commander's own default is 1, which means "not compatible" here).
    .exitOverride((error) => resolved.exit(error.exitCode === 0 ? 0 : 2))
    .action(async (flags: CheckFlags) => {
      resolved.setExitCode(await runCheckCommand(flags, resolved));
    });
  return command;
}

/** Runs the check for parsed flags; returns the exit code. */
async function runCheckCommand(flags: CheckFlags, dependencies: CheckCommandDependencies): Promise<number> {
  const { env } = dependencies;
  const secrets = [flags.apiKey, env.REQASE_API_KEY, env.OPENAI_API_KEY];
  const write = (stream: { write(text: string): unknown }, text: string): void => {
    stream.write(redactSecrets(text, secrets));
  };
  const usage = (message: string, fix: string): number => {
    write(dependencies.stderr, `${message}\nFix: ${fix}\n`);
    return 2;
  };

  const timeoutSeconds = flags.timeout === undefined ? defaultCheckTimeoutSeconds : Number(flags.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    return usage(
      `--timeout must be a positive number of seconds, got "${flags.timeout}".`,
      'Give e.g. --timeout 30.',
    );
  }

  let outcome;
  try {
    outcome = await checkEndpoint({
      ...(flags.provider === undefined ? {} : { preset: flags.provider }),
      ...(flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl }),
      ...(flags.apiKey === undefined ? {} : { apiKey: flags.apiKey }),
      ...(flags.model === undefined ? {} : { model: flags.model }),
      timeoutMilliseconds: Math.round(timeoutSeconds * 1000),
      environment: { env, cwd: dependencies.cwd },
      ...(dependencies.fetch ? { fetch: dependencies.fetch } : {}),
      ...(dependencies.parseTestCases ? { parseTestCases: dependencies.parseTestCases } : {}),
      onResolved: (notices, resolvedSecrets) => {
        secrets.push(...resolvedSecrets);
        for (const notice of notices) write(dependencies.stderr, `note: ${notice}\n`);
      },
    });
  } catch (error) {
    if (error instanceof ReqaseError) {
      const fix = cliFix(error);
      write(dependencies.stderr, fix ? `${error.message}\nFix: ${fix}\n` : `${error.message}\n`);
      return error.code === 'configuration' ? 2 : 1;
    }
    throw error;
  }
  if (outcome.kind === 'invalid-settings') {
    return usage(outcome.error.message, cliFix(outcome.error) ?? 'Check the flags and environment.');
  }
  if (outcome.kind === 'nothing-to-check') {
    return usage(
      'Nothing to check: no endpoint is configured.',
      'Give --base-url URL and --model NAME (or set REQASE_BASE_URL and REQASE_MODEL; OPENAI_BASE_URL also works), or --provider NAME for a preset; add --api-key KEY (or REQASE_API_KEY) when the endpoint needs one.',
    );
  }
  const report = outcome.report;
  dependencies.onReport?.(report);
  if (flags.json) {
    write(dependencies.stdout, `${JSON.stringify(report, null, 2)}\n`);
  } else {
    const color = dependencies.stdout.isTTY === true && !dependencies.env.NO_COLOR;
    write(dependencies.stdout, renderCheckReport(report, { color, wording: cliRemedyWording }));
  }
  return report.compatible ? 0 : 1;
}
