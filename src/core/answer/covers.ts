import type { Story } from '../model.ts';
import { contentWords } from '../quality/similarity.ts';

/**
 * Maps the ways models name acceptance criteria ("AC1", "ac-1", "AC 1", "criterion 1",
 * "Acceptance Criterion #1", the criterion's own text) onto the story's ids (`AC-1`).
 * Unknown references are dropped and reported.
 *
 * @example normalizeCovers(['ac1', 'Criterion 2', 'AC-9'], story) // { covers: ['AC-1','AC-2'], unknown: ['AC-9'] }
 */
export function normalizeCovers(references: unknown, story: Story): { covers: string[]; unknown: string[] } {
  const covers: string[] = [];
  const unknown: string[] = [];
  for (const reference of splitReferences(references)) {
    const id = resolveReference(reference, story);
    if (id && isCriterionOf(story, id)) {
      if (!covers.includes(id)) covers.push(id);
    } else if (reference.trim()) {
      unknown.push(reference.trim());
    }
  }
  return { covers: covers.sort(byCriterionNumber), unknown };
}

function isCriterionOf(story: Story, id: string): boolean {
  for (const criterion of story.acceptanceCriteria) if (criterion.id === id) return true;
  return false;
}

/** What `splitReferences` splits a text on, or a hint of it: a text without it is one reference. */
const SEPARATOR_HINT = /[,;/&]|\sand\s/i;

function splitReferences(references: unknown): string[] {
  if (references === undefined || references === null) return [];
  if (Array.isArray(references)) {
    const split: string[] = [];
    for (const reference of references) split.push(...splitReferences(reference));
    return split;
  }
  if (typeof references === 'number') return [String(references)];
  if (typeof references === 'object') {
    const record = references as Record<string, unknown>;
    return splitReferences(record.id ?? record.ac ?? record.criterion ?? '');
  }
  if (typeof references !== 'string') return [];
  if (!SEPARATOR_HINT.test(references)) {
    const reference = references.trim();
    return reference ? [reference] : [];
  }
  // "AC-1, AC-2", "AC1 and AC3", "AC-1; AC-2" — but not splitting a criterion's own text on "and".
  const parts = references.split(/\s*[,;/]\s*|\s+(?:and|&)\s+(?=(?:ac|criteri|acceptance|#?\d))/i);
  return parts.map((part) => part.trim()).filter(Boolean);
}

function resolveReference(reference: string, story: Story): string | undefined {
  const text = reference.trim();
  const numbered =
    /^(?:acceptance\s*criteri(?:on|a)|criteri(?:on|a)|ac)\s*[-_#:.]?\s*(\d+)\b/i.exec(text) ??
    /^#?(\d+)$/.exec(text);
  if (numbered) return `AC-${Number(numbered[1])}`;
  const lowered = text.toLowerCase().replace(/[.\s]+$/, '');
  const byText = story.acceptanceCriteria.find(
    (criterion) => criterion.text.toLowerCase().replace(/[.\s]+$/, '') === lowered,
  );
  return byText?.id;
}

function byCriterionNumber(left: string, right: string): number {
  return Number(left.slice(3)) - Number(right.slice(3));
}

/**
 * For a case whose answer named no acceptance criterion: the criteria its text is about, judged
 * by how many of each criterion's content words the case uses (the best match when it uses at
 * least 40% of them, and every other criterion it uses 60% of). Empty when nothing is close:
 * the case then shows as covering nothing, rather than being credited by guesswork.
 *
 * @example inferCovers('Sign in with a wrong password shows "Invalid email or password"', story) // ['AC-4']
 */
export function inferCovers(caseText: string, story: Story): string[] {
  const stem = (word: string) => (word.length > 4 ? word.replace(/(?:es|s)$/, '') : word);
  const caseWords = new Set(contentWords(caseText).map(stem));
  const scored = story.acceptanceCriteria
    .map((criterion) => {
      const words = [
        ...new Set(
          contentWords(criterion.text)
            .filter((word) => word.length > 2)
            .map(stem),
        ),
      ];
      const used = words.filter((word) => caseWords.has(word)).length;
      return { id: criterion.id, score: words.length ? used / words.length : 0 };
    })
    .sort((left, right) => right.score - left.score);
  const best = scored[0];
  if (!best || best.score < 0.4) return [];
  return scored
    .filter((candidate) => candidate === best || candidate.score >= 0.6)
    .map((candidate) => candidate.id)
    .sort(byCriterionNumber);
}
