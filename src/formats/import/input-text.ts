import { InvalidInputError } from '../../shared/errors.ts';
import type { Result } from '../../shared/result.ts';
import { err, ok } from '../../shared/result.ts';

/** Story files larger than this are refused: a story is text, not a data dump. */
export const MAX_STORY_INPUT_BYTES = 5 * 1024 * 1024;

/** CSV files are refused above this: a backlog export, not a single story. */
export const MAX_STORY_CSV_BYTES = 50 * 1024 * 1024;

/**
 * Turns what the caller read (a string or raw bytes) into text, refusing what cannot be a story:
 * empty or whitespace-only input, binary content (NUL bytes), invalid UTF-8, more than 5 MB.
 * A UTF-8 byte order mark is removed; line endings become `\n`.
 */
export function decodeStoryInput(
  content: string | Uint8Array,
  options: { label?: string; maxBytes?: number } = {},
): Result<string, InvalidInputError> {
  const label = options.label ?? 'The input';
  const maxBytes = options.maxBytes ?? MAX_STORY_INPUT_BYTES;
  let text: string;
  if (typeof content === 'string') {
    if (Buffer.byteLength(content, 'utf8') > maxBytes) return err(tooLarge(label, maxBytes));
    text = content;
  } else {
    if (content.byteLength > maxBytes) return err(tooLarge(label, maxBytes));
    if (content.includes(0)) return err(binary(label));
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch (cause) {
      const offset = firstInvalidUtf8Offset(content);
      return err(
        new InvalidInputError(
          `${label} is not valid UTF-8 text${offset === undefined ? '' : ` (first bad byte at offset ${offset})`}.`,
          {
            fix: 'Save the file as UTF-8 (in most editors: "Save with encoding" → UTF-8) and import it again.',
            cause,
          },
        ),
      );
    }
  }
  if (text.includes('\u0000')) return err(binary(label));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') {
    return err(
      new InvalidInputError(`${label} is empty.`, {
        fix: 'Give a story with at least a summary line, e.g. "# SHOP-1: Customer pays by card".',
      }),
    );
  }
  return ok(text);
}

function tooLarge(label: string, maxBytes: number): InvalidInputError {
  return new InvalidInputError(`${label} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`, {
    fix: 'Split it into several files (one story or one backlog page each) and import them one by one.',
  });
}

function binary(label: string): InvalidInputError {
  return new InvalidInputError(`${label} looks like a binary file (it contains NUL bytes), not text.`, {
    fix: 'Import a text file: Markdown, JSON, CSV, plain text or a .feature file.',
  });
}

function firstInvalidUtf8Offset(bytes: Uint8Array): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Binary search on prefix validity would be wrong (a prefix may cut a character); scan instead.
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index] ?? 0;
    const length =
      byte < 0x80 ? 1 : byte >> 5 === 0b110 ? 2 : byte >> 4 === 0b1110 ? 3 : byte >> 3 === 0b11110 ? 4 : 0;
    if (length === 0) return index;
    try {
      decoder.decode(bytes.subarray(index, index + length));
    } catch {
      return index;
    }
    index += length;
  }
  return undefined;
}
