import type { Constraint } from '../constraints/index.ts';
import type { Story } from '../model.ts';
import { withoutFinalStop } from './wording.ts';

const STOP_WORDS = new Set([
  'the',
  'and',
  'for',
  'with',
  'from',
  'into',
  'that',
  'this',
  'are',
  'not',
  'all',
  'any',
  'our',
  'your',
  'their',
  'its',
]);

interface OutOfScopeMatcher {
  item: string;
  /** The item, without its final stop, in lower case. */
  phrase: string;
  /** The item's distinctive words; a strong one alone is enough. */
  patterns: Array<{ lowerWord: string; whole: RegExp; strong: boolean }>;
}

/**
 * Matchers for out-of-scope items. An item's distinctive words are those the summary and
 * description never use; a case is about the item when it names the whole item, two of its
 * distinctive words, or its acronym (SMS) or only distinctive word, unless a criterion lists
 * that word as an allowed value (`PNG, JPG and PDF` keeps PDF in scope).
 */
export function outOfScopeMatchers(story: Story, constraints: Constraint[]): OutOfScopeMatcher[] {
  const stem = (word: string) => word.toLowerCase().replace(/(?:es|s)$/, '');
  const wordsOf = (text: string) => text.split(/[^\p{L}\p{N}-]+/u).filter(Boolean);
  const framing = new Set(wordsOf(`${story.summary} ${story.description}`).map(stem));
  const listed = new Set(
    wordsOf(
      constraints
        .flatMap((constraint) => (constraint.kind === 'enumeration' ? constraint.values : []))
        .join(' '),
    ).map(stem),
  );
  return story.outOfScope.map((item) => {
    const words = wordsOf(item).filter((word) => word.length >= 3 && !STOP_WORDS.has(word.toLowerCase()));
    const distinctive = [...new Set(words.filter((word) => !framing.has(stem(word))))];
    const strong = distinctive.filter(
      (word) => !listed.has(stem(word)) && (distinctive.length === 1 || /^[A-Z]{2,6}$/.test(word)),
    );
    // The plain substring test first: most texts do not contain the word at all.
    const patterns = distinctive.map((word) => {
      const whole = new RegExp(
        `(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:e?s)?(?![\\p{L}\\p{N}])`,
        'iu',
      );
      return { lowerWord: word.toLowerCase(), whole, strong: strong.includes(word) };
    });
    return { item, phrase: withoutFinalStop(item).toLowerCase(), patterns };
  });
}

/** What one piece of text says of each item: the whole item (`true`), or which of its words. */
type PieceMatch = true | number[];
const NO_WORDS: number[] = [];

function matchPiece(matcher: OutOfScopeMatcher, piece: string, lower: string): PieceMatch {
  if (lower.includes(matcher.phrase)) return true;
  let words = NO_WORDS;
  matcher.patterns.forEach((pattern, index) => {
    if (lower.includes(pattern.lowerWord) && pattern.whole.test(piece)) words = [...words, index];
  });
  return words;
}

/**
 * The out-of-scope item a case is about, if any, from the pieces of its text (title,
 * preconditions, steps, results). A case is about an item when a piece names the whole item, or
 * its pieces name one strong word or two distinctive words. Pieces repeat from case to case (the
 * flow's steps are in most cases), so each piece is read once per story.
 */
export function outOfScopeFinder(
  story: Story,
  constraints: Constraint[],
): ((pieces: readonly string[]) => string | undefined) | undefined {
  const matchers = outOfScopeMatchers(story, constraints);
  if (matchers.length === 0) return undefined;
  const read = new Map<string, PieceMatch[]>();
  return (pieces) => {
    const whole = matchers.map(() => false);
    const words = matchers.map(() => new Set<number>());
    for (const piece of pieces) {
      let matches = read.get(piece);
      if (!matches) {
        const lower = piece.toLowerCase();
        matches = matchers.map((matcher) => matchPiece(matcher, piece, lower));
        read.set(piece, matches);
      }
      matches.forEach((match, index) => {
        if (match === true) whole[index] = true;
        else for (const word of match) words[index]!.add(word);
      });
    }
    const found = matchers.find(
      (matcher, index) =>
        whole[index] ||
        words[index]!.size >= 2 ||
        [...words[index]!].some((word) => matcher.patterns[word]!.strong),
    );
    return found?.item;
  };
}
