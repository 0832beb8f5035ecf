import { durationConstraint, durationRelation } from './durations.ts';
import { clauseSubject, cleanNounPhrase, subjectFor } from './subjects.ts';
import type { Constraint, ConstraintContext } from './types.ts';
import {
  CURRENCY_SYMBOL,
  NUMBER,
  QUANTITY,
  TIME_UNITS,
  UNIT_STOP_WORDS,
  currencyOf,
  parseNumber,
  readUnit,
  type UnitReading,
} from './units.ts';

/**
 * The numeric extractor as a table: each rule is a pattern over the masked sentence and a reading
 * of one match. `numericConstraints` runs them in this order; a match that overlaps an earlier
 * one is skipped, so the order says which reading wins (a range before its two limits).
 *
 * The patterns are compiled once, here: building them per sentence was the engine's hottest spot.
 */
export interface NumericRuleInput {
  sentence: string;
  /** The sentence with ids, dates, times and versions blanked out (same length). */
  masked: string;
  context: ConstraintContext;
}

/** What a rule read: the constraint and where its phrase ends (the unit may extend the match). */
export interface NumericReading {
  constraint: Constraint;
  end: number;
}

export interface NumericRule {
  /** What the rule reads, for whoever debugs the table. */
  name: string;
  /** A global pattern; run with `matchAll`. */
  pattern: RegExp;
  /**
   * Words every match of `pattern` contains (not global): a sentence without them skips the rule,
   * which is most sentences for most rules. A filter only: it must never reject a sentence the
   * pattern would match.
   */
  requires?: RegExp;
  read(match: RegExpExecArray, input: NumericRuleInput): NumericReading | undefined;
}

const NO_UNIT: UnitReading = { phrase: '', length: 0 };

const MAX_INCLUSIVE =
  'at most|no more than|not more than|maximum of|a maximum of|max(?:imum)?|up to|capped at|must not exceed|cannot exceed|can not exceed|may not exceed|should not exceed|not exceeding|does not exceed|limited to|a limit of|less than or equal to|≤|<=';
const MAX_EXCLUSIVE = 'fewer than|less than|under|below|shorter than|<';
const MIN_INCLUSIVE =
  'at least|no less than|not less than|no fewer than|minimum of|a minimum of|min(?:imum)?|greater than or equal to|≥|>=';
const MIN_EXCLUSIVE = 'more than|greater than|over|above|longer than|exceeding|>';

const COMPARATORS: Array<{ words: RegExp; bound: 'min' | 'max'; inclusive: boolean }> = [
  { words: new RegExp(`^(?:${MAX_INCLUSIVE})$`, 'i'), bound: 'max', inclusive: true },
  { words: new RegExp(`^(?:${MAX_EXCLUSIVE})$`, 'i'), bound: 'max', inclusive: false },
  { words: new RegExp(`^(?:${MIN_INCLUSIVE})$`, 'i'), bound: 'min', inclusive: true },
  { words: new RegExp(`^(?:${MIN_EXCLUSIVE})$`, 'i'), bound: 'min', inclusive: false },
];

const SIZE_VERB_BEFORE = /\b(?:be|of|is|are|range|length)\s*$/i;

/** Ranges: "between 8 and 64 characters", "from 1 to 10", "8-64 characters", "8 to 64 characters". */
function readRange(bare: boolean) {
  return (match: RegExpExecArray, { sentence, masked, context }: NumericRuleInput) => {
    const start = match.index;
    let end = start + match[0].length;
    const min = parseNumber(match[2]!);
    const max = parseNumber(match[5]!);
    if (!(max > min)) return undefined;
    const currency = currencyOf(match[4] ?? match[1], match[6] ?? match[3]);
    const unit = readUnit(masked.slice(end));
    // A bare "8-64" needs a unit, a currency or a verb saying it is a size.
    if (bare && !currency && !unit.unit) {
      if (!SIZE_VERB_BEFORE.test(masked.slice(0, start))) return undefined;
      if (min >= 1900 && max <= 2100) return undefined;
    }
    end += currency ? 0 : unit.length;
    const timed = unit.timeUnit !== undefined && !currency;
    const noun = timed ? clauseSubject(sentence, start) : undefined;
    const constraint: Constraint = {
      kind: 'range',
      min,
      max,
      ...unitField(currency ?? unit.unit),
      minInclusive: true,
      maxInclusive: true,
      subject: timed ? (noun ? `${noun} time` : 'time') : subjectFor(sentence, start, unit, currency),
      source: sentence,
      phrase: sentence.slice(start, end).trim(),
      ...context,
    };
    return { constraint, end };
  };
}

/** Limits with the comparator first: "at most 5 attempts", "up to 10 MB", "must not exceed $500". */
function readComparatorLimit(
  match: RegExpExecArray,
  { sentence, masked, context }: NumericRuleInput,
): NumericReading | undefined {
  const start = match.index;
  let end = start + match[0].length;
  const comparator = COMPARATORS.find(({ words }) => words.test(match[1]!));
  if (!comparator) return undefined;
  const { bound, inclusive } = comparator;
  const value = parseNumber(match[3]!);
  if (Number.isNaN(value)) return undefined;
  const currency = currencyOf(match[2], match[4]);
  const unit = currency ? NO_UNIT : readUnit(masked.slice(end));
  end += unit.length;
  const phrase = sentence.slice(start, end).trim();
  if (unit.timeUnit && !/^\s*old\b/i.test(masked.slice(end))) {
    const relation = bound === 'max' ? 'within' : 'after';
    const constraint = durationConstraint(value, unit.timeUnit, relation, sentence, start, phrase, context);
    return { constraint, end };
  }
  // "up to" and "over" also appear in plain prose ("up to date", "over the weekend"): need a number.
  if (!currency && !unit.unit && !clauseSubject(sentence, start)) return undefined;
  const subject = unit.timeUnit ? 'age' : subjectFor(sentence, start, unit, currency);
  const constraint: Constraint = {
    kind: 'limit',
    bound,
    value,
    inclusive,
    ...unitField(currency ?? unit.unit),
    subject,
    source: sentence,
    phrase,
    ...context,
  };
  return { constraint, end };
}

/** Limits with the comparator last: "8 characters or more", "5 files maximum". */
function readPostfixLimit(match: RegExpExecArray, { sentence, context }: NumericRuleInput): NumericReading {
  const start = match.index;
  const end = start + match[0].length;
  const currency = currencyOf(match[1], match[3]);
  const unit = readUnit(' ' + match[4]!);
  const bound = /more|greater|higher|minimum|min|least/.test(match[5]!.toLowerCase()) ? 'min' : 'max';
  const constraint: Constraint = {
    kind: 'limit',
    bound,
    value: parseNumber(match[2]!),
    inclusive: true,
    ...unitField(currency ?? unit.unit),
    subject: subjectFor(sentence, start, unit, currency),
    source: sentence,
    phrase: sentence.slice(start, end).trim(),
    ...context,
  };
  return { constraint, end };
}

/** "the maximum order amount is $1,000", "minimum age: 18". */
function readNamedLimit(
  match: RegExpExecArray,
  { sentence, masked, context }: NumericRuleInput,
): NumericReading {
  const start = match.index;
  let end = start + match[0].length;
  const currency = currencyOf(match[3], match[5]);
  const unit = currency ? NO_UNIT : readUnit(masked.slice(end));
  end += unit.length;
  const unitName = currency ?? unit.unit;
  const constraint: Constraint = {
    kind: 'limit',
    bound: /^max/i.test(match[1]!) ? 'max' : 'min',
    value: parseNumber(match[4]!),
    inclusive: true,
    ...(unitName ? { unit: unitName } : {}),
    subject: cleanNounPhrase(match[2]!),
    source: sentence,
    phrase: sentence.slice(start, end).trim(),
    ...context,
  };
  return { constraint, end };
}

/** Thresholds: "after 5 failed login attempts the account is locked", "when 3 wrong passwords are entered". */
function readThreshold(match: RegExpExecArray, { sentence, context }: NumericRuleInput): NumericReading {
  const start = match.index;
  const end = start + match[0].length;
  const phraseWords = match[2]!.toLowerCase().replace(/\s+/g, ' ').trim();
  const constraint: Constraint = {
    kind: 'limit',
    bound: 'max',
    value: parseNumber(match[1]!),
    inclusive: false,
    unit: phraseWords.slice(phraseWords.lastIndexOf(' ') + 1),
    subject: phraseWords,
    source: sentence,
    phrase: sentence.slice(start, end).trim(),
    ...context,
  };
  return { constraint, end };
}

const ABOUT_TIME =
  /\b(?:expire|valid|timeout|time out|times out|lock|session|inactiv|idle|wait|later|old|ago|retain|kept|keep)/i;

/** Durations: "within 30 minutes", "after 15 minutes of inactivity", "expires in 24 hours", "1-hour link". */
function readDuration(
  match: RegExpExecArray,
  { sentence, masked, context }: NumericRuleInput,
): NumericReading | undefined {
  const start = match.index;
  const end = start + match[0].length;
  const unit = TIME_UNITS[match[3]!.toLowerCase()];
  if (!unit) return undefined;
  // A bare "2 days" with no timing word is a duration only when the sentence is about time.
  if (!match[1] && !ABOUT_TIME.test(sentence)) return undefined;
  const prefixWords = (match[1] ?? '') || masked.slice(Math.max(0, start - 30), start);
  const relation = durationRelation(sentence, prefixWords);
  const phrase = sentence.slice(start, end).trim();
  const value = parseNumber(match[2]!);
  return { constraint: durationConstraint(value, unit, relation, sentence, start, phrase, context), end };
}

/** Exact counts: "exactly 6 digits". */
function readExactCount(match: RegExpExecArray, { sentence, context }: NumericRuleInput): NumericReading {
  const start = match.index;
  const end = start + match[0].length;
  const unit = readUnit(' ' + match[2]!);
  const constraint: Constraint = {
    kind: 'count',
    value: parseNumber(match[1]!),
    ...unitField(unit.unit),
    subject: subjectFor(sentence, start, unit, undefined),
    source: sentence,
    phrase: sentence.slice(start, end).trim(),
    ...context,
  };
  return { constraint, end };
}

/** Exact counts written as an adjective: "a 6-digit code". */
function readHyphenatedCount(
  match: RegExpExecArray,
  { sentence, context }: NumericRuleInput,
): NumericReading {
  const start = match.index;
  const end = start + match[0].length;
  const unitWord = `${match[2]!.toLowerCase().replace(/^char$/, 'character')}s`;
  const noun = match[3] && !UNIT_STOP_WORDS.has(match[3].toLowerCase()) ? match[3].toLowerCase() : undefined;
  const constraint: Constraint = {
    kind: 'count',
    value: parseNumber(match[1]!),
    unit: unitWord,
    subject: `${noun ?? clauseSubject(sentence, start) ?? 'input'} length`,
    source: sentence,
    phrase: sentence.slice(start, end).trim(),
    ...context,
  };
  return { constraint, end };
}

/** Money amounts and percentages stated on their own: "a fee of $4.99", "a 10% discount". */
function readAmount(
  match: RegExpExecArray,
  { sentence, context }: NumericRuleInput,
): NumericReading | undefined {
  const start = match.index;
  const end = start + match[0].length;
  const value = parseNumber(match[2] ?? match[3]!);
  const currency = currencyOf(match[1], match[4]);
  if (!currency || Number.isNaN(value)) return undefined;
  const noun = clauseSubject(sentence, start);
  const after = /^\s*([A-Za-z]+)/.exec(sentence.slice(end))?.[1]?.toLowerCase();
  const subject =
    noun ?? (after && !UNIT_STOP_WORDS.has(after) ? after : currency === '%' ? 'percentage' : 'amount');
  return {
    constraint: {
      kind: 'amount',
      value,
      unit: currency,
      subject,
      source: sentence,
      phrase: sentence.slice(start, end).trim(),
      ...context,
    },
    end,
  };
}

const COMPARATOR_WORDS = [MAX_INCLUSIVE, MAX_EXCLUSIVE, MIN_INCLUSIVE, MIN_EXCLUSIVE].join('|');
const FAILURE_WORDS = '(?:consecutive|failed|unsuccessful|invalid|wrong|incorrect|login|sign-in|password)';

export const NUMERIC_RULES: NumericRule[] = [
  {
    name: 'range: between … and …',
    requires: /\bbetween\s/i,
    pattern: new RegExp(`\\bbetween\\s+${QUANTITY}\\s+and\\s+${QUANTITY}`, 'gi'),
    read: readRange(false),
  },
  {
    name: 'range: from … to …',
    requires: /\bfrom\s/i,
    pattern: new RegExp(`\\bfrom\\s+${QUANTITY}\\s+(?:to|up to|through|until)\\s+${QUANTITY}`, 'gi'),
    read: readRange(false),
  },
  {
    name: 'range: 8-64',
    requires: /[-–—]|to/i,
    pattern: new RegExp(`(?<![\\w.,-])${QUANTITY}\\s*(?:-|–|—|to)\\s*${QUANTITY}(?![\\w.-]*\\d)`, 'gi'),
    read: readRange(true),
  },
  {
    name: 'limit: comparator first',
    requires: new RegExp(`(?<![\\w])(?:${COMPARATOR_WORDS})`, 'i'),
    pattern: new RegExp(`(?<![\\w])(${COMPARATOR_WORDS})(?:\\s+of)?\\s*:?\\s*${QUANTITY}`, 'gi'),
    read: readComparatorLimit,
  },
  {
    name: 'limit: comparator last',
    requires:
      /\s(?:or more|or greater|or higher|or fewer|or less|or lower|maximum|max|minimum|min|at most|at least)\b/i,
    pattern: new RegExp(
      `(?<![\\w.,-])${QUANTITY}\\s+([A-Za-z][A-Za-z -]{0,30}?)\\s+(or more|or greater|or higher|or fewer|or less|or lower|maximum|max|minimum|min|at most|at least)\\b`,
      'gi',
    ),
    read: readPostfixLimit,
  },
  {
    name: 'limit: named maximum or minimum',
    requires: /\b(?:maximum|minimum|max|min)\s/i,
    pattern: new RegExp(
      `\\b(maximum|minimum|max|min)\\s+([A-Za-z][A-Za-z ]{0,30}?)\\s*(?:is|are|of|:)\\s*${QUANTITY}`,
      'gi',
    ),
    read: readNamedLimit,
  },
  {
    name: 'limit: threshold of attempts',
    requires: /\b(?:after|when|once|if)\s[\s\S]*(?:attempts|tries|failures|errors|passwords|codes|logins)/i,
    pattern: new RegExp(
      `\\b(?:after|when|once|if)\\s+(${NUMBER})\\s+((?:${FAILURE_WORDS}\\s+){0,3}(?:attempts|tries|failures|errors|passwords|codes|logins))`,
      'gi',
    ),
    read: readThreshold,
  },
  {
    name: 'duration',
    requires: /[\da-z][\s-]?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?)\b/i,
    pattern: new RegExp(
      `(\\b(?:within|after|in|for|every|valid for|expires? in|expires? after|no longer than|of)\\s+)?(?<![\\w.,-])(${NUMBER})[\\s-]?(seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?)\\b(?!\\s+old)`,
      'gi',
    ),
    read: readDuration,
  },
  {
    name: 'count: exactly',
    requires: /\bexactly\s/i,
    pattern: new RegExp(`\\bexactly\\s+(${NUMBER})\\s+([A-Za-z][A-Za-z -]{0,30})`, 'gi'),
    read: readExactCount,
  },
  {
    name: 'count: 6-digit',
    requires: /\d-(?:digit|character|letter|char)\b/i,
    pattern: /(?<![\w.,-])(\d+)-(digit|character|letter|char)\b\s*([A-Za-z]+)?/gi,
    read: readHyphenatedCount,
  },
  {
    name: 'amount',
    requires: /[$€£¥%]|per ?cent|USD|EUR|GBP|JPY|CHF/i,
    pattern: new RegExp(
      `(?<![\\w.,-])(?:(${CURRENCY_SYMBOL})\\s?(${NUMBER})|(${NUMBER})\\s?(%|percent\\b|per cent\\b|(?:USD|EUR|GBP|JPY|CHF)\\b))`,
      'gi',
    ),
    read: readAmount,
  },
];

/** A constraint without a unit has no `unit` field. */
function unitField(unit: string | undefined): { unit?: string } {
  return unit === undefined ? {} : { unit };
}
