/**
 * The one way the CLI's file options are read (story files, `--rules`, `--rules-file`, `--patch`,
 * and `-` for standard input): a regular file up to a limit, or standard input stopped at it.
 * Devices (`/dev/zero`), FIFOs, sockets and directories are refused before a byte is read, and a
 * file over the limit is refused from its size alone, so nothing grows without bound.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidInputError } from '../shared/errors.ts';

/** Largest file of test case rules (`--rules`, `--rules-file`): the API takes 50,000 characters. */
export const MAX_RULES_FILE_BYTES = 256 * 1024;

/** Largest test case patch (`reqase case edit --patch`). */
export const MAX_PATCH_FILE_BYTES = 1024 * 1024;

export interface ReadInputOptions {
  /** What the file is, for messages: "story file", "rules file". */
  what: string;
  /** Largest accepted input, in bytes. */
  maxBytes: number;
  /** Where relative paths start. */
  cwd: string;
  /**
   * Read for the path `-`. Default: none, and `-` is refused (the option takes a file only).
   * The stream is destroyed once the limit is passed.
   */
  standardInput?: AsyncIterable<Uint8Array | string>;
}

/**
 * Reads a file option's content, or standard input for `-`.
 *
 * @example
 * const rules = await readInput('rules.md', { what: 'rules file', maxBytes: 256 * 1024, cwd });
 * const story = await readInput('-', { what: 'story input', maxBytes, cwd, standardInput: process.stdin });
 */
export async function readInput(path: string, options: ReadInputOptions): Promise<Buffer> {
  if (path === '-') {
    if (!options.standardInput) {
      throw new InvalidInputError(`The ${options.what} cannot be read from standard input (-).`, {
        fix: 'Give the path of a file.',
      });
    }
    return readStream(options.standardInput, options);
  }
  const absolutePath = resolve(options.cwd, path);
  // Checked before opening: opening a FIFO waits for a writer, and opening a device can act.
  checkRegularFile(await statOrExplain(absolutePath, path, options), path, options);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since the check, open does not wait for a writer.
    handle = await open(absolutePath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (cause) {
    throw cannotRead(path, options, cause);
  }
  try {
    // The open file is checked again: the path may have changed between the check and the open.
    const stats = await handle.stat();
    checkRegularFile(stats, path, options);
    if (stats.size > options.maxBytes) throw tooLarge(path, options, stats.size);
    return await readLimited(handle, path, options);
  } finally {
    await handle.close();
  }
}

async function statOrExplain(absolutePath: string, path: string, options: ReadInputOptions): Promise<Stats> {
  try {
    return await stat(absolutePath);
  } catch (cause) {
    throw cannotRead(path, options, cause);
  }
}

function checkRegularFile(stats: Stats, path: string, options: ReadInputOptions): void {
  if (stats.isFile()) return;
  const kind = stats.isDirectory()
    ? 'a directory'
    : stats.isFIFO()
      ? 'a named pipe (FIFO)'
      : stats.isCharacterDevice()
        ? 'a character device'
        : stats.isBlockDevice()
          ? 'a block device'
          : stats.isSocket()
            ? 'a socket'
            : 'not a regular file';
  throw new InvalidInputError(
    `Cannot read the ${options.what} ${path}: it is ${kind}, and a regular file is expected.`,
    {
      fix: options.standardInput
        ? 'Give the path of a regular file, or pipe the content into standard input with -.'
        : 'Give the path of a regular file (save the content to a file first).',
    },
  );
}

/** Reads at most `maxBytes + 1` bytes: a file that grew after the size check is still refused. */
async function readLimited(handle: FileHandle, path: string, options: ReadInputOptions): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.min(options.maxBytes + 1, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > options.maxBytes) throw tooLarge(path, options);
    chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
  }
  return Buffer.concat(chunks, total);
}

async function readStream(
  stream: AsyncIterable<Uint8Array | string>,
  options: ReadInputOptions,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early (the throw) ends the iteration, which destroys a Node stream.
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    total += bytes.byteLength;
    if (total > options.maxBytes) throw tooLarge('from standard input', options);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(path: string, options: ReadInputOptions, size?: number): InvalidInputError {
  const limit = megabytes(options.maxBytes);
  const actual = size === undefined ? '' : ` (it is ${megabytes(size)})`;
  return new InvalidInputError(`The ${options.what} ${path} is larger than ${limit}${actual}.`, {
    fix: `Give at most ${limit}: split the content into several files and use them one by one.`,
  });
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}

function cannotRead(path: string, options: ReadInputOptions, cause: unknown): InvalidInputError {
  const code = (cause as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission was denied'
          : code === 'ENOTDIR'
            ? 'a part of the path is not a directory'
            : code === 'ELOOP'
              ? 'it is a loop of symbolic links'
              : String(code ?? cause);
  return new InvalidInputError(`Cannot read the ${options.what} ${path}: ${reason}.`, {
    fix: 'Check the path (relative paths start from the current directory).',
    cause,
  });
}
