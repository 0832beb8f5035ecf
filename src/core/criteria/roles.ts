import { keyedPattern } from './keyed-pattern.ts';
import type { StoryLanguage } from './language.ts';

/**
 * Who may do something and who is refused: `Only the employee's manager can approve the request`,
 * `Guests can see the temperature but cannot change it`, `a ward clerk is refused with the message …`.
 */
export interface RoleRule {
  /** Parties allowed to act, as written (`employee's manager`, `nurse`, `physician`). */
  allowed: string[];
  /** Parties the criterion names as refused (`ward clerk`, `editors`). */
  refused: string[];
  /** What is restricted, as written after the modal verb: `approve or reject the request`. */
  action: string;
  /** What the refused party observes, as written: `see the message "…"`, `do not see the Invite button`. */
  refusal?: string;
}

const ARTICLES = /^(?:the|a|an|der|die|das|ein|eine|le|la|les|l'|el|los|las|un|una)\s+/i;

/** `nurses or a physician` → `['nurses', 'physician']`. */
export function splitParties(text: string): string[] {
  return text
    .split(/,\s*|\s+(?:or|and|oder|und|ou|et|o|y)\s+/i)
    .map((party) => party.trim().replace(ARTICLES, ''))
    .filter((party) => party.length > 0 && party.split(/\s+/).length <= 4);
}

const ONLY: Record<StoryLanguage, RegExp> = {
  en: /\bonly\s+(.+?)\s+(?:can|may|is allowed to|are allowed to|are able to)\s+([^;.]+)/i,
  de: /\bnur\s+(.+?)\s+(?:darf|dürfen|kann|können)\s+([^;.]+)/i,
  fr: /\bseul(?:e|s|es)?\s+(.+?)\s+(?:peut|peuvent)\s+([^;.]+)/i,
  es: /\bsolo\s+(.+?)\s+(?:puede|pueden)\s+([^;.]+)/i,
};

const REFUSED_AFTER =
  /^\s*(?:but\s+)?(.+?)\s+((?:cannot|can't|can not|may not)\s+.*|(?:is|are)\s+refused.*|(?:is|are)\s+not allowed.*|(?:do|does)\s+not\s+see.*|(?:get|gets|see|sees|receive|receives)\s+.*)$/i;

const CAN_BUT_CANNOT =
  /^(?:the\s+|a\s+|an\s+)?(.+?)\s+can\s+(\w+)\s+(.+?)\s+but\s+(?:cannot|can't|can not|may not)\s+(.+)$/i;
const CANNOT = keyedPattern(
  "cannot|can't|can not|may not",
  (words) => String.raw`^(?:the\s+|a\s+|an\s+)?([\p{L}' -]+?)\s+(?:${words})\s+(.+)$`,
);

/**
 * The role rule of a criterion (quotes masked), if it states one.
 *
 * @example
 * readRoleRule("Only the employee's manager can approve or reject the request.", 'en')
 * // { allowed: ["employee's manager"], refused: [], action: 'approve or reject the request' }
 */
export function readRoleRule(sentence: string, language: StoryLanguage): RoleRule | undefined {
  const text = sentence.trim().replace(/[.!]+$/, '');
  const only = ONLY[language].exec(text);
  if (only) {
    const rule: RoleRule = { allowed: splitParties(only[1]!), refused: [], action: only[2]!.trim() };
    const after = text.slice(only.index + only[0].length).replace(/^\s*;\s*/, '');
    const refused = after ? REFUSED_AFTER.exec(after) : null;
    if (refused) {
      rule.refused = splitParties(refused[1]!);
      rule.refusal = refused[2]!.trim();
    }
    return rule;
  }
  if (language !== 'en') return undefined;
  const canBut = CAN_BUT_CANNOT.exec(text);
  if (canBut) {
    // "Guests can see the temperature but cannot change it": "it" is what they can see.
    const action = canBut[4]!.replace(/\bit\b/, canBut[3]!.trim());
    return { allowed: [], refused: splitParties(canBut[1]!), action };
  }
  const cannot = CANNOT.exec(text);
  if (cannot && cannot[1]!.split(/\s+/).length <= 4 && !/[;,]/.test(cannot[1]!)) {
    return { allowed: [], refused: splitParties(cannot[1]!), action: cannot[2]!.trim() };
  }
  const semicolon = text.split(/;\s*/);
  if (semicolon.length === 2) {
    const refused = CANNOT.exec(semicolon[1]!);
    if (refused) return { allowed: [], refused: splitParties(refused[1]!), action: refused[2]!.trim() };
  }
  return undefined;
}
