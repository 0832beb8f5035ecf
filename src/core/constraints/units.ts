import type { TimeUnit } from './types.ts';

/** Numbers, currencies and units as they are written in English requirements. */

export const NUMBER_WORDS: Record<string, number> = {
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

export const NUMBER = `(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join('|')}`;
export const CURRENCY_SYMBOL = '[$€£¥]';
const CURRENCY_CODE = 'USD|EUR|GBP|JPY|CHF|dollars?|euros?|pounds?';
/** A quantity: optional currency symbol, number, optional currency code or percent sign. */
export const QUANTITY = `(${CURRENCY_SYMBOL})?\\s?(${NUMBER})(?:\\s?(%|percent\\b|per cent\\b|(?:${CURRENCY_CODE})\\b))?`;

export const TIME_UNITS: Record<string, TimeUnit> = {
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
export const SECONDS_PER: Record<TimeUnit, number> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86_400,
  weeks: 604_800,
  months: 2_592_000,
  years: 31_536_000,
};
export const SMALLER_TIME_UNIT: Partial<Record<TimeUnit, TimeUnit>> = {
  minutes: 'seconds',
  hours: 'minutes',
  days: 'hours',
  weeks: 'days',
};

/** Units measured on a value (its length or size), as opposed to things being counted. */
export const LENGTH_UNIT =
  /^(?:characters?|chars?|letters?|digits?|words?|symbols?|Zeichen|caractères|caracteres|dígitos|chiffres|Ziffern)$/i;
const ENGLISH_SINGULAR_LENGTH = /^(?:character|letter|digit|word|symbol)$/;

/** True for a currency code (`USD`, `EUR`, `JPY`): amounts step by 0.01 and print with a symbol. */
export function isMoney(unit: string | undefined): boolean {
  return unit !== undefined && /^[A-Z]{3}$/.test(unit);
}
export const SIZE_UNITS: Record<string, string> = {
  b: 'bytes',
  bytes: 'bytes',
  kb: 'KB',
  mb: 'MB',
  gb: 'GB',
  tb: 'TB',
};
/** Words after a number that end the unit phrase. */
export const UNIT_STOP_WORDS = new Set([
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

export function parseNumber(raw: string): number {
  const word = NUMBER_WORDS[raw.toLowerCase()];
  if (word !== undefined) return word;
  return Number(raw.replace(/,/g, ''));
}

export function currencyOf(symbol: string | undefined, suffix: string | undefined): string | undefined {
  const code = (symbol ?? suffix ?? '').toLowerCase().trim();
  if (!code) return undefined;
  if (code === '%' || code === 'percent' || code === 'per cent') return '%';
  if (code === '$' || code.startsWith('usd') || code.startsWith('dollar')) return 'USD';
  if (code === '€' || code.startsWith('eur')) return 'EUR';
  if (code === '£' || code.startsWith('gbp') || code.startsWith('pound')) return 'GBP';
  if (code === '¥' || code === 'jpy') return 'JPY';
  return code.toUpperCase();
}

export interface UnitReading {
  /** Normalised unit: `characters`, `MB`, `minutes`, `USD`, `%`, `attempts`… */
  unit?: string;
  /** The words after the number that name what is counted, e.g. `failed login attempts`. */
  phrase: string;
  timeUnit?: TimeUnit;
  length: number;
}

/** Reads the unit that follows a number (`characters`, `MB`, `failed login attempts`). */
export function readUnit(after: string): UnitReading {
  const match = /^\s?-?\s?([A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*){0,3})/.exec(after);
  if (!match?.[1]) return { phrase: '', length: 0 };
  const words = match[1].split(/\s+/);
  const kept: string[] = [];
  for (const word of words) {
    if (UNIT_STOP_WORDS.has(word.toLowerCase())) break;
    kept.push(word);
    const lower = word.toLowerCase();
    if (TIME_UNITS[lower] || SIZE_UNITS[lower] || LENGTH_UNIT.test(lower)) break;
  }
  if (kept.length === 0) return { phrase: '', length: 0 };
  const first = kept[0]!.toLowerCase();
  const consumed = after.indexOf(kept[kept.length - 1]!) + kept[kept.length - 1]!.length;
  if (TIME_UNITS[first])
    return { unit: TIME_UNITS[first], timeUnit: TIME_UNITS[first], phrase: first, length: consumed };
  if (SIZE_UNITS[first])
    return { unit: SIZE_UNITS[first], phrase: first, length: after.indexOf(kept[0]!) + kept[0]!.length };
  if (LENGTH_UNIT.test(first)) {
    const unit = /^chars?$/.test(first)
      ? 'characters'
      : ENGLISH_SINGULAR_LENGTH.test(first)
        ? `${first}s`
        : first;
    return { unit, phrase: unit, length: after.indexOf(kept[0]!) + kept[0]!.length };
  }
  const phrase = kept.join(' ').toLowerCase();
  const last = kept[kept.length - 1]!.toLowerCase();
  return { unit: last, phrase, length: consumed };
}
