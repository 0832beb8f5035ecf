import { ReqaseError } from '../shared/errors.ts';
import { cliFix } from './remedy-wording.ts';
import { paint, detectTerminal } from './terminal.ts';
import { EXIT } from './exit-codes.ts';

export { EXIT };

/**
 * Runs a command's action and turns a thrown error into a message on stderr and an exit code:
 * a `ReqaseError` prints its message and fix (exit 1, or 2 for invalid usage); anything else is a
 * bug and prints its stack.
 */
export async function runCommand(action: () => Promise<number | void>): Promise<void> {
  try {
    const code = await action();
    process.exitCode = code ?? EXIT.ok;
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

export function reportError(error: unknown, stream: NodeJS.WriteStream = process.stderr): number {
  const terminal = detectTerminal(stream);
  if (error instanceof ReqaseError) {
    stream.write(`${paint(terminal, 'red', 'Error:')} ${error.message}\n`);
    const fix = cliFix(error);
    if (fix) stream.write(`${paint(terminal, 'yellow', 'Fix:')} ${fix}\n`);
    return error.code === 'invalid_usage' ? EXIT.usage : EXIT.failure;
  }
  stream.write(
    `${paint(terminal, 'red', 'Unexpected error')} (a bug in Reqase Lite; please report it with the lines below):\n`,
  );
  stream.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.failure;
}
