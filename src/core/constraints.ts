import type { Story } from './model.ts';

/**
 * Deterministic extraction of the constraints a story states in plain words: ranges, limits,
 * counts, durations, amounts, roles, enumerations, required fields and formats. The offline rules
 * engine turns them into boundary and negative cases; the lint checks that generated cases test them.
 *
 * Plain regular expressions over one sentence at a time, no model: the same story always yields
 * the same constraints, in the order they appear (summary, description, then each criterion).
 */

/** Where in the story a constraint was stated. */
export type ConstraintOrigin = 'summary' | 'description' | 'criterion';

interface ConstraintBase {
  /** The thing constrained, in plain words: `password length`, `number of files`, `order total`. */
  subject: string;
  /** The sentence the constraint was read from. */
  source: string;
  /** The words that state the constraint, e.g. `between 8 and 64 characters`. */
  phrase: string;
  origin: ConstraintOrigin;
  /** The acceptance criterion it came from, when it came from one. */
  criterionId?: string;
}

/** `between 8 and 64 characters`, `8-64 characters`, `from 1 to 10 items`. */
export interface RangeConstraint extends ConstraintBase {
  kind: 'range';
  min: number;
  max: number;
  unit?: string;
  minInclusive: boolean;
  maxInclusive: boolean;
  /** The precision the story states (`in steps of 0.5 °C`); default: the values' own decimals. */
  step?: number;
}

/** `at most 5 attempts` (bound `max`), `at least 18 years old` (bound `min`), `under $500` (exclusive). */
export interface LimitConstraint extends ConstraintBase {
  kind: 'limit';
  bound: 'min' | 'max';
  value: number;
  inclusive: boolean;
  unit?: string;
  /** The precision the story states; default: the value's own decimals. */
  step?: number;
}

/** An exact count: `exactly 6 digits`, `a 6-digit code`. */
export interface CountConstraint extends ConstraintBase {
  kind: 'count';
  value: number;
  unit?: string;
}

export type TimeUnit = 'seconds' | 'minutes' | 'hours' | 'days' | 'weeks' | 'months' | 'years';

/**
 * A time limit. `within`: the action must happen before the time is up (`within 30 minutes`);
 * `after`: something changes once the time has passed (`after 15 minutes of inactivity`,
 * `expires in 24 hours`, `locked for 15 minutes`); `every`: a repeating interval.
 */
export interface DurationConstraint extends ConstraintBase {
  kind: 'duration';
  value: number;
  unit: TimeUnit;
  /** The duration in seconds (months count 30 days, years 365). */
  seconds: number;
  relation: 'within' | 'after' | 'every';
}

/** A money amount or percentage stated without a comparison: `a fee of $4.99`, `a 10% discount`. */
export interface AmountConstraint extends ConstraintBase {
  kind: 'amount';
  value: number;
  /** `USD`, `EUR`, `GBP`, `JPY` or `%`. */
  unit: string;
}

/** Who may do what: `only admins can delete users`, `as a registered user`, `guests cannot check out`. */
export interface RoleConstraint extends ConstraintBase {
  kind: 'role';
  role: string;
  permission: 'allowed' | 'denied';
  /** True for `only admins can …`: every other role is denied. */
  exclusive: boolean;
  /** What the role may or may not do, when stated. */
  action?: string;
}

/** A closed list of values: `one of: card, PayPal or bank transfer`. */
export interface EnumerationConstraint extends ConstraintBase {
  kind: 'enumeration';
  values: string[];
}

/** A field that must be given: `email is required`, `name must not be empty`. */
export interface RequiredConstraint extends ConstraintBase {
  kind: 'required';
}

/** A value that must have a format: `must be a valid email address`. */
export interface FormatConstraint extends ConstraintBase {
  kind: 'format';
  /** `email`, `url`, `phone number`, `date`, `numeric`, `alphanumeric`, `postal code`, … */
  format: string;
}

export type Constraint =
  | RangeConstraint
  | LimitConstraint
  | CountConstraint
  | DurationConstraint
  | AmountConstraint
  | RoleConstraint
  | EnumerationConstraint
  | RequiredConstraint
  | FormatConstraint;

export type ConstraintKind = Constraint['kind'];

/** One classic boundary value, with whether the story says it is accepted. */
export interface BoundaryValue {
  value: number;
  unit?: string;
  /** True when the value is inside the constraint (accepted, or still within the time). */
  valid: boolean;
  /** The value in words, e.g. `7 characters`, `$500.01`, `59 minutes`. */
  label: string;
  /** Where the value sits: `min-1`, `min`, `min+1`, `max-1`, `max`, `max+1`, `value-1`, `value`, `value+1`. */
  position: string;
}

// ---------------------------------------------------------------------------------------------
// Sentences and masking

const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  fifty: 50,
  hundred: 100,
};

const NUMBER = `(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')}`;
const CURRENCY_SYMBOL = '[$€£¥]';
const CURRENCY_CODE = 'USD|EUR|GBP|JPY|CHF|dollars?|euros?|pounds?';
/** A quantity: optional currency symbol, number, optional currency code or percent sign. */
const QUANTITY = `(${CURRENCY_SYMBOL})?\\s?(${NUMBER})(?:\\s?(%|percent\\b|per cent\\b|(?:${CURRENCY_CODE})\\b))?`;

const TIME_UNITS: Record<string, TimeUnit> = {
  s: 'seconds',
  sec: 'seconds',
  secs: 'seconds',
  second: 'seconds',
  seconds: 'seconds',
  min: 'minutes',
  mins: 'minutes',
  minute: 'minutes',
  minutes: 'minutes',
  h: 'hours',
  hr: 'hours',
  hrs: 'hours',
  hour: 'hours',
  hours: 'hours',
  day: 'days',
  days: 'days',
  week: 'weeks',
  weeks: 'weeks',
  month: 'months',
  months: 'months',
  year: 'years',
  years: 'years',
};
const SECONDS_PER: Record<TimeUnit, number> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86_400,
  weeks: 604_800,
  months: 2_592_000,
  years: 31_536_000,
};
const SMALLER_TIME_UNIT: Partial<Record<TimeUnit, TimeUnit>> = {
  minutes: 'seconds',
  hours: 'minutes',
  days: 'hours',
  weeks: 'days',
};

/** Units measured on a value (its length or size), as opposed to things being counted. */
const LENGTH_UNITS = new Set(['characters', 'chars', 'letters', 'digits', 'words', 'symbols']);
const SIZE_UNITS: Record<string, string> = {
  b: 'bytes',
  bytes: 'bytes',
  kb: 'KB',
  mb: 'MB',
  gb: 'GB',
  tb: 'TB',
};
/** Words after a number that end the unit phrase. */
const UNIT_STOP_WORDS = new Set([
  'and',
  'or',
  'but',
  'per',
  'in',
  'for',
  'of',
  'long',
  'before',
  'after',
  'within',
  'at',
  'to',
  'from',
  'is',
  'are',
  'must',
  'should',
  'can',
  'will',
  'may',
  'the',
  'a',
  'an',
  'each',
  'with',
  'without',
  'on',
  'by',
  'than',
  'inclusive',
  'exclusive',
  'old',
  'ago',
  'maximum',
  'minimum',
  'max',
  'min',
  'total',
  'allowed',
  'only',
  'or',
  'more',
  'fewer',
  'less',
  'later',
  'when',
  'if',
  'then',
  'that',
  'which',
  'its',
  'their',
]);

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

/**
 * Numbers that are not quantities: ids (`AC-1`, `SHOP-12`), dates, times, versions, `step 2`,
 * HTTP status codes. They are blanked out (same length, so positions stay true) before matching.
 */
const MASKS: RegExp[] = [
  /\b[A-Za-z][A-Za-z0-9]*-\d+\b/g,
  /\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?\b/g,
  /\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g,
  new RegExp(`\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?\\b`, 'gi'),
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\b(?:,?\\s+\\d{4})?`, 'gi'),
  /\b(?:in|since|until|from|during|year|before|after|by)\s+(?:19|20)\d{2}\b(?!\s*(?:characters|items|users|MB|KB|GB))/gi,
  /\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?\b/gi,
  /\b\d{1,2}\s*(?:am|pm)\b/gi,
  /\bv?\d+\.\d+\.\d+(?:[.-][0-9A-Za-z]+)*\b/g,
  /\b(?:version|release|v|ios|android|python|node|java|windows|api)\s*v?\d+(?:\.\d+)*\b/gi,
  /\b(?:step|section|page|figure|fig\.|chapter|line|phase|sprint|table|iteration|level|tier|stage|round|appendix|item|option|screen|column|row|slide|case|scenario|example|story|issue|ticket|bug|pr|#)\s*#?\d+\b/gi,
  /\b(?:http|status|error|code|response)\s+\d{3}\b/gi,
  /\b\d{3}\s+(?:error|status|response)\b/gi,
  /\b\d+(?:st|nd|rd|th)\b/gi,
  /#\d+\b/g,
];

function mask(sentence: string): string {
  let masked = sentence;
  for (const pattern of MASKS) {
    masked = masked.replace(pattern, (match) => ' '.repeat(match.length));
  }
  return masked;
}

/** Splits text into sentences without breaking decimals (`$4.99`), `e.g.` or list items. */
function splitSentences(text: string): string[] {
  const protectedText = text
    .replace(/\b(e\.g|i\.e|etc|vs|approx|incl|min|max|no)\./gi, (match) => match.replace('.', '\u2024'))
    // A wrapped line continues its sentence; a blank line or a list item starts a new one.
    .replace(/([^\n])\r?\n(?![ \t]*(?:\r?\n|[-*•]\s|\d+[.)]\s|#))[ \t]*/g, '$1 ');
  return protectedText
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((sentence) =>
      sentence
        .replace(/\u2024/g, '.')
        .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
        .trim(),
    )
    .filter((sentence) => sentence.length > 0);
}

function parseNumber(raw: string): number {
  const word = NUMBER_WORDS[raw.toLowerCase()];
  if (word !== undefined) return word;
  return Number(raw.replace(/,/g, ''));
}

function currencyOf(symbol: string | undefined, suffix: string | undefined): string | undefined {
  const code = (symbol ?? suffix ?? '').toLowerCase().trim();
  if (!code) return undefined;
  if (code === '%' || code === 'percent' || code === 'per cent') return '%';
  if (code === '$' || code.startsWith('usd') || code.startsWith('dollar')) return 'USD';
  if (code === '€' || code.startsWith('eur')) return 'EUR';
  if (code === '£' || code.startsWith('gbp') || code.startsWith('pound')) return 'GBP';
  if (code === '¥' || code === 'jpy') return 'JPY';
  return code.toUpperCase();
}

interface UnitReading {
  /** Normalised unit: `characters`, `MB`, `minutes`, `USD`, `%`, `attempts`… */
  unit?: string;
  /** The words after the number that name what is counted, e.g. `failed login attempts`. */
  phrase: string;
  timeUnit?: TimeUnit;
  length: number;
}

/** Reads the unit that follows a number (`characters`, `MB`, `failed login attempts`). */
function readUnit(after: string): UnitReading {
  const match = /^\s?-?\s?([A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*){0,3})/.exec(after);
  if (!match?.[1]) return { phrase: '', length: 0 };
  const words = match[1].split(/\s+/);
  const kept: string[] = [];
  for (const word of words) {
    if (UNIT_STOP_WORDS.has(word.toLowerCase())) break;
    kept.push(word);
    const lower = word.toLowerCase();
    if (TIME_UNITS[lower] || SIZE_UNITS[lower] || LENGTH_UNITS.has(lower)) break;
  }
  if (kept.length === 0) return { phrase: '', length: 0 };
  const first = kept[0]!.toLowerCase();
  const consumed = after.indexOf(kept[kept.length - 1]!) + kept[kept.length - 1]!.length;
  if (TIME_UNITS[first])
    return { unit: TIME_UNITS[first], timeUnit: TIME_UNITS[first], phrase: first, length: consumed };
  if (SIZE_UNITS[first])
    return { unit: SIZE_UNITS[first], phrase: first, length: after.indexOf(kept[0]!) + kept[0]!.length };
  if (LENGTH_UNITS.has(first) || LENGTH_UNITS.has(first + 's')) {
    const unit = first === 'chars' ? 'characters' : LENGTH_UNITS.has(first) ? first : first + 's';
    return { unit, phrase: unit, length: after.indexOf(kept[0]!) + kept[0]!.length };
  }
  const phrase = kept.join(' ').toLowerCase();
  const last = kept[kept.length - 1]!.toLowerCase();
  return { unit: last, phrase, length: consumed };
}

// ---------------------------------------------------------------------------------------------
// Subjects

const DETERMINERS =
  /^(?:the|a|an|each|every|any|all|his|her|their|its|your|my|our|this|that|these|those)\s+/i;
const MODAL =
  /\s+(?:must|should|shall|can(?:not)?|can't|may|might|will|won't|is|are|was|were|has|have|needs?\s+to|requires?|accepts?|allows?|supports?|gets?|receives?|contains?|includes?|gives?|offers?|costs?|holds?|takes?|shows?)\b/i;

function cleanNounPhrase(raw: string): string {
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
function clauseSubject(sentence: string, index: number): string | undefined {
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

const PLURAL_EXCEPTIONS = /(?:ss|us|is|news|series|access|canvas|alias)$/i;

/** `passwords` → `password`, for subjects like `password length`; leaves `status`, `address` alone. */
function singular(phrase: string): string {
  return phrase.replace(/([A-Za-z]{3,})s$/, (word, stem: string) =>
    PLURAL_EXCEPTIONS.test(word) ? word : stem,
  );
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

function subjectFor(
  sentence: string,
  index: number,
  unit: UnitReading,
  currency: string | undefined,
): string {
  const rawNoun = clauseSubject(sentence, index);
  const noun = rawNoun ? singular(rawNoun) : undefined;
  const unitWord = unit.unit;
  if (currency === '%') return noun ?? 'percentage';
  if (currency) return noun ?? 'amount';
  if (unitWord && LENGTH_UNITS.has(unitWord)) {
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

// ---------------------------------------------------------------------------------------------
// Numeric constraints

interface Context {
  origin: ConstraintOrigin;
  criterionId?: string;
}

const MAX_INCLUSIVE =
  'at most|no more than|not more than|maximum of|a maximum of|max(?:imum)?|up to|capped at|must not exceed|cannot exceed|can not exceed|may not exceed|should not exceed|not exceeding|does not exceed|limited to|a limit of|less than or equal to|≤|<=';
const MAX_EXCLUSIVE = 'fewer than|less than|under|below|shorter than|<';
const MIN_INCLUSIVE =
  'at least|no less than|not less than|no fewer than|minimum of|a minimum of|min(?:imum)?|greater than or equal to|≥|>=';
const MIN_EXCLUSIVE = 'more than|greater than|over|above|longer than|exceeding|>';

function isTimeUnit(unit: UnitReading): boolean {
  return unit.timeUnit !== undefined;
}

function durationConstraint(
  value: number,
  unit: TimeUnit,
  relation: DurationConstraint['relation'],
  sentence: string,
  index: number,
  phrase: string,
  context: Context,
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

function durationRelation(sentence: string, prefix: string): DurationConstraint['relation'] {
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

// A sentence without a digit or a number word states no numeric constraint: skip the rules.
const HAS_NUMBER = new RegExp(`\\d|\\b(?:${Object.keys(NUMBER_WORDS).join('|')})\\b`, 'i');

function numericConstraints(sentence: string, context: Context): Constraint[] {
  if (!HAS_NUMBER.test(sentence)) return [];
  const found: Constraint[] = [];
  const masked = mask(sentence);
  const taken: Array<[number, number]> = [];
  const overlaps = (start: number, end: number) => taken.some(([from, to]) => start < to && end > from);
  const push = (constraint: Constraint, start: number, end: number) => {
    found.push(constraint);
    taken.push([start, end]);
  };

  // Ranges: "between 8 and 64 characters", "from 1 to 10", "8-64 characters", "8 to 64 characters".
  const rangePatterns = [
    new RegExp(`\\bbetween\\s+${QUANTITY}\\s+and\\s+${QUANTITY}`, 'gi'),
    new RegExp(`\\bfrom\\s+${QUANTITY}\\s+(?:to|up to|through|until)\\s+${QUANTITY}`, 'gi'),
    new RegExp(`(?<![\\w.,-])${QUANTITY}\\s*(?:-|–|—|to)\\s*${QUANTITY}(?![\\w.-]*\\d)`, 'gi'),
  ];
  for (const [patternIndex, pattern] of rangePatterns.entries()) {
    for (const match of masked.matchAll(pattern)) {
      const start = match.index;
      let end = start + match[0].length;
      if (overlaps(start, end)) continue;
      const min = parseNumber(match[2]!);
      const max = parseNumber(match[5]!);
      if (!(max > min)) continue;
      const currency = currencyOf(match[4] ?? match[1], match[6] ?? match[3]);
      const unit = readUnit(masked.slice(end));
      // A bare "8-64" needs a unit, a currency or a verb saying it is a size.
      if (
        patternIndex === 2 &&
        !currency &&
        !unit.unit &&
        !/\b(?:be|of|is|are|range|length)\s*$/i.test(masked.slice(0, start))
      ) {
        continue;
      }
      if (patternIndex === 2 && !currency && !unit.unit && min >= 1900 && max <= 2100) continue;
      end += currency ? 0 : unit.length;
      const phrase = sentence.slice(start, end).trim();
      if (isTimeUnit(unit) && !currency) {
        const noun = clauseSubject(sentence, start);
        push(
          {
            kind: 'range',
            min,
            max,
            unit: unit.unit,
            minInclusive: true,
            maxInclusive: true,
            subject: noun ? `${noun} time` : 'time',
            source: sentence,
            phrase,
            ...context,
          },
          start,
          end,
        );
        continue;
      }
      push(
        {
          kind: 'range',
          min,
          max,
          unit: currency ?? unit.unit,
          minInclusive: true,
          maxInclusive: true,
          subject: subjectFor(sentence, start, unit, currency),
          source: sentence,
          phrase,
          ...context,
        },
        start,
        end,
      );
    }
  }

  // Limits with the comparator first: "at most 5 attempts", "up to 10 MB", "must not exceed $500".
  const comparators: Array<[string, 'min' | 'max', boolean]> = [
    [MAX_INCLUSIVE, 'max', true],
    [MAX_EXCLUSIVE, 'max', false],
    [MIN_INCLUSIVE, 'min', true],
    [MIN_EXCLUSIVE, 'min', false],
  ];
  const limitPattern = new RegExp(
    `(?<![\\w])(${comparators.map(([words]) => words).join('|')})(?:\\s+of)?\\s*:?\\s*${QUANTITY}`,
    'gi',
  );
  for (const match of masked.matchAll(limitPattern)) {
    const start = match.index;
    let end = start + match[0].length;
    if (overlaps(start, end)) continue;
    const comparatorText = match[1]!.toLowerCase();
    const comparator = comparators.find(([words]) => new RegExp(`^(?:${words})$`, 'i').test(comparatorText));
    if (!comparator) continue;
    const [, bound, inclusive] = comparator;
    const value = parseNumber(match[3]!);
    if (Number.isNaN(value)) continue;
    const currency = currencyOf(match[2], match[4]);
    const unit = currency ? { phrase: '', length: 0 } : readUnit(masked.slice(end));
    end += unit.length;
    const phrase = sentence.slice(start, end).trim();
    if (unit.timeUnit && !/^\s*old\b/i.test(masked.slice(end))) {
      const relation = bound === 'max' ? 'within' : 'after';
      push(durationConstraint(value, unit.timeUnit, relation, sentence, start, phrase, context), start, end);
      continue;
    }
    // "up to" and "over" also appear in plain prose ("up to date", "over the weekend"): need a number.
    if (!currency && !unit.unit && !clauseSubject(sentence, start)) continue;
    const subject = unit.timeUnit ? 'age' : subjectFor(sentence, start, unit, currency);
    push(
      {
        kind: 'limit',
        bound,
        value,
        inclusive,
        unit: currency ?? unit.unit,
        subject,
        source: sentence,
        phrase,
        ...context,
      },
      start,
      end,
    );
  }

  // Limits with the comparator last: "8 characters or more", "5 files maximum".
  const postfixPattern = new RegExp(
    `(?<![\\w.,-])${QUANTITY}\\s+([A-Za-z][A-Za-z -]{0,30}?)\\s+(or more|or greater|or higher|or fewer|or less|or lower|maximum|max|minimum|min|at most|at least)\\b`,
    'gi',
  );
  for (const match of masked.matchAll(postfixPattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (overlaps(start, end)) continue;
    const value = parseNumber(match[2]!);
    const currency = currencyOf(match[1], match[3]);
    const unit = readUnit(' ' + match[4]!);
    const postfix = match[5]!.toLowerCase();
    const bound = /more|greater|higher|minimum|min|least/.test(postfix) ? 'min' : 'max';
    push(
      {
        kind: 'limit',
        bound,
        value,
        inclusive: true,
        unit: currency ?? unit.unit,
        subject: subjectFor(sentence, start, unit, currency),
        source: sentence,
        phrase: sentence.slice(start, end).trim(),
        ...context,
      },
      start,
      end,
    );
  }

  // "the maximum order amount is $1,000", "minimum age: 18".
  const namedLimit = new RegExp(
    `\\b(maximum|minimum|max|min)\\s+([A-Za-z][A-Za-z ]{0,30}?)\\s*(?:is|are|of|:)\\s*${QUANTITY}`,
    'gi',
  );
  for (const match of masked.matchAll(namedLimit)) {
    const start = match.index;
    let end = start + match[0].length;
    if (overlaps(start, end)) continue;
    const value = parseNumber(match[4]!);
    const currency = currencyOf(match[3], match[5]);
    const unit = currency ? { phrase: '', length: 0 } : readUnit(masked.slice(end));
    end += unit.length;
    push(
      {
        kind: 'limit',
        bound: /^max/i.test(match[1]!) ? 'max' : 'min',
        value,
        inclusive: true,
        ...((currency ?? unit.unit) ? { unit: currency ?? unit.unit } : {}),
        subject: cleanNounPhrase(match[2]!),
        source: sentence,
        phrase: sentence.slice(start, end).trim(),
        ...context,
      },
      start,
      end,
    );
  }

  // Thresholds: "after 5 failed login attempts the account is locked", "when 3 wrong passwords are entered".
  const afterAttempts = new RegExp(
    `\\b(?:after|when|once|if)\\s+(${NUMBER})\\s+((?:(?:consecutive|failed|unsuccessful|invalid|wrong|incorrect|login|sign-in|password)\\s+){0,3}(?:attempts|tries|failures|errors|passwords|codes|logins))`,
    'gi',
  );
  for (const match of masked.matchAll(afterAttempts)) {
    const start = match.index;
    const end = start + match[0].length;
    if (overlaps(start, end)) continue;
    const phraseWords = match[2]!.toLowerCase().replace(/\s+/g, ' ').trim();
    push(
      {
        kind: 'limit',
        bound: 'max',
        value: parseNumber(match[1]!),
        inclusive: false,
        unit: phraseWords.split(' ').pop(),
        subject: phraseWords,
        source: sentence,
        phrase: sentence.slice(start, end).trim(),
        ...context,
      },
      start,
      end,
    );
  }

  // Durations: "within 30 minutes", "after 15 minutes of inactivity", "expires in 24 hours", "1-hour link".
  const durationPattern = new RegExp(
    `(\\b(?:within|after|in|for|every|valid for|expires? in|expires? after|no longer than|of)\\s+)?(?<![\\w.,-])(${NUMBER})[\\s-]?(seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?)\\b(?!\\s+old)`,
    'gi',
  );
  for (const match of masked.matchAll(durationPattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (overlaps(start, end)) continue;
    const unit = TIME_UNITS[match[3]!.toLowerCase()];
    if (!unit) continue;
    const prefixWords = (match[1] ?? '') || masked.slice(Math.max(0, start - 30), start);
    // A bare "2 days" with no timing word is a duration only when the sentence is about time.
    if (
      !match[1] &&
      !/\b(?:expire|valid|timeout|time out|times out|lock|session|inactiv|idle|wait|later|old|ago|retain|kept|keep)/i.test(
        sentence,
      )
    ) {
      continue;
    }
    const relation = durationRelation(sentence, prefixWords);
    const phrase = sentence.slice(start, end).trim();
    push(
      durationConstraint(parseNumber(match[2]!), unit, relation, sentence, start, phrase, context),
      start,
      end,
    );
  }

  // Exact counts: "exactly 6 digits", "a 6-digit code".
  const countPatterns = [
    new RegExp(`\\bexactly\\s+(${NUMBER})\\s+([A-Za-z][A-Za-z -]{0,30})`, 'gi'),
    /(?<![\w.,-])(\d+)-(digit|character|letter|char)\b\s*([A-Za-z]+)?/gi,
  ];
  for (const [patternIndex, pattern] of countPatterns.entries()) {
    for (const match of masked.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (overlaps(start, end)) continue;
      const value = parseNumber(match[1]!);
      let unit: UnitReading;
      let subject: string;
      if (patternIndex === 1) {
        const unitWord = `${match[2]!.toLowerCase().replace(/^char$/, 'character')}s`;
        unit = { unit: unitWord, phrase: unitWord, length: 0 };
        const noun =
          match[3] && !UNIT_STOP_WORDS.has(match[3].toLowerCase()) ? match[3].toLowerCase() : undefined;
        subject = `${noun ?? clauseSubject(sentence, start) ?? 'input'} length`;
      } else {
        unit = readUnit(' ' + match[2]!);
        subject = subjectFor(sentence, start, unit, undefined);
      }
      push(
        {
          kind: 'count',
          value,
          unit: unit.unit,
          subject,
          source: sentence,
          phrase: sentence.slice(start, end).trim(),
          ...context,
        },
        start,
        end,
      );
    }
  }

  // Money amounts and percentages stated on their own: "a fee of $4.99", "a 10% discount".
  const amountPattern = new RegExp(
    `(?<![\\w.,-])(?:(${CURRENCY_SYMBOL})\\s?(${NUMBER})|(${NUMBER})\\s?(%|percent\\b|per cent\\b|(?:USD|EUR|GBP|JPY|CHF)\\b))`,
    'gi',
  );
  for (const match of masked.matchAll(amountPattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (overlaps(start, end)) continue;
    const value = parseNumber(match[2] ?? match[3]!);
    const currency = currencyOf(match[1], match[4]);
    if (!currency || Number.isNaN(value)) continue;
    const noun = clauseSubject(sentence, start);
    const after = /^\s*([A-Za-z]+)/.exec(sentence.slice(end))?.[1]?.toLowerCase();
    const subject =
      noun ?? (after && !UNIT_STOP_WORDS.has(after) ? after : currency === '%' ? 'percentage' : 'amount');
    push(
      {
        kind: 'amount',
        value,
        unit: currency,
        subject,
        source: sentence,
        phrase: sentence.slice(start, end).trim(),
        ...context,
      },
      start,
      end,
    );
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

// ---------------------------------------------------------------------------------------------
// Roles, enumerations, required fields, formats

const ROLE_NOUN =
  '(?:super[- ]?admins?|admins?|administrators?|managers?|users?|guests?|customers?|owners?|editors?|viewers?|members?|moderators?|agents?|sellers?|buyers?|authors?|reviewers?|operators?|staff|visitors?|employees?|supervisors?|approvers?|team leads?|shoppers?|account holders?|accountants?|auditors?|support agents?|clients?|vendors?|subscribers?|teachers?|students?|doctors?|patients?|developers?)\\b';
const ROLE_PHRASE = `((?:(?!only\\b|and\\b|or\\b|the\\b|can\\b|not\\b)[A-Za-z-]+\\s+){0,2}${ROLE_NOUN})`;

function cleanRole(raw: string): string {
  return raw.toLowerCase().replace(DETERMINERS, '').replace(/\s+/g, ' ').trim();
}

function cleanAction(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const action = raw
    .replace(/\s+(?:so that|in order to)\b.*$/i, '')
    .replace(/[.;:,]+$/, '')
    .trim();
  return action.length > 0 ? action : undefined;
}

function roleConstraints(sentence: string, context: Context): Constraint[] {
  const found: Constraint[] = [];
  const seen = new Set<string>();
  const push = (constraint: RoleConstraint) => {
    const key = `${constraint.role}|${constraint.permission}|${constraint.exclusive}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(constraint);
  };
  const only = new RegExp(
    `\\bonly\\s+(?:the\\s+|an?\\s+)?${ROLE_PHRASE}\\s+(?:(?:and|or)\\s+${ROLE_PHRASE}\\s+)?(?:can|may|are allowed to|is allowed to|are able to|is able to|have access to|has access to|have permission to|should be able to)\\s+([^.;]+)`,
    'gi',
  );
  for (const match of sentence.matchAll(only)) {
    for (const role of [match[1], match[2]]) {
      if (!role) continue;
      push({
        kind: 'role',
        role: cleanRole(role),
        permission: 'allowed',
        exclusive: true,
        ...optionalAction(cleanAction(match[3])),
        subject: 'role',
        source: sentence,
        phrase: match[0].trim(),
        ...context,
      });
    }
  }
  const accessibleOnly = new RegExp(
    `\\b(?:accessible|available|visible)\\s+(?:only\\s+)?to\\s+(?:the\\s+)?${ROLE_PHRASE}\\s+only\\b|\\b(?:accessible|available|visible)\\s+only\\s+to\\s+(?:the\\s+)?${ROLE_PHRASE}`,
    'gi',
  );
  for (const match of sentence.matchAll(accessibleOnly)) {
    const role = match[1] ?? match[2];
    if (!role) continue;
    const action = cleanNounPhrase(
      sentence.slice(0, match.index).replace(/\s+(?:is|are|must be|should be)\s*$/i, ''),
    );
    push({
      kind: 'role',
      role: cleanRole(role),
      permission: 'allowed',
      exclusive: true,
      ...optionalAction(action ? `access ${action}` : undefined),
      subject: 'role',
      source: sentence,
      phrase: match[0].trim(),
      ...context,
    });
  }
  const denied = new RegExp(
    `(?:^|[,;:]\\s*|\\b(?:and|but|while|whereas)\\s+)(?:the\\s+|an?\\s+)?${ROLE_PHRASE}\\s+(?:cannot|can't|can not|may not|must not|are not allowed to|is not allowed to|are not able to|is not able to|should not be able to|must not be able to|do not have access to|does not have access to|are denied|is denied)\\s+([^.;,]+)`,
    'gi',
  );
  for (const match of sentence.matchAll(denied)) {
    push({
      kind: 'role',
      role: cleanRole(match[1]!),
      permission: 'denied',
      exclusive: false,
      ...optionalAction(cleanAction(match[2])),
      subject: 'role',
      source: sentence,
      phrase: match[0].replace(/^[,;:\s]+/, '').trim(),
      ...context,
    });
  }
  const asA = new RegExp(
    `\\bas\\s+(?:an?|the)\\s+${ROLE_PHRASE}\\s*,?\\s*(?:I\\s+(?:want|would like|need|can|should be able)\\s+(?:to\\s+)?([^.;]+))?`,
    'gi',
  );
  for (const match of sentence.matchAll(asA)) {
    push({
      kind: 'role',
      role: cleanRole(match[1]!),
      permission: 'allowed',
      exclusive: false,
      ...optionalAction(cleanAction(match[2])),
      subject: 'role',
      source: sentence,
      phrase: match[0].trim(),
      ...context,
    });
  }
  return found;
}

function optionalAction(action: string | undefined): { action?: string } {
  return action ? { action } : {};
}

/** Splits "card, PayPal or bank transfer" into its items; undefined when it is not a short list. */
function splitList(raw: string): string[] | undefined {
  const text = raw
    .replace(/\s*\(.*?\)\s*/g, ' ')
    .replace(/[.;]+$/, '')
    .trim();
  if (/^(?:e\.g\.|for example|such as|including)/i.test(text)) return undefined;
  const items = text
    .split(/\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and\/or)\s+|\s*\/\s*/i)
    .map((item) =>
      item
        .replace(/^(?:either|only|the)\s+/i, '')
        .replace(/["“”'`*]/g, '')
        .trim(),
    )
    .filter((item) => item.length > 0);
  if (items.length < 2) return undefined;
  if (items.some((item) => item.split(/\s+/).length > 4)) return undefined;
  return items;
}

/** `formats` → `format`, `statuses` → `status`, `categories` → `category`: one value of the list. */
function singularCategory(noun: string): string {
  return noun
    .replace(/uses$/, 'us')
    .replace(/ies$/, 'y')
    .replace(/([^su])s$/, '$1');
}

function enumerationConstraints(sentence: string, context: Context): Constraint[] {
  const found: Constraint[] = [];
  const patterns: Array<{ pattern: RegExp; subjectGroup: number; listGroup: number }> = [
    // "status must be one of: Draft, Active or Archived", "method is one of card, PayPal or bank transfer"
    {
      pattern:
        /(?:^|[,;]\s*|\b(?:the|a|an)\s+)([A-Za-z][A-Za-z -]{0,40}?)\s+(?:must|should|shall|can|may|will)?\s*(?:be|is|are)\s+(?:either\s+)?one\s+of\s*:?\s*([^.;]+)/i,
      subjectGroup: 1,
      listGroup: 2,
    },
    // "status must be Draft, Active or Archived", "must be either A or B"
    {
      pattern:
        /(?:^|[,;]\s*|\b(?:the|a|an)\s+)([A-Za-z][A-Za-z -]{0,40}?)\s+(?:must|should|shall|can only|may only)\s+be\s+(?:either\s+)?([A-Z"“'][^.;]*?(?:,\s*[^.;,]+?)*\s+(?:or|and)\s+[^.;]+)/,
      subjectGroup: 1,
      listGroup: 2,
    },
    // "Supported formats are JPG, PNG and PDF", "Accepted payment methods: card, PayPal, bank transfer"
    {
      pattern:
        /(?:^|\b(?:the|a|an)\s+)((?:[A-Za-z-]+\s+){0,3}(?:types|formats|methods|options|values|statuses|states|currencies|languages|roles|categories|sizes|extensions|modes|channels|plans|levels))\s*(?:are|include|:)\s*(?:one of\s*:?\s*)?([^.;]+)/i,
      subjectGroup: 1,
      listGroup: 2,
    },
    // "pay with card, PayPal or bank transfer" — verb + "one of"
    {
      pattern: /\b(?:choose|select|pick|use)\s+(?:from\s+)?one\s+of\s*:?\s*([^.;]+)/i,
      subjectGroup: 0,
      listGroup: 1,
    },
  ];
  for (const { pattern, subjectGroup, listGroup } of patterns) {
    const match = pattern.exec(sentence);
    if (!match) continue;
    const values = splitList(match[listGroup]!);
    if (!values) continue;
    const subject =
      subjectGroup === 0
        ? (clauseSubject(sentence, match.index) ?? 'option')
        : singularCategory(
            cleanNounPhrase(match[subjectGroup]!).replace(
              /^(?:accepted|supported|allowed|available|valid)\s+/,
              '',
            ),
          ) || 'value';
    found.push({
      kind: 'enumeration',
      values,
      subject,
      source: sentence,
      phrase: match[0].replace(/^[,;\s]+/, '').trim(),
      ...context,
    });
    break;
  }
  return found;
}

const FORMATS: Array<[RegExp, string]> = [
  [/e-?mail(?:\s+address)?/i, 'email'],
  [/url|web\s?address|link/i, 'url'],
  [/phone(?:\s+number)?|telephone(?:\s+number)?|mobile(?:\s+number)?/i, 'phone number'],
  [/date/i, 'date'],
  [/postal\s+code|post\s?code|zip(?:\s+code)?/i, 'postal code'],
  [/iban/i, 'IBAN'],
  [/(?:credit\s+)?card\s+number/i, 'card number'],
  [/uuid/i, 'UUID'],
  [/number|integer|numeric(?:\s+value)?/i, 'numeric'],
  [/alphanumeric(?:\s+\w+)?/i, 'alphanumeric'],
];

function formatConstraints(sentence: string, context: Context): Constraint[] {
  const found: Constraint[] = [];
  const valid =
    /(?:^|[,;]\s*|\b(?:the|a|an|and)\s+)?([A-Za-z][A-Za-z -]{0,40}?)?\s*(?:must|should|shall|has to|needs to)\s+be\s+(?:a\s+|an\s+)?(?:valid|well-formed|correctly formatted|properly formatted)\s+([A-Za-z][A-Za-z -]{0,30}?)(?=[.,;)]|\s+(?:and|or|format|with|that|so|in|before)\b|$)|\b(?:valid|well-formed)\s+(e-?mail(?:\s+address)?|url|phone number|postal code|iban)\b|\b(?:must|should)\s+be\s+(numeric|alphanumeric|a number|an integer)\b|\bin\s+(?:the\s+)?([A-Z]{2,4}(?:[-/.][A-Z]{2,4}){1,2}|[a-z]{2,4}(?:[-/.][a-z]{2,4}){1,2})\s+format\b/g;
  for (const match of sentence.matchAll(valid)) {
    const described = match[2] ?? match[3] ?? match[4];
    let format: string | undefined;
    if (match[5]) format = `date (${match[5]})`;
    else if (described)
      format = FORMATS.find(([pattern]) => pattern.test(described))?.[1] ?? cleanNounPhrase(described);
    if (!format) continue;
    const subjectRaw = match[1] ? cleanNounPhrase(match[1]) : undefined;
    if (!match[2]) {
      // "a valid email", "must be numeric": the format names the thing.
      found.push({
        kind: 'format',
        format: format === 'a number' || format === 'an integer' ? 'numeric' : format,
        subject: match[3] ? cleanNounPhrase(match[3]) : (clauseSubject(sentence, match.index) ?? 'value'),
        source: sentence,
        phrase: match[0].replace(/^[,;\s]+/, '').trim(),
        ...context,
      });
      continue;
    }
    const subject =
      subjectRaw && subjectRaw.split(' ').length <= 4 && !/^(?:it|this|value|input)$/.test(subjectRaw)
        ? subjectRaw
        : (clauseSubject(sentence, match.index) ?? (described ? cleanNounPhrase(described) : format));
    found.push({
      kind: 'format',
      format: format === 'a number' || format === 'an integer' ? 'numeric' : format,
      subject,
      source: sentence,
      phrase: match[0].replace(/^[,;\s]+/, '').trim(),
      ...context,
    });
  }
  return found;
}

function requiredConstraints(sentence: string, context: Context): Constraint[] {
  const found: Constraint[] = [];
  const fieldsList = /\b(?:required|mandatory)\s+fields?\s*(?:are|:|include)\s*([^.;]+)/i.exec(sentence);
  if (fieldsList) {
    const values = splitList(fieldsList[1]!) ?? [fieldsList[1]!.trim()];
    for (const value of values) {
      found.push({
        kind: 'required',
        subject: cleanNounPhrase(value),
        source: sentence,
        phrase: fieldsList[0].trim(),
        ...context,
      });
    }
    return found;
  }
  const pattern =
    /(?:^|[;:]\s*|\b(?:but|then)\s+)([A-Za-z][A-Za-z' ,-]{0,80}?)\s+(?:(?:is|are)\s+(?:required|mandatory)|(?:must|should|shall|cannot|can't|may not)\s+(?:not\s+)?be\s+(?:left\s+)?(?:empty|blank|omitted|provided|filled(?:\s+in)?|entered|given|supplied|specified))\b/gi;
  for (const match of sentence.matchAll(pattern)) {
    // "The street, city and postal code are required"; "If X happens, name and email are required".
    const whole = match[1]!.replace(/^(?:both|all of)\s+/i, '');
    const lastClause = whole.split(',').pop()!.trim();
    const fields = splitList(whole) ?? splitList(lastClause) ?? [lastClause];
    for (const field of fields) {
      const subject = cleanNounPhrase(field);
      if (!subject || subject.split(' ').length > 5 || /^(?:it|this|that|they|which|there)$/.test(subject))
        continue;
      found.push({
        kind: 'required',
        subject,
        source: sentence,
        phrase: match[0].replace(/^[,;:\s]+/, '').trim(),
        ...context,
      });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Public API

function constraintKey(constraint: Constraint): string {
  switch (constraint.kind) {
    case 'range':
      return `range|${constraint.subject}|${constraint.min}|${constraint.max}|${constraint.unit ?? ''}`;
    case 'limit':
      return `limit|${constraint.subject}|${constraint.bound}|${constraint.value}|${constraint.unit ?? ''}`;
    case 'count':
      return `count|${constraint.subject}|${constraint.value}|${constraint.unit ?? ''}`;
    case 'duration':
      return `duration|${constraint.seconds}|${constraint.relation}`;
    case 'amount':
      return `amount|${constraint.value}|${constraint.unit}`;
    case 'role':
      return `role|${constraint.role}|${constraint.permission}|${constraint.exclusive}`;
    case 'enumeration':
      return `enumeration|${constraint.values.join(',').toLowerCase()}`;
    case 'required':
      return `required|${constraint.subject}`;
    case 'format':
      return `format|${constraint.subject}|${constraint.format}`;
  }
}

/** Every constraint stated in one piece of text (a sentence or several). */
export function extractConstraintsFromText(
  text: string,
  context: Context = { origin: 'criterion' },
  options: { roles?: boolean } = {},
): Constraint[] {
  const found: Constraint[] = [];
  for (const sentence of splitSentences(text)) {
    found.push(
      ...numericConstraints(sentence, context),
      ...(options.roles === false ? [] : roleConstraints(sentence, context)),
      ...enumerationConstraints(sentence, context),
      ...requiredConstraints(sentence, context),
      ...formatConstraints(sentence, context),
    );
  }
  return found;
}

/**
 * The constraints a story states, in story order (summary, description, then each criterion),
 * without duplicates: when the description and a criterion say the same thing, the criterion's
 * copy is kept (it carries `criterionId`).
 *
 * @example
 * extractConstraints(story)
 * // [{ kind: 'range', subject: 'password length', min: 8, max: 64, unit: 'characters',
 * //    minInclusive: true, maxInclusive: true, criterionId: 'AC-2', source: '…', phrase: 'between 8 and 64 characters' }]
 */
export function extractConstraints(story: Story): Constraint[] {
  const ordered: Array<{ constraint: Constraint; order: number }> = [];
  let order = 0;
  const fromText = (text: string, context: Context) => {
    for (const constraint of extractConstraintsFromText(text, context))
      ordered.push({ constraint, order: order++ });
  };
  fromText(story.summary, { origin: 'summary' });
  fromText(story.description, { origin: 'description' });
  for (const criterion of story.acceptanceCriteria)
    fromText(criterion.text, { origin: 'criterion', criterionId: criterion.id });

  // Keep one copy per key, preferring a criterion's, at the position of the first mention.
  const byKey = new Map<string, { constraint: Constraint; order: number }>();
  for (const entry of ordered) {
    const key = constraintKey(entry.constraint);
    const existing = byKey.get(key);
    if (!existing) byKey.set(key, entry);
    else if (
      (!existing.constraint.criterionId && entry.constraint.criterionId) ||
      (existing.constraint.kind === 'role' &&
        entry.constraint.kind === 'role' &&
        !existing.constraint.action &&
        entry.constraint.action)
    ) {
      byKey.set(key, { constraint: entry.constraint, order: existing.order });
    }
  }
  return [...byKey.values()].sort((left, right) => left.order - right.order).map((entry) => entry.constraint);
}

function decimalsOf(value: number): number {
  const text = String(value);
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

function isMoney(unit: string | undefined): boolean {
  return unit !== undefined && /^[A-Z]{3}$/.test(unit);
}

// One formatter each, made once: `toLocaleString` builds a new one on every call.
const WHOLE_AMOUNT = new Intl.NumberFormat('en-US');
const MONEY_AMOUNT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A value with its unit in words: `7 characters`, `1 character`, `$500.01`, `10%`. */
export function formatQuantity(value: number, unit: string | undefined): string {
  if (unit === '%') return `${value}%`;
  if (isMoney(unit)) {
    const amount = unit === 'JPY' ? WHOLE_AMOUNT.format(Math.round(value)) : MONEY_AMOUNT.format(value);
    const symbol = CURRENCY_SYMBOLS[unit!];
    return symbol ? `${symbol}${amount}` : `${amount} ${unit}`;
  }
  if (!unit) return String(value);
  const singular = value === 1 && /[^s]s$/.test(unit) ? unit.slice(0, -1) : unit;
  return `${value} ${singular}`;
}

function stepFor(values: number[], unit: string | undefined): number {
  if (isMoney(unit) && unit !== 'JPY') return 0.01;
  const decimals = Math.max(...values.map(decimalsOf));
  return decimals === 0 ? 1 : 10 ** -decimals;
}

function round(value: number, step: number): number {
  const decimals = decimalsOf(step);
  return Number(value.toFixed(decimals));
}

/**
 * The classic boundary values of a numeric constraint (min-1, min, min+1, max-1, max, max+1 as they
 * apply), each with whether it is accepted. Values below zero are left out; a one-unit duration is
 * expressed in the next smaller unit (`1 hour` → 59, 60 and 61 minutes). Non-numeric constraints
 * (roles, enumerations, required fields, formats, amounts) have none.
 *
 * @example
 * boundaryValuesFor({ kind: 'range', min: 8, max: 64, unit: 'characters', minInclusive: true, maxInclusive: true, … })
 * // 7 ✗, 8 ✓, 9 ✓, 63 ✓, 64 ✓, 65 ✗
 */
export function boundaryValuesFor(constraint: Constraint): BoundaryValue[] {
  const values: BoundaryValue[] = [];
  const add = (value: number, valid: boolean, position: string, unit: string | undefined, step: number) => {
    const rounded = round(value, step);
    if (rounded < 0) return;
    if (values.some((existing) => existing.value === rounded)) return;
    values.push({
      value: rounded,
      ...(unit ? { unit } : {}),
      valid,
      label: formatQuantity(rounded, unit),
      position,
    });
  };
  switch (constraint.kind) {
    case 'range': {
      const step = constraint.step ?? stepFor([constraint.min, constraint.max], constraint.unit);
      add(constraint.min - step, false, 'min-1', constraint.unit, step);
      add(constraint.min, constraint.minInclusive, 'min', constraint.unit, step);
      add(constraint.min + step, true, 'min+1', constraint.unit, step);
      add(constraint.max - step, true, 'max-1', constraint.unit, step);
      add(constraint.max, constraint.maxInclusive, 'max', constraint.unit, step);
      add(constraint.max + step, false, 'max+1', constraint.unit, step);
      break;
    }
    case 'limit': {
      const step = constraint.step ?? stepFor([constraint.value], constraint.unit);
      if (constraint.bound === 'max') {
        add(constraint.value - step, true, 'max-1', constraint.unit, step);
        add(constraint.value, constraint.inclusive, 'max', constraint.unit, step);
        add(constraint.value + step, false, 'max+1', constraint.unit, step);
      } else {
        add(constraint.value - step, false, 'min-1', constraint.unit, step);
        add(constraint.value, constraint.inclusive, 'min', constraint.unit, step);
        add(constraint.value + step, true, 'min+1', constraint.unit, step);
      }
      break;
    }
    case 'count': {
      const step = stepFor([constraint.value], constraint.unit);
      add(constraint.value - step, false, 'value-1', constraint.unit, step);
      add(constraint.value, true, 'value', constraint.unit, step);
      add(constraint.value + step, false, 'value+1', constraint.unit, step);
      break;
    }
    case 'duration': {
      let value = constraint.value;
      let unit: TimeUnit = constraint.unit;
      const smaller = SMALLER_TIME_UNIT[unit];
      if (value === 1 && smaller) {
        value = SECONDS_PER[unit] / SECONDS_PER[smaller];
        unit = smaller;
      }
      const step = stepFor([value], unit);
      // within: the limit itself still counts; after: the change happens when the time is reached.
      const atLimitValid = constraint.relation === 'within';
      add(value - step, true, 'value-1', unit, step);
      add(value, atLimitValid, 'value', unit, step);
      add(value + step, false, 'value+1', unit, step);
      break;
    }
    default:
      break;
  }
  return values;
}
