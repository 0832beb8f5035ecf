/**
 * NUL (U+0000) in text. PostgreSQL cannot store it in a text column (SQLite can), so text with
 * NUL is refused where it enters, naming the field, on both databases alike.
 */
import { InvalidInputError } from './errors.ts';

/** The NUL character. */
export const NUL_CHARACTER = '\u0000';

/**
 * The path of the first string holding a NUL character inside `value` (objects and arrays are
 * searched, keys included), or undefined when there is none. The path is the field's name as a
 * client wrote it: `name`, `steps.2.action`; `[]` for `value` itself.
 *
 * @example
 * findNulCharacter({ name: 'a\u0000b' }); // ['name']
 * findNulCharacter({ name: 'ab' }); // undefined
 */
export function findNulCharacter(value: unknown, path: ReadonlyArray<string> = []): string[] | undefined {
  if (typeof value === 'string') return value.includes(NUL_CHARACTER) ? [...path] : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNulCharacter(item, [...path, String(index)]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL_CHARACTER)) return [...path, key];
      const found = findNulCharacter(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Shows a value that may hold NUL or other control characters safely in a message (JSON escapes). */
export function quoteForMessage(value: string, maximumLength = 80): string {
  const shown = value.length > maximumLength ? `${value.slice(0, maximumLength)}…` : value;
  return JSON.stringify(shown);
}

/**
 * Throws an `InvalidInputError` naming the field when `fields` hold a NUL character anywhere: the
 * app's check for input that does not come through the HTTP API (files read by the CLI).
 *
 * @example
 * refuseNulCharacter({ name, testCaseRules }, 'The project'); // "The project holds a NUL … in testCaseRules …"
 */
export function refuseNulCharacter(fields: Record<string, unknown>, subject: string): void {
  const found = findNulCharacter(fields);
  if (!found) return;
  const field = found.join('.').replaceAll(NUL_CHARACTER, '\\u0000');
  throw new InvalidInputError(
    `${subject} holds a NUL character (\\u0000) in ${field}, which cannot be stored.`,
    { fix: `Remove the NUL character from ${field}.` },
  );
}
