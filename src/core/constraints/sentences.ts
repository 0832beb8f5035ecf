/** Sentences of a requirement, with the numbers that are not quantities blanked out. */

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

export function mask(sentence: string): string {
  // Every mask needs a digit: a sentence without one has nothing to blank out.
  if (!/\d/.test(sentence)) return sentence;
  let masked = sentence;
  for (const pattern of MASKS) {
    masked = masked.replace(pattern, (match) => ' '.repeat(match.length));
  }
  return masked;
}

/** Splits text into sentences without breaking decimals (`$4.99`), `e.g.` or list items. */
export function splitSentences(text: string): string[] {
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
