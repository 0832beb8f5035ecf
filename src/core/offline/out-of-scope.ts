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

/**
 * Matchers for out-of-scope items. An item's distinctive words are those the summary and
 * description never use; a case is about the item when it names the whole item, two of its
 * distinctive words, or its acronym (SMS) or only distinctive word, unless a criterion lists
 * that word as an allowed value (`PNG, JPG and PDF` keeps PDF in scope).
 */
export function outOfScopeMatchers(
  story: Story,
  constraints: Constraint[],
): Array<{ item: string; test: (text: string) => boolean }> {
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
    const pattern = (word: string) => {
      const whole = new RegExp(
        `(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:e?s)?(?![\\p{L}\\p{N}])`,
        'iu',
      );
      const lowerWord = word.toLowerCase();
      return (text: string, lower: string) => lower.includes(lowerWord) && whole.test(text);
    };
    const distinctivePatterns = distinctive.map(pattern);
    const strongPatterns = strong.map(pattern);
    const phrase = withoutFinalStop(item).toLowerCase();
    return {
      item,
      test: (text: string) => {
        const lower = text.toLowerCase();
        return (
          lower.includes(phrase) ||
          strongPatterns.some((matches) => matches(text, lower)) ||
          distinctivePatterns.filter((matches) => matches(text, lower)).length >= 2
        );
      },
    };
  });
}
