import { singularNoun } from '../words.ts';
import { LENGTH_UNIT, SIZE_UNITS, type UnitReading } from './units.ts';

/** The thing a constraint is about, read from the words around its number. */

export const DETERMINERS =
  /^(?:the|a|an|each|every|any|all|his|her|their|its|your|my|our|this|that|these|those)\s+/i;
const MODAL =
  /\s+(?:must|should|shall|can(?:not)?|can't|may|might|will|won't|is|are|was|were|has|have|needs?\s+to|requires?|accepts?|allows?|supports?|gets?|receives?|contains?|includes?|gives?|offers?|costs?|holds?|takes?|shows?)\b/i;

export function cleanNounPhrase(raw: string): string {
  let phrase = raw
    .replace(/[*_`"“”]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  phrase = phrase.replace(/^(?:given|when|then|and|but|if|once|after|before|while)\s+/i, '');
  phrase = phrase.replace(DETERMINERS, '');
  phrase = phrase.replace(/^(?:user's|users'|customer's|customers')\s+/i, '');
  phrase = phrase.replace(DETERMINERS, '');
  return phrase.toLowerCase().trim();
}

/** The grammatical subject of the clause before `index`: `The password must …` → `password`. */
export function clauseSubject(sentence: string, index: number): string | undefined {
  const before = sentence.slice(0, index);
  let clauseStart = Math.max(before.lastIndexOf(','), before.lastIndexOf(':'), before.lastIndexOf('(')) + 1;
  for (const joint of before.matchAll(
    /\s(?:and|but|while|whereas|when|if|then)\s+(?=(?:the|a|an|each|every|its|their)\s)/gi,
  )) {
    clauseStart = Math.max(clauseStart, joint.index + joint[0].length);
  }
  const clause = before.slice(clauseStart);
  const modal = MODAL.exec(clause);
  if (modal) {
    const candidate = cleanNounPhrase(clause.slice(0, modal.index));
    const words = candidate.split(' ').filter(Boolean);
    if (
      words.length > 0 &&
      words.length <= 4 &&
      !/^(?:it|they|this|there|system|he|she|we|i|you)$/.test(candidate)
    ) {
      return candidate;
    }
  } else {
    // "The order total must not exceed …": the comparator itself follows the subject.
    const candidate = cleanNounPhrase(
      clause.replace(/\s+(?:must|should|shall|can|cannot|may|will|is|are|does|do)(?:\s+not)?\s*$/i, ''),
    );
    const words = candidate.split(' ').filter(Boolean);
    if (
      words.length > 0 &&
      words.length <= 3 &&
      !/^(?:it|they|this|there|system|he|she|we|i|you|be|have|has)$/.test(candidate)
    ) {
      return candidate;
    }
  }
  // "a password of 8-64 characters", "passwords with at most 64 characters"
  const of =
    /([A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*)?)\s+(?:of|with|between|from)\s+(?:length\s+)?(?:of\s+)?\S*\s*$/i.exec(
      before,
    );
  if (of?.[1]) {
    const candidate = cleanNounPhrase(of[1]);
    if (candidate && !/^(?:length|size|must|be|is|are|range|value|a|the|up|and|or)$/.test(candidate))
      return candidate;
  }
  return undefined;
}

/** What is done a number of times: `A user can attempt to log in at most 5 times` → `number of attempts to log in`. */
function timesSubject(sentence: string, index: number): string {
  const before = sentence.slice(0, index);
  const modal = /\b(?:can|may|must|should|is allowed to|are allowed to)\s+(.+?)\s*$/i.exec(before);
  const verbPhrase = modal?.[1]?.trim();
  if (!verbPhrase) return 'number of times';
  const attempt = /^(?:attempt|try)\s+to\s+(.+)$/i.exec(verbPhrase);
  return attempt ? `number of attempts to ${attempt[1]}` : `number of times to ${verbPhrase}`;
}

export function subjectFor(
  sentence: string,
  index: number,
  unit: UnitReading,
  currency: string | undefined,
): string {
  const rawNoun = clauseSubject(sentence, index);
  const noun = rawNoun ? singularNoun(rawNoun) : undefined;
  const unitWord = unit.unit;
  if (currency === '%') return noun ?? 'percentage';
  if (currency) return noun ?? 'amount';
  if (unitWord && LENGTH_UNIT.test(unitWord)) {
    const base = noun ? noun.replace(/\s+(?:length|size)$/, '') : 'input';
    return `${base} length`;
  }
  if (unitWord && Object.values(SIZE_UNITS).includes(unitWord)) {
    const base = noun ? noun.replace(/\s+size$/, '') : 'file';
    return `${base} size`;
  }
  if (unitWord === 'times') return timesSubject(sentence, index);
  if (unit.phrase) return unit.phrase.split(' ').length > 1 ? unit.phrase : `number of ${unit.phrase}`;
  return noun ?? 'value';
}
