import type { BoundaryValue, Constraint } from '../../constraints/index.ts';
import type { TestCase } from '../../model.ts';
import {
  isOutline,
  normalizeForSearch,
  numbersIn,
  quotedTexts,
  type QualityContext,
  type QualityRule,
} from '../context.ts';
import { contentWords } from '../similarity.ts';

/**
 * Rules that hold cases against the story: its exact messages, its constraints and their boundary
 * values, what it says about accounts and roles, and the criteria each case claims to cover.
 */

function label(constraint: Constraint): string {
  const where = constraint.criterionId ? ` (${constraint.criterionId})` : '';
  return `"${constraint.subject}: ${constraint.phrase}"${where}`;
}

export const criterionMessageMissing: QualityRule = {
  id: 'criterion-message-missing',
  scope: 'set',
  check(context, report) {
    for (const criterion of context.story.acceptanceCriteria) {
      const covering = context.testCases.filter((testCase) => testCase.covers.includes(criterion.id));
      if (covering.length === 0) continue;
      for (const message of quotedTexts(criterion.text)) {
        const wanted = normalizeForSearch(message);
        const found = covering.some((testCase) => context.searchable(testCase).includes(wanted));
        if (found) continue;
        for (const testCase of covering) {
          report({
            rule: 'criterion-message-missing',
            severity: 'error',
            testCaseId: testCase.id,
            criterionId: criterion.id,
            message: `No case covering ${criterion.id} shows its exact text "${message}".`,
            fix: `Quote "${message}" word for word in the expected result of the case that triggers it.`,
          });
        }
      }
    }
  },
};

/** The numbers written in any case of a context, made once per context. */
const numbersOfContext = new WeakMap<QualityContext, ReadonlySet<number>>();

/** Whether any case writes the value. */
function mentioned(context: QualityContext, value: number): boolean {
  let numbers = numbersOfContext.get(context);
  if (numbers === undefined) {
    const all = new Set<number>();
    for (const testCase of context.testCases)
      for (const found of context.numbers.get(testCase.id) ?? []) all.add(found);
    numbers = all;
    numbersOfContext.set(context, numbers);
  }
  return numbers.has(value);
}

/** A numeric constraint without any of its boundary values tested, or without a rejected value. */
export const constraintCoverage: QualityRule = {
  id: 'missing-boundary',
  scope: 'set',
  check(context, report) {
    const wantsBoundary = context.kinds.includes('boundary');
    const wantsNegative = context.kinds.includes('negative');
    const negativeCases = context.testCases.filter(
      (testCase) => testCase.kind === 'negative' || testCase.kind === 'boundary',
    );
    const negativeWords = negativeCases.map((testCase) => context.wordLists.get(testCase.id) ?? []);
    for (const constraint of context.constraints) {
      const values = context.boundaries.get(constraint) ?? [];
      const criterionId = constraint.criterionId ? { criterionId: constraint.criterionId } : {};
      if (values.length > 0) {
        const invalid = values.filter((value) => !value.valid);
        if (wantsBoundary && !values.some((value) => mentioned(context, value.value))) {
          report({
            rule: 'missing-boundary',
            severity: 'warning',
            ...criterionId,
            message: `No test case checks the boundaries of ${label(constraint)}.`,
            fix: `Add one case per value, each from a fresh state: ${values.map((value) => value.label).join(', ')}.`,
          });
        } else if (
          wantsNegative &&
          invalid.length > 0 &&
          !invalid.some((value) => mentioned(context, value.value))
        ) {
          report({
            rule: 'missing-negative',
            severity: 'warning',
            ...criterionId,
            message: `No test case checks a value ${label(constraint)} rejects.`,
            fix: `Add a negative case with ${invalid.map((value) => value.label).join(', ')}.`,
          });
        }
        continue;
      }
      if (!wantsNegative) continue;
      if (constraint.kind === 'amount' || constraint.kind === 'duration') continue;
      if (constraint.kind === 'role' && constraint.permission === 'allowed' && !constraint.exclusive)
        continue;
      const subjectWords =
        constraint.kind === 'role'
          ? contentWords(constraint.role).map((word) => word.replace(/s$/, ''))
          : contentWords(constraint.subject).filter((word) => word.length >= 3);
      const named = negativeWords.some((words) =>
        subjectWords.some((subject) => words.some((word) => word.startsWith(subject))),
      );
      if (named) continue;
      report({
        rule: 'missing-negative',
        severity: 'warning',
        ...criterionId,
        message: `No negative test case for ${label(constraint)}.`,
        fix: negativeFix(constraint),
      });
    }
  },
};

function negativeFix(constraint: Constraint): string {
  switch (constraint.kind) {
    case 'role':
      return constraint.permission === 'denied'
        ? `Add a case where a ${constraint.role} tries it and is refused.`
        : `Add a case where someone who is not one of the ${constraint.role} tries it and is refused.`;
    case 'required':
      return `Add a case that leaves the ${constraint.subject} empty.`;
    case 'format':
      return `Add a case that enters an invalid ${constraint.format}.`;
    case 'enumeration':
      return `Add a case that uses a value outside ${constraint.values.join(', ')}.`;
    default:
      return 'Add a case with a value the story rejects.';
  }
}

function containsValue(text: string, value: string): boolean {
  const escaped = value
    .trim()
    .toLowerCase()
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

export const enumerationValueUnused: QualityRule = {
  id: 'enumeration-value-unused',
  scope: 'set',
  check(context, report) {
    if (context.testCases.length === 0) return;
    const allText = context.testCases.map((testCase) => context.texts.get(testCase.id) ?? '').join('\n');
    for (const constraint of context.constraints) {
      if (constraint.kind !== 'enumeration') continue;
      const unused = constraint.values.filter((value) => !containsValue(allText, value));
      if (unused.length === 0) continue;
      report({
        rule: 'enumeration-value-unused',
        severity: 'warning',
        ...(constraint.criterionId ? { criterionId: constraint.criterionId } : {}),
        message: `No case uses ${unused.map((value) => `"${value}"`).join(', ')} of ${label(constraint)} as an input.`,
        fix: `Add a case (or Examples rows) that selects each of: ${unused.join(', ')}.`,
      });
    }
  },
};

export const boundarySetIncomplete: QualityRule = {
  id: 'boundary-set-incomplete',
  scope: 'set',
  check(context, report) {
    if (!context.kinds.includes('boundary')) return;
    for (const [constraint, values] of context.boundaries) {
      // Below, at and above each limit; the values just inside (min+1, max-1) are optional.
      const needed = values.filter((value) => !/^(?:min\+1|max-1)$/.test(value.position));
      const missing = needed.filter((value) => !mentioned(context, value.value));
      // None at all is `missing-boundary`; all of them is complete.
      if (missing.length === 0 || !values.some((value) => mentioned(context, value.value))) continue;
      report({
        rule: 'boundary-set-incomplete',
        severity: 'warning',
        ...(constraint.criterionId ? { criterionId: constraint.criterionId } : {}),
        message: `The boundary values of ${label(constraint)} are incomplete: ${missing.map((value) => value.label).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not tested.`,
        fix: `Test below, at and above the limit: add ${missing.map((value) => value.label).join(', ')}.`,
      });
    }
  },
};

/**
 * Several boundary values of one constraint tried one after the other in one case: the earlier
 * attempts change the state the later ones start from ("request 2 links, then 3, then 4" is nine
 * requests). A Scenario Outline runs each Examples row from a fresh state, so it is fine.
 */
export const boundaryValuesAccumulate: QualityRule = {
  id: 'boundary-values-accumulate',
  scope: 'case',
  check(context, report) {
    if (context.boundaries.size === 0) return;
    const boundaries = [...context.boundaries];
    for (const testCase of context.testCases) {
      if (isOutline(testCase)) continue;
      const written = writtenInActions(context, testCase);
      if (written.size < 2) continue;
      // Made on first need: most cases write fewer than two values of every boundary set.
      let actions: string[] | undefined;
      let numbers: number[][] | undefined;
      let shapes: ((index: number) => string) | undefined;
      for (const [constraint, values] of boundaries) {
        // Fewer than two of its values written in the actions: none tried one after the other.
        if (writtenCount(values, written) < 2) continue;
        actions ??= testCase.steps.map((step) => `${step.action} ${step.data ?? ''}`);
        numbers ??= testCase.steps.map((step) => [
          ...new Set([...context.numbersOf(step.action), ...context.numbersOf(step.data ?? '')]),
        ]);
        shapes ??= actionShapes(actions);
        const tried = triedValues(
          shapes,
          numbers,
          values.map((value) => value.value),
        );
        if (tried.length < 2) continue;
        const labels = values.filter((value) => tried.includes(value.value)).map((value) => value.label);
        report({
          rule: 'boundary-values-accumulate',
          severity: 'error',
          testCaseId: testCase.id,
          ...(constraint.criterionId ? { criterionId: constraint.criterionId } : {}),
          message: `Tries ${labels.join(', ')} of ${label(constraint)} one after the other in one case, so each attempt starts from the state the previous one left.`,
          fix: 'Test each boundary value in its own case from a fresh state, or as the rows of a Scenario Outline.',
        });
        break;
      }
    }
  },
};

/** The numbers written in a case's actions and their data, by index (it runs for every case). */
function writtenInActions(context: QualityContext, testCase: TestCase): Set<number> {
  // An action and its data joined by a space: their numbers together are the joined text's.
  const written = new Set<number>();
  const steps = testCase.steps;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    const inAction = context.numbersOf(step.action);
    if (inAction.size > 0) for (const value of inAction) written.add(value);
    const inData = context.numbersOf(step.data ?? '');
    if (inData.size > 0) for (const value of inData) written.add(value);
  }
  return written;
}

/** How many distinct values of a boundary set are among the written numbers. */
function writtenCount(values: readonly BoundaryValue[], written: ReadonlySet<number>): number {
  let count = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!.value;
    if (!written.has(value)) continue;
    // A value listed twice counts once.
    let earlier = 0;
    while (earlier < index && values[earlier]!.value !== value) earlier++;
    if (earlier === index) count++;
  }
  return count;
}

/** An action with its numbers written as `#`: two actions of one shape differ only in a value. */
function actionShape(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+(?:[.,]\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Each action's shape, made on first use and kept for the case's other constraints. */
function actionShapes(actions: readonly string[]): (index: number) => string {
  const shapes: string[] = [];
  return (index) => (shapes[index] ??= actionShape(actions[index] ?? ''));
}

/**
 * The boundary values a case tries in sequence: three or more in its actions, or two in steps
 * that say the same thing with another number ("Request 2 links", "Request 3 links").
 */
function triedValues(
  shapeOf: (index: number) => string,
  numbers: readonly number[][],
  boundary: number[],
): number[] {
  const perStep = numbers.map((values) => values.filter((value) => boundary.includes(value)));
  const all = [...new Set(perStep.flat())];
  if (all.length >= 3) return all;
  const shapes = new Map<string, Set<number>>();
  perStep.forEach((values, index) => {
    // Only a step that tries a boundary value can make two of one shape.
    if (values.length === 0) return;
    const shape = shapeOf(index);
    for (const value of values) shapes.set(shape, (shapes.get(shape) ?? new Set()).add(value));
  });
  for (const values of shapes.values()) if (values.size >= 2) return [...values];
  return [];
}

const NO_ACCOUNT_NEEDED = [
  /\bwithout (?:an? |any )?(?:account|registration|registering|signing in|logging in|login|sign-in)\b/i,
  /\bno (?:account|login|sign-in|registration) (?:is )?(?:needed|required|necessary)\b/i,
  /\b(?:does not|doesn't|do not|don't|never) (?:need|require|have) (?:an? )?(?:account|login|to (?:sign|log) in|to register)\b/i,
  /\bohne (?:ein )?(?:Konto|Benutzerkonto|Anmeldung|Registrierung|Login)\b|\bkein (?:Konto|Login|Benutzerkonto) (?:nötig|erforderlich|notwendig)\b/i,
  /\bsans (?:compte|inscription|connexion|s'inscrire|se connecter|identifiant)\b|\baucun compte\b/i,
  /\bsin (?:cuenta|registro|registrarse|iniciar sesión)\b|\bno (?:necesita|requiere) (?:una )?cuenta\b/i,
];

const SIGNED_IN = [
  /\b(?:signed|logged) (?:in|on)\b|\bauthenticated\b|\bregistered (?:user|customer|member|account|patient|client)\b|\b(?:has|with|have) an account\b/i,
  /\bangemeldet\b|\beingeloggt\b|\bregistriert/i,
  /\bconnecté|\binscrit\b|\bauthentifié/i,
  /\bsesión iniciada\b|\bregistrad[oa]\b|\bautenticad[oa]\b/i,
];

/** Preconditions the story rules out: an account where none is needed, a role that is denied. */
export const preconditionContradictsStory: QualityRule = {
  id: 'precondition-contradicts-story',
  scope: 'case',
  check(context, report) {
    const { noAccount, denied } = context.fromStory('precondition-contradicts-story', () => {
      const story = context.story;
      const storyText = [
        story.summary,
        story.description,
        ...story.acceptanceCriteria.map((criterion) => criterion.text),
      ].join('\n');
      return {
        noAccount: NO_ACCOUNT_NEEDED.some((pattern) => pattern.test(storyText)),
        denied: context.constraints.filter(
          (constraint): constraint is Extract<Constraint, { kind: 'role' }> =>
            constraint.kind === 'role' && constraint.permission === 'denied',
        ),
      };
    });
    for (const testCase of context.testCases) {
      for (const precondition of testCase.preconditions) {
        if (noAccount && SIGNED_IN.some((pattern) => pattern.test(precondition))) {
          report({
            rule: 'precondition-contradicts-story',
            severity: 'error',
            testCaseId: testCase.id,
            message: `The precondition "${precondition}" contradicts the story, which says no account is needed.`,
            fix: 'Start from what the story says: a visitor without an account (or what it names instead).',
          });
          break;
        }
        const role =
          testCase.kind === 'positive'
            ? denied.find(
                (constraint) =>
                  (!constraint.criterionId || testCase.covers.includes(constraint.criterionId)) &&
                  contentWords(constraint.role).some((word) => contentWords(precondition).includes(word)),
              )
            : undefined;
        if (role) {
          report({
            rule: 'precondition-contradicts-story',
            severity: 'error',
            testCaseId: testCase.id,
            message: `The positive case starts as "${role.role}" ("${precondition}"), whom the story denies this (${role.phrase}).`,
            fix: `Start as a role the story allows, or make it a negative case where the ${role.role} is refused.`,
          });
          break;
        }
      }
    }
  },
};

/** What backs a claim to cover a criterion: its distinctive stems, its numbers, its quoted texts. */
interface Evidence {
  stems: string[];
  stemSet: ReadonlySet<string>;
  numbers: number[];
  quoted: string[];
}

/** Words a criterion shares with no other criterion and not with the summary: what makes it itself. */
function distinctiveEvidence(context: QualityContext): Map<string, Evidence> {
  const criteria = context.story.acceptanceCriteria;
  const stem = (word: string) => word.slice(0, 5);
  const stemsOf = (text: string) =>
    new Set(
      contentWords(text)
        .filter((word) => word.length >= 4 && !/\d/.test(word))
        .map(stem),
    );
  const summaryStems = stemsOf(context.story.summary);
  const criterionStems = criteria.map((criterion) => stemsOf(criterion.text));
  // How many criteria use each stem: another criterion uses a stem of this one when more than one does.
  const users = new Map<string, number>();
  for (const stems of criterionStems) for (const word of stems) users.set(word, (users.get(word) ?? 0) + 1);
  const evidence = new Map<string, Evidence>();
  criteria.forEach((criterion, index) => {
    const stems = [...(criterionStems[index] ?? [])].filter(
      (word) => users.get(word) === 1 && !summaryStems.has(word),
    );
    const numbers = [...numbersIn(criterion.text)];
    for (const [constraint, values] of context.boundaries)
      if (constraint.criterionId === criterion.id) numbers.push(...values.map((value) => value.value));
    evidence.set(criterion.id, {
      stems,
      stemSet: new Set(stems),
      numbers,
      quoted: quotedTexts(criterion.text).map(normalizeForSearch),
    });
  });
  return evidence;
}

/** Whether a word of the case starts with one of the stems (its first five letters are one). */
function hasStem(words: readonly string[] | undefined, stems: ReadonlySet<string>): boolean {
  if (words === undefined || stems.size === 0) return false;
  for (const word of words) if (stems.has(word.slice(0, 5))) return true;
  return false;
}

export const coverageClaimUnbacked: QualityRule = {
  id: 'coverage-claim-unbacked',
  scope: 'case',
  check(context, report) {
    const evidence = context.fromStory('coverage-claim-unbacked', () => distinctiveEvidence(context));
    for (const testCase of context.testCases) {
      const numbers = context.numbers.get(testCase.id) ?? new Set<number>();
      for (const criterionId of testCase.covers) {
        const wanted = evidence.get(criterionId);
        if (!wanted || wanted.stems.length + wanted.numbers.length + wanted.quoted.length === 0) continue;
        const backed =
          hasStem(context.wordLists.get(testCase.id), wanted.stemSet) ||
          wanted.numbers.some((value) => numbers.has(value)) ||
          wanted.quoted.some((quoted) => context.searchable(testCase).includes(quoted));
        if (backed) continue;
        report({
          rule: 'coverage-claim-unbacked',
          severity: 'warning',
          testCaseId: testCase.id,
          criterionId,
          message: `Claims to cover ${criterionId}, but nothing in the case tests what ${criterionId} is about.`,
          fix: `Remove ${criterionId} from covers, or add the steps and result that test it.`,
        });
      }
    }
  },
};
