import type { AcceptanceCriterion } from '../model.ts';
import { readFlow, type FlowAction } from './flow.ts';
import { isActionVerb, thirdPersonOf } from './verbs.ts';
import type { StoryLanguage } from './language.ts';
import { maskQuotes, quotedTexts, unmaskQuotes } from './quoted.ts';
import { readRoleRule, type RoleRule } from './roles.ts';

/**
 * How a criterion's outcome comes about:
 * - `flow`: it describes what the actor does (`The employee chooses … and submits the request`);
 * - `after`: the outcome of the flow done well (`After booking, the confirmation "…" is shown`);
 * - `condition`: an outcome under a condition (`When the thermostat is offline, the message "…"`);
 * - `violation`: a rule and what happens when it is broken (`…; otherwise the message "…" is shown`);
 * - `statement`: anything else, read as a fact to observe.
 */
export type CriterionTiming = 'flow' | 'after' | 'condition' | 'violation' | 'statement';

/** One acceptance criterion read into its parts. Pure data; the offline engine writes cases from it. */
export interface CriterionReading {
  id: string;
  text: string;
  language: StoryLanguage;
  timing: CriterionTiming;
  /** Who acts, when the criterion says (`the employee`). */
  actor?: string;
  /** The actions of a flow, in order (English only). */
  actions: FlowAction[];
  /** The context of a `Given … when … then …` criterion: `a registered user on the sign-in page`. */
  given?: string;
  /** The condition of a `condition` criterion: `the amount exceeds the available balance`. */
  condition?: string;
  /** The rule of a `violation` criterion: `The source and target account must be different`. */
  rule?: string;
  /** The observable outcomes, one clause each, quotes intact: `the message "Insufficient funds" is shown`. */
  outcomes: string[];
  /** The exact messages the criterion quotes, never cut. */
  messages: string[];
  /** Who may act and who is refused, when the criterion says. */
  roles?: RoleRule;
}

interface Pattern {
  timing: Exclude<CriterionTiming, 'flow' | 'statement'>;
  pattern: RegExp;
  /** Which groups hold the condition (or rule) and the outcome. */
  condition: number;
  outcome: number;
}

// The first pattern that matches a criterion (quotes masked) decides its timing.
const PATTERNS: Record<StoryLanguage, Pattern[]> = {
  en: [
    {
      timing: 'violation',
      pattern: /^(.+?);\s*(?:otherwise|else|later|beyond that|above that|below that)[,:]?\s+(.+)$/i,
      condition: 1,
      outcome: 2,
    },
    {
      timing: 'violation',
      pattern: /^(.+?);\s*((?:younger|older|other|further)\s.+"#\d+".*)$/i,
      condition: 1,
      outcome: 2,
    },
    {
      timing: 'condition',
      pattern: /^(?:when|if|whenever|once)\s+(.+?),\s*(?:then\s+)?(.+)$/i,
      condition: 1,
      outcome: 2,
    },
    {
      timing: 'after',
      pattern: /^after\s+(?!\d)(.+?)[,]?\s+((?:the|a|an|both|their|its|no|his|her)\s.+)$/i,
      condition: 1,
      outcome: 2,
    },
    {
      timing: 'condition',
      pattern: /^((?:a|an|the)\s+[\w -]+?)\s+(?:shows|displays|gives|returns)\s+(.*"#\d+".*)$/i,
      condition: 1,
      outcome: 2,
    },
  ],
  de: [
    { timing: 'condition', pattern: /^(?:wenn|falls|sobald)\s+(.+?),\s+(.+)$/i, condition: 1, outcome: 2 },
    {
      timing: 'condition',
      pattern: /^((?:liegt|ist|sind|hat|haben|gibt|fehlt|fehlen)\s.+?),\s+(.+)$/i,
      condition: 1,
      outcome: 2,
    },
    {
      timing: 'after',
      pattern: /^nach\s+(.+?),?\s+((?:wird|werden|erscheint)\s.+)$/i,
      condition: 1,
      outcome: 2,
    },
    {
      timing: 'violation',
      pattern: /^(.+?);\s*(?:sonst|andernfalls)[,:]?\s+(.+)$/i,
      condition: 1,
      outcome: 2,
    },
  ],
  fr: [
    {
      timing: 'condition',
      pattern: /^(?:si|lorsque|lorsqu'|quand)\s*(.+?),\s+(.+)$/i,
      condition: 1,
      outcome: 2,
    },
    { timing: 'after', pattern: /^après\s+(.+?),\s+(.+)$/i, condition: 1, outcome: 2 },
    { timing: 'violation', pattern: /^(.+?);\s*(?:sinon)[,:]?\s+(.+)$/i, condition: 1, outcome: 2 },
  ],
  es: [
    { timing: 'condition', pattern: /^(?:si|cuando)\s+(.+?),\s+(.+)$/i, condition: 1, outcome: 2 },
    { timing: 'after', pattern: /^después de\s+(.+?),\s+(.+)$/i, condition: 1, outcome: 2 },
    {
      timing: 'violation',
      pattern: /^(.+?);\s*(?:de lo contrario|si no)[,:]?\s+(.+)$/i,
      condition: 1,
      outcome: 2,
    },
  ],
};

const OUTCOME_JOINT: Record<StoryLanguage, RegExp> = {
  en: /;\s*|,?\s+and\s+(?=(?:the|a|an|no|both|its|their|it|nothing|further|then)\b)/i,
  de: /;\s*|,?\s+und\s+(?=(?:der|die|das|kein|keine|es)\b)/i,
  fr: /;\s*|,?\s+et\s+(?=(?:le|la|les|aucun|aucune|rien)\b)/i,
  es: /;\s*|,?\s+y\s+(?=(?:el|la|los|las|ningún|ninguna|nada)\b)/i,
};

const OUTCOME_JOINTS = Object.fromEntries(
  Object.entries(OUTCOME_JOINT).map(([language, pattern]) => [language, new RegExp(pattern.source, 'gi')]),
) as Record<StoryLanguage, RegExp>;

/** A German condition in verb-first order (`Liegt das Enddatum vor …`) in plain order (`das Enddatum liegt vor …`). */
function germanConditionOrder(condition: string): string {
  const match =
    /^(liegt|ist|sind|hat|haben|gibt|fehlt|fehlen)\s+((?:der|die|das|ein|eine|kein|keine)\s+\S+|\S+)\s*(.*)$/i.exec(
      condition,
    );
  if (!match) return condition;
  return `${match[2]} ${match[1]!.toLowerCase()}${match[3] ? ` ${match[3]}` : ''}`;
}

const HAS_VERB =
  /\b(?:is|are|was|were|has|have|gets?|keeps?|sees?|shows?|can|cannot|wird|werden|ist|sind|est|sont|s'affiche|es|son|se)\b/i;

/** Outcome clauses; a piece without a verb (`the reference number and the message … are shown`) stays joined. */
function clauses(text: string, language: StoryLanguage, quotes: string[]): string[] {
  const pieces = text.split(OUTCOME_JOINT[language]);
  const joined: string[] = [];
  const joints = text.match(OUTCOME_JOINTS[language]) ?? [];
  pieces.forEach((piece, index) => {
    const previous = joined.length - 1;
    if (previous >= 0 && !HAS_VERB.test(joined[previous]!))
      joined[previous] += (joints[index - 1] ?? ' ') + piece;
    else joined.push(piece);
  });
  return joined
    .map((clause) => unmaskQuotes(clause.trim().replace(/^(?:then|and|dann|puis|luego)\s+/i, ''), quotes))
    .filter((clause) => clause.length > 0);
}

const GIVEN_WHEN_THEN = /^given\s+(.+?)[,;]?\s+when\s+(.+?)[,;]?\s+then\s+(.+)$/i;

/** `Given a registered user on the sign-in page, when they enter …, then …`: a flow with its outcome. */
function readGivenWhenThen(
  masked: string,
  quotes: string[],
  reading: CriterionReading,
): CriterionReading | undefined {
  const match = GIVEN_WHEN_THEN.exec(masked);
  if (!match) return undefined;
  const actor =
    /^(?:an?|the)\s+([\w -]+?)(?:\s+(?:on|in|at|with|who|whose)\b.*)?$/i.exec(match[1]!.trim())?.[1] ??
    'user';
  const when = match[2]!.replace(/^(?:they|he|she|I|we|you|the\s+\w+)\s+/i, '');
  // `they enter …` reads as `the user enters …`.
  const thirdPerson = when.replace(/^(\w+)/, (verb) => (isActionVerb(verb) ? thirdPersonOf(verb) : verb));
  const flow = readFlow(
    `The ${actor} ${thirdPerson.replace(/\s(and|then)\s(\w+)/g, (whole, joint: string, verb: string) => (isActionVerb(verb) ? ` ${joint} ${thirdPersonOf(verb)}` : whole))}`,
  );
  return {
    ...reading,
    timing: 'flow',
    actor: `the ${actor}`,
    given: unmaskQuotes(match[1]!.trim(), quotes),
    actions: (flow?.actions ?? []).map((action) => ({
      ...action,
      object: unmaskQuotes(action.object, quotes),
    })),
    outcomes: clauses(match[3]!, 'en', quotes),
  };
}

/**
 * Reads one acceptance criterion into its actor, actions, condition or rule, observable outcomes,
 * exact messages and role rule. Pure, linear in the criterion's length.
 *
 * @example
 * readCriterion({ id: 'AC-4', text: 'When the amount exceeds the available balance, the message "Insufficient funds" is shown and no money is moved.' }, 'en')
 * // { timing: 'condition', condition: 'the amount exceeds the available balance',
 * //   outcomes: ['the message "Insufficient funds" is shown', 'no money is moved'], messages: ['Insufficient funds'], … }
 */
export function readCriterion(criterion: AcceptanceCriterion, language: StoryLanguage): CriterionReading {
  const text = criterion.text.replace(/\s+/g, ' ').trim();
  const { masked, quotes } = maskQuotes(text.replace(/[.!]+$/, ''));
  const reading: CriterionReading = {
    id: criterion.id,
    text,
    language,
    timing: 'statement',
    actions: [],
    outcomes: [],
    messages: quotedTexts(text),
  };
  const roles = readRoleRule(masked, language);
  if (roles) {
    reading.roles = {
      ...roles,
      action: unmaskQuotes(roles.action, quotes),
      ...(roles.refusal ? { refusal: unmaskQuotes(roles.refusal, quotes) } : {}),
    };
  }
  const gherkin = language === 'en' ? readGivenWhenThen(masked, quotes, reading) : undefined;
  if (gherkin) return gherkin;
  for (const { timing, pattern, condition, outcome } of PATTERNS[language]) {
    const match = pattern.exec(masked);
    if (!match) continue;
    const conditionText = unmaskQuotes(match[condition]!.trim(), quotes);
    reading.timing = timing;
    if (timing === 'violation') reading.rule = conditionText;
    else reading.condition = language === 'de' ? germanConditionOrder(conditionText) : conditionText;
    reading.outcomes = clauses(match[outcome]!, language, quotes);
    return reading;
  }
  const flow = language === 'en' ? readFlow(masked) : undefined;
  if (flow) {
    reading.timing = 'flow';
    reading.actor = flow.actor;
    reading.actions = flow.actions.map((action) => ({
      ...action,
      object: unmaskQuotes(action.object, quotes),
    }));
    return reading;
  }
  const actor = /^(?:[Dd]er|[Dd]ie|[Dd]as|[Ll]e|[Ll]a|[Ll]'|[Ee]l)\s*(\p{Lu}?\p{Ll}+)\s+\p{Ll}+/u.exec(
    masked,
  );
  if (language !== 'en' && actor && reading.messages.length === 0 && !/\d/.test(masked)) {
    reading.timing = 'flow';
    reading.actor = masked.slice(0, actor[0].lastIndexOf(' '));
    return reading;
  }
  reading.outcomes = masked.split(/;\s*/).map((clause) => unmaskQuotes(clause, quotes));
  return reading;
}
