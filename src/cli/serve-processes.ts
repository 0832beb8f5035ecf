/**
 * `reqase serve --processes N`: N server processes on one port (node:cluster; the primary hands
 * each new connection to the next process), so a machine with several cores answers with all of
 * them. They share the database (SQLite's WAL lets their reads run side by side; a write waits
 * for the one before it) and tell each other about job runs through the primary (process job bus).
 * The primary serves nothing itself: it starts the processes, says where they serve once all
 * listen, passes Ctrl+C and SIGTERM on, and stops them all when one of them fails.
 */
import cluster, { type Worker } from 'node:cluster';
import { relayJobBus, SERVE_PROCESS_VARIABLE } from '../app/index.ts';
import { ConfigurationError } from '../shared/errors.ts';

/** The message a server process sends the primary once it listens. */
export interface ListeningMessage {
  reqaseServeListening: string;
}

/** True in a server process the primary started. */
export function isServeProcess(): boolean {
  return cluster.isWorker && process.env[SERVE_PROCESS_VARIABLE] === '1';
}

/** In a server process: tells the primary where it listens. */
export function reportListening(url: string): void {
  process.send?.({ reqaseServeListening: url } satisfies ListeningMessage);
}

function isListening(message: unknown): message is ListeningMessage {
  return typeof message === 'object' && message !== null && 'reqaseServeListening' in message;
}

/**
 * Starts `processes` server processes running this same command, waits until every one listens
 * (rejecting if one ends first), calls `onListening` with the URL, and resolves once all have ended
 * with the command's exit code: 0 after SIGINT or SIGTERM, 1 when a process ended on its own (the
 * others are stopped then).
 */
export async function runServeProcesses(options: {
  processes: number;
  onListening: (url: string) => void;
}): Promise<number> {
  const workers: Worker[] = [];
  const others = () => workers;
  let stopping = false;
  let signalled = false;
  let failed = false;
  const stopAll = (signal: NodeJS.Signals = 'SIGTERM') => {
    stopping = true;
    for (const worker of workers) if (!worker.isDead()) worker.process.kill(signal);
  };
  const ended: Array<Promise<void>> = [];
  const listening: Array<Promise<string>> = [];
  for (let index = 0; index < options.processes; index += 1) {
    const worker = cluster.fork({ [SERVE_PROCESS_VARIABLE]: '1' });
    workers.push(worker);
    const stopRelaying = relayJobBus(worker, others);
    listening.push(
      new Promise<string>((resolve, reject) => {
        worker.on('message', (message: unknown) => {
          if (isListening(message)) resolve(message.reqaseServeListening);
        });
        worker.once('exit', (code, signal) =>
          reject(
            new ConfigurationError(
              `A server process ended before it listened (${signal ?? `exit code ${code}`}).`,
              { fix: 'Its error is above: fix what it says, then start the server again.' },
            ),
          ),
        );
      }),
    );
    ended.push(
      new Promise<void>((resolve) =>
        worker.once('exit', (code, signal) => {
          stopRelaying();
          if (!stopping) {
            process.stderr.write(
              `A server process ended (${signal ?? `exit code ${code}`}); stopping the others. ` +
                'Its own error, if it wrote one, is above; start the server again once that is fixed.\n',
            );
            failed = true;
            stopAll();
          }
          resolve();
        }),
      ),
    );
  }
  const onSignal = (signal: NodeJS.Signals) => {
    signalled = true;
    stopAll(signal === 'SIGINT' ? 'SIGTERM' : signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const urls = await Promise.all(listening);
    options.onListening(urls[0]!);
  } catch (error) {
    stopAll();
    // Stopped with Ctrl+C or SIGTERM before every process listened: not a failure to report.
    if (!signalled) throw error;
  } finally {
    // Until every process has ended, a stop signal is passed on, also after a failed start.
    await Promise.all(ended);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return failed ? 1 : 0;
}
