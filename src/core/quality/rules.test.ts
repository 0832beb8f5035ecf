import { describe, expect, it } from 'vitest';
import type { Story, TestCase } from '../model.ts';
import { assessQuality, scoreCase, scoreProject } from './assess.ts';
import type { QualityFinding } from './findings.ts';
import { detectLanguage } from './language.ts';

function story(key: string, summary: string, criteria: string[], description = ''): Story {
  return {
    key,
    summary,
    description,
    acceptanceCriteria: criteria.map((text, index) => ({ id: `AC-${index + 1}`, text })),
    outOfScope: [],
    notes: [],
    source: 'markdown',
  };
}

let counter = 0;
function testCase(fields: Partial<TestCase>): TestCase {
  counter++;
  return {
    id: `TC-${counter}`,
    title: `Case ${counter}`,
    kind: 'positive',
    priority: 'high',
    preconditions: [],
    steps: [
      { action: 'Open the form page', data: '' },
      { action: 'Enter the values and select "Save"', expected: 'The page shows "Saved"' },
    ],
    covers: [],
    engine: 'llm',
    warnings: [],
    ...fields,
  };
}

function rulesFor(findings: readonly QualityFinding[], id: string): string[] {
  return findings.filter((finding) => finding.testCaseId === id).map((finding) => finding.rule);
}

const leave = story('HR-4', 'Submit a leave request', [
  'The leave type is one of Annual, Sick or Unpaid.',
  'The end date must not be before the start date; otherwise the message "End date must be on or after the start date" is shown.',
  "Only the employee's manager can approve or reject the request.",
]);

const transfer = story('BANK-7', 'Transfer money between own accounts', [
  'A transfer of at most $5,000.00 per day is accepted.',
  'The transfer is shown in the history of both accounts.',
]);

const thermostat = story('IOT-3', 'Set the target temperature', [
  'The target temperature must be between 5 and 30 degrees.',
  'The new target is shown on the device display within 10 seconds.',
]);

const german = story('HR-9', 'Urlaubsantrag stellen', [
  'Die Urlaubsart ist Jahresurlaub, Krankheit oder Unbezahlt.',
  'Der Antrag muss vom Vorgesetzten genehmigt werden und die Meldung "Antrag genehmigt" wird angezeigt.',
]);

describe('result-restates-criterion', () => {
  it('flags a result that repeats the criterion, in any language', () => {
    const restated = testCase({
      covers: ['AC-3'],
      steps: [
        { action: 'Open the request of Maria Lopez as her manager' },
        {
          action: 'Select "Approve"',
          expected: "Only the employee's manager can approve or reject the request",
        },
      ],
    });
    const germanRestated = testCase({
      covers: ['AC-2'],
      steps: [
        { action: 'Den Antrag von Max Weber als Vorgesetzter öffnen' },
        { action: '"Genehmigen" wählen', expected: 'Der Antrag muss vom Vorgesetzten genehmigt werden' },
      ],
    });
    const { findings } = assessQuality([restated], { story: leave });
    expect(rulesFor(findings, restated.id)).toContain('result-restates-criterion');
    const germanFindings = assessQuality([germanRestated], { story: german }).findings;
    expect(rulesFor(germanFindings, germanRestated.id)).toContain('result-restates-criterion');
  });

  it('leaves a result that says what the tester observes', () => {
    const observed = testCase({
      covers: ['AC-2'],
      steps: [
        { action: 'Open "New transfer" and enter $120.00 from Checking to Savings' },
        { action: 'Select "Transfer"', expected: 'Both accounts list a $120.00 entry dated today' },
      ],
    });
    const { findings } = assessQuality([observed], { story: transfer });
    expect(rulesFor(findings, observed.id)).not.toContain('result-restates-criterion');
  });

  it('leaves a result that shows the exact message the criterion quotes', () => {
    const message = testCase({
      covers: ['AC-2'],
      steps: [
        { action: 'Enter 2026-05-10 as the start date and 2026-05-08 as the end date' },
        {
          action: 'Select "Submit"',
          expected: 'The message "End date must be on or after the start date" is shown',
        },
      ],
    });
    const { findings } = assessQuality([message], { story: leave });
    expect(rulesFor(findings, message.id)).not.toContain('result-restates-criterion');
  });
});

describe('broken-text', () => {
  it('flags an unclosed quote and a cut sentence', () => {
    const cutQuote = testCase({
      steps: [
        { action: 'Request leave in the HR portal, where the start date" is shown' },
        { action: 'Select "Submit"', expected: 'The form is sent' },
      ],
    });
    const cutSentence = testCase({
      steps: [
        { action: 'Enter 2026-05-10 as start and 2026-05-08 as end date' },
        { action: 'Select "Submit"', expected: 'The message "End date is on or' },
      ],
    });
    const { findings } = assessQuality([cutQuote, cutSentence], { story: leave });
    expect(rulesFor(findings, cutQuote.id)).toContain('broken-text');
    expect(rulesFor(findings, cutSentence.id)).toContain('broken-text');
  });

  it('does not read a German sentence ending in "die" or "and"-like words as cut, and accepts closed quotes', () => {
    const fine = testCase({
      steps: [
        { action: 'Als Mitarbeiterin das Formular "Urlaubsantrag" öffnen' },
        { action: '"Absenden" wählen', expected: 'Die Meldung "Antrag gesendet" erscheint für die' },
      ],
    });
    const { findings } = assessQuality([fine], { story: german });
    expect(rulesFor(findings, fine.id)).not.toContain('broken-text');
  });
});

describe('step-not-actionable and result-not-observable', () => {
  it('flags "perform the action described" and "Behaviour matches: …", also in French and Spanish', () => {
    const junk = testCase({
      steps: [
        { action: 'Perform the action described', expected: 'Behaviour matches: the transfer is accepted' },
      ],
    });
    const french = testCase({
      steps: [{ action: 'Saisir 25 degrés et valider', expected: 'Le système fonctionne correctement' }],
    });
    const spanish = testCase({
      steps: [{ action: 'Introducir 25 grados y confirmar', expected: 'Todo funciona como se esperaba' }],
    });
    const { findings } = assessQuality([junk, french, spanish], { story: transfer });
    expect(rulesFor(findings, junk.id)).toEqual(
      expect.arrayContaining(['step-not-actionable', 'result-not-observable']),
    );
    expect(rulesFor(findings, french.id)).toContain('result-not-observable');
    expect(rulesFor(findings, spanish.id)).toContain('result-not-observable');
  });

  it('leaves concrete steps and results alone', () => {
    const concrete = testCase({
      covers: ['AC-1'],
      steps: [
        { action: 'Open the thermostat app and select the living room device' },
        { action: 'Set the target to 21 degrees and select "Apply"', expected: 'The display shows "21°"' },
      ],
    });
    const { findings } = assessQuality([concrete], { story: thermostat });
    expect(
      rulesFor(findings, concrete.id).filter((rule) => rule.startsWith('step') || rule.startsWith('result')),
    ).toEqual([]);
  });
});

describe('criterion-message-missing', () => {
  it('flags the covering cases when none quotes the criterion’s exact message', () => {
    const generic = testCase({
      kind: 'negative',
      covers: ['AC-2'],
      steps: [
        { action: 'Enter 2026-05-10 as start date and 2026-05-08 as end date' },
        { action: 'Select "Submit"', expected: 'An error about the dates is shown' },
      ],
    });
    const { findings } = assessQuality([generic], { story: leave });
    expect(rulesFor(findings, generic.id)).toContain('criterion-message-missing');
    const exact = testCase({
      ...generic,
      id: 'TC-exact',
      steps: [
        { action: 'Enter 2026-05-10 as start date and 2026-05-08 as end date' },
        {
          action: 'Select "Submit"',
          expected: 'The message “End date must be on or after the start date” is shown',
        },
      ],
    });
    expect(rulesFor(assessQuality([exact], { story: leave }).findings, 'TC-exact')).not.toContain(
      'criterion-message-missing',
    );
  });
});

describe('constraints: negative, enumeration, boundaries', () => {
  it('flags a role with no negative case and enumeration values never used as input', () => {
    const annual = testCase({
      covers: ['AC-1'],
      steps: [
        { action: 'Open "New leave request" and choose the type Annual' },
        {
          action: 'Enter 2026-07-01 to 2026-07-05 and select "Submit"',
          expected: 'The request is listed as "Pending"',
        },
      ],
    });
    const { findings } = assessQuality([annual], { story: leave });
    const setRules = findings.filter((finding) => !finding.testCaseId).map((finding) => finding.rule);
    expect(setRules).toContain('missing-negative');
    const unused = findings.find((finding) => finding.rule === 'enumeration-value-unused');
    expect(unused?.message).toMatch(/"Sick", "Unpaid"/);
    expect(unused?.message).not.toMatch(/"Annual"/);
  });

  it('flags an incomplete boundary set in the story’s unit and precision (money in cents)', () => {
    const atLimit = testCase({
      kind: 'boundary',
      covers: ['AC-1'],
      steps: [
        { action: 'Open "New transfer" from Checking to Savings' },
        {
          action: 'Enter $5,000.00 and select "Transfer"',
          expected: 'The transfer is listed as "Completed"',
        },
      ],
    });
    const { findings } = assessQuality([atLimit], { story: transfer });
    const incomplete = findings.find((finding) => finding.rule === 'boundary-set-incomplete');
    expect(incomplete?.fix).toContain('$5,000.01');
    const complete = [4999.99, 5000.0, 5000.01].map((amount) =>
      testCase({
        kind: 'boundary',
        covers: ['AC-1'],
        steps: [
          { action: 'Open "New transfer" from Checking to Savings' },
          {
            action: `Enter $${amount.toLocaleString('en-US', { minimumFractionDigits: 2 })} and select "Transfer"`,
            expected: 'The result is shown',
          },
        ],
      }),
    );
    expect(
      assessQuality(complete, { story: transfer }).findings.map((finding) => finding.rule),
    ).not.toContain('boundary-set-incomplete');
  });

  it('reads every Examples row of an outline, not only the first row its steps hold', () => {
    const outline = testCase({
      covers: ['AC-1'],
      steps: [
        { action: 'Open "New transfer" from Checking to Savings' },
        {
          action: 'Enter $4,999.99 and select "Transfer"',
          expected: 'The transfer is listed as "Completed"',
        },
      ],
      gherkin: [
        'Feature: Transfer money between own accounts',
        '  Scenario Outline: Transfer amounts at the daily limit',
        '    Given Maria is signed in with $9,000.00 in Checking',
        '    When she transfers <amount> from Checking to Savings',
        '    Then <outcome>',
        '    Examples:',
        '      | amount    | outcome                                            |',
        '      | $4,999.99 | the transfer is listed as "Completed"              |',
        '      | $5,000.00 | the transfer is listed as "Completed"              |',
        '      | $5,000.01 | the message "Daily limit of $5,000.00 reached" is shown |',
      ].join('\n'),
    });
    const findings = assessQuality([outline], { story: transfer }).findings.map((finding) => finding.rule);
    expect(findings).not.toContain('boundary-set-incomplete');
  });

  it('reads a decimal comma as the same boundary value (German text)', () => {
    const values = story('IOT-8', 'Heizung einstellen', [
      'Die Temperatur muss zwischen 5,5 und 30 Grad liegen.',
    ]);
    const cases = ['5,4', '5,5', '30', '30,1'].map((value) =>
      testCase({
        kind: 'boundary',
        covers: ['AC-1'],
        steps: [
          { action: `${value} Grad eingeben und "Speichern" wählen`, expected: 'Die Anzeige zeigt den Wert' },
        ],
      }),
    );
    const findings = assessQuality(cases, { story: values }).findings.map((finding) => finding.rule);
    expect(findings).not.toContain('missing-boundary');
  });
});

describe('boundary-values-accumulate', () => {
  const links = story('AUTH-3', 'Request a password reset link', [
    'A user can request at most 3 reset links per hour.',
  ]);

  it('flags boundary values tried one after the other in one case', () => {
    const accumulating = testCase({
      kind: 'boundary',
      covers: ['AC-1'],
      steps: [
        { action: 'Request 2 links within the hour', expected: 'Two emails arrive' },
        { action: 'Request 3 links within the hour', expected: 'Three emails arrive' },
        { action: 'Request 4 links within the hour', expected: 'The fourth is refused' },
      ],
    });
    expect(rulesFor(assessQuality([accumulating], { story: links }).findings, accumulating.id)).toContain(
      'boundary-values-accumulate',
    );
  });

  it('leaves one value per case and Scenario Outlines alone', () => {
    const single = testCase({
      kind: 'boundary',
      covers: ['AC-1'],
      steps: [
        { action: 'Request a reset link for maria@example.com 3 times within 10 minutes' },
        { action: 'Open the inbox of maria@example.com', expected: 'It holds 3 reset emails' },
      ],
    });
    const outline = testCase({
      kind: 'boundary',
      covers: ['AC-1'],
      steps: [
        { action: 'Request <count> links', expected: '<result>' },
        { action: 'Request 2 links then 3 links then 4 links' },
      ],
      gherkin:
        'Feature: Reset\n  Scenario Outline: Limit\n    When I request <count> links\n    Then <result>\n    Examples:\n      | count | result |\n      | 3 | sent |\n      | 4 | refused |\n',
    });
    const { findings } = assessQuality([single, outline], { story: links });
    expect(rulesFor(findings, single.id)).not.toContain('boundary-values-accumulate');
    expect(rulesFor(findings, outline.id)).not.toContain('boundary-values-accumulate');
  });
});

describe('precondition-contradicts-story', () => {
  const guestCheckout = story(
    'SHOP-9',
    'Check out as a guest',
    ['Any visitor can place an order without an account.'],
    'Visitors buy without signing in.',
  );
  const spanish = story('SHOP-10', 'Comprar como invitado', [
    'Cualquier visitante puede comprar sin cuenta.',
  ]);

  it('flags a signed-in precondition when the story needs no account (English, Spanish)', () => {
    const signedIn = testCase({ preconditions: ['Signed in as a registered customer'], covers: ['AC-1'] });
    const registrado = testCase({
      preconditions: ['Cliente registrado con sesión iniciada'],
      covers: ['AC-1'],
    });
    expect(rulesFor(assessQuality([signedIn], { story: guestCheckout }).findings, signedIn.id)).toContain(
      'precondition-contradicts-story',
    );
    expect(rulesFor(assessQuality([registrado], { story: spanish }).findings, registrado.id)).toContain(
      'precondition-contradicts-story',
    );
  });

  it('accepts preconditions the story allows', () => {
    const visitor = testCase({ preconditions: ['A visitor with 2 items in the basket'], covers: ['AC-1'] });
    expect(rulesFor(assessQuality([visitor], { story: guestCheckout }).findings, visitor.id)).not.toContain(
      'precondition-contradicts-story',
    );
    const member = story('GYM-2', 'Book a class', ['Members can book a class up to 7 days ahead.']);
    const signedIn = testCase({ preconditions: ['Signed in as a member'], covers: ['AC-1'] });
    expect(rulesFor(assessQuality([signedIn], { story: member }).findings, signedIn.id)).not.toContain(
      'precondition-contradicts-story',
    );
  });
});

describe('near-duplicate', () => {
  const leaveCase = (title: string, type: string, days = 'span 10 working days') =>
    testCase({
      title,
      covers: ['AC-1'],
      steps: [
        { action: 'Open the form "Submit a leave request"' },
        { action: `Select "${type}" as the leave type` },
        { action: `Choose a start date and an end date that ${days}` },
        { action: 'Submit the form', expected: 'The request is saved and a confirmation is shown' },
      ],
    });

  it('leaves cases that differ in the listed value they enter', () => {
    const cases = [leaveCase('Leave type Annual', 'Annual'), leaveCase('Leave type Sick', 'Sick')];
    const { findings } = assessQuality(cases, { story: leave });
    expect(rulesFor(findings, cases[1]!.id)).not.toContain('near-duplicate');
  });

  it('flags cases that enter the same values in other words', () => {
    const cases = [
      leaveCase('Annual leave is requested', 'Annual'),
      leaveCase('Annual leave request is sent', 'Annual', 'span 10 working days in a row'),
    ];
    const { findings } = assessQuality(cases, { story: leave });
    expect(rulesFor(findings, cases[1]!.id)).toContain('near-duplicate');
  });
});

describe('duplicate-steps and coverage-claim-unbacked', () => {
  it('flags cases with identical steps, and a coverage claim the content does not back', () => {
    const password = story('AUTH-8', 'Change password', [
      'The new password must be between 12 and 64 characters.',
      'The new password must differ from the last 3 passwords.',
    ]);
    const same = () =>
      testCase({
        kind: 'negative',
        covers: ['AC-1', 'AC-2'],
        steps: [{ action: 'Submit the form with an invalid value', expected: 'An error is shown' }],
      });
    const cases = [same(), same(), same()];
    const { findings } = assessQuality(cases, { story: password });
    expect(rulesFor(findings, cases[0]!.id)).not.toContain('duplicate-steps');
    expect(rulesFor(findings, cases[1]!.id)).toContain('duplicate-steps');
    expect(rulesFor(findings, cases[2]!.id)).toContain('duplicate-steps');
    expect(
      findings
        .filter((finding) => finding.rule === 'coverage-claim-unbacked')
        .map((finding) => finding.criterionId),
    ).toContain('AC-2');

    const backed = testCase({
      kind: 'negative',
      covers: ['AC-2'],
      steps: [
        { action: 'Open "Change password" as maria@example.com' },
        {
          action: 'Enter one of her last 3 passwords, "Winter2025!x", and select "Save"',
          expected: 'The message "Choose a password you have not used before" is shown',
        },
      ],
    });
    expect(rulesFor(assessQuality([backed], { story: password }).findings, backed.id)).not.toContain(
      'coverage-claim-unbacked',
    );
  });
});

describe('Gherkin rules', () => {
  const feature = (body: string) => `Feature: Transfer\n\n  Scenario: Transfer\n${body}`;

  it('flags a user action in Then and repeated When', () => {
    const misuse = testCase({
      gherkin: feature(
        '    Given I am on "New transfer"\n    When I enter $120.00\n    When I select "Transfer"\n    Then I click "Done"\n',
      ),
    });
    const rules = rulesFor(assessQuality([misuse], { story: transfer, format: 'bdd' }).findings, misuse.id);
    expect(rules).toEqual(expect.arrayContaining(['gherkin-action-in-then', 'gherkin-repeated-keyword']));
  });

  it('leaves well-formed scenarios alone and asks for an Outline for separate boundary scenarios', () => {
    const fine = testCase({
      gherkin: feature(
        '    Given I am on "New transfer"\n    When I enter $120.00\n    And I select "Transfer"\n    Then the history shows "$120.00"\n    And I see "Completed"\n',
      ),
    });
    expect(
      rulesFor(assessQuality([fine], { story: transfer, format: 'bdd' }).findings, fine.id).filter((rule) =>
        rule.startsWith('gherkin'),
      ),
    ).toEqual([]);
    const separate = [4999.99, 5000.01].map((amount) =>
      testCase({
        kind: 'boundary',
        covers: ['AC-1'],
        steps: [],
        gherkin: feature(
          `    When I transfer $${amount.toLocaleString('en-US')}\n    Then I see "Completed"\n`,
        ),
      }),
    );
    expect(
      assessQuality(separate, { story: transfer, format: 'bdd' }).findings.map((finding) => finding.rule),
    ).toContain('boundary-set-not-outline');
  });
});

describe('scores', () => {
  it('score a case from its findings, a story from its cases, coverage and set findings', () => {
    expect(scoreCase([])).toBe(100);
    const error = { rule: 'broken-text', severity: 'error', message: '', fix: '' } as const;
    const warning = { rule: 'placeholder-data', severity: 'warning', message: '', fix: '' } as const;
    expect(scoreCase([error, warning])).toBe(65);
    expect(scoreCase([error, error, error, error, error])).toBe(0);
    expect(assessQuality([], { story: leave }).score).toBe(0);
    expect(
      scoreProject([
        { score: 80, caseCount: 3 },
        { score: 40, caseCount: 2 },
        { score: 0, caseCount: 0 },
      ]),
    ).toBe(60);
  });

  it('scores junk low and concrete cases high', () => {
    const junk = [1, 2, 3].map(() =>
      testCase({
        covers: ['AC-1'],
        steps: [{ action: 'Perform the action described', expected: 'As expected' }],
      }),
    );
    expect(assessQuality(junk, { story: transfer }).score).toBeLessThan(30);
  });
});

describe('detectLanguage', () => {
  it('tells English, German, French and Spanish apart', () => {
    expect(detectLanguage('The password must be at least 8 characters and is required')).toBe('en');
    expect(detectLanguage('Der Antrag muss vom Vorgesetzten genehmigt werden und ist nicht leer')).toBe('de');
    expect(detectLanguage('Le mot de passe doit contenir au moins 8 caractères et est obligatoire')).toBe(
      'fr',
    );
    expect(detectLanguage('La contraseña debe tener al menos 8 caracteres y es obligatoria')).toBe('es');
  });
});
