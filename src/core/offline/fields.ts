import { formatQuantity, type Constraint } from '../constraints/index.ts';
import { subjectOf, type StoryLanguage } from '../criteria/index.ts';
import type { Phrases, Wording } from './phrases.ts';
import { formatExamples, sampleFor, textOfLength } from './test-data.ts';
import { LENGTH_UNIT } from '../constraints/units.ts';
import { capitalize, singularNoun } from '../words.ts';

/** How a tester produces a value of a constraint. */
export type ValueMode =
  | 'choice'
  | 'length'
  | 'size'
  | 'number'
  | 'age'
  | 'span'
  | 'clock'
  | 'accumulate'
  | 'threshold'
  | 'required'
  | 'format';

/** A constraint with how its values are produced. */
export interface Field {
  constraint: Constraint;
  mode: ValueMode;
  /** The field's name as the steps say it: `leave type`, `health insurance number`. */
  subject: string;
}

/** One step of a case, with its data when the data is more than the step says. */
export interface CaseStep {
  wording: Wording;
  data?: string;
  /** What the tester observes right after this step, when it is not the case's final result. */
  expected?: string;
}

const SIZE_UNITS = /^(?:bytes|KB|MB|GB|TB)$/;
const TIME_UNITS =
  /\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|Sekunden|Minuten|Stunden|Tage|Tagen|Wochen|Monate|secondes|heures|jours|semaines|mois|segundos|minutos|horas|días|semanas|meses)\b/i;
const DAY_SPANS =
  /^(?:days?|nights?|working days?|business days?|Tage|Arbeitstage|Nächte|jours|nuits|jours ouvrés|días|noches|días hábiles)$/i;
const CLOCK_WORDS =
  /\b(?:within|after|before|for|in advance|ahead|expires?|since|of delivery|nach|vor|innerhalb|seit|après|avant|dans|después|antes|dentro)\b/i;
const MEASURES = /^(?:%|percent|°C|°F|mg|g|kg|ml|l|km|m|cm|years?|[A-Z]{3})$/;

function unitOf(constraint: Constraint): string | undefined {
  return 'unit' in constraint ? constraint.unit : undefined;
}

/** How the values of a numeric or listed constraint are produced by a tester. */
export function modeOf(constraint: Constraint): ValueMode | undefined {
  const unit = unitOf(constraint);
  switch (constraint.kind) {
    case 'enumeration':
      return 'choice';
    case 'required':
      return 'required';
    case 'format':
      return 'format';
    case 'duration':
      return constraint.relation === 'every' ? undefined : 'clock';
    case 'count':
      return unit && LENGTH_UNIT.test(unit) ? 'length' : 'number';
    case 'range':
    case 'limit':
      break;
    default:
      return undefined;
  }
  if (constraint.kind === 'limit' && /^(?:after|nach|après|después)\b/i.test(constraint.phrase))
    return 'threshold';
  if (!unit) return 'number';
  if (LENGTH_UNIT.test(unit)) return 'length';
  if (SIZE_UNITS.test(unit)) return 'size';
  if (/^years?$/i.test(unit) && /\b(?:old|age|aged)\b/i.test(constraint.source)) return 'age';
  if (/\sbefore\s/.test(unit)) return 'clock';
  if (TIME_UNITS.test(unit) && CLOCK_WORDS.test(constraint.source)) return 'clock';
  if (DAY_SPANS.test(unit)) return 'span';
  if (MEASURES.test(unit)) return 'number';
  if (constraint.kind === 'limit' && constraint.bound === 'max') return 'accumulate';
  return 'number';
}

/** The field name of a constraint: `password length` → `password`, `number of guests` → `number of guests`. */
export function fieldSubject(constraint: Constraint): string {
  return constraint.subject.replace(/\s+(?:length|size)$/i, '').replace(/^number of (\w+)s? time.*$/i, '$1');
}

/** A valid value of a constraint, for the positive flow. */
export function validValue(constraint: Constraint): number | string | undefined {
  switch (constraint.kind) {
    case 'enumeration':
      return constraint.values[0];
    case 'range': {
      // A short valid text (min + 2) can be written out; a middle length of 36 characters cannot.
      if (constraint.unit && LENGTH_UNIT.test(constraint.unit))
        return Math.min(constraint.max, constraint.min + 2);
      const middle = (constraint.min + constraint.max) / 2;
      const step =
        constraint.step ?? (Number.isInteger(constraint.min) && Number.isInteger(constraint.max) ? 1 : 0.01);
      return Math.round(middle / step) * step;
    }
    case 'limit':
      return constraint.bound === 'max'
        ? Math.max(1, Math.floor(constraint.value / 2))
        : constraint.value +
            (Number.isInteger(constraint.value) ? Math.max(1, Math.ceil(constraint.value / 2)) : 1);
    case 'count':
      return constraint.value;
    default:
      return undefined;
  }
}

/** A written-out value of exactly `length` characters, with the count said in the story's unit. */
function lengthValue(subject: string, length: number, unit: string | undefined): string {
  const text = textOfLength(subject, length, unit);
  return text.startsWith('"') ? `${text} (${formatQuantity(length, unit ?? 'characters')})` : text;
}

/** The event a time limit counts from: `within 30 days of delivery` → `after delivery`. */
function clockLabel(constraint: Constraint, value: number, language: StoryLanguage): string {
  const unit = unitOf(constraint) ?? '';
  if (/\sbefore\s/.test(unit)) {
    const [timeUnit, event] = unit.split(/\s+before\s+/);
    return `${formatQuantity(value, timeUnit)} ${language === 'en' ? 'before' : ''} ${event}`
      .replace(/\s+/g, ' ')
      .trim();
  }
  const label = formatQuantity(value, unit);
  const at = constraint.source.indexOf(constraint.phrase);
  const tail = (at >= 0 ? constraint.source.slice(at + constraint.phrase.length) : '')
    .split(/[;,.]/)[0]!
    .trim();
  if (language !== 'en') return tail ? `${label} ${tail}` : label;
  const event = /^(?:of|after|since)\s+(.+)$/i.exec(tail);
  if (event) return `${label} after ${event[1]!.replace(/^its\s+/i, 'the ')}`;
  if (/^in advance|^ahead/i.test(tail)) return `${label} before the chosen time`;
  return `${label} after the start`;
}

/** `be frozen and unfrozen` → participle phrase `frozen and unfrozen`; the verb before the limit. */
function verbBeforeLimit(constraint: Constraint): string {
  const at = constraint.source.indexOf(constraint.phrase);
  const before = at >= 0 ? constraint.source.slice(0, at) : '';
  const match = /\b(?:can|may|is|are)\s+(?:be\s+)?([\w ]+?)\s*$/i.exec(before);
  return match?.[1]?.trim() ?? 'have';
}

const PERIODS: Record<string, string> = {
  day: 'today',
  hour: 'in the current hour',
  minute: 'in the current minute',
  week: 'this week',
  month: 'this month',
};

/** The case for one value of a counted limit starts with everything below it already done. */
function accumulateWording(
  field: Field,
  value: number,
  phrases: Phrases,
): { preconditions: string[]; step: CaseStep } {
  const unit = unitOf(field.constraint) ?? 'items';
  const one = singularNoun(unit);
  const verb = verbBeforeLimit(field.constraint);
  const period = /\bper\s+(day|hour|minute|week|month)\b/i.exec(field.constraint.source)?.[1]?.toLowerCase();
  const during = period ? ` ${PERIODS[period]}` : '';
  const owner = /^number of /i.test(field.constraint.subject)
    ? (subjectOf(field.constraint.source)?.subject.toLowerCase() ?? 'account')
    : field.constraint.subject;
  const done = value - 1;
  if (phrases.language !== 'en') {
    return {
      preconditions: [`${done} ${unit}`],
      step: { wording: phrases.enter(field.subject, `${value} ${unit}`) },
    };
  }
  if (/^(?:have|hold|contain)$/i.test(verb)) {
    return {
      preconditions: [`The ${owner} already has ${done} ${done === 1 ? one : unit}`],
      step: { wording: phrases.instruction(`Add one more ${one} (${one} number ${value})`) },
    };
  }
  if (unit === 'times') {
    const participle = verb;
    const base = participle
      .split(/\s+(and|or)\s+/)
      .map((word) => (word === 'and' || word === 'or' ? 'or' : baseOf(word)))
      .join(' ');
    return {
      preconditions: [`The ${owner} was already ${participle} ${done} times${during}`],
      step: {
        wording: phrases.instruction(`${capitalize(base)} the ${owner} once more (time ${value}${during})`),
      },
    };
  }
  const participle = /ed$|sent$/.test(verb) ? verb : participleOf(verb);
  return {
    preconditions: [
      `${done} ${done === 1 ? one : unit} ${done === 1 ? 'was' : 'were'} already ${participle}${during}`,
    ],
    step: {
      wording: phrases.instruction(`${capitalize(baseOf(verb))} one more ${one} (${one} number ${value})`),
    },
  };
}

const BASES: Record<string, string> = {
  frozen: 'freeze',
  unfrozen: 'unfreeze',
  sent: 'send',
  paid: 'pay',
  retried: 'retry',
};

function baseOf(word: string): string {
  if (BASES[word]) return BASES[word]!;
  if (/ied$/.test(word)) return word.replace(/ied$/, 'y');
  if (/ered$|ted$|ded$/.test(word)) return word.replace(/ed$/, '');
  if (/ed$/.test(word)) return word.replace(/d$/, '');
  return word;
}

function participleOf(verb: string): string {
  if (verb === 'send') return 'sent';
  if (/e$/.test(verb)) return `${verb}d`;
  return `${verb}ed`;
}

/**
 * The preconditions and step that give a field one value, from a fresh state: a counted limit
 * starts with the values below already reached, never by repeating them inside the case.
 */
export function valueWording(
  field: Field,
  value: number | string,
  phrases: Phrases,
): { preconditions: string[]; step: CaseStep } {
  const unit = unitOf(field.constraint);
  const subject = field.subject;
  const number = typeof value === 'number' ? value : Number.NaN;
  const label = typeof value === 'number' ? formatQuantity(value, unit) : value;
  const plain = { preconditions: [] as string[] };
  switch (field.mode) {
    case 'choice':
      return { ...plain, step: { wording: phrases.select(subject, String(value)) } };
    case 'length':
      return { ...plain, step: { wording: phrases.enter(subject, lengthValue(subject, number, unit)) } };
    case 'size': {
      const file = `sample-${String(value).replace('.', '_')}${(unit ?? '').toLowerCase()}.pdf`;
      return { ...plain, step: { wording: phrases.upload(subject, `${label} (${file})`) } };
    }
    case 'age':
      return {
        ...plain,
        step: {
          wording: phrases.instruction(`Enter a date of birth that makes the applicant ${label} old today`),
        },
      };
    case 'span':
      return {
        ...plain,
        step: {
          wording:
            phrases.language === 'en'
              ? phrases.instruction(
                  `Choose a start date and an end date that span ${/days|nights/i.test(subject) && typeof value === 'number' ? `${value} ${subject}` : label}`,
                )
              : phrases.enter(subject, label),
        },
      };
    case 'clock':
      return {
        ...plain,
        step: { wording: phrases.clock(clockLabel(field.constraint, number, phrases.language)) },
      };
    case 'accumulate':
      return accumulateWording(field, number, phrases);
    case 'threshold': {
      const things = unit ?? 'attempts';
      const one = singularNoun(things);
      const done = number - 1;
      return {
        preconditions:
          done > 0
            ? [
                phrases.language === 'en'
                  ? `${done} ${done === 1 ? one : things} already made`
                  : `${done} ${things}`,
              ]
            : [],
        step: {
          wording:
            phrases.language === 'en'
              ? phrases.instruction(
                  `${/attempt/i.test(one) ? 'Make' : 'Enter'} one more ${one} (${one} number ${number})`,
                )
              : phrases.enter(subject, `${number} ${things}`),
        },
      };
    }
    case 'required':
      return { ...plain, step: { wording: phrases.enter(subject, `"${sampleFor(subject)}"`) } };
    case 'format':
      return {
        ...plain,
        step: { wording: phrases.enter(subject, `"${formatExamples(formatOf(field)).valid}"`) },
      };
    default:
      return { ...plain, step: { wording: phrases.enter(subject, label) } };
  }
}

function formatOf(field: Field): string {
  return field.constraint.kind === 'format' ? field.constraint.format : 'value';
}

/** The value a field has in the positive flow. */
export function validWording(
  field: Field,
  phrases: Phrases,
): { preconditions: string[]; step: CaseStep } | undefined {
  if (field.mode === 'required' || field.mode === 'format') return valueWording(field, '', phrases);
  if (field.mode === 'clock' || field.mode === 'threshold' || field.mode === 'accumulate') return undefined;
  const value = validValue(field.constraint);
  return value === undefined ? undefined : valueWording(field, value, phrases);
}
