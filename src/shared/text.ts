/** Small text helpers every layer may use. */

/**
 * One line of free text: line breaks and runs of white space become one space, ends trimmed.
 *
 * @example singleLine('Log in\n  as admin ') // 'Log in as admin'
 */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The text with its first character in upper case, the rest as it is.
 *
 * @example capitalize('high priority') // 'High priority'
 */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
