import { singularNoun } from '../words.ts';
import { clauseSubject, cleanNounPhrase } from './subjects.ts';
import type { Constraint, ConstraintContext } from './types.ts';

/** Closed lists of values: `one of: card, PayPal or bank transfer`, `Supported formats are JPG, PNG and PDF`. */

/** Splits "card, PayPal or bank transfer" into its items; undefined when it is not a short list. */
export function splitList(raw: string): string[] | undefined {
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

// Every list pattern needs `one of`, a joined list (`… or …`) or a plural category before `are`.
const MENTIONS_LIST =
  /\bone\s+of\b|\s(?:or|and)\s|(?:types|formats|methods|options|values|statuses|states|currencies|languages|roles|categories|sizes|extensions|modes|channels|plans|levels)\s*(?:are|include|:)/i;

export function enumerationConstraints(sentence: string, context: ConstraintContext): Constraint[] {
  if (!MENTIONS_LIST.test(sentence)) return [];
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
        : singularNoun(
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
