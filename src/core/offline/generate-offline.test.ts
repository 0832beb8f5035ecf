import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boundaryValuesFor, extractConstraints } from '../constraints/index.ts';
import { validateGherkin } from '../gherkin/index.ts';
import { TestCaseSchema, type Story, type TestCase, type TestFormat } from '../model.ts';
import { generateOffline } from './index.ts';

const examples = new URL('../../../examples/stories/', import.meta.url);

/** A test-local reader for the example Markdown stories (the real importer lives in src/formats/). */
function readMarkdownStory(name: string): Story {
  const text = readFileSync(new URL(name, examples), 'utf8');
  const heading = /^# ([A-Z]+-\d+): (.+)$/m.exec(text);
  if (!heading) throw new Error(`${name} has no "# KEY-1: Summary" heading`);
  const sections = text.split(/^## /m);
  const list = (title: string) =>
    (sections.find((section) => section.startsWith(title)) ?? '')
      .split('\n')
      .filter((line) => line.startsWith('- '))
      .map((line) => line.slice(2).trim());
  return {
    key: heading[1]!,
    summary: heading[2]!,
    description: sections[0]!.replace(/^# .*$/m, '').trim(),
    acceptanceCriteria: list('Acceptance Criteria').map((criterion, index) => ({
      id: `AC-${index + 1}`,
      text: criterion,
    })),
    outOfScope: list('Out of scope'),
    notes: list('Notes'),
    source: 'markdown',
  };
}

function readJsonStory(name: string): Story {
  const json = JSON.parse(readFileSync(new URL(name, examples), 'utf8')) as {
    key: string;
    summary: string;
    description: string;
    acceptanceCriteria: string[];
  };
  return {
    ...json,
    acceptanceCriteria: json.acceptanceCriteria.map((text, index) => ({ id: `AC-${index + 1}`, text })),
    outOfScope: [],
    notes: [],
    source: 'json',
  };
}

const stories: Array<[string, Story]> = [
  ...['login.md', 'password-reset.md', 'checkout.md', 'user-roles.md', 'file-upload.md'].map(
    (name) => [name, readMarkdownStory(name)] as [string, Story],
  ),
  ['profile-update.json', readJsonStory('profile-update.json')],
];

function caseText(testCase: Pick<TestCase, 'title' | 'preconditions' | 'steps' | 'gherkin'>): string {
  return [
    testCase.title,
    ...testCase.preconditions,
    ...testCase.steps.flatMap((step) => [step.action, step.data ?? '', step.expected ?? '']),
    testCase.gherkin ?? '',
  ].join('\n');
}

describe.each(stories)('generateOffline on %s', (_name, story) => {
  const formats: TestFormat[] = ['bdd', 'manual', 'generic'];

  it.each(formats)('covers every criterion with a positive or criterion-specific case (%s)', (format) => {
    const result = generateOffline(story, { format });
    expect(result.uncovered).toEqual([]);
    expect(Object.keys(result.coverage)).toEqual(story.acceptanceCriteria.map((criterion) => criterion.id));
    for (const criterion of story.acceptanceCriteria) {
      const ids = result.coverage[criterion.id]!;
      expect(ids.length, criterion.id).toBeGreaterThan(0);
      for (const id of ids)
        expect(result.testCases.find((testCase) => testCase.id === id)!.covers).toContain(criterion.id);
    }
    result.testCases.forEach((testCase, index) => {
      expect(TestCaseSchema.parse(testCase)).toEqual(testCase);
      expect(testCase.id).toBe(`TC-${index + 1}`);
      expect(testCase.engine).toBe('rules');
      expect(testCase.steps.length).toBeGreaterThan(0);
      expect(
        testCase.steps.some((step) => step.expected && step.expected.length > 10),
        testCase.title,
      ).toBe(true);
    });
  });

  it('gives a case of its own to each classic boundary value of every range and limit', () => {
    const result = generateOffline(story, { format: 'manual' });
    const numeric = result.constraints.filter(
      (constraint) => constraint.kind === 'range' || constraint.kind === 'limit',
    );
    for (const constraint of numeric) {
      const boundaryCases = result.testCases.filter(
        (testCase) => testCase.kind === 'boundary' && testCase.covers.includes(constraint.criterionId!),
      );
      for (const boundary of boundaryValuesFor(constraint)) {
        const own = boundaryCases.filter(
          (testCase) =>
            testCase.title.endsWith(boundary.label) || testCase.title.includes(`${boundary.label} (`),
        );
        expect(own, `${constraint.subject}: ${boundary.label}`).toHaveLength(1);
      }
    }
  });

  it('renders Gherkin that parses, one Feature with one tagged Scenario per case', () => {
    const result = generateOffline(story, { format: 'bdd' });
    for (const testCase of result.testCases) {
      expect(testCase.gherkin).toBeDefined();
      const parsed = validateGherkin(testCase.gherkin!);
      expect(parsed.ok, testCase.gherkin).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value.scenarios).toHaveLength(1);
      expect(parsed.value.scenarios[0]!.tags).toContain(`@${testCase.kind}`);
      for (const criterionId of testCase.covers)
        expect(parsed.value.scenarios[0]!.tags).toContain(`@${criterionId}`);
      expect(testCase.warnings).toEqual([]);
    }
  });

  it('never writes vague steps or placeholder data, and respects out of scope', () => {
    const result = generateOffline(story, { format: 'manual' });
    for (const testCase of result.testCases) {
      const text = caseText(testCase);
      expect(text).not.toMatch(
        /verify (?:that )?(?:the system|it) works|works as expected|\bTBD\b|<value>|\bXXX\b|lorem ipsum/i,
      );
      for (const item of story.outOfScope) expect(text.toLowerCase()).not.toContain(item.toLowerCase());
    }
  });

  it('is deterministic', () => {
    expect(generateOffline(story, { format: 'bdd' })).toEqual(
      generateOffline(structuredClone(story), { format: 'bdd' }),
    );
  });
});

describe('generateOffline specifics', () => {
  const login = readMarkdownStory('login.md');

  it('writes concrete password data for the 8-64 character range, one value per case', () => {
    const result = generateOffline(login, { format: 'manual' });
    const password = (label: string) =>
      result.testCases.find((testCase) => testCase.title.startsWith(`Password: ${label}`))!;
    const step = (label: string) =>
      password(label).steps.find((candidate) => /as the password/.test(candidate.action))!;
    expect(step('7 characters').action).toBe('Enter "Pa55w0r" (7 characters) as the password');
    expect(step('8 characters').action).toBe('Enter "Pa55w0rd" (8 characters) as the password');
    expect(password('65 characters').steps.at(-1)!.expected).toContain('8 to 64 characters');
    expect(password('64 characters').steps.at(-1)).toEqual({
      action: 'Select "Sign in"',
      expected: 'The account dashboard is shown',
    });
  });

  it('locks at the fifth failed attempt, not the fourth, each attempt count from a fresh state', () => {
    const result = generateOffline(login, { format: 'manual' });
    const attempts = (count: number) =>
      result.testCases.find((testCase) => testCase.title === `Failed sign-in attempts: ${count} attempts`)!;
    expect([4, 5, 6].map((count) => attempts(count).steps.at(-1)!.expected)).toEqual([
      'The account is not locked',
      'The account is locked',
      'The account is locked',
    ]);
    expect(attempts(5).preconditions).toEqual(['4 attempts already made']);
  });

  it('drops cases about out-of-scope items and says so', () => {
    const story: Story = {
      ...login,
      acceptanceCriteria: [
        ...login.acceptanceCriteria,
        { id: 'AC-7', text: 'Users can sign in with Google single sign-on.' },
      ],
    };
    const result = generateOffline(story, { format: 'manual' });
    expect(result.testCases.some((testCase) => /google/i.test(caseText(testCase)))).toBe(false);
    expect(result.uncovered).toEqual(['AC-7']);
    expect(result.warnings.join('\n')).toContain(
      'out-of-scope item "Single sign-on (SSO) with Google or Microsoft accounts"',
    );
  });

  it('drops a case naming an out-of-scope acronym, but keeps values a criterion lists', () => {
    const reset = readMarkdownStory('password-reset.md');
    const story: Story = {
      ...reset,
      acceptanceCriteria: [
        ...reset.acceptanceCriteria,
        { id: 'AC-7', text: 'When the user asks for a code by SMS, the code is sent.' },
      ],
    };
    const result = generateOffline(story, { format: 'manual' });
    expect(result.uncovered).toEqual(['AC-7']);
    expect(result.testCases.some((testCase) => /\bSMS\b/.test(caseText(testCase)))).toBe(false);
    const upload = generateOffline(readMarkdownStory('file-upload.md'), { format: 'manual' });
    // "Previewing PDF files" is out of scope, yet PDF is a supported format in AC-1: its cases stay.
    expect(upload.coverage['AC-1']!.length).toBeGreaterThan(0);
    expect(upload.testCases.some((testCase) => /"PDF"/.test(caseText(testCase)))).toBe(true);
  });

  it('denies the wrong role and covers the criterion with that case', () => {
    const result = generateOffline(readMarkdownStory('user-roles.md'), { format: 'manual' });
    const viewer = result.testCases.find(
      (testCase) => testCase.covers.includes('AC-1') && testCase.kind === 'negative',
    )!;
    expect(viewer.preconditions).toEqual(['Signed in as a viewer']);
    expect(viewer.steps.at(-1)).toEqual({
      action: 'Try to open the "Users" page',
      expected: 'The message "You do not have access to this page" is shown',
    });
    expect(viewer.priority).toBe('high');
    const editors = result.coverage['AC-5']!.map((id) =>
      result.testCases.find((testCase) => testCase.id === id)!,
    );
    expect(editors.map((testCase) => [testCase.kind, testCase.preconditions])).toEqual([
      ['negative', ['Signed in as an editor']],
    ]);
  });

  it('keeps positives first within a maximum and reports criteria it could not cover', () => {
    const result = generateOffline(login, { format: 'generic', count: { min: 1, max: 4 } });
    expect(result.testCases).toHaveLength(4);
    expect(result.testCases[0]!.kind).toBe('positive');
    expect(result.testCases.map((testCase) => testCase.kind)).toEqual([
      'positive',
      'negative',
      'negative',
      'negative',
    ]);
    expect(result.uncovered).toEqual(['AC-3', 'AC-5', 'AC-6']);
    expect(result.warnings.join('\n')).toMatch(/maximum of 4 test cases: AC-3, AC-5, AC-6 left uncovered/);
  });

  it('says when fewer cases than the minimum could be derived', () => {
    const story: Story = {
      key: 'MIN-1',
      summary: 'Show the help page',
      description: '',
      acceptanceCriteria: [
        { id: 'AC-1', text: 'When the user selects "Help", the help page opens in a new tab.' },
      ],
      outOfScope: [],
      notes: [],
      source: 'text',
    };
    const result = generateOffline(story, { format: 'manual', count: { min: 5, max: 10 } });
    expect(result.testCases).toHaveLength(1);
    expect(result.testCases[0]!.steps).toEqual([
      { action: 'Open the form "Show the help page"' },
      { action: 'Select "Help"' },
      { action: 'Submit the form', expected: 'The help page opens in a new tab' },
    ]);
    expect(result.warnings.join('\n')).toContain('Only 1 test case could be derived');
  });

  it('filters by kind and uses the project priority labels', () => {
    const result = generateOffline(login, {
      format: 'manual',
      kinds: ['boundary'],
      priorities: ['P1', 'P2', 'P3'],
    });
    expect(result.testCases.length).toBeGreaterThan(0);
    expect(new Set(result.testCases.map((testCase) => testCase.kind))).toEqual(new Set(['boundary']));
    expect(new Set(result.testCases.map((testCase) => testCase.priority))).toEqual(new Set(['P2']));
    expect(result.warnings.join('\n')).toContain('with the kinds asked for');
  });

  it('derives its cases from the constraints of the criteria', () => {
    const extracted = extractConstraints(login).filter(
      (constraint) => constraint.criterionId && constraint.kind !== 'role' && constraint.kind !== 'amount',
    );
    const constraints = generateOffline(login, { format: 'manual' }).constraints;
    expect(constraints.map((constraint) => [constraint.kind, constraint.criterionId])).toEqual(
      extracted.map((constraint) => [constraint.kind, constraint.criterionId]),
    );
  });
});
