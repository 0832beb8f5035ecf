import { createHash } from 'node:crypto';
import type { AcceptanceCriterion, Story } from '../../core/model.ts';

/** Whitespace-insensitive form of a text: what counts as "the same" when comparing stories. */
function canonicalText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * SHA-256 (hex) over a canonical form of the story's summary, description and acceptance criteria
 * (in order; whitespace runs collapsed). Key, source, notes and criterion ids do not count, so
 * re-importing the same text gives the same hash.
 *
 * @example storyContentHash(story) === storyContentHash(reimported) // unchanged story
 */
export function storyContentHash(
  story: Pick<Story, 'summary' | 'description' | 'acceptanceCriteria'>,
): string {
  const canonical = JSON.stringify({
    summary: canonicalText(story.summary),
    description: canonicalText(story.description ?? ''),
    acceptanceCriteria: (story.acceptanceCriteria ?? []).map((criterion) => canonicalText(criterion.text)),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface CriterionChange {
  before: AcceptanceCriterion;
  after: AcceptanceCriterion;
  /** 0 to 1: how alike the two texts are (1 for unchanged). */
  similarity: number;
}

export interface StoryDiff {
  /** Criteria of the new story that match none of the old one. */
  added: AcceptanceCriterion[];
  /** Criteria of the old story that match none of the new one. */
  removed: AcceptanceCriterion[];
  /** Criteria edited in place: the old one, its new text, and how alike they are. */
  changed: CriterionChange[];
  /** Criteria with the same text (ids may differ when others were inserted before them). */
  unchanged: CriterionChange[];
  summaryChanged: boolean;
  descriptionChanged: boolean;
}

/** Below this similarity two criteria are unrelated, unless they sit at the same place in both lists. */
const CHANGED_THRESHOLD = 0.5;
const SAME_POSITION_THRESHOLD = 0.25;

/**
 * Compares two versions of a story's criteria: identical texts pair first; the rest pair by text
 * similarity (word and character overlap) with a bonus for the same position, so that an edited
 * criterion counts as changed, not as removed and added.
 *
 * @example
 * diffStories(old, updated).changed // [{ before: { id: 'AC-2', … }, after: { id: 'AC-2', … }, similarity: 0.8 }]
 */
export function diffStories(
  oldStory: Pick<Story, 'summary' | 'description' | 'acceptanceCriteria'>,
  newStory: Pick<Story, 'summary' | 'description' | 'acceptanceCriteria'>,
): StoryDiff {
  const before = oldStory.acceptanceCriteria ?? [];
  const after = newStory.acceptanceCriteria ?? [];
  const pairedBefore = new Set<number>();
  const pairedAfter = new Set<number>();
  const unchanged: CriterionChange[] = [];
  const changed: CriterionChange[] = [];

  // 1. Identical texts, nearest position first.
  const byText = new Map<string, number[]>();
  before.forEach((criterion, index) => {
    const key = canonicalText(criterion.text).toLowerCase();
    byText.set(key, [...(byText.get(key) ?? []), index]);
  });
  after.forEach((criterion, afterIndex) => {
    const candidates = (byText.get(canonicalText(criterion.text).toLowerCase()) ?? []).filter(
      (index) => !pairedBefore.has(index),
    );
    if (candidates.length === 0) return;
    const beforeIndex = candidates.reduce((best, index) =>
      Math.abs(index - afterIndex) < Math.abs(best - afterIndex) ? index : best,
    );
    pairedBefore.add(beforeIndex);
    pairedAfter.add(afterIndex);
    unchanged.push({ before: before[beforeIndex] as AcceptanceCriterion, after: criterion, similarity: 1 });
  });

  // 2. Similar texts, best pairs first; the same position lowers the bar.
  const candidates: Array<{ beforeIndex: number; afterIndex: number; similarity: number; score: number }> =
    [];
  before.forEach((oldCriterion, beforeIndex) => {
    if (pairedBefore.has(beforeIndex)) return;
    after.forEach((newCriterion, afterIndex) => {
      if (pairedAfter.has(afterIndex)) return;
      const similarity = textSimilarity(oldCriterion.text, newCriterion.text);
      const samePosition = beforeIndex === afterIndex;
      if (similarity >= CHANGED_THRESHOLD || (samePosition && similarity >= SAME_POSITION_THRESHOLD)) {
        candidates.push({
          beforeIndex,
          afterIndex,
          similarity,
          score: similarity + (samePosition ? 0.15 : 0),
        });
      }
    });
  });
  candidates.sort((left, right) => right.score - left.score);
  for (const candidate of candidates) {
    if (pairedBefore.has(candidate.beforeIndex) || pairedAfter.has(candidate.afterIndex)) continue;
    pairedBefore.add(candidate.beforeIndex);
    pairedAfter.add(candidate.afterIndex);
    changed.push({
      before: before[candidate.beforeIndex] as AcceptanceCriterion,
      after: after[candidate.afterIndex] as AcceptanceCriterion,
      similarity: Math.round(candidate.similarity * 100) / 100,
    });
  }
  changed.sort((left, right) => after.indexOf(left.after) - after.indexOf(right.after));
  unchanged.sort((left, right) => after.indexOf(left.after) - after.indexOf(right.after));

  return {
    added: after.filter((_, index) => !pairedAfter.has(index)),
    removed: before.filter((_, index) => !pairedBefore.has(index)),
    changed,
    unchanged,
    summaryChanged: canonicalText(oldStory.summary) !== canonicalText(newStory.summary),
    descriptionChanged:
      canonicalText(oldStory.description ?? '') !== canonicalText(newStory.description ?? ''),
  };
}

/** Mean of word-set Dice and character-bigram Dice coefficients, case-insensitive, 0 to 1. */
export function textSimilarity(left: string, right: string): number {
  const a = canonicalText(left).toLowerCase();
  const b = canonicalText(right).toLowerCase();
  if (a === b) return 1;
  if (a === '' || b === '') return 0;
  return (dice(words(a), words(b)) + dice(bigrams(a), bigrams(b))) / 2;
}

function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function bigrams(text: string): string[] {
  const compact = text.replace(/\s+/g, ' ');
  const result: string[] = [];
  for (let index = 0; index < compact.length - 1; index += 1) result.push(compact.slice(index, index + 2));
  return result;
}

function dice(left: string[], right: string[]): number {
  if (left.length === 0 && right.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const item of left) counts.set(item, (counts.get(item) ?? 0) + 1);
  let shared = 0;
  for (const item of right) {
    const count = counts.get(item) ?? 0;
    if (count > 0) {
      shared += 1;
      counts.set(item, count - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}
