import { boundaryValuesFor, formatQuantity, type BoundaryValue, type Constraint } from '../constraints/index.ts';
import { actionVerbBase, pastParticiple, type CriterionReading } from '../criteria/index.ts';
import type { TestKind } from '../model.ts';
import { valueWording, type CaseStep, type Field } from './fields.ts';
import { roleSets } from './role-cases.ts';
import { observable, type StoryReading } from './story-reading.ts';
import { formatExamples, valueOutside } from './test-data.ts';
import { negate } from './wording.ts';

/** What one case sets up, does and observes. */
export interface CaseBody {
  preconditions: string[];
  steps: CaseStep[];
  results: string[];
}

export interface CaseRow {
  title: string;
  kind: TestKind;
  body: CaseBody;
}

/**
 * Cases that differ only in one value (the boundary values of a limit, the values of a list):
 * separate manual cases, one Scenario Outline in Gherkin.
 */
export interface CaseSet {
  title: string;
  kind: TestKind;
  covers: string[];
  /** Security-relevant (roles): keeps the top priority. */
  important?: boolean;
  rows: CaseRow[];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function shortText(text: string): string {
  const words = text.replace(/[.;]+$/, '').split(/\s+/);
  if (words.length <= 12) return words.join(' ');
  const cut = words.slice(0, 12).join(' ');
  // Never cut inside a quotation: close the title before the quote instead.
  const quote = cut.search(/["“„«]/);
  return quote > 0 && (cut.match(/["“„«»”“]/g)?.length ?? 0) % 2 === 1
    ? `${cut.slice(0, quote).trim()} …`
    : `${cut} …`;
}

/** The story's flow with one field's step replaced (or added before the last step) and extra preconditions. */
function flowWith(
  story: StoryReading,
  change: { field?: Field; step?: CaseStep; preconditions?: string[]; insert?: CaseStep[] },
  results: string[],
): CaseBody {
  const fieldIndex = change.field ? story.fields.indexOf(change.field) : -1;
  const subject = change.field?.subject.toLowerCase();
  const steps: CaseStep[] = [];
  let replaced = false;
  for (const step of story.flow) {
    const sameField =
      step.field !== undefined &&
      (step.field === fieldIndex || story.fields[step.field]!.subject.toLowerCase() === subject);
    if (sameField && change.step) {
      if (!replaced) steps.push(change.step);
      replaced = true;
    } else if (!sameField || !change.step)
      steps.push({ wording: step.wording, ...(step.data ? { data: step.data } : {}) });
  }
  const extra = [...(change.step && !replaced ? [change.step] : []), ...(change.insert ?? [])];
  if (extra.length > 0) steps.splice(Math.max(0, steps.length - 1), 0, ...extra);
  return { preconditions: [...story.preconditions, ...(change.preconditions ?? [])], steps, results };
}

function positiveFlow(story: StoryReading): CaseSet {
  const flow = story.readings.find((reading) => reading.timing === 'flow');
  const covers = [...new Set([...(flow ? [flow.id] : []), ...story.successCovers])];
  const title = flow ? `${flow.id}: ${shortText(flow.text)}` : story.summary;
  return {
    title,
    kind: 'positive',
    covers,
    rows: [{ title, kind: 'positive', body: flowWith(story, {}, story.success) }],
  };
}

const NEGATIVE_CONDITION =
  /\b(?:wrong|invalid|incorrect|exceeds?|without|missing|no|not|already|expired|offline|before|falsch|ungültig|bereits|vor|kein|aucun|pas|déjà|ya|no|sin|ningún)\b/i;

/** A condition on something the tester enters becomes a step; any other condition a precondition. */
function conditionChange(
  story: StoryReading,
  condition: string,
): { preconditions?: string[]; insert?: CaseStep[]; field?: Field; step?: CaseStep } {
  if (story.language !== 'en') return { preconditions: [capitalise(condition)] };
  // `the user selects "Help"`: the person's own action is a step.
  const words = condition.split(' ');
  const verbAt = /^(?:the|a|an)$/i.test(words[0] ?? '')
    ? words.findIndex((word, index) => index >= 2 && index <= 4 && actionVerbBase(word) !== undefined)
    : -1;
  if (verbAt > 0) {
    const base = actionVerbBase(words[verbAt]!)!;
    const rest = words
      .slice(verbAt + 1)
      .join(' ')
      .replace(/\b(?:their|his|her)\b/g, 'the');
    return { insert: [{ wording: story.phrases.instruction(`${capitalise(base)} ${rest}`.trim()) }] };
  }
  const match = /^(?:the|a|an)\s+([\w -]+?)\s+((?:exceeds|is|are|has|contains|differs|does|lies)\b.*)$/i.exec(
    condition,
  );
  const entered = (noun: string) =>
    story.fields.some((field) => field.subject.toLowerCase().includes(noun.toLowerCase())) ||
    story.flow.some((step) => step.wording.action.toLowerCase().includes(noun.toLowerCase()));
  if (match && entered(match[1]!)) {
    const article = /^[aeiou]/i.test(match[1]!) ? 'an' : 'a';
    const step = { wording: story.phrases.instruction(`Enter ${article} ${match[1]} that ${match[2]}`) };
    // The condition's value takes the place of the field's valid value.
    const field = story.fields.find(
      (candidate) => candidate.subject.toLowerCase() === match[1]!.toLowerCase(),
    );
    return field ? { field, step } : { insert: [step] };
  }
  if (!/\b(?:is|are|has|have|was|were|does|do|reports?|exceeds?)\b/i.test(condition)) {
    const noun =
      condition
        .replace(/^(?:the|a|an)\s+/i, '')
        .split(' ')
        .pop() ?? '';
    if (entered(noun))
      return { insert: [{ wording: story.phrases.instruction(`Enter ${condition.toLowerCase()}`) }] };
  }
  return { preconditions: [capitalise(condition)] };
}

/** A broken rule as a step: `The end date must not be before the start date` → `Enter an end date that is before the start date`. */
function violationChange(
  story: StoryReading,
  rule: string,
): { preconditions?: string[]; insert?: CaseStep[] } {
  const match = /^(?:the|a|an)\s+(.+?)\s+must\s+(not\s+)?(?:be\s+)?(.+)$/i.exec(rule);
  if (story.language !== 'en' || !match)
    return { preconditions: [capitalise(rule.replace(/\b(?:must|muss|doit|debe)\b/i, '≠'))] };
  const [, subject, negated, rest] = match;
  if (!negated && /^different$/i.test(rest!)) {
    return { insert: [{ wording: story.phrases.instruction(`Choose the same value for the ${subject}`) }] };
  }
  const article = /^[aeiou]/i.test(subject!) ? 'an' : 'a';
  const clause = negated ? `is ${rest}` : `is not ${rest}`;
  return { insert: [{ wording: story.phrases.instruction(`Enter ${article} ${subject} that ${clause}`) }] };
}

function hasOwnFields(story: StoryReading, reading: CriterionReading): boolean {
  return story.fields.some((field) => field.constraint.criterionId === reading.id);
}

/** Cases for a criterion's own condition, rule or statement; limits and roles have their own writers. */
function criterionSets(story: StoryReading, reading: CriterionReading): CaseSet[] {
  // A role rule has its own cases: someone else tries and is refused.
  if (reading.roles) return [];
  const results = reading.outcomes.map((clause) => observable(clause, story.phrases));
  const title = `${reading.id}: ${shortText(reading.text)}`;
  const one = (kind: TestKind, body: CaseBody): CaseSet[] => [
    { title, kind, covers: [reading.id], rows: [{ title, kind, body }] },
  ];
  if (reading.timing === 'condition' && reading.condition) {
    const kind = NEGATIVE_CONDITION.test(`${reading.condition} ${reading.outcomes.join(' ')}`)
      ? 'negative'
      : 'positive';
    return one(kind, flowWith(story, conditionChange(story, reading.condition), results));
  }
  if (reading.timing === 'violation' && reading.rule && !hasOwnFields(story, reading)) {
    return one('negative', flowWith(story, violationChange(story, reading.rule), results));
  }
  if (
    reading.timing === 'flow' &&
    reading !== story.readings.find((other) => other.timing === 'flow') &&
    reading.actions.length > 0
  ) {
    const [first, ...others] = reading.actions;
    const steps = reading.actions.map((action) => ({
      wording: story.phrases.instruction(capitalise(`${action.verb} ${action.object}`.trim())),
    }));
    const object = (others[others.length - 1] ?? first)!;
    const result = /^(?:the|a|an)\s/i.test(object.object)
      ? `${capitalise(object.object.replace(/^(?:a|an)\s/i, 'the ').replace(/\s+(?:from|on|in|at)\s.*$/, ''))} is ${pastParticiple(object.verb)}`
      : story.phrases.saved();
    if (steps.length === 1) steps.unshift(story.flow[0]!);
    return one('positive', { preconditions: story.preconditions, steps, results: [result] });
  }
  if (
    reading.timing === 'statement' &&
    !reading.roles &&
    !hasOwnFields(story, reading) &&
    results.length > 0
  ) {
    // `The fare difference is shown before the traveller confirms`: observed before the last step.
    const before = /^(.+?)\s+before\s+(?:the\s+)?[\w ]+?\s+(?:confirms|submits|pays|saves|sends)$/i.exec(
      reading.outcomes[0] ?? '',
    );
    if (before) {
      const body = flowWith(story, {}, story.success);
      const last = body.steps.length - 2;
      if (last >= 0)
        body.steps[last] = { ...body.steps[last]!, expected: observable(before[1]!, story.phrases) };
      return one('positive', body);
    }
    return one('positive', flowWith(story, {}, results));
  }
  return [];
}

function allowedText(constraint: Constraint, story: StoryReading): string {
  const unit = 'unit' in constraint ? constraint.unit : undefined;
  const phrases = story.phrases;
  if (constraint.kind === 'range')
    return phrases.between(
      /^[A-Z]{3}$|%/.test(unit ?? '') ? formatQuantity(constraint.min, unit) : String(constraint.min),
      formatQuantity(constraint.max, unit),
    );
  if (constraint.kind === 'count') return phrases.exactly(formatQuantity(constraint.value, unit));
  if (constraint.kind === 'limit')
    return constraint.bound === 'max'
      ? phrases.atMost(formatQuantity(constraint.value, unit))
      : phrases.atLeast(formatQuantity(constraint.value, unit));
  return constraint.phrase;
}

type Semantics = 'rule' | 'trigger' | 'holds-while-valid' | 'happens-when-invalid';

function semanticsOf(field: Field, language: string): Semantics {
  const constraint = field.constraint;
  if (language !== 'en') return 'rule';
  if (field.mode === 'threshold') return 'happens-when-invalid';
  if (constraint.kind === 'duration') {
    if (/^for\b/i.test(constraint.phrase)) return 'holds-while-valid';
    return constraint.relation === 'after' ? 'happens-when-invalid' : 'rule';
  }
  if (
    /\b(?:must|can|may|should|at most|at least|no more than|up to|between|exactly|only|until|within)\b/i.test(
      constraint.source,
    )
  )
    return 'rule';
  return 'trigger';
}

/** The criterion's effect without the limit: `After 3 wrong PINs the gift card is blocked for 30 minutes` → `The gift card is blocked`. */
function effectOf(reading: CriterionReading, story: StoryReading): { holds: string[]; fails: string[] } {
  const numeric =
    /\b(?:after|for|within|more than|less than|at most|at least|nach|für)\s+\d+(?:[.,]\d+)?\s+[\p{L}-]+(?:\s[\p{L}-]+)?(?:\s+(?:of\s+\w+|after\s+[\w ]+?(?=\s+is\b)))?/giu;
  const phrases = story.fields
    .filter((field) => field.constraint.criterionId === reading.id)
    .map((field) => field.constraint.phrase);
  const clauses = reading.outcomes.map((clause) =>
    phrases
      .reduce((text, phrase) => text.replace(phrase, ' '), clause)
      .replace(numeric, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^[\s,]+|[\s,]+$/g, ''),
  );
  const subject = /^((?:the|a|an)\s+[\w -]+?)\s+(?:is|are|keeps|expires|gets|has|that)\b/i.exec(
    clauses[0] ?? '',
  )?.[1];
  const holds: string[] = [];
  const fails: string[] = [];
  for (const clause of clauses) {
    if (clause.split(' ').length < 2 && !/^is\b/.test(clause)) continue;
    const full =
      /^(?:is|are|then)\b/i.test(clause) && subject
        ? `${subject} ${clause.replace(/^then\s+/i, '')}`
        : clause;
    const statement = observable(
      full.replace(/^(?:the|a|an)\s+(\w+)\s+(?:that|which|who|given)\b.*?\s+(is|are)\b/i, 'the $1 $2'),
      story.phrases,
    );
    if (/^(?:is|are|then)\b/i.test(clause) && fails.length === 0 && holds.length > 0) fails.push(statement);
    else holds.push(statement);
  }
  if (fails.length === 0) fails.push(...holds.map((statement) => notShown(statement)));
  return { holds, fails };
}

function notShown(statement: string): string {
  return /\bis shown\b/.test(statement)
    ? statement.replace(/\bis shown\b/, 'is not shown')
    : negate(statement);
}

function violationResults(reading: CriterionReading | undefined, story: StoryReading): string[] {
  if (!reading) return [];
  if (reading.timing === 'violation')
    return reading.outcomes.map((clause) => observable(clause, story.phrases));
  return reading.messages.length > 0 && !reading.roles
    ? reading.messages.map((message) => story.phrases.messageShown(message))
    : [];
}

function boundaryResults(
  field: Field,
  boundary: BoundaryValue,
  story: StoryReading,
  reading: CriterionReading | undefined,
): string[] {
  const semantics = semanticsOf(field, story.language);
  if (semantics !== 'rule' && reading) {
    const effect = effectOf(reading, story);
    if (semantics === 'holds-while-valid') return boundary.valid ? effect.holds : effect.fails;
    if (semantics === 'happens-when-invalid') return boundary.valid ? effect.fails : effect.holds;
    return boundary.valid ? effect.holds : effect.fails;
  }
  if (boundary.valid) return story.success;
  const stated = violationResults(reading, story);
  return stated.length > 0
    ? stated
    : [story.phrases.rejected(field.subject, allowedText(field.constraint, story))];
}

/** One case per boundary value, each from a fresh state. */
function boundarySet(story: StoryReading, field: Field, reading: CriterionReading | undefined): CaseSet {
  const covers = field.constraint.criterionId ? [field.constraint.criterionId] : [];
  const titles = story.phrases.titles;
  const semantics = semanticsOf(field, story.language);
  const rows = boundaryValuesFor(field.constraint).map((boundary): CaseRow => {
    const { preconditions, step } = valueWording(field, boundary.value, story.phrases);
    let clockPreconditions: string[] = [];
    let change = step;
    if (field.mode === 'clock' && reading && semantics === 'holds-while-valid') {
      // `locked for 15 minutes`: the state holds first, and the clock counts from it.
      const holds = effectOf(reading, story).holds[0];
      if (holds) {
        clockPreconditions = [holds];
        const event = holds.charAt(0).toLowerCase() + holds.slice(1);
        change = {
          ...step,
          wording: story.phrases.instruction(
            step.wording.action.replace(/after the start$/, `after ${event}`),
          ),
        };
      }
    }
    const body = flowWith(
      story,
      { field, step: change, preconditions: [...clockPreconditions, ...preconditions] },
      boundaryResults(field, boundary, story, reading),
    );
    const verdict = semantics === 'rule' ? ` (${boundary.valid ? titles.accepted : titles.refused})` : '';
    return { title: `${capitalise(field.subject)}: ${boundary.label}${verdict}`, kind: 'boundary', body };
  });
  return { title: `${capitalise(field.subject)}: ${titles.boundaries}`, kind: 'boundary', covers, rows };
}

function choiceSets(story: StoryReading, field: Field, reading: CriterionReading | undefined): CaseSet[] {
  if (field.constraint.kind !== 'enumeration') return [];
  const covers = field.constraint.criterionId ? [field.constraint.criterionId] : [];
  const titles = story.phrases.titles;
  const rows = field.constraint.values.map((value): CaseRow => ({
    title: `${capitalise(field.subject)}: "${value}"`,
    kind: 'positive',
    body: flowWith(
      story,
      { field, step: { wording: story.phrases.select(field.subject, value) } },
      story.success,
    ),
  }));
  const outside = valueOutside(field.constraint.values);
  const stated = violationResults(reading, story);
  const negative: CaseRow = {
    title: `${capitalise(field.subject)}: ${titles.outside} ("${outside}")`,
    kind: 'negative',
    body: flowWith(
      story,
      { field, step: { wording: story.phrases.select(field.subject, outside) } },
      stated.length > 0 ? stated : [story.phrases.notOffered(outside, field.subject)],
    ),
  };
  return [
    { title: `${capitalise(field.subject)}: ${titles.values}`, kind: 'positive', covers, rows },
    { title: negative.title, kind: 'negative', covers, rows: [negative] },
  ];
}

function fieldSets(story: StoryReading, field: Field): CaseSet[] {
  const reading = story.readings.find((candidate) => candidate.id === field.constraint.criterionId);
  const covers = field.constraint.criterionId ? [field.constraint.criterionId] : [];
  const titles = story.phrases.titles;
  const single = (title: string, body: CaseBody): CaseSet[] => [
    { title, kind: 'negative', covers, rows: [{ title, kind: 'negative', body }] },
  ];
  switch (field.mode) {
    case 'choice':
      return choiceSets(story, field, reading);
    case 'required':
      return single(
        `${capitalise(field.subject)}: ${titles.empty}`,
        flowWith(story, { field, step: { wording: story.phrases.leaveEmpty(field.subject) } }, [
          story.phrases.requiredMissing(field.subject),
        ]),
      );
    case 'format': {
      const format = field.constraint.kind === 'format' ? field.constraint.format : 'value';
      const example = formatExamples(format);
      return single(
        `${capitalise(field.subject)}: ${titles.invalid} ${format}`,
        flowWith(
          story,
          {
            field,
            step: {
              wording: story.phrases.enter(field.subject, `"${example.invalid}"`),
              data: example.invalidReason,
            },
          },
          [story.phrases.invalidFormat(field.subject, format)],
        ),
      );
    }
    default:
      return [boundarySet(story, field, reading)];
  }
}

/**
 * Every case set of a story: the positive flow; each criterion's condition, rule or statement;
 * boundary values, list values, required fields and formats; roles.
 */
export function caseSetsFor(story: StoryReading): CaseSet[] {
  const flow = positiveFlow(story);
  // The bare flow is kept when it covers a criterion, or when the story has no criteria at all.
  const sets: CaseSet[] = flow.covers.length > 0 || story.readings.length === 0 ? [flow] : [];
  for (const reading of story.readings) {
    sets.push(...criterionSets(story, reading));
    if (reading.roles) sets.push(...roleSets(story, reading, reading.messages));
  }
  const seen = new Set<string>();
  for (const field of story.fields) {
    const key = `${field.mode}:${field.subject.toLowerCase()}:${JSON.stringify(boundaryValuesFor(field.constraint).map((value) => value.value))}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sets.push(...fieldSets(story, field));
  }
  return sets;
}
