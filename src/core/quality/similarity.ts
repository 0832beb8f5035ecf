/**
 * Text similarity for near-duplicate detection: Jaccard similarity of word shingles (pairs of
 * consecutive words) after normalising case, punctuation and filler words. Numbers are kept:
 * "7 characters" and "65 characters" are different tests.
 */

const FILLER = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'be',
  'to',
  'of',
  'and',
  'or',
  'in',
  'on',
  'at',
  'for',
  'with',
  'that',
  'this',
  'it',
  'its',
  'as',
  'by',
  'from',
  'then',
  'user',
  'verify',
  'check',
  'ensure',
  'should',
  'will',
  'can',
  'test',
]);

/** Any character outside ASCII: such a text needs the Unicode word boundaries. */
const NOT_ASCII = /[\u0080-\uffff]/;
const WORD_BOUNDARY = /[^\p{L}\p{N}.$%]+/u;
/** `WORD_BOUNDARY` for lower-case ASCII text, where letters and numbers are a–z and 0–9 only. */
const ASCII_WORD_BOUNDARY = /[^a-z0-9.$%]+/;
const DOT = 46;

const LONGEST_FILLER = Math.max(...[...FILLER].map((word) => word.length));

/** Lower-case words and numbers, without filler words. */
export function contentWords(text: string): string[] {
  const words: string[] = [];
  const lower = text.toLowerCase();
  const parts = lower.split(NOT_ASCII.test(lower) ? WORD_BOUNDARY : ASCII_WORD_BOUNDARY);
  // By index: this loop runs for every word of every case, mostly before the code is optimised.
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    // Most words neither start nor end with a dot; only those need the trim.
    const word =
      part.charCodeAt(0) === DOT || part.charCodeAt(part.length - 1) === DOT
        ? part.replace(/^[.]+|[.]+$/g, '')
        : part;
    // No filler word is longer than `LONGEST_FILLER`: a longer word needs no lookup.
    if (word.length > 0 && (word.length > LONGEST_FILLER || !FILLER.has(word))) words.push(word);
  }
  return words;
}

/** The set of word pairs of a text (single words when it has only one). */
export function shingles(text: string, size = 2): Set<string> {
  return shinglesOfWords(contentWords(text), size);
}

/** `shingles` of a text's `contentWords`, for callers that have them already. */
export function shinglesOfWords(words: readonly string[], size = 2): Set<string> {
  if (words.length < size) return new Set(words);
  const result = new Set<string>();
  // Pairs (the default) without a slice and a join each.
  if (size === 2) {
    for (let index = 0; index + 1 < words.length; index++) result.add(`${words[index]} ${words[index + 1]}`);
    return result;
  }
  for (let index = 0; index + size <= words.length; index++)
    result.add(words.slice(index, index + size).join(' '));
  return result;
}

/** |A ∩ B| / |A ∪ B|, 0 for two empty sets. */
export function jaccard(left: Set<string>, right: Set<string>): number {
  if (left.size === 0 && right.size === 0) return 0;
  let shared = 0;
  for (const item of left) if (right.has(item)) shared++;
  return shared / (left.size + right.size - shared);
}

/** Similarity of two texts between 0 and 1. */
export function textSimilarity(left: string, right: string): number {
  return jaccard(shingles(left), shingles(right));
}
