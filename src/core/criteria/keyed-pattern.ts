/** A regular expression (flags `iu`, no `g`) known by its `exec` alone. */
export interface KeyedPattern {
  exec(text: string): RegExpExecArray | null;
}

/**
 * A pattern that holds one of `keywords` (an alternation) where it must match, compiled only when
 * first asked for, with a cheap test of the keywords alone to run before it: a pattern with
 * `\p{L}` classes under `iu` costs about 3M instructions to compile, and most sentences (most
 * stories) need few of these. `keywords` holds no `\p{…}` class, so it compiles at a fraction of
 * that; a text it does not match cannot match the whole pattern, which `build` makes around it
 * (not optional) under the same flags.
 *
 * @example
 * const atLeast = keyedPattern('at least|mindestens', (words) => String.raw`\b(?:${words})\s+(\d+)\s+(\p{L}+)`);
 * atLeast.exec('at least 8 characters')?.[2]; // 'characters'
 */
export function keyedPattern(keywords: string, build: (keywords: string) => string): KeyedPattern {
  const words = new RegExp(keywords, 'iu');
  let pattern: RegExp | undefined;
  return {
    exec: (text) => (words.test(text) ? (pattern ??= new RegExp(build(keywords), 'iu')).exec(text) : null),
  };
}
