import type {
  Constraint,
  EnumerationConstraint,
  LimitConstraint,
  RangeConstraint,
} from '../constraints/index.ts';
import { keyedPattern, type KeyedPattern } from './keyed-pattern.ts';
import type { StoryLanguage } from './language.ts';

/**
 * Limits and enumerations read by a table of rules run by one loop, in English, German, French and
 * Spanish: `between 5 °C and 30 °C in steps of 0.5 °C`, `höchstens 15 Arbeitstage`, `entre 1 et 9`,
 * `como máximo 30 días`, `must be 3, 6 or 12 months`, `until 24 hours before departure`.
 */
const NUMBER = String.raw`(\d{1,3}(?:[.,]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)`;
// A unit is one word, or two when the second is an English plural (`working days`, `expense lines`).
const UNIT = String.raw`(?:\s?(°C|°F|%|[\p{L}]*[^\s\d.,;:!?s]\s[a-z]+s\b|[\p{L}]+))?`;

interface NumericRule {
  kind: 'range' | 'max' | 'min' | 'exact' | 'before' | 'threshold';
  /** Compiled on first use, after a test of its opening words (see `keyedPattern`). */
  pattern: KeyedPattern;
}

const RULES: NumericRule[] = [
  {
    kind: 'range',
    pattern: keyedPattern(
      'between|zwischen|entre|compris entre',
      (words) => String.raw`\b(?:${words})\s+${NUMBER}${UNIT}\s+(?:and|und|et|y)\s+${NUMBER}${UNIT}`,
    ),
  },
  {
    kind: 'before',
    pattern: keyedPattern(
      "until|no later than|bis|jusqu'à|hasta",
      (words) =>
        String.raw`\b(?:${words})\s+${NUMBER}\s+(hours?|days?|minutes?|Stunden|Tage|heures|jours|horas|días)\s+(?:before|vor|avant|antes)`,
    ),
  },
  {
    kind: 'threshold',
    pattern: keyedPattern(
      'after|nach|après|después de',
      (words) => String.raw`\b(?:${words})\s+${NUMBER}\s+([\p{L}-]+(?:\s[\p{L}-]+)?)`,
    ),
  },
  {
    kind: 'max',
    pattern: keyedPattern(
      'at most|no more than|up to|höchstens|maximal|au maximum|au plus|como máximo|máximo',
      (words) => String.raw`\b(?:${words})\s+${NUMBER}${UNIT}`,
    ),
  },
  {
    kind: 'min',
    pattern: keyedPattern(
      'at least|mindestens|au moins|al menos|como mínimo',
      (words) => String.raw`\b(?:${words})\s+${NUMBER}${UNIT}`,
    ),
  },
  {
    kind: 'exact',
    pattern: keyedPattern(
      'exactly|genau|exactement|exactamente',
      (words) => String.raw`\b(?:${words})\s+${NUMBER}${UNIT}`,
    ),
  },
];

const NOT_UNITS = /^(?:and|or|und|oder|et|ou|y|o|per|pro|par|por|in|im|en|de|of|the|der|die|das|le|la|el)$/i;
const SIZE_STEPS: Record<string, number> = { MB: 0.1, GB: 0.1, KB: 1 };

function numberOf(raw: string): number {
  return /^\d{1,3}(?:[.,]\d{3})+/.test(raw) && !/^\d+[.,]\d{1,2}$/.test(raw)
    ? Number(raw.replace(/[.,](?=\d{3}\b)/g, '').replace(',', '.'))
    : Number(raw.replace(',', '.'));
}

function unitOf(raw: string | undefined): string | undefined {
  return raw && !NOT_UNITS.test(raw) ? raw : undefined;
}

const MODAL =
  /\s+(?:must|can|may|should|is|are|muss|müssen|darf|dürfen|kann|ist|sind|doit|doivent|peut|est|debe|deben|puede|es|solo)\b/i;
const ARTICLE =
  /^(?:the|a|an|each|every|der|die|das|ein|eine|jede|jeder|le|la|les|l'|un|une|chaque|el|los|las|un|una|cada)\s+/i;

/** The noun phrase before the modal verb, with and without its article: `Le nombre de passagers`. */
export function subjectOf(sentence: string): { subject: string; withArticle: string } | undefined {
  const modal = MODAL.exec(sentence);
  if (!modal) return undefined;
  const withArticle = sentence.slice(0, modal.index).trim();
  if (withArticle.split(/\s+/).length > 6 || withArticle.length === 0) return undefined;
  return { subject: withArticle.replace(ARTICLE, ''), withArticle };
}

function base(sentence: string, phrase: string, criterionId: string, subject: string) {
  return { subject, source: sentence, phrase, origin: 'criterion' as const, criterionId };
}

function numericConstraint(
  rule: NumericRule,
  match: RegExpExecArray,
  sentence: string,
  criterionId: string,
  subject: string,
): Constraint[] {
  const common = base(sentence, match[0], criterionId, subject);
  if (rule.kind === 'range') {
    const minUnit = unitOf(match[2]);
    const maxUnit = unitOf(match[4]) ?? minUnit;
    const min = numberOf(match[1]!);
    const max = numberOf(match[3]!);
    const stepMatch = /\bin steps of\s+(\d+(?:[.,]\d+)?)/i.exec(sentence);
    if (minUnit && maxUnit && minUnit !== maxUnit) {
      // `between 50 KB and 2 MB`: two limits, each in its own unit.
      const lower: LimitConstraint = {
        kind: 'limit',
        bound: 'min',
        value: min,
        inclusive: true,
        unit: minUnit,
        ...common,
      };
      const upper: LimitConstraint = {
        kind: 'limit',
        bound: 'max',
        value: max,
        inclusive: true,
        unit: maxUnit,
        ...common,
        ...(SIZE_STEPS[maxUnit] ? { step: SIZE_STEPS[maxUnit] } : {}),
      };
      return [lower, upper];
    }
    const range: RangeConstraint = {
      kind: 'range',
      min,
      max,
      minInclusive: true,
      maxInclusive: true,
      ...common,
      ...(maxUnit ? { unit: maxUnit } : {}),
      ...(stepMatch ? { step: numberOf(stepMatch[1]!) } : {}),
    };
    return [range];
  }
  const value = numberOf(match[1]!);
  const unit = unitOf(match[2]);
  if (rule.kind === 'threshold') {
    // `After 3 wrong PINs the card is blocked`: 2 still pass, the 3rd triggers the change.
    return [{ kind: 'limit', bound: 'max', value, inclusive: false, ...common, unit: match[2]! }];
  }
  if (rule.kind === 'exact') return [{ kind: 'count', value, ...common, ...(unit ? { unit } : {}) }];
  if (rule.kind === 'before') {
    const before = /\b(?:before|vor|avant|antes(?: de)?)\s+(.+)$/i.exec(sentence.slice(match.index));
    const event = before?.[1]?.split(/[;,.]/)[0]?.trim() ?? '';
    return [
      {
        kind: 'limit',
        bound: 'min',
        value,
        inclusive: true,
        unit: `${unit} before ${event}`.trim(),
        ...common,
      },
    ];
  }
  return [{ kind: 'limit', bound: rule.kind, value, inclusive: true, ...common, ...(unit ? { unit } : {}) }];
}

const VALUE = String.raw`[\p{L}\p{N}.]+(?:\s[\p{L}\p{N}.]+){0,3}?`;
const ENUMERATION = keyedPattern(
  'must be|muss|müssen|doit être|doivent être|debe ser|deben ser',
  (words) =>
    String.raw`\b(?:${words})\s+(?:one of\s+|an?\s+|une?\s+|un[ao]?\s+)?(${VALUE}(?:,\s*${VALUE})*\s+(?:or|oder|ou|o)\s+[\p{L}\p{N}.]+(?:\s[\p{L}\p{N}.]+){0,3})`,
);
// Words that end the last listed value: `PNG file of at most 5 MB` → `PNG`, `Unbezahlter Urlaub sein` → `Unbezahlter Urlaub`.
const VALUE_END =
  /^(?:of|for|with|per|in|at|to|and|from|de|du|des|pour|para|con|für|mit|pro|sein|être|ser|file|files|datei|fichier|archivo)$/i;
const NOT_VALUES = /^(?:on|after|before|at|in|the|a|an|not|from|to|until|up|more|less|less|equal)$/;
const ORDERED_BY = keyedPattern(
  'sorted|filtered|grouped|ordered|sortiert|gefiltert|triés?|filtrés?|ordenad[oa]s?|filtrad[oa]s?',
  (words) =>
    String.raw`\b(${words})\s+(?:by|nach|par|por)\s+((?:[\p{L}\p{N}.]+(?:\s[\p{L}\p{N}.]+)?)(?:,\s*[\p{L}\p{N}.]+(?:\s[\p{L}\p{N}.]+)?)*\s+(?:or|and|oder|und|ou|et|o|y)\s+[\p{L}\p{N}.]+(?:\s[\p{L}\p{N}.]+)?)`,
);

/** `Results can be sorted by Price, Rating or Distance`: the sort order is a list of values. */
function orderedBy(sentence: string, criterionId: string): EnumerationConstraint | undefined {
  const match = ORDERED_BY.exec(sentence);
  if (!match) return undefined;
  const values = match[2]!.split(/,\s*|\s+(?:or|and|oder|und|ou|et|o|y)\s+/i).map((value) => value.trim());
  const subject = /^(?:sorted|sortiert|tri|ordenad)/i.test(match[1]!) ? 'sort order' : 'filter';
  return { kind: 'enumeration', values, ...base(sentence, match[0], criterionId, subject) };
}

// A list needs a closing `or`: `A, B or C`.
const HAS_ALTERNATIVE = /\s(?:or|oder|ou|o|and|und|et|y)\s/i;

function enumeration(
  sentence: string,
  criterionId: string,
  readSubject: () => string,
): EnumerationConstraint | undefined {
  if (!HAS_ALTERNATIVE.test(sentence)) return undefined;
  const ordered = orderedBy(sentence, criterionId);
  if (ordered) return ordered;
  const match = ENUMERATION.exec(sentence);
  if (!match) return undefined;
  const subject = readSubject();
  if (/^(?:when|if|wenn|falls|si|cuando|lorsque)\b/i.test(subject)) return undefined;
  const parts = match[1]!.split(/,\s*|\s+(?:or|oder|ou|o)\s+/i).map((value) => value.trim());
  const lastWords = (parts.pop() ?? '').split(' ');
  const end = lastWords.findIndex((word, index) => index > 0 && VALUE_END.test(word));
  const fileType = end > 0 && /^(?:file|files|datei|fichier|archivo)$/i.test(lastWords[end]!);
  const values = [...parts, lastWords.slice(0, end > 0 ? end : undefined).join(' ')].filter(Boolean);
  if (values.length < 2 || values.some((value) => NOT_VALUES.test(value.split(' ')[0]!))) return undefined;
  // `3, 6 or 12 months`: the unit after the last value belongs to every value.
  const unit = /^(\d+)\s+(\p{L}+)$/u.exec(values[values.length - 1]!);
  const all = unit ? values.map((value) => (/^\d+$/.test(value) ? `${value} ${unit[2]}` : value)) : values;
  return {
    kind: 'enumeration',
    values: all,
    ...base(sentence, match[0], criterionId, fileType ? 'file type' : subject),
  };
}

/**
 * The limits and enumerations of one criterion by the rule table. For English stories the engine
 * uses these only where the full extractor found nothing.
 *
 * @example
 * readNumericRules('Le nombre de passagers doit être compris entre 1 et 9.', 'AC-2', 'fr')
 * // [{ kind: 'range', min: 1, max: 9, subject: 'nombre de passagers', … }]
 */
export function readNumericRules(
  sentence: string,
  criterionId: string,
  _language: StoryLanguage,
): Constraint[] {
  const text = sentence
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!]+$/, '');
  // The subject is read only for a sentence that states a number or a list: most state neither.
  let subject: string | undefined;
  const subjectOnce = () => (subject ??= subjectOf(text)?.subject ?? 'value');
  const found: Constraint[] = [];
  let rest = /\d/.test(text) ? text : '';
  for (const rule of RULES) {
    if (!rest) break;
    const match = rule.pattern.exec(rest);
    if (!match) continue;
    found.push(...numericConstraint(rule, match, text, criterionId, subjectOnce()));
    rest = rest.replace(match[0], ' ');
  }
  const listed = enumeration(text, criterionId, subjectOnce);
  if (listed) found.push(listed);
  return found;
}
