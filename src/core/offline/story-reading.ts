import { extractConstraintsFromText, type Constraint } from '../constraints/index.ts';
import {
  detectLanguage,
  objectsOf,
  pastParticiple,
  readCriterion,
  readNumericRules,
  subjectOf,
  type CriterionReading,
  type FlowAction,
  type StoryLanguage,
} from '../criteria/index.ts';
import type { Story } from '../model.ts';
import { fieldSubject, modeOf, validWording, type CaseStep, type Field } from './fields.ts';
import { apiPhrases, apiRequestOf } from './api-phrases.ts';
import { phrasesFor, type Phrases } from './phrases.ts';
import { sampleFor } from './test-data.ts';

/** Everything the case writers need to know about a story, read once. */
export interface StoryReading {
  /** The story's summary: the positive flow's title when no criterion describes the flow. */
  summary: string;
  language: StoryLanguage;
  phrases: Phrases;
  /** Who acts: `the employee`. */
  actor: string;
  readings: CriterionReading[];
  fields: Field[];
  /** Preconditions of the story's flow (sign-in only when the story implies an account). */
  preconditions: string[];
  /** The positive flow in concrete steps; steps that set a field carry its index. */
  flow: Array<CaseStep & { field?: number }>;
  /** What the tester observes when the flow succeeds, and the criteria that say so. */
  success: string[];
  successCovers: string[];
}

const MAX_FLOW_STEPS = 12;
const ENTRY_VERBS = new Set(['enter', 'choose', 'select', 'pick', 'fill', 'set', 'type', 'provide']);
const SUBMIT_VERBS = new Set([
  'submit',
  'confirm',
  'send',
  'save',
  'apply',
  'search',
  'pay',
  'publish',
  'book',
  'register',
  'request',
  'validate',
]);
const NO_ACCOUNT =
  /\bno account\b|without (?:an |a )?account|not need to sign in|guests? can|kein(?:e)? (?:Konto|Anmeldung)|ohne (?:Konto|Anmeldung)|sans compte|sin cuenta|no (?:necesita|hace falta) (?:una )?cuenta/i;
// "As a …, I want" in each language. Each is compiled on first use (flags `iu`): a `\p{L}` class
// under `i` costs about 3M instructions to compile, and a story needs its own language's alone.
const STORY_ROLE_SOURCES: Record<StoryLanguage, string> = {
  en: String.raw`\bas an?\s+([\p{L} -]+?)\s*,?\s+I\b`,
  de: String.raw`\bals\s+([\p{L} -]+?)\s*,?\s+möchte\s+ich\b`,
  fr: String.raw`\ben tant que\s+([\p{L}' -]+?)\s*,?\s+je\b`,
  es: String.raw`\bcomo\s+([\p{L} -]+?)\s*,?\s+quiero\b`,
};
const storyRoles = new Map<StoryLanguage, RegExp>();

function storyRole(language: StoryLanguage): RegExp {
  let pattern = storyRoles.get(language);
  if (!pattern) {
    pattern = new RegExp(STORY_ROLE_SOURCES[language], 'iu');
    storyRoles.set(language, pattern);
  }
  return pattern;
}

function storyText(story: Story): string {
  return [
    story.summary,
    story.description,
    ...story.acceptanceCriteria.map((criterion) => criterion.text),
  ].join('\n');
}

/**
 * Constraints per criterion: the English extractor first, the rule table where it found nothing.
 * Each criterion is read once, and its own constraints stay with it for the overlap test.
 */
function constraintsOf(story: Story, language: StoryLanguage): Constraint[] {
  // Only the criteria's constraints, and no roles: the criterion reader reads roles itself.
  const perCriterion = story.acceptanceCriteria.map((criterion) =>
    language === 'en'
      ? extractConstraintsFromText(
          criterion.text,
          { origin: 'criterion', criterionId: criterion.id },
          { roles: false },
        ).filter((constraint) => constraint.kind !== 'amount')
      : [],
  );
  const found: Constraint[] = perCriterion.flat();
  story.acceptanceCriteria.forEach((criterion, index) => {
    const own = perCriterion[index]!;
    const numbers = new Set(own.flatMap(numbersOf));
    const hasEnumeration = own.some((constraint) => constraint.kind === 'enumeration');
    for (const candidate of readNumericRules(criterion.text, criterion.id, language)) {
      const overlaps =
        candidate.kind === 'enumeration'
          ? hasEnumeration
          : numbersOf(candidate).some((number) => numbers.has(number));
      if (!overlaps) found.push(candidate);
    }
  });
  return found;
}

function numbersOf(constraint: Constraint): number[] {
  if (constraint.kind === 'range') return [constraint.min, constraint.max];
  if ('value' in constraint && typeof constraint.value === 'number') return [constraint.value];
  return [];
}

/**
 * The fields of the constraints. A constraint read twice (`the 16-digit gift card number` and
 * `exactly 16 digits`) is one field, under its fuller name.
 */
function fieldsOf(constraints: Constraint[]): Field[] {
  const fields = constraints.flatMap((constraint) => {
    const mode = modeOf(constraint);
    return mode ? [{ constraint, mode, subject: fieldSubject(constraint) }] : [];
  });
  // Group by mode and values first, so that the comparison stays linear for long stories.
  const groups = new Map<string, Field[]>();
  for (const field of fields) {
    const key = `${field.mode}:${JSON.stringify(numbersOf(field.constraint))}`;
    groups.set(key, [...(groups.get(key) ?? []), field]);
  }
  return fields.filter((field) => {
    const group = groups.get(`${field.mode}:${JSON.stringify(numbersOf(field.constraint))}`)!;
    return !group.some(
      (other) =>
        other !== field &&
        other.subject.length > field.subject.length &&
        other.subject.toLowerCase().startsWith(field.subject.toLowerCase()),
    );
  });
}

const POSSESSIVES = /\b(?:their|his|her|my|your|its)\b/gi;

function cleanObject(object: string): string {
  return object.replace(POSSESSIVES, 'the').replace(/\s+/g, ' ').trim();
}

function nounOf(object: string): string {
  return object
    .replace(/^(?:the|a|an|one or more|each)\s+/i, '')
    .replace(/\s+(?:at|in|from|for|on)\s+.*$/i, '');
}

/** The field an object of the flow names, if any: `a leave type` → the leave type enumeration. */
function fieldFor(object: string, fields: Field[]): number | undefined {
  const noun = nounOf(object).toLowerCase();
  const index = fields.findIndex((field) => {
    const subject = field.subject.toLowerCase();
    return subject === noun || noun.endsWith(subject) || subject.endsWith(noun);
  });
  return index >= 0 ? index : undefined;
}

interface FlowBuild {
  steps: StoryReading['flow'];
  used: Set<number>;
  preconditions: string[];
}

function actionSteps(action: FlowAction, fields: Field[], phrases: Phrases, build: FlowBuild): void {
  const verb = action.verb.charAt(0).toUpperCase() + action.verb.slice(1);
  if (!ENTRY_VERBS.has(action.verb)) {
    build.steps.push({
      wording: phrases.instruction(`${verb}${action.object ? ` ${cleanObject(action.object)}` : ''}`),
    });
    return;
  }
  for (const object of objectsOf(action.object)) {
    // A limit on the span between two dates is set by choosing both dates: one step for all of them.
    const span = /\bdates?\b/i.test(object) ? fields.findIndex((field) => field.mode === 'span') : -1;
    if (span >= 0) {
      if (build.used.has(span)) continue;
      const valid = validWording(fields[span]!, phrases);
      if (valid) {
        build.used.add(span);
        build.steps.push({ ...valid.step, field: span });
        continue;
      }
    }
    const index = fieldFor(object, fields);
    const valid = index === undefined ? undefined : validWording(fields[index]!, phrases);
    if (index !== undefined && valid && !build.used.has(index)) {
      build.used.add(index);
      build.preconditions.push(...valid.preconditions);
      build.steps.push({ ...valid.step, field: index });
      continue;
    }
    const clean = cleanObject(object);
    const sample = /^(?:enter|type|fill|provide)$/.test(action.verb) ? sampleFor(nounOf(clean)) : undefined;
    build.steps.push({
      wording: phrases.instruction(`${verb} ${clean}`),
      ...(sample ? { data: sample } : {}),
    });
  }
}

/** The story's flow in steps: the flow criterion's actions with valid data, every other field, and a submit. */
function buildFlow(story: Story, readings: CriterionReading[], fields: Field[], phrases: Phrases): FlowBuild {
  const build: FlowBuild = { steps: [], used: new Set(), preconditions: [] };
  const flow = readings.find((reading) => reading.timing === 'flow' && reading.actions.length > 0);
  const actions = flow?.actions ?? [];
  const last = actions[actions.length - 1];
  // `… and select "Sign in"`: pressing a named button submits too.
  const endsWithSubmit = last !== undefined && (SUBMIT_VERBS.has(last.verb) || /^"[^"]+"$/.test(last.object));
  if (actions[0]?.verb !== 'open' && actions[0]?.verb !== 'sign') {
    build.steps.push({ wording: phrases.open(phrases.formOf(story.summary)) });
  }
  for (const action of endsWithSubmit ? actions.slice(0, -1) : actions)
    actionSteps(action, fields, phrases, build);
  fields.forEach((field, index) => {
    if (build.used.has(index)) return;
    // A flow of a few fields stays readable; a field beyond them gets its step in its own cases.
    if (build.steps.length >= MAX_FLOW_STEPS) return;
    // One step per field name: a required field with a length is entered once.
    const named = [...build.used].some(
      (used) => fields[used]!.subject.toLowerCase() === field.subject.toLowerCase(),
    );
    if (named) return;
    const valid = validWording(field, phrases);
    if (!valid) return;
    build.used.add(index);
    build.preconditions.push(...valid.preconditions);
    build.steps.push({ ...valid.step, field: index });
  });
  if (last && endsWithSubmit) actionSteps(last, fields, phrases, build);
  else build.steps.push({ wording: phrases.submit() });
  return build;
}

/** Sign-in only when the story implies an account: never for "no account is needed" or an API client. */
function signInPreconditions(
  story: Story,
  language: StoryLanguage,
  phrases: Phrases,
  flow: CriterionReading | undefined,
): string[] {
  const text = storyText(story);
  const role = storyRole(language).exec(`${story.summary}\n${story.description}`)?.[1]?.trim();
  if (!role || NO_ACCOUNT.test(text)) return [];
  if (/\b(?:api|client|system|service|integration|developer)\b/i.test(role)) return [];
  if (flow?.actions.some((action) => action.verb === 'sign' || action.verb === 'log')) return [];
  // `opens the booking with the booking reference and last name`: found by a reference, not an account.
  if (flow?.actions.some((action) => /\bwith\b.*\b(?:reference|number|code)\b/i.test(action.object)))
    return [];
  if (/\b(?:sign(?:s|ing)?[- ]?(?:in|up)|log[- ]?in|register|password)\b/i.test(story.summary)) return [];
  return [phrases.signedInAs(role.replace(/^(?:an?|the)\s+/i, ''))];
}

/** `the message "X" is shown` and other outcome clauses as what the tester observes. */
export function observable(clause: string, phrases: Phrases): string {
  const text = clause.replace(/[.;]+$/, '').trim();
  const quoted =
    /^(?:.*?\b)?(message|error|status|confirmation|reason|alert|notice|warning|Meldung|Fehlermeldung|Hinweis|message|mensaje)\s+(?:"([^"]+)"|“([^”]+)”|„([^“”]+)[“”]|«\s*([^»]+?)\s*»)/i.exec(
      text,
    );
  if (quoted) {
    const message = quoted[2] ?? quoted[3] ?? quoted[4] ?? quoted[5] ?? '';
    const kind = quoted[1]!.toLowerCase();
    if (phrases.language !== 'en' || kind === 'message') return phrases.messageShown(message);
    return `The ${kind} "${message}" is shown`;
  }
  if (phrases.language !== 'en') return text.charAt(0).toUpperCase() + text.slice(1);
  const must = /^(?:the\s+)?(.+?)\s+(?:must|should|shall|has to|have to)\s+be\s+(.+)$/i.exec(text);
  if (must) return `The page asks for the ${must[1]} to be ${must[2]}`;
  return (text.charAt(0).toUpperCase() + text.slice(1))
    .replace(/^(?:A|An|Their|His|Her|Your|My)\s+/, 'The ')
    .replace(/\bwill\s+be\b/g, 'is')
    .replace(/\bwill\s+not\s+be\b/g, 'is not');
}

function successOf(
  readings: CriterionReading[],
  phrases: Phrases,
  flow: CriterionReading | undefined,
): { success: string[]; covers: string[] } {
  const after = readings.filter((reading) => reading.timing === 'after');
  if (after.length > 0) {
    return {
      success: after.flatMap((reading) => reading.outcomes.map((clause) => observable(clause, phrases))),
      covers: after.map((reading) => reading.id),
    };
  }
  if (flow && flow.outcomes.length > 0) {
    return { success: flow.outcomes.map((clause) => observable(clause, phrases)), covers: [flow.id] };
  }
  const last = flow?.actions[flow.actions.length - 1];
  if (
    phrases.language === 'en' &&
    last &&
    SUBMIT_VERBS.has(last.verb) &&
    /^(?:the|a|an)\s/i.test(last.object)
  ) {
    const object = cleanObject(last.object).replace(/^(?:a|an)\s/i, 'the ');
    return {
      success: [
        `${object.charAt(0).toUpperCase()}${object.slice(1)} is ${pastParticiple(last.verb)} and a confirmation is shown`,
      ],
      covers: [],
    };
  }
  return { success: [phrases.saved()], covers: [] };
}

/**
 * Reads a story once for the offline engine, in the story's own language: language, criterion
 * readings, fields, the positive flow in concrete steps, its preconditions and its observable success.
 */
export function readStory(story: Story): StoryReading {
  const storyLanguage = detectLanguage(storyText(story));
  const readings = story.acceptanceCriteria.map((criterion) => readCriterion(criterion, storyLanguage));
  const flowReading = readings.find((reading) => reading.timing === 'flow');
  const actor =
    flowReading?.actor ??
    (storyRole('en').exec(story.description)?.[1]
      ? `the ${storyRole('en').exec(story.description)![1]!.trim()}`
      : 'the user');
  const request = storyLanguage === 'en' ? apiRequestOf(story) : undefined;
  const phrases = request
    ? apiPhrases(phrasesFor(storyLanguage, actor), request)
    : phrasesFor(storyLanguage, actor);
  const fields = fieldsOf(constraintsOf(story, storyLanguage));
  const build = buildFlow(story, readings, fields, phrases);
  const { success, covers } = successOf(readings, phrases, flowReading);
  return {
    summary: story.summary,
    language: storyLanguage,
    phrases,
    actor,
    readings,
    fields,
    preconditions: [
      ...signInPreconditions(story, storyLanguage, phrases, flowReading),
      ...build.preconditions,
    ],
    flow: build.steps,
    success,
    successCovers: covers,
  };
}

export { subjectOf };
