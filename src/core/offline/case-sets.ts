import { boundaryValuesFor } from '../constraints/index.ts';
import { actionVerbBase, pastParticiple, type CriterionReading } from '../criteria/index.ts';
import type { TestKind } from '../model.ts';
import { type CaseStep, type Field } from './fields.ts';
import { roleSets } from './role-cases.ts';
import { observable, type StoryReading } from './story-reading.ts';
import { flowWith, shortText, type CaseBody, type CaseSet } from './case-set-parts.ts';
import { fieldSets } from './field-case-sets.ts';
import { capitalize } from '../words.ts';

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
  if (story.language !== 'en') return { preconditions: [capitalize(condition)] };
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
    return { insert: [{ wording: story.phrases.instruction(`${capitalize(base)} ${rest}`.trim()) }] };
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
  return { preconditions: [capitalize(condition)] };
}

/** A broken rule as a step: `The end date must not be before the start date` → `Enter an end date that is before the start date`. */
function violationChange(
  story: StoryReading,
  rule: string,
): { preconditions?: string[]; insert?: CaseStep[] } {
  const match = /^(?:the|a|an)\s+(.+?)\s+must\s+(not\s+)?(?:be\s+)?(.+)$/i.exec(rule);
  if (story.language !== 'en' || !match)
    return { preconditions: [capitalize(rule.replace(/\b(?:must|muss|doit|debe)\b/i, '≠'))] };
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
      wording: story.phrases.instruction(capitalize(`${action.verb} ${action.object}`.trim())),
    }));
    const object = (others[others.length - 1] ?? first)!;
    const result = /^(?:the|a|an)\s/i.test(object.object)
      ? `${capitalize(object.object.replace(/^(?:a|an)\s/i, 'the ').replace(/\s+(?:from|on|in|at)\s.*$/, ''))} is ${pastParticiple(object.verb)}`
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
