import { clauseSubject } from './subjects.ts';
import type { ConstraintContext, DurationConstraint, TimeUnit } from './types.ts';
import { SECONDS_PER } from './units.ts';

/** Time limits: what the time is about and whether the action must happen before or after it. */

export function durationConstraint(
  value: number,
  unit: TimeUnit,
  relation: DurationConstraint['relation'],
  sentence: string,
  index: number,
  phrase: string,
  context: ConstraintContext,
): DurationConstraint {
  const noun = clauseSubject(sentence, index);
  const inactivity = /\binactiv|\bidle\b/i.test(sentence);
  const subject = inactivity
    ? 'inactivity time'
    : /\bexpir|\bvalid for\b/i.test(sentence) && noun
      ? `${noun} validity`
      : /\block/i.test(sentence)
        ? 'lockout time'
        : noun
          ? `${noun} time`
          : 'time';
  return {
    kind: 'duration',
    value,
    unit,
    seconds: value * SECONDS_PER[unit],
    relation,
    subject,
    source: sentence,
    phrase,
    ...context,
  };
}

export function durationRelation(sentence: string, prefix: string): DurationConstraint['relation'] {
  const lowerPrefix = prefix.toLowerCase().trim();
  if (/\bevery$/.test(lowerPrefix)) return 'every';
  if (
    /\b(?:within|at most|no more than|not more than|up to|no longer than|less than|under|maximum of|max)$/.test(
      lowerPrefix,
    )
  )
    return 'within';
  if (
    /\b(?:after|expires? in|expire after|expires? after|valid for|locked for|for|in|of)$/.test(lowerPrefix)
  ) {
    return 'after';
  }
  return /\bwithin\b/i.test(sentence) ? 'within' : 'after';
}
