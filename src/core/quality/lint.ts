import { boundaryValuesFor, extractConstraints, type Constraint } from '../constraints.ts';
import type { Story, TestCase, TestKind } from '../model.ts';
import type { ExistingCase } from '../prompt/build-generation-prompt.ts';
import { contentWords, textSimilarity } from './similarity.ts';

/** What a lint finding is about. */
export type LintFindingKind =
  | 'vague-step'
  | 'unobservable-expected'
  | 'missing-expected'
  | 'placeholder-data'
  | 'near-duplicate'
  | 'duplicate-of-existing'
  | 'out-of-scope'
  | 'missing-boundary'
  | 'missing-negative';

export interface LintFinding {
  kind: LintFindingKind;
  /** The case the finding is about; absent for findings about the whole set (missing cases). */
  testCaseId?: string;
  message: string;
}

export interface LintOptions {
  story: Story;
  /** Accepted cases the new ones must not duplicate. */
  existingCases?: readonly ExistingCase[];
  /** The story's constraints; default `extractConstraints(story)`. */
  constraints?: readonly Constraint[];
  /** The kinds asked for; missing boundary / negative cases are only flagged when asked for. Default: all. */
  kinds?: readonly TestKind[];
  /** Similarity (0–1, Jaccard on word pairs) from which two cases are near-duplicates. Default 0.7. */
  duplicateThreshold?: number;
}

export interface LintResult {
  /** Copies of the cases with each finding about them appended to `warnings`. */
  testCases: TestCase[];
  /** Every finding, the ones about the whole set included. */
  findings: LintFinding[];
}

const VAGUE_STEP = [
  /\b(?:verify|check|ensure|confirm|make sure|validate|see)\b(?: that)? (?:the )?(?:system|it|everything|application|app|feature|functionality|page)\b.{0,20}\b(?:works?|working|functions?|is fine)\b/i,
  /\b(?:verify|check|ensure|confirm|make sure)\b(?: that)? (?:it|everything) (?:works?|is working|is correct)\b/i,
  /\btest (?:the )?(?:functionality|feature|system|application|app|scenario)\b/i,
  /^(?:do|perform|execute|run) (?:the )?(?:test|action|steps?|scenario)\.?$/i,
];

const UNOBSERVABLE_EXPECTED = [
  /\b(?:works?|working|functions?|behaves?|performs?|handled?|processed) (?:correctly|properly|fine|successfully|as (?:expected|intended|designed))\b/i,
  /\bas (?:expected|intended|designed|required)\b/i,
  /^\s*(?:success(?:ful(?:ly)?)?|ok|okay|pass(?:es|ed)?|works?|done|correct|fine|no issues?)\s*[.!]?\s*$/i,
  /\bshould work\b/i,
  /\b(?:the )?(?:system|it|application) (?:responds|reacts) (?:appropriately|accordingly)\b/i,
];

const PLACEHOLDER =
  /\bTBD\b|\bTODO\b|lorem ipsum|\bx{3,}\b|\b(?:some|sample|dummy|any) (?:value|data|text|input)\b|^\s*(?:test|valid|invalid|some) (?:data|input|value)\s*$|\[(?:value|data|input|insert[^\]]*|[^\]]*here)\]|\{\{\s*\w+\s*\}\}|<(?:value|data|input|username|password|email|text|placeholder|[a-z_]+_(?:value|data|here))>/i;

/**
 * Flags what makes a test case hard to run or redundant: vague steps, unobservable or missing
 * expected results, placeholder data, near-duplicates (within the set and against existing cases),
 * cases testing out-of-scope items, and missing boundary / negative cases for the story's
 * constraints. Findings about a case are appended to its `warnings`.
 *
 * @example
 * const { testCases, findings } = lintTestCases(generated, { story });
 */
export function lintTestCases(testCases: readonly TestCase[], options: LintOptions): LintResult {
  const findings: LintFinding[] = [];
  const linted = testCases.map((testCase) => ({ ...testCase, warnings: [...testCase.warnings] }));
  const add = (finding: LintFinding) => {
    findings.push(finding);
    const testCase = finding.testCaseId
      ? linted.find((candidate) => candidate.id === finding.testCaseId)
      : undefined;
    if (testCase && !testCase.warnings.includes(finding.message)) testCase.warnings.push(finding.message);
  };

  for (const testCase of linted) {
    lintSteps(testCase, add);
    lintOutOfScope(testCase, options.story, add);
  }
  lintDuplicates(linted, options, add);
  lintConstraints(linted, options, add);
  return { testCases: linted, findings };
}

/**
 * The checks that need one case only (steps, expected results, placeholders, out of scope): for
 * showing a case with its findings as soon as it arrives, before the whole set is linted.
 */
export function lintTestCase(testCase: TestCase, options: Pick<LintOptions, 'story'>): LintResult {
  const findings: LintFinding[] = [];
  const linted = { ...testCase, warnings: [...testCase.warnings] };
  const add = (finding: LintFinding) => {
    findings.push(finding);
    if (!linted.warnings.includes(finding.message)) linted.warnings.push(finding.message);
  };
  lintSteps(linted, add);
  lintOutOfScope(linted, options.story, add);
  return { testCases: [linted], findings };
}

type Add = (finding: LintFinding) => void;

function lintSteps(testCase: TestCase, add: Add): void {
  const id = testCase.id;
  for (const [index, step] of testCase.steps.entries()) {
    if (VAGUE_STEP.some((pattern) => pattern.test(step.action))) {
      add({
        kind: 'vague-step',
        testCaseId: id,
        message: `Step ${index + 1} is vague ("${step.action}"): say exactly what to do.`,
      });
    }
    if (step.expected && UNOBSERVABLE_EXPECTED.some((pattern) => pattern.test(step.expected ?? ''))) {
      add({
        kind: 'unobservable-expected',
        testCaseId: id,
        message: `The expected result of step ${index + 1} cannot be observed ("${step.expected}"): say what the tester sees.`,
      });
    }
  }
  const thenLines = testCase.gherkin ? /^\s*Then\s+\S/im.test(testCase.gherkin) : false;
  if (!testCase.steps.some((step) => step.expected?.trim()) && !thenLines) {
    add({
      kind: 'missing-expected',
      testCaseId: id,
      message: 'No expected result: add what the tester should observe.',
    });
  }
  const outlineNames = new Set(
    [...(testCase.gherkin ?? '').matchAll(/<([^<>\s][^<>]*)>/g)].map((match) => match[1]?.toLowerCase()),
  );
  const texts = [
    ...testCase.preconditions,
    ...testCase.steps.flatMap((step) => [step.action, step.data ?? '', step.expected ?? '']),
  ];
  for (const text of texts) {
    const match = PLACEHOLDER.exec(text);
    // `<length>` in a Scenario Outline is a parameter filled from its Examples, not a placeholder.
    if (match && !outlineNames.has(match[0].replace(/[<>]/g, '').toLowerCase())) {
      add({
        kind: 'placeholder-data',
        testCaseId: id,
        message: `Placeholder data ("${match[0]}"): give the real value to use.`,
      });
      break;
    }
  }
}

/** The whole text of a case, for similarity and keyword checks. */
function caseText(testCase: Pick<TestCase, 'title'> & Partial<TestCase>): string {
  return [
    testCase.title,
    ...(testCase.preconditions ?? []),
    ...(testCase.steps ?? []).flatMap((step) => [step.action, step.data ?? '', step.expected ?? '']),
    testCase.steps?.length ? '' : (testCase.gherkin ?? ''),
  ].join(' \n ');
}

function lintOutOfScope(testCase: TestCase, story: Story, add: Add): void {
  if (story.outOfScope.length === 0) return;
  const scopeText = [
    story.summary,
    story.description,
    ...story.acceptanceCriteria.map((criterion) => criterion.text),
  ].join(' ');
  const inScope = new Set(contentWords(scopeText));
  // "log in" in the story also puts "login" in scope.
  const rawWords = scopeText.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  for (let index = 0; index + 1 < rawWords.length; index++)
    inScope.add(`${rawWords[index]}${rawWords[index + 1]}`);
  const words = new Set(contentWords(caseText(testCase)));
  for (const item of story.outOfScope) {
    // Words that only the out-of-scope note uses ("social", "google") mark a case testing it.
    const distinctive = contentWords(item).filter(
      (word) =>
        word.length >= 4 && !inScope.has(word) && !inScope.has(word.replace(/s$/, '')) && !/^\d/.test(word),
    );
    const hits = distinctive.filter((word) => words.has(word));
    if (hits.length > 0) {
      add({
        kind: 'out-of-scope',
        testCaseId: testCase.id,
        message: `Tests "${item}", which the story puts out of scope (mentions ${hits.join(', ')}).`,
      });
    }
  }
}

function lintDuplicates(testCases: TestCase[], options: LintOptions, add: Add): void {
  const threshold = options.duplicateThreshold ?? 0.7;
  const texts = testCases.map(caseText);
  for (let later = 1; later < testCases.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      const similarity = textSimilarity(texts[earlier] ?? '', texts[later] ?? '');
      const sameTitle = normaliseTitle(testCases[earlier]!.title) === normaliseTitle(testCases[later]!.title);
      // The same steps with other numbers test other values (7 vs 65 characters): not duplicates.
      if (!sameNumbers(texts[earlier] ?? '', texts[later] ?? '')) continue;
      if (similarity >= threshold || sameTitle) {
        add({
          kind: 'near-duplicate',
          testCaseId: testCases[later]!.id,
          message: `Nearly the same as ${testCases[earlier]!.id} ("${testCases[earlier]!.title}", ${Math.round(similarity * 100)}% similar): merge them or make them test different things.`,
        });
        break;
      }
    }
  }
  for (const testCase of testCases) {
    for (const existing of options.existingCases ?? []) {
      const sameTitle = normaliseTitle(existing.title) === normaliseTitle(testCase.title);
      const existingText = existing.steps?.length ? caseText(existing) : existing.title;
      if (
        !sameTitle &&
        !sameNumbers(existingText, existing.steps?.length ? caseText(testCase) : testCase.title)
      )
        continue;
      const similarity = existing.steps?.length
        ? textSimilarity(caseText(existing), caseText(testCase))
        : textSimilarity(existing.title, testCase.title);
      if (sameTitle || similarity >= threshold) {
        add({
          kind: 'duplicate-of-existing',
          testCaseId: testCase.id,
          message: `Nearly the same as the existing case "${existing.title}"${existing.id ? ` (${existing.id})` : ''}: it may not be needed.`,
        });
        break;
      }
    }
  }
}

/**
 * Every number written in the text, as a value: `4,999.99`, `$500.01`, `29%` and `65-character`
 * all count, so a boundary written with a unit or thousands separators is still recognised.
 */
function numbersIn(text: string): Set<number> {
  const numbers = new Set<number>();
  for (const match of text.matchAll(/(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?/g)) {
    const value = Number(`${(match[1] ?? '').replaceAll(',', '')}${match[2] ?? ''}`);
    if (Number.isFinite(value)) numbers.add(value);
  }
  return numbers;
}

function sameNumbers(left: string, right: string): boolean {
  const numbers = (text: string) => [...new Set(text.match(/\d+(?:\.\d+)?/g) ?? [])].sort().join(',');
  return numbers(left) === numbers(right);
}

function normaliseTitle(title: string): string {
  return contentWords(title).join(' ');
}

function lintConstraints(testCases: TestCase[], options: LintOptions, add: Add): void {
  const kinds = options.kinds?.length ? options.kinds : ['positive', 'negative', 'boundary', 'edge'];
  const wantsBoundary = kinds.includes('boundary');
  const wantsNegative = kinds.includes('negative');
  if (!wantsBoundary && !wantsNegative) return;
  const constraints = options.constraints ?? extractConstraints(options.story);
  const cases = testCases.map((testCase) => ({
    testCase,
    words: new Set(contentWords(caseText(testCase))),
    numbers: numbersIn(caseText(testCase)),
  }));
  const negativeCases = cases.filter(
    ({ testCase }) => testCase.kind === 'negative' || testCase.kind === 'boundary',
  );

  for (const constraint of constraints) {
    const where = constraint.criterionId ? ` (${constraint.criterionId})` : '';
    const label = `"${constraint.subject}: ${constraint.phrase}"${where}`;
    const values = boundaryValuesFor(constraint);
    if (values.length > 0) {
      const mentions = (value: number) => cases.some(({ numbers }) => numbers.has(value));
      const invalid = values.filter((value) => !value.valid);
      if (wantsBoundary && !values.some((value) => mentions(value.value))) {
        add({
          kind: 'missing-boundary',
          message: `No test case checks the boundaries of ${label}: test ${values.map((value) => value.label).join(', ')}.`,
        });
      } else if (wantsNegative && invalid.length > 0 && !invalid.some((value) => mentions(value.value))) {
        add({
          kind: 'missing-negative',
          message: `No test case checks a value ${label} rejects: test ${invalid.map((value) => value.label).join(', ')}.`,
        });
      }
      continue;
    }
    if (!wantsNegative) continue;
    // Roles, formats, required fields, enumerations: a negative case must name the subject.
    if (constraint.kind === 'role' && constraint.permission === 'allowed' && !constraint.exclusive) continue;
    const subjectWords =
      constraint.kind === 'role'
        ? contentWords(constraint.role).map((word) => word.replace(/s$/, ''))
        : contentWords(constraint.subject).filter((word) => word.length >= 3);
    const named = negativeCases.some(({ words }) =>
      subjectWords.some((subject) => [...words].some((word) => word.startsWith(subject))),
    );
    if (!named) {
      add({
        kind: 'missing-negative',
        message: `No negative test case for ${label}: ${negativeHint(constraint)}.`,
      });
    }
  }
}

function negativeHint(constraint: Constraint): string {
  switch (constraint.kind) {
    case 'role':
      return constraint.permission === 'denied'
        ? `check that a ${constraint.role} is refused`
        : `check that someone who is not one of the ${constraint.role} is refused`;
    case 'required':
      return `leave the ${constraint.subject} empty`;
    case 'format':
      return `enter an invalid ${constraint.format}`;
    case 'enumeration':
      return `use a value outside ${constraint.values.join(', ')}`;
    default:
      return 'check a value it rejects';
  }
}
