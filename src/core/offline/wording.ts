import { capitalize } from '../words.ts';

/**
 * Small, deterministic wording helpers: criterion sentences into actions and observable results,
 * actions between the imperative (manual steps) and the third person (Gherkin).
 */

export function lowerFirst(text: string): string {
  return /^[A-Z](?:[a-z]|\s)/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

export function withoutFinalStop(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.;:,]+$/, '');
}

/** At most `count` words, with an ellipsis when cut. */
export function firstWords(text: string, count: number): string {
  const words = withoutFinalStop(text).split(' ');
  return words.length <= count ? words.join(' ') : `${words.slice(0, count).join(' ')}…`;
}

const ACTOR =
  /^(?:(?:the|a|an)\s+(?:[a-z-]+\s+){0,2}(?:user|users|customer|shopper|administrator|admin|editor|viewer|visitor|guest|member|agent|person)|they|he|she|I|we|you)\s+/i;

/** `enters` → `enter`, `tries` → `try`, `presses` → `press`, `has` → `have`. */
function baseVerb(verb: string): string {
  const lower = verb.toLowerCase();
  if (lower === 'has') return 'have';
  if (lower === 'is' || lower === 'are') return 'be';
  if (/[^aeiou]ies$/.test(lower)) return lower.slice(0, -3) + 'y';
  if (/(?:ss|sh|ch|x|z|o)es$/.test(lower)) return lower.slice(0, -2);
  if (/[^s]s$/.test(lower)) return lower.slice(0, -1);
  return lower;
}

/** `enter` → `enters`, `try` → `tries`, `press` → `presses`. */
export function thirdPersonVerb(verb: string): string {
  const lower = verb.toLowerCase();
  if (lower === 'have') return 'has';
  if (lower === 'be') return 'is';
  if (/[^aeiou]y$/.test(lower)) return lower.slice(0, -1) + 'ies';
  if (/(?:s|sh|ch|x|z|o)$/.test(lower)) return lower + 'es';
  return lower + 's';
}

const TIME_START =
  /^(?:\d+|one|two|three|five|ten|fifteen|thirty)\s+(?:seconds?|minutes?|hours?|days?|weeks?)\b/i;

/**
 * A condition clause as an instruction: `they enter their email` → `Enter their email`,
 * `30 minutes of inactivity` → `Let 30 minutes of inactivity pass`, `5 failed attempts` → `Make 5 failed attempts`.
 */
export function toImperative(clause: string): string {
  const text = withoutFinalStop(clause).replace(/^(?:then|and)\s+/i, '');
  if (TIME_START.test(text)) return `Let ${text} pass`;
  if (/^\d/.test(text)) return `Make ${text}`;
  const actor = ACTOR.exec(text);
  if (actor) {
    const rest = text.slice(actor[0].length);
    const verb = /^([A-Za-z]+)(.*)$/s.exec(rest);
    if (verb && !/^(?:is|are|was|were|has|have)$/i.test(verb[1]!))
      return capitalize(baseVerb(verb[1]!) + verb[2]!);
  }
  return capitalize(text);
}

/**
 * An instruction in the third person for a Gherkin step: `Enter the email` → `the user enters the email`.
 * Instructions that do not start with a verb are kept as they are.
 */
export function toThirdPerson(instruction: string, actor: string): string {
  const match = /^([A-Z][a-z]+)\b(.*)$/s.exec(instruction);
  const verbs =
    /^(?:Enter|Select|Choose|Open|Upload|Add|Attach|Submit|Sign|Log|Wait|Let|Make|Request|Try|Use|Set|Apply|Leave|Fill|Type|Click|Press|Pay|Save|Reset|Create|Delete|Deactivate|Change|Update|Send|Check|Reach|Go|Request|Attempt|Give|Put|Remove|Edit|View|Follow|Copy|Paste|Switch|Return|Navigate|Complete|Place|Confirm|Cancel|Start|Stay)$/;
  if (!match || !verbs.test(match[1]!)) return lowerFirst(instruction);
  // Later verbs of the same instruction: "enter the email and submit it" → "enters … and submits it".
  const rest = match[2]!.replace(
    /(,\s+(?:and\s+|then\s+)?|\s+(?:and|then)\s+)([a-z]+)\b/g,
    (whole, joint: string, verb: string) =>
      verbs.test(capitalize(verb)) ? `${joint}${thirdPersonVerb(verb)}` : whole,
  );
  return `${actor} ${thirdPersonVerb(match[1]!)}${rest}`;
}

/** A criterion clause as a statement of fact: `the system shall lock the account` → `The system locks the account`. */
export function toStatement(clause: string, actor: string): string {
  let text = withoutFinalStop(clause).replace(/^(?:then|and)\s+/i, '');
  text = text.replace(/^they\s+are\b/i, `${actor} is`).replace(/^they\s+/i, `${actor} `);
  text = text.replace(/\b(?:shall|must|should|will)\s+not\s+be\b/gi, 'is not');
  text = text.replace(/\b(?:shall|must|should|will)\s+be\b/gi, 'is');
  text = text.replace(/\b(?:shall|must|should|will)\s+(?!not\b)([a-z]+)/gi, (_, verb: string) =>
    thirdPersonVerb(verb),
  );
  return capitalize(text);
}

/**
 * The opposite of an outcome, for "not yet" checks: `the account is locked` → `the account is not locked`.
 * Falls back to `It is not yet the case that …` when no verb is recognised.
 */
export function negate(statement: string): string {
  const text = withoutFinalStop(statement);
  const be = /^(.*?\b(?:is|are|was|were|has been|have been))\s+(.*)$/i.exec(text);
  if (be) return capitalize(`${be[1]} not ${be[2]}`);
  const modal = /^(.*?\b(?:can|may|will))\s+(.*)$/i.exec(text);
  if (modal) return capitalize(`${modal[1]} not ${modal[2]}`);
  const verb = /^((?:the|a|an)\s+(?:[a-z-]+\s+){0,3}?)([a-z]+s)\s+(.*)$/i.exec(text);
  if (verb) return capitalize(`${verb[1]}does not ${baseVerb(verb[2]!)} ${verb[3]}`);
  return `It is not yet the case that ${lowerFirst(text)}`;
}

/** A parsed criterion: given (context), when (actions), then (outcomes). */
export interface CriterionParts {
  given: string[];
  when: string[];
  then: string[];
}

function splitAnd(clause: string): string[] {
  return clause
    .split(
      /,\s*and\s+(?=(?:the|a|an|they|their|he|she|it|I|my|no)\b)|;\s*|\s+and\s+(?=(?:the|a|an|they|their|he|she|it|I|my|no)\s)/i,
    )
    .map((part) => withoutFinalStop(part.replace(/^(?:and|then)\s+/i, '')))
    .filter((part) => part.length > 0);
}

/**
 * Reads the structure of a criterion: `Given A, when B, then C`; `When B, C`; `After B the C`;
 * `C when B`. Undefined for a plain statement.
 */
export function parseCriterion(text: string): CriterionParts | undefined {
  const clean = withoutFinalStop(text);
  const gherkin = /^\s*given\s+(.+?)[,;]?\s+when\s+(.+?)[,;]?\s+then\s+(.+)$/is.exec(clean);
  if (gherkin)
    return { given: splitAnd(gherkin[1]!), when: splitAnd(gherkin[2]!), then: splitAnd(gherkin[3]!) };
  const whenThen = /^\s*(?:when|if|once|whenever|upon|on)\s+(.+?)(?:,\s*(?:then\s+)?|\s+then\s+)(.+)$/is.exec(
    clean,
  );
  if (whenThen) return { given: [], when: [withoutFinalStop(whenThen[1]!)], then: splitAnd(whenThen[2]!) };
  const after =
    /^\s*(?:after|when|if|once)\s+(.+?)[,]?\s+((?:the|a|an|their|his|her|its|they|users?|he|she|it)\s.+)$/is.exec(
      clean,
    );
  if (after) return { given: [], when: [withoutFinalStop(after[1]!)], then: splitAnd(after[2]!) };
  const effectFirst = /^(.+?)\s+(?:when|if|once|whenever|after|upon)\s+(.+)$/is.exec(clean);
  if (effectFirst && effectFirst[1]!.split(' ').length >= 2) {
    return { given: [], when: [withoutFinalStop(effectFirst[2]!)], then: splitAnd(effectFirst[1]!) };
  }
  return undefined;
}

/** The first quoted message in a sentence, e.g. `"Invalid email or password"`. */
export function quotedMessage(text: string): string | undefined {
  const afterMessage = /\b(?:message|error|text|notice|warning)\s+["“]([^"”]{3,160})["”]/i.exec(text);
  if (afterMessage) return afterMessage[1];
  const quoted = [...text.matchAll(/["“]([^"”]{3,160})["”]/g)].map((match) => match[1]!);
  return quoted.find((value) => value.split(' ').length >= 3);
}
