/**
 * Keys renamed in a user-written shape (a config file, an API request body) stay readable under
 * their old name for a while: the value moves to the new key and the caller gets a notice to show.
 */

/** Old key → new key, e.g. `{ colour: 'color' }`. */
export type RenamedKeys = Readonly<Record<string, string>>;

/**
 * Moves the values of renamed keys to their new names; the new name wins when both are given.
 * `where` prefixes each key in the notices (e.g. `provider.` or `limits.`).
 *
 * @example
 * foldRenamedKeys({ colour: 'red' }, { colour: 'color' }, 'theme.')
 * // { value: { color: 'red' }, notices: ['theme.colour is deprecated; use theme.color (same value).'] }
 */
export function foldRenamedKeys<Value extends object>(
  value: Value,
  renamed: RenamedKeys,
  where = '',
): { value: Value; notices: string[] } {
  const notices: string[] = [];
  const folded = { ...value } as Record<string, unknown>;
  for (const [oldKey, newKey] of Object.entries(renamed)) {
    if (!(oldKey in folded) || folded[oldKey] === undefined) {
      delete folded[oldKey];
      continue;
    }
    const both = folded[newKey] !== undefined;
    notices.push(
      both
        ? `${where}${oldKey} is deprecated and ignored: ${where}${newKey} is also given.`
        : `${where}${oldKey} is deprecated; use ${where}${newKey} (same value).`,
    );
    if (!both) folded[newKey] = folded[oldKey];
    delete folded[oldKey];
  }
  return { value: folded as Value, notices };
}
