import type { TestKind } from '../model.ts';
import {
  boundaryValuesFor,
  formatQuantity,
  type BoundaryValue,
  type Constraint,
  type DurationConstraint,
  type EnumerationConstraint,
  type FormatConstraint,
  type LimitConstraint,
  type RangeConstraint,
  type RequiredConstraint,
  type RoleConstraint,
} from '../constraints.ts';
import { formatExamples, sampleFor, textOfLength, valueOutside } from './test-data.ts';
import {
  capitalise,
  lowerFirst,
  negate,
  parseCriterion,
  quotedMessage,
  toImperative,
  toStatement,
  withoutFinalStop,
} from './wording.ts';

/** One action of a case draft, with the outcomes it must show. */
export interface DraftAction {
  /** An instruction for a person: `Enter a 7-character password and submit it`. */
  action: string;
  /** The same step in the third person for Gherkin, when it differs from the generated one. */
  gherkin?: string;
  data?: string;
  expected: string[];
}

/** A test case before format, ids, priorities and the count limit are applied. */
export interface CaseDraft {
  title: string;
  kind: TestKind;
  /** Security-relevant cases (roles) keep the top priority. */
  important?: boolean;
  preconditions: string[];
  actions: DraftAction[];
  covers: string[];
}

/** What the drafts need to know about the story as a whole. */
export interface StoryContext {
  /** Who acts in the story: `the registered user`. */
  actor: string;
  /** The story's role, as `registered user`, when it names one. */
  role?: string;
  /** What the story lets the actor do, as an instruction: `Sign in with the email address and password`. */
  goal?: string;
  /** Roles named in enumerations (`Viewer`, `Editor`), to pick a concrete other role. */
  knownRoles: string[];
  /** Criterion texts by id: a constraint's sentence may be one part of its criterion. */
  criteria: Record<string, string>;
}

const LENGTH_UNITS = new Set(['characters', 'letters', 'digits', 'words', 'symbols']);
const SIZE_UNITS = new Set(['bytes', 'KB', 'MB', 'GB', 'TB']);

function isPlural(noun: string): boolean {
  return /[^su]s$/i.test(noun.split(' ').pop() ?? '');
}

function isMoney(unit: string | undefined): boolean {
  return unit !== undefined && /^[A-Z]{3}$/.test(unit);
}

/** The thing a value belongs to: `password length` → `password`, `file size` → `file`. */
function thingOf(subject: string): string {
  return subject.replace(/\s+(?:length|size)$/, '').replace(/^number of\s+/, '');
}

function covers(constraint: Constraint): string[] {
  return constraint.criterionId ? [constraint.criterionId] : [];
}

function allowedText(constraint: RangeConstraint | LimitConstraint): string {
  if (constraint.kind === 'range') {
    const min =
      isMoney(constraint.unit) || constraint.unit === '%'
        ? formatQuantity(constraint.min, constraint.unit)
        : String(constraint.min);
    return `${min} to ${formatQuantity(constraint.max, constraint.unit)}`;
  }
  const word =
    constraint.bound === 'max'
      ? constraint.inclusive
        ? 'at most'
        : 'less than'
      : constraint.inclusive
        ? 'at least'
        : 'more than';
  return `${word} ${formatQuantity(constraint.value, constraint.unit)}`;
}

/** The clause of the source sentence that is not the constraint itself: what happens at the limit. */
function effectOf(constraint: Constraint): string | undefined {
  const rest = constraint.source
    .replace(constraint.phrase, ' ')
    .replace(/\b(?:of|without)\s+(?:inactivity|activity|idle time)\b/i, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:]+|[\s,;:.]+$/g, '')
    .replace(/\s+per\s+(?:second|minute|hour|day|week)$/i, '');
  const firstClause = rest
    .split(/;\s*/)[0]!
    .replace(/^(?:after|when|once|if)\s+.+?\s+(?=(?:the|a|an|their|his|her|its|they)\s)/i, '')
    .replace(
      /\s+for\s+(?:\d+|one|two|five|ten|fifteen|thirty)\s+(?:seconds?|minutes?|hours?|days?|weeks?)$/i,
      '',
    )
    .trim();
  return firstClause.split(' ').length >= 2 ? firstClause : undefined;
}

/** What the criterion says happens to a value outside the limit, when it says it (`outside that range, …`). */
function statedRejection(constraint: Constraint, context: StoryContext): string | undefined {
  const match =
    /(?:outside (?:that|this|the) range|otherwise|if not|above that|below that|beyond that)[,:]?\s+(.+)$/i.exec(
      fullText(constraint, context),
    );
  return match ? withoutFinalStop(match[1]!) : undefined;
}

/** The whole criterion a constraint came from, or its sentence. */
function fullText(constraint: Constraint, context: StoryContext): string {
  return (constraint.criterionId && context.criteria[constraint.criterionId]) || constraint.source;
}

function isThreshold(constraint: LimitConstraint): boolean {
  return /^(?:after|when|once|if)\b/i.test(constraint.phrase);
}

/** How a tester produces a value of this kind: enter, upload, add, set, apply. */
function valueAction(
  constraint: RangeConstraint | LimitConstraint,
  boundary: BoundaryValue,
  context: StoryContext,
): DraftAction['action'] {
  const unit = constraint.unit;
  const thing = thingOf(constraint.subject);
  const label = boundary.label;
  if (unit && LENGTH_UNITS.has(unit)) {
    const article = /^[8]|^1[18]\b|^18/.test(String(boundary.value)) ? 'an' : 'a';
    const singularUnit = unit.replace(/s$/, '');
    return `Enter ${article} ${boundary.value}-${singularUnit} ${thing} and submit it`;
  }
  if (unit && SIZE_UNITS.has(unit)) return `Upload a ${label} file`;
  if (isMoney(unit)) return `Set the ${constraint.subject} to ${label}`;
  if (unit === '%') return `Apply a ${constraint.subject} of ${label}`;
  if (constraint.kind === 'limit' && isThreshold(constraint)) {
    return `Make ${boundary.value} ${boundary.value === 1 ? thing.replace(/s$/, '') : thing} in a row`;
  }
  if (unit === 'years') return `Enter a date of birth that gives an age of ${label}`;
  const counted = constraint.subject.startsWith('number of ') ? thing : (unit ?? thing);
  const amount = `${boundary.value} ${boundary.value === 1 ? counted.replace(/s$/, '') : counted}`;
  if (/attachments?|files?|images?|photos?|documents?/i.test(counted)) return `Upload ${amount}`;
  if (/items?|products?|articles?/i.test(counted)) return `Add ${amount}`;
  if (/links?|codes?|emails?|requests?|messages?/i.test(counted))
    return `Request ${amount} within the period`;
  if (/times|attempts?/i.test(counted))
    return `${context.goal ?? 'Try the action'} ${boundary.value} time${boundary.value === 1 ? '' : 's'}`;
  return `Enter ${amount}`;
}

function valueData(
  constraint: RangeConstraint | LimitConstraint,
  boundary: BoundaryValue,
): string | undefined {
  const unit = constraint.unit;
  if (unit && LENGTH_UNITS.has(unit)) return textOfLength(constraint.subject, boundary.value, unit);
  if (unit && SIZE_UNITS.has(unit))
    return `sample-${String(boundary.value).replace('.', '_')}${unit.toLowerCase()}.pdf (${boundary.label})`;
  if (isMoney(unit) || unit === '%') return boundary.label;
  return undefined;
}

function valueOutcome(
  constraint: RangeConstraint | LimitConstraint,
  valid: boolean,
  context: StoryContext,
): string {
  const thing = `The ${thingOf(constraint.subject)}`;
  if (constraint.kind === 'limit' && isThreshold(constraint)) {
    const effect = effectOf(constraint);
    if (effect) return valid ? negate(effect) : capitalise(effect);
  }
  const verb = isPlural(thingOf(constraint.subject)) ? 'are' : 'is';
  if (valid) return `${thing} ${verb} accepted and no validation message is shown`;
  const stated = statedRejection(constraint, context);
  if (stated) return capitalise(stated);
  return `${thing} ${verb} rejected with a message that the allowed ${constraint.subject} is ${allowedText(constraint)}`;
}

function boundaryAction(
  constraint: RangeConstraint | LimitConstraint,
  boundary: BoundaryValue,
  context: StoryContext,
): DraftAction {
  const data = valueData(constraint, boundary);
  return {
    action: valueAction(constraint, boundary, context),
    ...(data ? { data } : {}),
    expected: [valueOutcome(constraint, boundary.valid, context)],
  };
}

function numericCases(constraint: RangeConstraint | LimitConstraint, context: StoryContext): CaseDraft[] {
  const boundaries = boundaryValuesFor(constraint);
  const drafts: CaseDraft[] = [];
  const subject = constraint.subject;
  const entered = constraint.unit !== undefined && LENGTH_UNITS.has(constraint.unit);
  const preconditions = entered
    ? [`${capitalise(context.actor)} is on the page where the ${thingOf(subject)} is entered`]
    : [];
  const groups: Array<[string, BoundaryValue[]]> =
    constraint.kind === 'range'
      ? [
          [
            `lower boundary of ${subject} at ${formatQuantity(constraint.min, constraint.unit)}`,
            boundaries.filter((boundary) => boundary.position.startsWith('min')),
          ],
          [
            `upper boundary of ${subject} at ${formatQuantity(constraint.max, constraint.unit)}`,
            boundaries.filter((boundary) => boundary.position.startsWith('max')),
          ],
        ]
      : [
          [
            `${constraint.bound === 'max' ? 'upper' : 'lower'} boundary of ${subject} at ${formatQuantity(constraint.value, constraint.unit)}`,
            boundaries,
          ],
        ];
  for (const [title, values] of groups) {
    if (values.length === 0) continue;
    drafts.push({
      title: capitalise(`${title} (${values.map((value) => value.label).join(', ')})`),
      kind: 'boundary',
      preconditions,
      actions: values.map((boundary) => boundaryAction(constraint, boundary, context)),
      covers: covers(constraint),
    });
  }
  // A value far outside the limit, distinct from the boundary values.
  const far = farValue(constraint);
  if (far !== undefined && !(constraint.kind === 'limit' && isThreshold(constraint))) {
    const boundary: BoundaryValue = {
      value: far,
      valid: false,
      label: formatQuantity(far, constraint.unit),
      position: 'outside',
      ...(constraint.unit ? { unit: constraint.unit } : {}),
    };
    drafts.push({
      title:
        subject.startsWith('number of ') || isPlural(subject)
          ? capitalise(`${boundary.label} are rejected (allowed: ${allowedText(constraint)})`)
          : capitalise(`${subject} of ${boundary.label} is rejected (allowed: ${allowedText(constraint)})`),
      kind: 'negative',
      preconditions,
      actions: [boundaryAction(constraint, boundary, context)],
      covers: covers(constraint),
    });
  }
  return drafts;
}

/** Twice the maximum, or zero below a minimum, when that is not already a boundary value. */
function farValue(constraint: RangeConstraint | LimitConstraint): number | undefined {
  const taken = new Set(boundaryValuesFor(constraint).map((boundary) => boundary.value));
  const max =
    constraint.kind === 'range' ? constraint.max : constraint.bound === 'max' ? constraint.value : undefined;
  const min =
    constraint.kind === 'range' ? constraint.min : constraint.bound === 'min' ? constraint.value : undefined;
  if (max !== undefined) {
    const value = isMoney(constraint.unit) ? Number((max * 2).toFixed(2)) : max * 2;
    if (value > 0 && !taken.has(value)) return value;
  }
  if (min !== undefined && min > 1 && !taken.has(0)) return 0;
  return undefined;
}

function durationCases(constraint: DurationConstraint, context: StoryContext): CaseDraft[] {
  if (constraint.relation === 'every') return [];
  const boundaries = boundaryValuesFor(constraint);
  const effect = effectOf(constraint);
  const validity = /validity$/.test(constraint.subject);
  const thing = constraint.subject.replace(/\s+(?:validity|time)$/, '');
  const inactivity = constraint.subject === 'inactivity time';
  const followUp = validity
    ? `open the ${thing}`
    : inactivity
      ? 'open any page of the application'
      : context.goal
        ? lowerFirst(context.goal)
        : 'repeat the action';
  const since = inactivity
    ? 'without any activity'
    : validity
      ? `after the ${thing} was sent`
      : constraint.subject === 'lockout time'
        ? 'after the lockout'
        : 'from the start';
  const outcome = (valid: boolean): string => {
    if (validity) return valid ? `The ${thing} still works` : `The ${thing} is rejected as expired`;
    if (constraint.relation === 'within') {
      return valid
        ? effect
          ? toStatement(effect, context.actor)
          : 'The action is accepted'
        : `The time limit of ${formatQuantity(constraint.value, constraint.unit)} is exceeded and a message says so`;
    }
    if (!effect) return valid ? 'Nothing has changed yet' : 'The time-limited change has happened';
    const statement = toStatement(effect, context.actor);
    if (constraint.subject === 'lockout time') return valid ? statement : negate(statement);
    return valid ? negate(statement) : statement;
  };
  const structured = constraint.relation === 'within' ? parseCriterion(constraint.source) : undefined;
  if (structured && structured.when.length > 0 && structured.then.length > 0) {
    // A response time ("then a link is emailed within 5 minutes"): act once, then check at the limit.
    const limit = formatQuantity(constraint.value, constraint.unit);
    const result = structured.then.map((clause) =>
      toStatement(clause.replace(constraint.phrase, '').replace(/\s+/g, ' ').trim(), context.actor),
    );
    return [
      {
        title: capitalise(`${constraint.subject} of at most ${limit}`),
        kind: 'boundary',
        preconditions: structured.given.map((clause) => capitalise(clause)),
        actions: [
          { action: `${toImperative(structured.when[0]!)} and note the time`, expected: [] },
          {
            action: `Check the result ${limit} after the action`,
            data: `${limit} (use a test clock to avoid real waiting)`,
            expected: result.map((statement) => `${statement} no later than ${limit} after the action`),
          },
        ],
        covers: covers(constraint),
      },
    ];
  }
  const drafts: CaseDraft[] = [
    {
      title: capitalise(
        `${constraint.subject} boundary at ${formatQuantity(constraint.value, constraint.unit)} (${boundaries.map((boundary) => boundary.label).join(', ')})`,
      ),
      kind: 'boundary',
      preconditions: [],
      actions: boundaries.map((boundary) => ({
        action: `Wait ${boundary.label} ${since}, then ${followUp}`,
        data: `${boundary.label} (use a test clock to avoid real waiting)`,
        expected: [outcome(boundary.valid)],
      })),
      covers: covers(constraint),
    },
  ];
  if (validity || constraint.relation === 'within') {
    const late = formatQuantity(constraint.value * 2, constraint.unit);
    drafts.push({
      title: capitalise(`${thing} used long after the limit (${late}) is rejected`),
      kind: 'negative',
      preconditions: [],
      actions: [
        { action: `Wait ${late} ${since}, then ${followUp}`, data: late, expected: [outcome(false)] },
      ],
      covers: covers(constraint),
    });
  }
  return drafts;
}

function roleCases(constraint: RoleConstraint, context: StoryContext): CaseDraft[] {
  const action = constraint.action ? lowerFirst(constraint.action).replace(/\bmy\b/g, 'their') : undefined;
  const whole = fullText(constraint, context);
  const message = quotedMessage(whole);
  // "Guests cannot check out; they are asked to sign in first": the criterion says what happens instead.
  const followUp = /;\s*(they|the\s+\w+)\s+(.+)$/i.exec(whole);
  const denial = message
    ? `The message "${message}" is shown and nothing is changed`
    : followUp
      ? `${toStatement(`${followUp[1]} ${followUp[2]}`, `the ${singular(constraint.role)}`)}; nothing is changed`
      : `Access is refused with a message and nothing is changed`;
  if (constraint.permission === 'denied' && action) {
    return [
      {
        title: capitalise(`${constraint.role} cannot ${action}`),
        kind: 'negative',
        important: true,
        preconditions: [signedInAs(constraint.role)],
        actions: [
          {
            action: `Try to ${action}`,
            gherkin: `the ${singular(constraint.role)} tries to ${action}`,
            expected: [denial],
          },
        ],
        covers: covers(constraint),
      },
    ];
  }
  if (constraint.exclusive && action) {
    const other =
      context.knownRoles.find(
        (role) =>
          !singular(constraint.role).toLowerCase().startsWith(singular(role).toLowerCase().slice(0, 5)),
      ) ?? `user without the ${singular(constraint.role)} role`;
    return [
      {
        title: capitalise(`${singular(other)} cannot ${action} (only ${constraint.role})`),
        kind: 'negative',
        important: true,
        preconditions: [signedInAs(other)],
        actions: [
          {
            action: `Try to ${action}`,
            gherkin: `the ${singular(other)} tries to ${action}`,
            expected: [denial],
          },
        ],
        covers: covers(constraint),
      },
    ];
  }
  // The story's own role: someone who is not signed in must not get in.
  if (
    !constraint.criterionId &&
    action &&
    /registered|signed[- ]in|logged[- ]in|authenticated|verified/i.test(constraint.role) &&
    !isAccessGoal(action)
  ) {
    return [
      {
        title: capitalise(`visitor who is not signed in cannot ${action}`),
        kind: 'negative',
        important: true,
        preconditions: ['Not signed in (a new private browser window)'],
        actions: [
          { action: `Try to ${action}`, expected: ['The sign-in page is shown and nothing else happens'] },
        ],
        covers: [],
      },
    ];
  }
  return [];
}

/** Goals a person reaches before signing in: no "not signed in" case and no "signed in" precondition. */
export function isAccessGoal(goal: string): boolean {
  return /\b(?:sign(?:s|ing)?[- ]?(?:in|up)|log(?:s|ging)?[- ]?in|regist|password|forgot|verify|activate)/i.test(
    goal,
  );
}

function singularNoun(noun: string): string {
  return noun.replace(/([^su])s$/i, '$1');
}

/** `Signed in as an administrator`, for a role's cases. */
export function signedInAs(role: string): string {
  if (/\b(?:guest|visitor|anonymous)/i.test(role))
    return `Not signed in (browsing as ${article(singular(role))} ${singular(role)})`;
  return `Signed in as ${article(singular(role))} ${singular(role)}`;
}

function singular(role: string): string {
  return role.replace(/([^s])s$/, '$1');
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function enumerationCases(constraint: EnumerationConstraint): CaseDraft[] {
  const outside = valueOutside(constraint.values);
  const subject = singularNoun(constraint.subject);
  return [
    {
      title: capitalise(`${subject} outside ${constraint.values.join(', ')} is rejected`),
      kind: 'negative',
      preconditions: [],
      actions: [
        {
          action: `Try to use "${outside}" as the ${subject}`,
          data: outside,
          expected: [
            `"${outside}" is not offered or is rejected; only ${constraint.values.join(', ')} can be chosen`,
          ],
        },
      ],
      covers: covers(constraint),
    },
  ];
}

function requiredCases(constraint: RequiredConstraint): CaseDraft[] {
  const subject = constraint.subject;
  return [
    {
      title: capitalise(`${subject} left empty is rejected`),
      kind: 'negative',
      preconditions: [],
      actions: [
        {
          action: `Leave the ${subject} empty, fill in every other field, and submit`,
          data: '(empty)',
          expected: [`A message says the ${subject} is required and nothing is saved`],
        },
      ],
      covers: covers(constraint),
    },
    {
      title: capitalise(`${subject} with only spaces is treated as empty`),
      kind: 'edge',
      preconditions: [],
      actions: [
        {
          action: `Enter three spaces as the ${subject}, fill in every other field, and submit`,
          data: '"   " (three spaces)',
          expected: [`A message says the ${subject} is required and nothing is saved`],
        },
      ],
      covers: covers(constraint),
    },
  ];
}

function formatCases(constraint: FormatConstraint): CaseDraft[] {
  const examples = formatExamples(constraint.format);
  return [
    {
      title: capitalise(`${constraint.subject} in an invalid ${constraint.format} format is rejected`),
      kind: 'negative',
      preconditions: [],
      actions: [
        {
          action: `Enter "${examples.invalid}" (${examples.invalidReason}) as the ${constraint.subject} and submit`,
          data: examples.invalid,
          expected: [
            `A message says the ${constraint.subject} must be a valid ${constraint.format} and nothing is saved`,
          ],
        },
      ],
      covers: covers(constraint),
    },
  ];
}

/** Boundary, negative and edge drafts for one constraint. Amounts and counts of time have none. */
export function constraintDrafts(constraint: Constraint, context: StoryContext): CaseDraft[] {
  switch (constraint.kind) {
    case 'range':
    case 'limit':
      return numericCases(constraint, context);
    case 'duration':
      return durationCases(constraint, context);
    case 'role':
      return roleCases(constraint, context);
    case 'enumeration':
      return enumerationCases(constraint);
    case 'required':
      return requiredCases(constraint);
    case 'format':
      return formatCases(constraint);
    case 'count': {
      const boundaries = boundaryValuesFor(constraint);
      const thing = thingOf(constraint.subject);
      return [
        {
          title: capitalise(
            `${constraint.subject} of exactly ${formatQuantity(constraint.value, constraint.unit)} (${boundaries.map((boundary) => boundary.label).join(', ')})`,
          ),
          kind: 'boundary',
          preconditions: [],
          actions: boundaries.map((boundary) => ({
            action: `Enter a ${thing} of ${boundary.label} and submit it`,
            data: textOfLength(thing, boundary.value, constraint.unit),
            expected: [
              boundary.valid
                ? `The ${thing} is accepted`
                : `The ${thing} is rejected with a message that it must have ${formatQuantity(constraint.value, constraint.unit)}`,
            ],
          })),
          covers: covers(constraint),
        },
      ];
    }
    case 'amount':
      return [];
  }
}

/** A valid value for a constraint, used by the positive case of a criterion that states only constraints. */
export function validAction(constraint: Constraint, context: StoryContext): DraftAction | undefined {
  switch (constraint.kind) {
    case 'range': {
      const middle =
        constraint.unit && LENGTH_UNITS.has(constraint.unit)
          ? Math.round((constraint.min + constraint.max) / 2)
          : constraint.min + (constraint.max - constraint.min) / 2;
      const value = isMoney(constraint.unit) ? Number(middle.toFixed(2)) : Math.round(middle);
      return boundaryAction(
        constraint,
        { value, valid: true, label: formatQuantity(value, constraint.unit), position: 'middle' },
        context,
      );
    }
    case 'limit': {
      if (isThreshold(constraint)) return undefined;
      const value =
        constraint.bound === 'max'
          ? Math.max(1, Math.floor(constraint.value / 2))
          : constraint.value + (isMoney(constraint.unit) ? 10 : 2);
      return boundaryAction(
        constraint,
        { value, valid: true, label: formatQuantity(value, constraint.unit), position: 'middle' },
        context,
      );
    }
    case 'enumeration':
      return {
        action: `Use each of ${constraint.values.map((value) => `"${value}"`).join(', ')} in turn as the ${singularNoun(constraint.subject)}`,
        data: constraint.values.join('; '),
        expected: [
          `Each of ${constraint.values.join(', ')} is accepted as the ${singularNoun(constraint.subject)}`,
        ],
      };
    case 'required':
      return {
        action: `Enter "${sampleFor(constraint.subject)}" as the ${constraint.subject} and submit`,
        data: sampleFor(constraint.subject),
        expected: [`The ${constraint.subject} is accepted and no "required" message is shown`],
      };
    case 'format': {
      const examples = formatExamples(constraint.format);
      return {
        action: `Enter "${examples.valid}" as the ${constraint.subject} and submit`,
        data: examples.valid,
        expected: [`The ${constraint.subject} is accepted as a valid ${constraint.format}`],
      };
    }
    case 'role': {
      if (!constraint.action || constraint.permission === 'denied') return undefined;
      const action = lowerFirst(constraint.action).replace(/\bmy\b/g, 'their');
      return {
        action: capitalise(action),
        expected: [`The ${singular(constraint.role)} can ${action}; no access message is shown`],
      };
    }
    default:
      return undefined;
  }
}
