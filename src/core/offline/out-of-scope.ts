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

export interface OutOfScopeMatcher {
  item: string;
  /** Whether a case's text (and the same text in lower case, made once for all matchers) is about the item. */
  test: (text: string, lower: string) => boolean;
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
    const phrase = withoutFinalStop(item).toLowerCase();
    return {
      item,
      // The whole item, one strong word, or two distinctive words (strong words are distinctive too).
      test: (text: string, lower: string) => {
        if (lower.includes(phrase)) return true;
        let matched = 0;
        for (const pattern of patterns) {
          if (!lower.includes(pattern.lowerWord) || !pattern.whole.test(text)) continue;
          matched += 1;
          if (pattern.strong || matched >= 2) return true;
        }
        return false;
      },
    };
  });
}
