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
    const pattern = (word: string) =>
      new RegExp(
        `(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:e?s)?(?![\\p{L}\\p{N}])`,
        'iu',
      );
    const distinctivePatterns = distinctive.map(pattern);
    const strongPatterns = strong.map(pattern);
    const phrase = withoutFinalStop(item).toLowerCase();
    return {
      item,
      test: (text: string) =>
        text.toLowerCase().includes(phrase) ||
        strongPatterns.some((candidate) => candidate.test(text)) ||
        distinctivePatterns.filter((candidate) => candidate.test(text)).length >= 2,
    };
  });
}
