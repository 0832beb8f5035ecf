import type { Command } from 'commander';
import type { JobEvent } from '../app/index.ts';
import { paint } from './terminal.ts';
import {
  exitTwoOnUsageErrors,
  parsePositiveInteger,
  printJson,
  runWorkspaceCommand,
  type JsonFlag,
} from './workspace-command.ts';

interface WorkerFlags extends JsonFlag {
  concurrency?: string;
}

/**
 * `reqase worker [--concurrency N]`: generates the stories of every active bulk job until SIGINT
 * or SIGTERM, then gives running stories back and exits. On PostgreSQL any number of workers on
 * any machines share the jobs (pg-boss); on SQLite they share the database file of this machine.
 */
export function registerWorkerCommand(program: Command): void {
  const command = program
    .command('worker')
    .description('Process bulk generation jobs until stopped (Ctrl-C or SIGTERM)')
    .option('--concurrency <n>', 'stories generated at once (default 4)')
    .option('--json', 'print one JSON event per line on stdout, and the totals at the end')
    .action(async (flags: WorkerFlags) =>
      runWorkspaceCommand(flags, async (workspace, terminal) => {
        const concurrency =
          flags.concurrency === undefined
            ? undefined
            : parsePositiveInteger(flags.concurrency, '--concurrency');
        const controller = new AbortController();
        const stop = (): void => {
          if (controller.signal.aborted) return;
          process.stderr.write('Stopping: running stories are given back to their jobs…\n');
          controller.abort('stopped');
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        const onEvent = (event: JobEvent): void => {
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(event)}\n`);
            return;
          }
          const line = describeEvent(event);
          if (line) process.stderr.write(`${line}\n`);
        };
        const database = workspace.settings.databaseUrl ? 'PostgreSQL (pg-boss)' : 'SQLite';
        process.stderr.write(
          `${paint(terminal, 'dim', `Worker on ${database}, ${concurrency ?? 4} stories at once. Ctrl-C to stop.`)}\n`,
        );
        try {
          const result = await workspace.jobs.work({
            signal: controller.signal,
            onEvent,
            ...(concurrency ? { concurrency } : {}),
          });
          if (flags.json) printJson({ stopped: true, ...result });
          else
            process.stderr.write(
              `Worker stopped: ${result.completed} stories generated, ${result.failed} failed, ${result.retried} retried, ${result.released} given back.\n`,
            );
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      }),
    );
  exitTwoOnUsageErrors(command);
}

function describeEvent(event: JobEvent): string | undefined {
  const job = event.jobId.slice(0, 8);
  switch (event.kind) {
    case 'job-start':
      return `Job ${job}: working (${event.progress.remaining} of ${event.progress.total} stories remaining).`;
    case 'job-progress':
      return `Job ${job}: ${event.done}/${event.total} done, ${event.failed} failed, ${event.remaining} remaining, ${event.tokens} tokens.`;
    case 'task-fail':
      return `Job ${job}: a story failed: ${event.error}`;
    case 'job-end':
      return `Job ${job}: ${event.status}.`;
    default:
      return undefined;
  }
}
