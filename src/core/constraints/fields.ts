import { splitList } from './enumerations.ts';
import { clauseSubject, cleanNounPhrase } from './subjects.ts';
import type { Constraint, ConstraintContext } from './types.ts';

/** Fields that must be given (`email is required`) or must have a format (`must be a valid email`). */

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

// Every format pattern names one of these words: a sentence without them is skipped.
const MENTIONS_FORMAT = /valid|well-formed|format|numeric|number|integer/i;

export function formatConstraints(sentence: string, context: ConstraintContext): Constraint[] {
  if (!MENTIONS_FORMAT.test(sentence)) return [];
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

const MENTIONS_REQUIRED =
  /required|mandatory|empty|blank|omitted|provided|filled|entered|given|supplied|specified/i;

export function requiredConstraints(sentence: string, context: ConstraintContext): Constraint[] {
  if (!MENTIONS_REQUIRED.test(sentence)) return [];
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
