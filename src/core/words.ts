/**
 * Small word helpers shared inside core (the constraint reader, the offline engine, Gherkin), one
 * definition each so their behaviour cannot drift apart.
 */

// The text helpers every layer shares (`capitalize`: first letter upper case, the rest unchanged).
export { capitalize, singleLine } from '../shared/text.ts';

// Words that end in `s` in the singular (`status`, `address`, `analysis`, `news`).
const SINGULAR_IN_S = /(?:ss|us|is|news|series|access|canvas|alias)$/i;

/**
 * The singular of an English noun phrase's last word: `passwords` → `password`, `categories` →
 * `category`, `statuses` → `status`, `payment methods` → `payment method`; `status`, `address`
 * and `series` stay as they are.
 */
export function singularNoun(phrase: string): string {
  if (SINGULAR_IN_S.test(phrase)) return phrase;
  // The first rule that matches, only: 'statuses' -> 'status', not on to 'statu'.
  if (/(us|ss)es$/i.test(phrase)) return phrase.replace(/(us|ss)es$/i, '$1');
  if (/[^aeiou]ies$/i.test(phrase)) return phrase.replace(/([^aeiou])ies$/i, '$1y');
  return phrase.replace(/([^s])s$/i, '$1');
}
