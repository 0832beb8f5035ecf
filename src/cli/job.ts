import type { TestFormat } from '../app/index.ts';
import type { Command } from 'commander';
import type { JobDetails, JobRunResult, JobView, StartJobInput, Workspace, JobEvent } from '../app/index.ts';
import { InvalidInputError, NotFoundError } from '../shared/errors.ts';
import { cliActor } from './case-history.ts';
import { EXIT } from './run-command.ts';
import { paint, type Terminal } from './terminal.ts';
import {
  collectList,
  exitTwoOnUsageErrors,
  parsePositiveInteger,
  printJson,
  printLine,
  runWorkspaceCommand,
  usageError,
  type JsonFlag,
} from './workspace-command.ts';

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** The flags of `reqase generate --project P --all|--stories …`, as commander parses them in generate.ts. */
export interface BulkGenerateFlags extends JsonFlag {
  project: string;
  all?: boolean;
  stories?: string[];
  format?: string;
  offline?: boolean;
  provider?: string;
  /** Another model of the provider, for every story of the job. */
  model?: string;
  context?: string;
  count?: string;
  kinds?: string;
  language?: string;
  onlyChanged?: boolean;
  /** Generate again for stories already covered (bulk skips them by default). */
  regenerate?: boolean;
  fillGaps?: boolean;
  budgetCases?: string;
  budgetTokens?: string;
  detach?: boolean;
}

/**
 * `reqase generate --project P --all|--stories KEY,…`: creates a durable bulk job and, unless
 * `--detach`, runs it here with a progress line on stderr. Sets the exit code; never throws.
 */
export async function runBulkGeneration(flags: BulkGenerateFlags): Promise<void> {
  await runWorkspaceCommand(flags, async (workspace, terminal) => {
    const input: StartJobInput = {
      projectName: flags.project,
      ...(flags.all ? { all: true } : {}),
      ...(flags.stories?.length ? { storyKeys: flags.stories } : {}),
      options: {
        ...(flags.format ? { format: flags.format as TestFormat } : {}),
        ...(flags.offline ? { offline: true } : {}),
        ...(flags.provider ? { provider: flags.provider } : {}),
        ...(flags.model ? { model: flags.model } : {}),
        ...(flags.context ? { additionalContext: flags.context } : {}),
        ...(flags.count ? { count: flags.count } : {}),
        ...(flags.kinds ? { kinds: flags.kinds } : {}),
        ...(flags.language ? { language: flags.language } : {}),
        ...(flags.regenerate ? { onlyChanged: false } : flags.onlyChanged ? { onlyChanged: true } : {}),
        ...(flags.fillGaps === false ? { fillGaps: false } : {}),
        actor: cliActor(),
      },
      budget: {
        ...(flags.budgetCases
          ? { maxTestCases: parsePositiveInteger(flags.budgetCases, '--budget-cases') }
          : {}),
        ...(flags.budgetTokens
          ? { maxTokens: parsePositiveInteger(flags.budgetTokens, '--budget-tokens') }
          : {}),
      },
    };
    const job = await workspace.jobs.start(input);
    if (!flags.json) {
      for (const notice of job.notices)
        process.stderr.write(`${paint(terminal, 'dim', `Note: ${notice}`)}\n`);
      process.stderr.write(`${paint(terminal, 'dim', `Engine: ${job.engine.description}`)}\n`);
      process.stderr.write(`Job ${job.id}: ${job.progress.total} stories of project ${job.project}.\n`);
    }
    if (flags.detach) {
      if (flags.json) return printJson(job);
      printLine(`Created job ${job.id} with ${job.progress.total} stories; nothing runs yet.`);
      printLine(
        paint(
          terminal,
          'dim',
          `Run it with \`reqase worker\` (any number of them), or here with \`reqase job resume ${job.id}\`.`,
        ),
      );
      return;
    }
    return runWithProgress(workspace, job.id, flags, terminal, 'run');
  });
}

/**
 * Runs a job in this process with a live progress line on stderr. The first Ctrl-C stops taking
 * stories and gives the running ones back (the job stays resumable); a second one exits at once.
 */
async function runWithProgress(
  workspace: Workspace,
  jobId: string,
  flags: JsonFlag,
  terminal: Terminal,
  mode: 'run' | 'resume',
): Promise<number> {
  const stderrTerminal = { interactive: Boolean(process.stderr.isTTY), color: terminal.color };
  const details = await workspace.jobs.show(jobId);
  const storyKeys = new Map(details.tasks.map((task) => [task.id, task.storyKey]));
  const controller = new AbortController();
  let interrupts = 0;
  const interrupt = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
    clearLine();
    process.stderr.write(
      'Stopping: no new story is taken and running ones are given back (Ctrl-C again to quit at once)…\n',
    );
    controller.abort('interrupted');
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  let shown = false;
  const clearLine = (): void => {
    if (shown && stderrTerminal.interactive) process.stderr.write('\r\u001b[2K');
    shown = false;
  };
  const showProgress = (line: string): void => {
    if (flags.json) return;
    if (stderrTerminal.interactive) {
      process.stderr.write(`\r\u001b[2K${line}`);
      shown = true;
    } else {
      process.stderr.write(`${line}\n`);
    }
  };
  const onEvent = (event: JobEvent): void => {
    if (flags.json) return;
    if (event.kind === 'job-progress') {
      showProgress(progressLine(jobId, event, stderrTerminal));
    } else if (event.kind === 'task-fail') {
      clearLine();
      process.stderr.write(
        `${paint(stderrTerminal, 'red', 'Failed:')} ${storyKeys.get(event.taskId) ?? event.storyId}: ${event.error}\n`,
      );
    } else if (event.kind === 'task-retry') {
      clearLine();
      process.stderr.write(
        `${paint(stderrTerminal, 'yellow', 'Retrying')} ${storyKeys.get(event.taskId) ?? event.storyId} in ${Math.ceil(event.delayMilliseconds / 1000)}s: ${event.error}\n`,
      );
    } else if (event.kind === 'job-start') {
      showProgress(progressLine(jobId, event.progress, stderrTerminal));
    }
  };
  let result: JobRunResult;
  try {
    result =
      mode === 'resume'
        ? await workspace.jobs.resume(jobId, { signal: controller.signal, onEvent })
        : await workspace.jobs.run(jobId, { signal: controller.signal, onEvent });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    clearLine();
  }
  if (flags.json) {
    printJson({ ...(await workspace.jobs.show(jobId)), stopped: result.reason === 'stopped' });
  } else {
    const skipped = (await workspace.jobs.show(jobId)).tasks.filter((task) => task.skipped !== null).length;
    renderRunEnd(result, skipped, terminal);
  }
  if (result.reason === 'stopped') return EXIT_INTERRUPTED;
  return exitCodeOf(result.job);
}

function progressLine(
  jobId: string,
  progress: {
    done: number;
    failed: number;
    remaining: number;
    total: number;
    tokens: number;
    testCases: number;
  },
  terminal: Pick<Terminal, 'color'>,
): string {
  const failed = progress.failed ? paint(terminal, 'red', `${progress.failed} failed`) : '0 failed';
  return `Job ${jobId.slice(0, 8)}: ${progress.done}/${progress.total} done, ${failed}, ${progress.remaining} remaining, ${progress.testCases} test cases, ${progress.tokens} tokens`;
}

/** 0 when every story was generated (or the budget stopped the job as asked); 1 otherwise. */
function exitCodeOf(job: JobView): number {
  if (job.status === 'budget-exhausted') return EXIT.ok;
  if (job.status === 'completed' && job.progress.failed === 0) return EXIT.ok;
  return EXIT.failure;
}

/** `skipped`: stories of the job left out because they were already covered. */
function renderRunEnd(result: JobRunResult, skipped: number, terminal: Terminal): void {
  const { job } = result;
  const { progress } = job;
  const counts = `${progress.done} done, ${progress.failed} failed, ${progress.remaining} remaining, ${progress.testCases} test cases, ${progress.tokens} tokens`;
  if (result.reason !== 'stopped' && skipped > 0 && skipped === progress.total) {
    printLine(
      `Job ${job.id} skipped: already covered (use --regenerate): every criterion of the ${skipped === 1 ? 'story' : `${skipped} stories`} already has an up-to-date test case, so nothing was generated.`,
    );
    return;
  }
  if (result.reason === 'stopped') {
    printLine(`Stopped job ${job.id}: ${counts}.`);
    printLine(
      paint(
        terminal,
        'dim',
        `Nothing was lost: resume it with \`reqase job resume ${job.id}\`, or let a \`reqase worker\` finish it.`,
      ),
    );
    return;
  }
  const status =
    job.status === 'completed' && progress.failed === 0
      ? paint(terminal, 'green', job.status)
      : paint(terminal, job.status === 'budget-exhausted' ? 'yellow' : 'red', job.status);
  const skippedNote = skipped > 0 ? `; ${skipped} skipped: already covered (use --regenerate)` : '';
  printLine(`Job ${job.id} ${status}: ${counts}${skippedNote}.`);
  if (job.error) printLine(job.error);
  if (progress.failed > 0) printLine(paint(terminal, 'dim', `See why with \`reqase job show ${job.id}\`.`));
  if (progress.testCases > 0) {
    printLine(
      paint(terminal, 'dim', `Review the drafts with \`reqase case list --project "${job.project}"\`.`),
    );
  }
}

function jobLine(job: JobView, terminal: Terminal): string {
  const { progress } = job;
  const status =
    job.status === 'completed' && progress.failed === 0
      ? paint(terminal, 'green', job.status)
      : ['failed', 'cancelled'].includes(job.status) || progress.failed > 0
        ? paint(terminal, 'red', job.status)
        : paint(terminal, 'yellow', job.status);
  return `${job.id}  [${status}]  ${job.project}  ${progress.done}/${progress.total} done, ${progress.failed} failed, ${progress.remaining} remaining, ${progress.testCases} test cases, ${progress.tokens} tokens  ${paint(terminal, 'dim', job.createdAt)}`;
}

/** The provider and model every story of the job asks. */
function engineLine(job: JobView): string {
  if (job.options.offline === true) return 'Engine: offline rules engine';
  const provider = job.provider ?? 'the project default';
  return `Engine: ${job.model ? `model ${job.model} of provider ${provider}` : `provider ${provider}`}`;
}

function renderDetails(job: JobDetails, terminal: Terminal): void {
  printLine(jobLine(job, terminal));
  printLine(engineLine(job));
  if (job.error) printLine(job.error);
  printLine();
  for (const task of job.tasks) {
    const status =
      task.status === 'done'
        ? paint(terminal, 'green', 'done')
        : task.status === 'failed'
          ? paint(terminal, 'red', 'failed')
          : paint(terminal, 'dim', task.status);
    const result =
      task.skipped !== null
        ? `  skipped: already covered (use --regenerate)`
        : task.status === 'done'
          ? `  ${task.testCaseCount} test cases, ${task.tokensUsed} tokens`
          : '';
    const error =
      task.lastError && task.status !== 'done' ? `  ${paint(terminal, 'dim', task.lastError)}` : '';
    printLine(`${task.storyKey}  [${status}]  attempts ${task.attempts}${result}${error}`);
  }
}

/** Statuses after which a job takes no more stories. */
const FINISHED_STATUSES: ReadonlySet<JobView['status']> = new Set([
  'completed',
  'failed',
  'cancelled',
  'budget-exhausted',
]);

/**
 * The full id of the job an id or id prefix names: every form the tool prints works (the full id
 * in `job list`, the first eight characters in progress lines). An unknown or ambiguous prefix is
 * an error that says which jobs it could mean.
 */
export async function resolveJobId(workspace: Workspace, idOrPrefix: string): Promise<string> {
  const wanted = idOrPrefix.trim().toLowerCase();
  const jobs = await workspace.jobs.list();
  const exact = jobs.find((job) => job.id.toLowerCase() === wanted);
  if (exact) return exact.id;
  const matches = wanted === '' ? [] : jobs.filter((job) => job.id.toLowerCase().startsWith(wanted));
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) {
    throw new NotFoundError(`There is no job with id ${idOrPrefix}.`, {
      fix: 'List jobs with `reqase job list`; the full id or any unique beginning of it works.',
    });
  }
  throw new InvalidInputError(
    `The id ${idOrPrefix} is ambiguous: it begins ${matches.length} jobs (${matches.map((job) => job.id).join(', ')}).`,
    { fix: 'Give more characters of the id (see `reqase job list`).' },
  );
}

interface JobListFlags extends JsonFlag {
  project?: string;
}

/** `reqase job list|show|cancel|resume`. */
export function registerJobCommand(program: Command): void {
  const job = program.command('job').description('Follow, cancel and resume bulk generation jobs');

  job
    .command('list')
    .description('List jobs, newest first')
    .option('--project <name>', 'only the jobs of this project')
    .option('--json', 'print JSON')
    .action(async (flags: JobListFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const jobs = await workspace.jobs.list(flags.project);
        if (flags.json) return printJson({ jobs });
        if (jobs.length === 0) {
          printLine('No jobs yet. Start one with `reqase generate --project P --all`.');
          return;
        }
        for (const item of jobs) printLine(jobLine(item, terminal));
      }),
    );

  job
    .command('show')
    .description('Show a job with the status of each story')
    .argument('<id>', 'the job id (from `reqase job list`)')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: JsonFlag) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const details = await workspace.jobs.show(await resolveJobId(workspace, id));
        if (flags.json) return printJson(details);
        renderDetails(details, terminal);
      }),
    );

  job
    .command('cancel')
    .description('Cancel a job: no further story is generated; what is stored stays')
    .argument('<id>', 'the job id')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: JsonFlag) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const jobId = await resolveJobId(workspace, id);
        const before = await workspace.jobs.get(jobId);
        if (FINISHED_STATUSES.has(before.status)) {
          if (flags.json) printJson(before);
          else printLine(jobLine(before, terminal));
          throw new InvalidInputError(
            `Job ${before.id} had already finished (${before.status}); there is nothing to cancel.`,
            {
              fix: `See its stories with \`reqase job show ${before.id.slice(0, 8)}\`; start a new run with \`reqase generate --project "${before.project}" --all\`.`,
            },
          );
        }
        const cancelled = await workspace.jobs.cancel(jobId);
        if (flags.json) return printJson(cancelled);
        printLine(jobLine(cancelled, terminal));
        if (cancelled.status === 'cancelled') {
          printLine(paint(terminal, 'dim', `Resume it later with \`reqase job resume ${cancelled.id}\`.`));
        }
      }),
    );

  job
    .command('resume')
    .description('Run an interrupted or cancelled job here until it is finished')
    .argument('<id>', 'the job id')
    .option('--json', 'print the final job as JSON')
    .action(async (id: string, flags: JsonFlag) =>
      runWorkspaceCommand(flags, async (workspace, terminal) =>
        runWithProgress(workspace, await resolveJobId(workspace, id), flags, terminal, 'resume'),
      ),
    );

  exitTwoOnUsageErrors(job);
}

/** Parses `--stories KEY1,KEY2` (repeatable). */
export const parseStoryKeys = collectList;

/** Checks the bulk flags against each other; a mismatch is a usage error (exit 2). */
export function checkBulkFlags(flags: { all?: boolean; stories?: string[]; story?: string }): void {
  if (flags.all && flags.stories?.length) {
    throw usageError(
      'Give either --all or --stories, not both.',
      'Use --all for every story, or --stories KEY1,KEY2.',
    );
  }
  if ((flags.all || flags.stories?.length) && flags.story) {
    throw usageError(
      '--story generates one story now; --all and --stories start a bulk job.',
      'Use --story KEY alone, or --stories KEY1,KEY2 for a job.',
    );
  }
}
