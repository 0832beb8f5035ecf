import { NUMERIC_RULES } from './numeric-rules.ts';
import { mask } from './sentences.ts';
import type { Constraint, ConstraintContext, LimitConstraint } from './types.ts';
import { NUMBER_WORDS } from './units.ts';

// A sentence without a digit or a number word states no numeric constraint: skip the rules.
const HAS_NUMBER = new RegExp(`\\d|\\b(?:${Object.keys(NUMBER_WORDS).join('|')})\\b`, 'i');

/** Every numeric constraint of one sentence: the rules of the table in order, no two on the same words. */
export function numericConstraints(sentence: string, context: ConstraintContext): Constraint[] {
  if (!HAS_NUMBER.test(sentence)) return [];
  const found: Constraint[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (start: number, end: number) => taken.some(([from, to]) => start < to && end > from);
  const input = { sentence, masked: mask(sentence), context };
  for (const rule of NUMERIC_RULES) {
    if (rule.requires && !rule.requires.test(input.masked)) continue;
    for (const match of input.masked.matchAll(rule.pattern)) {
      const start = match.index;
      if (overlaps(start, start + match[0].length)) continue;
      const reading = rule.read(match, input);
      if (!reading) continue;
      found.push(reading.constraint);
      taken.push([start, reading.end]);
    }
  }
  return mergeMinMax(found);
}

/** "at least 8 and at most 64 characters" in one sentence is one range. */
function mergeMinMax(constraints: Constraint[]): Constraint[] {
  const limits = constraints.filter(
    (constraint): constraint is LimitConstraint => constraint.kind === 'limit',
  );
  const merged = new Set<Constraint>();
  const result: Constraint[] = [];
  for (const constraint of constraints) {
    if (merged.has(constraint)) continue;
    if (constraint.kind === 'limit' && constraint.bound === 'min') {
      const partner = limits.find(
        (other) =>
          other.bound === 'max' &&
          (other.unit === constraint.unit || constraint.unit === undefined) &&
          other.value > constraint.value &&
          !merged.has(other) &&
          (constraint.unit === undefined ||
            other.subject === constraint.subject ||
            other.subject.endsWith(' length') === constraint.subject.endsWith(' length')),
      );
      if (partner) {
        merged.add(partner);
        result.push({
          kind: 'range',
          min: constraint.value,
          max: partner.value,
          ...(partner.unit ? { unit: partner.unit } : {}),
          minInclusive: constraint.inclusive,
          maxInclusive: partner.inclusive,
          subject: constraint.unit === undefined ? partner.subject : constraint.subject,
          source: constraint.source,
          phrase: `${constraint.phrase} … ${partner.phrase}`,
          origin: constraint.origin,
          ...(constraint.criterionId ? { criterionId: constraint.criterionId } : {}),
        });
        continue;
      }
    }
    result.push(constraint);
  }
  return result;
}
