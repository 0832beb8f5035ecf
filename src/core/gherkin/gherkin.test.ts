import { describe, expect, it } from 'vitest';
import { renderFeature, repairGherkin, validateGherkin, type RenderFeatureInput } from './index.ts';

const valid = `@login
Feature: Login
  Users sign in with email and password.

  @positive @AC-1
  Scenario: Valid login
    Given a registered user "ana@example.com" with password "Secret123!"
    When she signs in with those credentials
    Then her dashboard is shown

  Scenario Outline: Wrong password
    Given a registered user "ana@example.com"
    When she signs in with password "<password>"
    Then the message "Invalid email or password" is shown

    Examples:
      | password  |
      | wrong     |
      | Secret123 |
`;

describe('validate.ts: validateGherkin', () => {
  it('summarises a valid feature', () => {
    const result = validateGherkin(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.featureName).toBe('Login');
    expect(result.value.tags).toEqual(['@login']);
    expect(result.value.description).toBe('Users sign in with email and password.');
    expect(result.value.scenarios).toMatchObject([
      { keyword: 'Scenario', name: 'Valid login', tags: ['@positive', '@AC-1'], line: 6, exampleRows: 0 },
      { keyword: 'Scenario Outline', name: 'Wrong password', exampleRows: 2 },
    ]);
    expect(result.value.scenarios[0]!.steps.map((step) => [step.keyword, step.keywordType])).toEqual([
      ['Given', 'Context'],
      ['When', 'Action'],
      ['Then', 'Outcome'],
    ]);
  });

  it('reports the line and column of a syntax error in plain words', () => {
    const result = validateGherkin(
      'Feature: A\n  Scenario: B\n    Given x\n    Click the button\n    Then y\n',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.line).toBe(4);
    expect(result.error.column).toBe(5);
    expect(result.error.message).toContain('unexpected "Click the button"');
    expect(result.error.message).toContain('a step (Given, When, Then, And, But)');
    expect(result.error.message).not.toContain('#StepLine');
    expect(result.error.code).toBe('gherkin_syntax');
    expect(result.error.fix).toBeTruthy();
  });

  it.each([
    ['', 'no "Feature:" line'],
    ['Scenario: no feature\n  Given x\n', 'expected'],
    ['Feature: empty\n', 'has no scenario'],
    ['Feature: A\n  Scenario: lowercase\n    given x\n    then y\n', 'has no steps'],
    ['Feature: A\n  Scenario Outline: O\n    Given <x>\n', 'no "Examples:" table'],
    ['Feature: A\n  Given a step too early\n  Scenario: B\n    Given x\n', 'is read as description text'],
    [
      'Feature: A\n  Scenario: B\n    Given x\n\nFeature: C\n  Scenario: D\n    Given y\n',
      'unexpected "Feature: C"',
    ],
  ])('rejects %j', (text, message) => {
    const result = validateGherkin(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(message);
  });
});

describe('render.ts: renderFeature', () => {
  it('renders a feature that parses back to the same content', () => {
    const input: RenderFeatureInput = {
      featureName: 'Checkout',
      description: 'Pay for the cart.',
      tags: ['checkout'],
      scenarios: [
        {
          name: 'Pay by card',
          tags: ['@positive', 'AC-1'],
          steps: [
            { keyword: 'Given', text: 'a cart with 2 items worth $40.00' },
            { keyword: 'When', text: 'the shopper pays by card' },
            { keyword: 'Then', text: 'the order is confirmed' },
            { keyword: 'And', text: 'a receipt is emailed' },
          ],
        },
      ],
    };
    const text = renderFeature(input);
    const result = validateGherkin(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.tags).toEqual(['@checkout']);
    expect(result.value.scenarios[0]!.tags).toEqual(['@positive', '@AC-1']);
    expect(result.value.scenarios[0]!.steps.map((step) => `${step.keyword} ${step.text}`)).toEqual([
      'Given a cart with 2 items worth $40.00',
      'When the shopper pays by card',
      'Then the order is confirmed',
      'And a receipt is emailed',
    ]);
  });

  it('sanitises hostile names, descriptions, tags, steps and table cells', () => {
    const text = renderFeature({
      featureName: '# not a comment\nsecond line',
      description:
        'Scenario: not a scenario\n\n# not a comment\n| not a table |\n"""\nGiven not a step\n@not-a-tag',
      tags: ['two words', '#hash', ''],
      scenarios: [
        {
          name: 'Line one\nThen line two',
          tags: ['edge case'],
          steps: [
            { keyword: 'And', text: 'Given a value with\nline breaks' },
            { keyword: 'When', text: '"""' },
            { keyword: 'Then', text: '' },
            { keyword: 'Then', text: '# the result | has pipes' },
          ],
          examples: { header: ['value', 'note'], rows: [['a|b', 'back\\slash'], ['multi\nline']] },
        },
      ],
    });
    const result = validateGherkin(text);
    expect(result.ok, text).toBe(true);
    if (!result.ok) return;
    expect(result.value.featureName).toBe('not a comment second line');
    expect(result.value.tags).toEqual(['@two-words', '@hash']);
    const scenario = result.value.scenarios[0]!;
    expect(scenario.name).toBe('Line one Then line two');
    expect(scenario.keyword).toBe('Scenario Outline');
    expect(scenario.exampleRows).toBe(2);
    expect(scenario.steps.map((step) => `${step.keyword} ${step.text}`)).toEqual([
      'Given a value with line breaks',
      'When """',
      'Then # the result | has pipes',
    ]);
    expect(text).toContain('| a\\|b');
  });

  it('renders many random inputs that all parse', () => {
    // A fixed pseudo-random sequence keeps the test deterministic.
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const pieces = [
      'Given',
      'Scenario:',
      '#',
      '|',
      '"""',
      '\n',
      '@',
      ' ',
      'text',
      'Examples:',
      '<x>',
      '\\',
      'and',
      '```',
      '\t',
    ];
    const random = () =>
      Array.from(
        { length: 1 + Math.floor(next() * 6) },
        () => pieces[Math.floor(next() * pieces.length)],
      ).join('');
    const keywords = ['Given', 'When', 'Then', 'And', 'But'] as const;
    for (let round = 0; round < 200; round += 1) {
      const text = renderFeature({
        featureName: random(),
        description: random(),
        tags: [random()],
        scenarios: [
          {
            name: random(),
            tags: [random()],
            steps: [
              { keyword: keywords[Math.floor(next() * 5)]!, text: random() + ' step' },
              { keyword: keywords[Math.floor(next() * 5)]!, text: random() + ' result' },
            ],
            ...(next() > 0.5 ? { examples: { header: [random()], rows: [[random()]] } } : {}),
          },
        ],
      });
      const result = validateGherkin(text);
      expect(result.ok, text).toBe(true);
    }
  });
});

describe('repair.ts: repairGherkin', () => {
  it('leaves valid Gherkin alone', () => {
    expect(repairGherkin(valid)).toEqual({ text: valid, repairs: [] });
  });

  it('removes fences and prose, adds the Feature line, fixes numbered lowercase steps', () => {
    const answer = [
      'Here is the scenario you asked for:',
      '```gherkin',
      'Scenario: Valid login',
      '1. given I am on the login page',
      '2. when I sign in as "ana@example.com"',
      '3. then I see my dashboard',
      '```',
      'Let me know if you need more.',
    ].join('\n');
    const repaired = repairGherkin(answer);
    expect(repaired).toBeDefined();
    const result = validateGherkin(repaired!.text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.featureName).toBe('Valid login');
    expect(result.value.scenarios[0]!.steps.map((step) => step.keyword)).toEqual(['Given', 'When', 'Then']);
    expect(repaired!.repairs).toEqual(
      expect.arrayContaining([
        'removed the Markdown code fence around the Gherkin',
        'removed list numbers or bullets before keywords',
        'capitalised step keywords',
        'added the missing "Feature:" line',
        'removed text before the Gherkin',
        'removed text after the Gherkin',
      ]),
    );
  });

  it('handles bullets, bold keywords, headings, colons and tabs', () => {
    const answer =
      '## Feature: Reset\n\n### **Scenario:** Request link\n\t- **Given** a user\n\t- When: she asks for a link\n\t- Then the link is sent\n';
    const repaired = repairGherkin(answer);
    expect(repaired).toBeDefined();
    const result = validateGherkin(repaired!.text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.scenarios[0]!.steps.map((step) => `${step.keyword} ${step.text}`)).toEqual([
      'Given a user',
      'When she asks for a link',
      'Then the link is sent',
    ]);
    expect(repaired!.repairs).toContain('replaced tabs with spaces');
  });

  it('wraps steps that come before any scenario and merges several features', () => {
    const answer =
      'Feature: Upload\n  Given a 2 MB file\n  When it is uploaded\n  Then it is listed\n\nFeature: Upload again\n  Scenario: Too big\n    Given an 11 MB file\n    When it is uploaded\n    Then the message "File too large" is shown\n';
    const repaired = repairGherkin(answer);
    expect(repaired).toBeDefined();
    const result = validateGherkin(repaired!.text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.scenarios.map((scenario) => scenario.name)).toEqual(['Upload', 'Too big']);
    expect(repaired!.repairs).toEqual(
      expect.arrayContaining([
        'put steps that came before any scenario into a scenario',
        'merged several "Feature:" blocks into one',
      ]),
    );
  });

  it('turns an outline without examples into a scenario and says what is left', () => {
    const repaired = repairGherkin(
      'Feature: A\n  Scenario Outline: O\n    Given the email <email>\n    Then it is accepted\n',
    );
    expect(repaired).toBeDefined();
    expect(validateGherkin(repaired!.text).ok).toBe(true);
    expect(repaired!.repairs.join(' ')).toContain('<email>');
  });

  it('comments out stray text between steps and fills short table rows', () => {
    const answer =
      'Feature: A\n  Scenario Outline: O\n    Given <a> and <b>\n    Expected result: it works\n    Then done\n    Examples:\n      | a | b |\n      | 1 |\n';
    const repaired = repairGherkin(answer);
    expect(repaired).toBeDefined();
    expect(repaired!.text).toContain('# Expected result: it works');
    expect(repaired!.repairs).toEqual(
      expect.arrayContaining(['kept stray text between steps as comments', 'filled missing table cells']),
    );
  });

  it('gives up on text with no Gherkin in it', () => {
    expect(repairGherkin('I cannot help with that request.')).toBeUndefined();
    expect(repairGherkin('Feature: A\n  Scenario: B\n')).toBeUndefined();
  });
});
