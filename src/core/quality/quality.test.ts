import { describe, expect, it } from 'vitest';
import type { Story, TestCase } from '../model.ts';
import { assessQuality, prepareQuality } from './assess.ts';
import { buildCoverage } from './coverage.ts';
import type { QualityFinding } from './findings.ts';
import { lintTestCases } from './lint.ts';
import { textSimilarity } from './similarity.ts';

const story: Story = {
  key: 'SHOP-12',
  summary: 'Log in with email and password',
  description: 'As a shopper I want to log in so that I can see my orders.',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'A registered user can log in with their password and lands on the dashboard.' },
    { id: 'AC-2', text: 'The password must be between 8 and 64 characters.' },
    { id: 'AC-3', text: 'Only admins can unlock accounts.' },
  ],
  outOfScope: ['Social login with Google or Facebook'],
  notes: [],
  source: 'markdown',
};

function testCase(id: string, fields: Partial<TestCase>): TestCase {
  return {
    id,
    title: `Case ${id}`,
    kind: 'positive',
    priority: 'high',
    preconditions: [],
    steps: [{ action: 'Open the login page', expected: 'The login form is shown' }],
    covers: [],
    engine: 'llm',
    warnings: [],
    ...fields,
  };
}

const kinds = (findings: QualityFinding[], id?: string) =>
  findings
    .filter((finding) => finding.testCaseId === id && finding.rule !== 'flow-too-short')
    .map((finding) => finding.rule);

describe('coverage.ts: buildCoverage', () => {
  it('lists every criterion with its cases and the uncovered ones', () => {
    const result = buildCoverage(story, [
      testCase('TC-1', { covers: ['AC-1'] }),
      testCase('TC-2', { covers: ['AC-1', 'AC-2'] }),
      testCase('TC-3', { covers: ['AC-9'] }),
    ]);
    expect(result.coverage).toEqual({ 'AC-1': ['TC-1', 'TC-2'], 'AC-2': ['TC-2'], 'AC-3': [] });
    expect(result.uncovered).toEqual(['AC-3']);
  });
});

describe('lint.ts: lintTestCases', () => {
  it('flags vague steps, unobservable and missing expected results, and placeholder data', () => {
    const { testCases, findings } = lintTestCases(
      [
        testCase('TC-1', { steps: [{ action: 'Verify the system works', expected: 'It works correctly' }] }),
        testCase('TC-2', { title: 'Reset password', steps: [{ action: 'Click "Forgot password"' }] }),
        testCase('TC-3', {
          title: 'Register',
          steps: [{ action: 'Enter the email', data: '<email>', expected: 'Saved' }],
        }),
        testCase('TC-4', {
          title: 'Profile',
          steps: [{ action: 'Test the functionality', data: 'TBD', expected: 'As expected' }],
        }),
      ],
      { story, kinds: ['positive'] },
    );
    expect(kinds(findings, 'TC-1')).toEqual(['step-not-actionable', 'result-not-observable']);
    expect(kinds(findings, 'TC-2')).toEqual(['missing-result']);
    expect(kinds(findings, 'TC-3')).toEqual(['placeholder-data']);
    expect(kinds(findings, 'TC-4')).toEqual([
      'step-not-actionable',
      'result-not-observable',
      'placeholder-data',
    ]);
    expect(testCases[0]?.warnings.join(' ')).toMatch(/Step 1 is not an instruction/);
  });

  it('leaves concrete cases alone', () => {
    const { findings } = lintTestCases(
      [
        testCase('TC-1', {
          title: 'Login with valid credentials',
          steps: [
            { action: 'Enter the email and password', data: 'jane@example.com / Secret123!' },
            { action: 'Click "Log in"', expected: 'The dashboard shows "Welcome, Jane"' },
          ],
        }),
      ],
      { story, kinds: ['positive'] },
    );
    expect(findings).toEqual([]);
  });

  it('does not take Scenario Outline parameters for placeholders', () => {
    const { findings } = lintTestCases(
      [
        testCase('TC-1', {
          steps: [{ action: 'Set a password of <length> characters', expected: 'The password is <result>' }],
          gherkin:
            'Feature: A\n  Scenario Outline: B\n    When I use <length>\n    Then it is <result>\n    Examples:\n      | length | result |\n      | 7 | rejected |\n',
        }),
      ],
      { story, kinds: ['positive'] },
    );
    expect(kinds(findings, 'TC-1')).toEqual([]);
  });

  it('flags near-duplicates within the answer and against existing cases, but not different boundary values', () => {
    const steps = (length: number) => [
      { action: `Enter a password of ${length} characters`, data: 'a'.repeat(3) },
      { action: 'Click "Save"', expected: 'A message says the password must be 8 to 64 characters' },
    ];
    const { findings } = lintTestCases(
      [
        testCase('TC-1', { title: 'Password of 7 characters is rejected', steps: steps(7) }),
        testCase('TC-2', { title: 'Password with 7 characters gets rejected', steps: steps(7) }),
        testCase('TC-3', { title: 'Password of 65 characters is rejected', steps: steps(65) }),
        testCase('TC-4', { title: 'Successful login with valid credentials' }),
      ],
      {
        story,
        kinds: ['positive'],
        existingCases: [{ title: 'Successful login with valid credentials', id: 'TC-9' }],
      },
    );
    expect(kinds(findings, 'TC-2')).toEqual(['duplicate-steps']);
    expect(kinds(findings, 'TC-3')).toEqual([]);
    expect(kinds(findings, 'TC-4')).toEqual(['duplicate-of-existing']);
    expect(textSimilarity('Password of 7 characters', 'Password of 65 characters')).toBeLessThan(0.7);
  });

  it('flags cases that test out-of-scope items', () => {
    const { findings } = lintTestCases(
      [
        testCase('TC-1', {
          title: 'Log in with Google',
          steps: [{ action: 'Click "Sign in with Google"', expected: 'The dashboard opens' }],
        }),
      ],
      { story, kinds: ['positive'] },
    );
    expect(kinds(findings, 'TC-1')).toEqual(['out-of-scope']);
    expect(findings.find((finding) => finding.rule === 'out-of-scope')?.message).toContain(
      'Social login with Google or Facebook',
    );
  });

  it('flags missing boundary and negative cases for the story constraints', () => {
    const onlyHappy = lintTestCases([testCase('TC-1', { title: 'Valid login' })], { story });
    const summary = onlyHappy.findings.filter((finding) => !finding.testCaseId);
    expect(summary.map((finding) => finding.rule)).toEqual(['missing-boundary', 'missing-negative']);
    expect(summary[0]?.fix).toMatch(/7 characters.*65 characters/);
    expect(summary[1]?.message).toMatch(/admins/);

    const covered = lintTestCases(
      [
        testCase('TC-1', { title: 'Password of 65 characters is rejected', kind: 'boundary' }),
        testCase('TC-2', {
          title: 'A shopper who is not an admin cannot unlock an account',
          kind: 'negative',
        }),
      ],
      { story },
    );
    expect(
      covered.findings.filter((finding) => !finding.testCaseId && finding.rule.startsWith('missing-')),
    ).toEqual([]);
  });
});

describe('boundary mentions with units and separators', () => {
  it('counts "29%" and "$4,999.99" as mentions of the boundary values', async () => {
    const { lintTestCases } = await import('./lint.ts');
    const story = {
      key: 'SHOP-2',
      summary: 'Discounts',
      description: '',
      acceptanceCriteria: [
        { id: 'AC-1', text: 'A discount code takes at most 30% off the order.' },
        { id: 'AC-2', text: 'Orders up to $5,000.00 can be paid by card.' },
      ],
      outOfScope: [],
      notes: [],
      source: 'markdown' as const,
    };
    const testCase = (id: string, title: string, data: string) => ({
      id,
      title,
      kind: 'boundary' as const,
      priority: 'medium',
      preconditions: [],
      steps: [{ action: `Apply ${data}`, data, expected: 'The total shown reflects the discount' }],
      covers: ['AC-1'],
      engine: 'llm' as const,
      warnings: [],
    });
    const withBoundaries = lintTestCases(
      [
        testCase('TC-1', 'Discount of 29%, 30% and 31%', '29%, 30%, 31%'),
        testCase(
          'TC-2',
          'Card payment at $4,999.99, $5,000.00 and $5,000.01',
          '$4,999.99 / $5,000.00 / $5,000.01',
        ),
      ],
      { story },
    );
    expect(withBoundaries.findings.filter((finding) => finding.rule === 'missing-boundary')).toEqual([]);
    const without = lintTestCases([testCase('TC-1', 'Discount applied', '10%')], { story });
    expect(without.findings.filter((finding) => finding.rule === 'missing-boundary').length).toBe(2);
  });
});

describe('prepareQuality', () => {
  it('makes the story facts ahead without changing any finding or score', () => {
    const cases = [
      testCase('TC-1', {
        covers: ['AC-1'],
        preconditions: ['A registered user is logged in'],
        steps: [
          { action: 'Sign in with Google', expected: 'The dashboard is shown' },
          { action: 'Enter a password of 7, then 8, then 65 characters', expected: 'as expected' },
        ],
      }),
      testCase('TC-2', { kind: 'negative', covers: ['AC-2', 'AC-3'] }),
    ];
    const prepared = { story, format: 'manual' as const };
    prepareQuality(prepared);
    const quality = assessQuality(cases, prepared);
    expect(quality).toEqual(assessQuality(cases, { story, format: 'manual' }));
    expect(quality.findings.map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(['out-of-scope', 'boundary-values-accumulate', 'coverage-claim-unbacked']),
    );
  });
});
