import {
  boundaryValuesFor,
  formatQuantity,
  type BoundaryValue,
  type Constraint,
} from '../constraints/index.ts';
import { type CriterionReading } from '../criteria/index.ts';
import { valueWording, type Field } from './fields.ts';
import { observable, type StoryReading } from './story-reading.ts';
import { formatExamples, valueOutside } from './test-data.ts';
import { negate } from './wording.ts';
import { flowWith, type CaseBody, type CaseRow, type CaseSet } from './case-set-parts.ts';
import { isMoney } from '../constraints/units.ts';
import { capitalize } from '../words.ts';

function allowedText(constraint: Constraint, story: StoryReading): string {
  const unit = 'unit' in constraint ? constraint.unit : undefined;
  const phrases = story.phrases;
  if (constraint.kind === 'range')
    return phrases.between(
      isMoney(unit) || unit === '%' ? formatQuantity(constraint.min, unit) : String(constraint.min),
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
  semantics: Semantics,
  effect: () => { holds: string[]; fails: string[] },
): string[] {
  if (semantics !== 'rule' && reading) {
    const { holds, fails } = effect();
    if (semantics === 'happens-when-invalid') return boundary.valid ? fails : holds;
    return boundary.valid ? holds : fails;
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
  // The criterion's effect is the same for every boundary value: read it once per set.
  let effect: { holds: string[]; fails: string[] } | undefined;
  const effectOnce = () => (effect ??= effectOf(reading!, story));
  let rejected: string[] | undefined;
  const results = (boundary: BoundaryValue) =>
    semantics === 'rule' && !boundary.valid
      ? [...(rejected ??= boundaryResults(field, boundary, story, reading, semantics, effectOnce))]
      : boundaryResults(field, boundary, story, reading, semantics, effectOnce);
  const rows = boundaryValuesFor(field.constraint).map((boundary): CaseRow => {
    const { preconditions, step } = valueWording(field, boundary.value, story.phrases);
    let clockPreconditions: string[] = [];
    let change = step;
    if (field.mode === 'clock' && reading && semantics === 'holds-while-valid') {
      // `locked for 15 minutes`: the state holds first, and the clock counts from it.
      const holds = effectOnce().holds[0];
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
      results(boundary),
    );
    const verdict = semantics === 'rule' ? ` (${boundary.valid ? titles.accepted : titles.refused})` : '';
    return { title: `${capitalize(field.subject)}: ${boundary.label}${verdict}`, kind: 'boundary', body };
  });
  return { title: `${capitalize(field.subject)}: ${titles.boundaries}`, kind: 'boundary', covers, rows };
}

function choiceSets(story: StoryReading, field: Field, reading: CriterionReading | undefined): CaseSet[] {
  if (field.constraint.kind !== 'enumeration') return [];
  const covers = field.constraint.criterionId ? [field.constraint.criterionId] : [];
  const titles = story.phrases.titles;
  const rows = field.constraint.values.map((value): CaseRow => ({
    title: `${capitalize(field.subject)}: "${value}"`,
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
    title: `${capitalize(field.subject)}: ${titles.outside} ("${outside}")`,
    kind: 'negative',
    body: flowWith(
      story,
      { field, step: { wording: story.phrases.select(field.subject, outside) } },
      stated.length > 0 ? stated : [story.phrases.notOffered(outside, field.subject)],
    ),
  };
  return [
    { title: `${capitalize(field.subject)}: ${titles.values}`, kind: 'positive', covers, rows },
    { title: negative.title, kind: 'negative', covers, rows: [negative] },
  ];
}

export function fieldSets(story: StoryReading, field: Field): CaseSet[] {
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
        `${capitalize(field.subject)}: ${titles.empty}`,
        flowWith(story, { field, step: { wording: story.phrases.leaveEmpty(field.subject) } }, [
          story.phrases.requiredMissing(field.subject),
        ]),
      );
    case 'format': {
      const format = field.constraint.kind === 'format' ? field.constraint.format : 'value';
      const example = formatExamples(format);
      return single(
        `${capitalize(field.subject)}: ${titles.invalid} ${format}`,
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
