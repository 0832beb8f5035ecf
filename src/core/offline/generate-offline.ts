import { extractConstraints, type Constraint } from '../constraints.ts';
import { renderFeature, validateGherkin, type RenderStep } from '../gherkin.ts';
import {
  DEFAULT_PRIORITIES,
  type AcceptanceCriterion,
  type Story,
  type TestCase,
  type TestFormat,
  type TestKind,
  type TestStep,
} from '../model.ts';
import {
  constraintDrafts,
  isAccessGoal,
  validAction,
  type CaseDraft,
  signedInAs,
  type DraftAction,
  type StoryContext,
} from './case-drafts.ts';
import {
  capitalise,
  firstWords,
  lowerFirst,
  parseCriterion,
  toImperative,
  toStatement,
  toThirdPerson,
  withoutFinalStop,
} from './wording.ts';

export interface OfflineGenerationOptions {
  /** The layout of the cases: Gherkin scenarios (`bdd`), manual steps, or generic steps. */
  format: TestFormat;
  /** How many cases to return; cases beyond `max` are dropped by priority (positives first). Default: no limit. */
  count?: { min: number; max: number };
  /** Which kinds to produce. Default: all (positive, negative, boundary, edge). */
  kinds?: TestKind[];
  /** Priority labels from highest to lowest. Default: `high`, `medium`, `low`. */
  priorities?: string[];
}

export interface OfflineGenerationResult {
  testCases: TestCase[];
  /** Each acceptance criterion id with the ids of the cases that cover it. */
  coverage: Record<string, string[]>;
  /** Criteria no case covers. */
  uncovered: string[];
  /** What could not be done, in plain words. */
  warnings: string[];
  /** The constraints the cases were derived from. */
  constraints: Constraint[];
}

const KIND_ORDER: Record<TestKind, number> = { positive: 0, negative: 1, boundary: 2, edge: 3 };
const STOP_WORDS = new Set([
  'the',
  'and',
  'for',
  'with',
  'from',
  'into',
  'that',
  'this',
  'are',
  'not',
  'all',
  'any',
  'our',
  'your',
  'their',
  'its',
]);

function storyContext(story: Story, constraints: Constraint[]): StoryContext {
  const storyRole = constraints.find(
    (constraint) => constraint.kind === 'role' && !constraint.criterionId && !constraint.exclusive,
  );
  const role = storyRole?.kind === 'role' ? storyRole.role : undefined;
  const goal =
    storyRole?.kind === 'role' && storyRole.action
      ? capitalise(storyRole.action.replace(/\b(?:my|our)\b/g, 'the').replace(/\bme\b/g, 'them'))
      : undefined;
  const knownRoles = constraints.flatMap((constraint) =>
    constraint.kind === 'enumeration' && /\brole\b/i.test(constraint.subject) ? constraint.values : [],
  );
  return {
    actor: role ? `the ${role}` : 'the user',
    ...(role ? { role } : {}),
    ...(goal ? { goal } : {}),
    knownRoles,
    criteria: Object.fromEntries(story.acceptanceCriteria.map((criterion) => [criterion.id, criterion.text])),
  };
}

/** A condition as an instruction; a state (`the password is wrong`) becomes the story's action under that state. */
function instruction(clause: string, context: StoryContext): string {
  const imperative = toImperative(clause);
  if (/^(?:The|A|An|This|That|It|Its|There)\b/.test(imperative) && context.goal) {
    return `${context.goal}, where ${lowerFirst(withoutFinalStop(clause))}`;
  }
  return imperative;
}

/** Two constraints on one field (required, valid email) share one action with both outcomes. */
function mergeSameActions(actions: DraftAction[]): DraftAction[] {
  const merged: DraftAction[] = [];
  for (const action of actions) {
    const same = merged.find(
      (existing) => existing.action === action.action && existing.data === action.data,
    );
    if (same) same.expected.push(...action.expected.filter((expected) => !same.expected.includes(expected)));
    else merged.push({ ...action, expected: [...action.expected] });
  }
  return merged;
}

/** The positive case of one criterion: its own Given/When/Then, a condition and effect, or its constraints. */
function positiveDraft(
  criterion: AcceptanceCriterion,
  constraints: Constraint[],
  context: StoryContext,
): CaseDraft | undefined {
  const title = `${criterion.id}: ${firstWords(criterion.text, 14)}`;
  const parts = parseCriterion(criterion.text);
  const roleArticle = context.role && /^[aeiou]/i.test(context.role) ? 'an' : 'a';
  const signedIn = !context.role
    ? []
    : context.goal && isAccessGoal(context.goal)
      ? [`${capitalise(roleArticle)} ${context.role} account exists for maria.lopez@example.com`]
      : [`Signed in as ${roleArticle} ${context.role}`];
  if (parts) {
    const given = parts.given.map((clause) => capitalise(clause));
    return {
      title,
      kind: 'positive',
      preconditions: given.length > 0 ? given : signedIn,
      actions: parts.when.map((clause, index) => ({
        action: instruction(clause, context),
        ...(/^(?:the|a|an|they|he|she|I|we|you|it|its|their|his|her|my|users?|customers?)\b/i.test(
          clause.trim(),
        )
          ? { gherkin: lowerFirst(withoutFinalStop(clause)) }
          : {}),
        expected:
          index === parts.when.length - 1
            ? parts.then.map((clause) => toStatement(clause, context.actor))
            : [],
      })),
      covers: [criterion.id],
    };
  }
  const own = constraints.filter((constraint) => constraint.criterionId === criterion.id);
  const actions = mergeSameActions(
    own
      .map((constraint) => validAction(constraint, context))
      .filter((action): action is DraftAction => action !== undefined),
  );
  if (actions.length > 0) {
    const allowedRole = own.find(
      (constraint) => constraint.kind === 'role' && constraint.permission === 'allowed',
    );
    const preconditions = allowedRole?.kind === 'role' ? [signedInAs(allowedRole.role)] : signedIn;
    return { title, kind: 'positive', preconditions, actions, covers: [criterion.id] };
  }
  if (own.some((constraint) => constraint.kind === 'role' && constraint.permission === 'denied')) {
    // "Guests cannot check out" states a refusal: the role's negative case is this criterion's case.
    return undefined;
  }
  // A plain statement: do what the story is about, and observe what the criterion states.
  return {
    title,
    kind: 'positive',
    preconditions: signedIn,
    actions: [
      {
        action: context.goal ?? 'Carry out the steps of the story with valid data',
        expected: withoutFinalStop(criterion.text)
          .split(/;\s*/)
          .map((clause) => toStatement(clause, context.actor)),
      },
    ],
    covers: [criterion.id],
  };
}

/**
 * Matchers for out-of-scope items. An item's distinctive words are those the summary and
 * description never use; a case is about the item when it names the whole item, two of its
 * distinctive words, or its acronym (SMS) or only distinctive word, unless a criterion lists
 * that word as an allowed value (`PNG, JPG and PDF` keeps PDF in scope).
 */
function outOfScopeMatchers(
  story: Story,
  constraints: Constraint[],
): Array<{ item: string; test: (text: string) => boolean }> {
  const stem = (word: string) => word.toLowerCase().replace(/(?:es|s)$/, '');
  const wordsOf = (text: string) => text.split(/[^\p{L}\p{N}-]+/u).filter(Boolean);
  const framing = new Set(wordsOf(`${story.summary} ${story.description}`).map(stem));
  // Values a criterion lists as allowed ("PNG, JPG and PDF") stay in scope whatever else mentions them.
  const listed = new Set(
    wordsOf(
      constraints
        .flatMap((constraint) => (constraint.kind === 'enumeration' ? constraint.values : []))
        .join(' '),
    ).map(stem),
  );
  return story.outOfScope.map((item) => {
    const words = wordsOf(item).filter((word) => word.length >= 3 && !STOP_WORDS.has(word.toLowerCase()));
    const distinctive = [...new Set(words.filter((word) => !framing.has(stem(word))))];
    const strong = distinctive.filter(
      (word) => !listed.has(stem(word)) && (distinctive.length === 1 || /^[A-Z]{2,6}$/.test(word)),
    );
    const pattern = (word: string) =>
      new RegExp(
        `(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:e?s)?(?![\\p{L}\\p{N}])`,
        'iu',
      );
    const distinctivePatterns = distinctive.map(pattern);
    const strongPatterns = strong.map(pattern);
    const phrase = withoutFinalStop(item).toLowerCase();
    return {
      item,
      test: (text: string) =>
        text.toLowerCase().includes(phrase) ||
        strongPatterns.some((candidate) => candidate.test(text)) ||
        distinctivePatterns.filter((candidate) => candidate.test(text)).length >= 2,
    };
  });
}

function draftText(draft: CaseDraft): string {
  return [
    draft.title,
    ...draft.preconditions,
    ...draft.actions.flatMap((action) => [
      action.action,
      action.gherkin ?? '',
      action.data ?? '',
      ...action.expected,
    ]),
  ].join('\n');
}

function priorityFor(draft: CaseDraft, priorities: readonly string[]): string {
  const last = priorities.length - 1;
  if (draft.kind === 'positive' || draft.important) return priorities[0]!;
  if (draft.kind === 'edge') return priorities[last]!;
  return priorities[Math.min(1, last)]!;
}

/** Short literal data (a quoted value, an amount) is shown in the step; descriptions stay in the data field. */
function isLiteral(data: string | undefined): data is string {
  return data !== undefined && data.length <= 40 && /^(?:"[^"]*"|[^\s()]+)$/.test(data);
}

/** `Signed in as an administrator` → `an administrator is signed in`, and the like, for a Given step. */
function preconditionAsGherkin(precondition: string): string {
  return precondition
    .replace(
      /^Signed in as (an?) (.+)$/,
      (_, article: string, role: string) => `${article} ${role} is signed in`,
    )
    .replace(
      /^Not signed in \(browsing as (an?) (.+)\)$/,
      (_, article: string, role: string) => `${article} ${role} is browsing without signing in`,
    )
    .replace(/^Not signed in\b/, 'the visitor is not signed in');
}

function gherkinSteps(draft: CaseDraft, actor: string): RenderStep[] {
  const steps: RenderStep[] = [];
  draft.preconditions.forEach((precondition, index) =>
    steps.push({
      keyword: index === 0 ? 'Given' : 'And',
      text: lowerFirst(preconditionAsGherkin(precondition)),
    }),
  );
  for (const action of draft.actions) {
    const text = action.gherkin ?? toThirdPerson(action.action, actor);
    const withData =
      isLiteral(action.data) && !text.includes(action.data.replace(/"/g, ''))
        ? `${text} (${action.data})`
        : text;
    steps.push({ keyword: 'When', text: withData });
    action.expected.forEach((expected, index) =>
      steps.push({ keyword: index === 0 ? 'Then' : 'And', text: lowerFirst(expected) }),
    );
  }
  return steps;
}

function testSteps(draft: CaseDraft, format: TestFormat): TestStep[] {
  return draft.actions.map((action) => {
    const expected = action.expected.length > 0 ? action.expected.join('; ') : undefined;
    if (format === 'generic') {
      const data =
        isLiteral(action.data) && !action.action.includes(action.data.replace(/"/g, ''))
          ? ` (${action.data})`
          : '';
      return { action: `${action.action}${data}`, ...(expected ? { expected: action.expected[0] } : {}) };
    }
    return {
      action: action.action,
      ...(action.data ? { data: action.data } : {}),
      ...(expected ? { expected } : {}),
    };
  });
}

function toTestCase(
  draft: CaseDraft,
  id: string,
  story: Story,
  options: OfflineGenerationOptions,
  priorities: readonly string[],
  actor: string,
): TestCase {
  const warnings: string[] = [];
  const testCase: TestCase = {
    id,
    title: draft.title,
    kind: draft.kind,
    priority: priorityFor(draft, priorities),
    preconditions: draft.preconditions,
    steps: testSteps(draft, options.format),
    covers: draft.covers,
    engine: 'rules',
    warnings,
  };
  if (options.format === 'bdd') {
    const gherkin = renderFeature({
      featureName: `${story.key}: ${story.summary}`,
      scenarios: [
        { name: draft.title, tags: [draft.kind, ...draft.covers], steps: gherkinSteps(draft, actor) },
      ],
    });
    const check = validateGherkin(gherkin);
    if (!check.ok) warnings.push(`The generated Gherkin does not parse: ${check.error.message}`);
    testCase.gherkin = gherkin;
  }
  return testCase;
}

/**
 * The offline rules engine: classical test design from the story alone, with no model.
 * Deterministic: the same story and options always give the same cases, in the same order.
 *
 * - one positive case per acceptance criterion (its own Given/When/Then, condition and effect,
 *   or valid values for the constraints it states);
 * - boundary values for every range and limit, and for time limits;
 * - negative cases for each constraint and role (value far outside, empty required field,
 *   invalid format, value outside a list, wrong role refused), edge cases for blank input;
 * - nothing about an out-of-scope item.
 *
 * @example
 * const result = generateOffline(story, { format: 'bdd', count: { min: 3, max: 12 } });
 * result.coverage // { 'AC-1': ['TC-1', 'TC-7'], … }
 */
export function generateOffline(story: Story, options: OfflineGenerationOptions): OfflineGenerationResult {
  const warnings: string[] = [];
  const priorities =
    options.priorities && options.priorities.length > 0 ? options.priorities : DEFAULT_PRIORITIES;
  const kinds = new Set<TestKind>(
    options.kinds && options.kinds.length > 0 ? options.kinds : ['positive', 'negative', 'boundary', 'edge'],
  );
  const constraints = extractConstraints(story);
  const context = storyContext(story, constraints);

  const drafts: CaseDraft[] = [];
  for (const criterion of story.acceptanceCriteria) {
    const draft = positiveDraft(criterion, constraints, context);
    if (draft) drafts.push(draft);
  }
  for (const constraint of constraints) drafts.push(...constraintDrafts(constraint, context));

  // Out of scope: never a case whose text is about an excluded item.
  const matchers = outOfScopeMatchers(story, constraints);
  const inScope = drafts.filter((draft) => {
    const text = draftText(draft);
    const match = matchers.find((matcher) => matcher.test(text));
    if (match) warnings.push(`Left out "${draft.title}": it is about the out-of-scope item "${match.item}".`);
    return !match;
  });

  // One case per title: repeated constraints (e.g. in the description and a criterion) give one case.
  const seenTitles = new Set<string>();
  const unique = inScope.filter((draft) => {
    const key = draft.title.toLowerCase();
    if (seenTitles.has(key)) return false;
    seenTitles.add(key);
    return true;
  });

  const wanted = unique.filter((draft) => kinds.has(draft.kind));
  const ordered = wanted
    .map((draft, index) => ({ draft, index }))
    .sort(
      (left, right) => KIND_ORDER[left.draft.kind] - KIND_ORDER[right.draft.kind] || left.index - right.index,
    )
    .map((entry) => entry.draft);

  let selected = ordered;
  if (options.count && ordered.length > options.count.max) {
    selected = ordered.slice(0, Math.max(0, options.count.max));
    warnings.push(
      `Kept ${selected.length} of ${ordered.length} test cases to respect the maximum of ${options.count.max}.`,
    );
  }
  if (options.count && selected.length < options.count.min) {
    warnings.push(
      `Only ${selected.length} test case${selected.length === 1 ? '' : 's'} could be derived from the story without inventing requirements; ${options.count.min} were asked for. Add acceptance criteria or use a model for more.`,
    );
  }

  const testCases = selected.map((draft, index) =>
    toTestCase(draft, `TC-${index + 1}`, story, options, priorities, context.actor),
  );
  const coverage: Record<string, string[]> = {};
  for (const criterion of story.acceptanceCriteria) coverage[criterion.id] = [];
  for (const testCase of testCases) {
    for (const criterionId of testCase.covers) coverage[criterionId]?.push(testCase.id);
  }
  const uncovered = story.acceptanceCriteria
    .map((criterion) => criterion.id)
    .filter((id) => coverage[id]!.length === 0);
  if (uncovered.length > 0) {
    const coveredBeforeLimit = new Set(wanted.flatMap((draft) => draft.covers));
    const lostToLimit = uncovered.filter((id) => coveredBeforeLimit.has(id));
    const lostOtherwise = uncovered.filter((id) => !coveredBeforeLimit.has(id));
    if (lostToLimit.length > 0 && options.count) {
      warnings.push(
        `Not all criteria could be covered within the maximum of ${options.count.max} test cases: ${lostToLimit.join(', ')} left uncovered.`,
      );
    }
    if (lostOtherwise.length > 0) {
      const reason = options.kinds && !kinds.has('positive') ? ' with the kinds asked for' : '';
      warnings.push(`No test case covers ${lostOtherwise.join(', ')}${reason}.`);
    }
  }
  return { testCases, coverage, uncovered, warnings, constraints };
}
