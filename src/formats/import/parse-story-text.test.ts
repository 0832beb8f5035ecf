import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStoryText } from './parse-story-text.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/formats/${name}`, import.meta.url));

function storiesOf(result: ReturnType<typeof parseStoryText>) {
  if (!result.ok) throw new Error(`expected stories, got: ${result.error.describe()}`);
  return result.value;
}

function errorOf(result: ReturnType<typeof parseStoryText>) {
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

describe('parseStoryText: Markdown', () => {
  const markdown = [
    '# SHOP-12: Customer pays by card',
    '',
    'As a customer I want to pay by card so that I can finish my order.',
    '',
    '## Acceptance Criteria',
    '- [ ] Visa and Mastercard are accepted',
    '- [x] A declined card shows "Card declined"',
    '  and keeps the basket',
    '1. AC3: Receipt is emailed',
    'AC4: Amounts over 10,000 EUR need 3-D Secure',
    '',
    'Given a saved card',
    'When I pay',
    'Then no CVC is asked',
    '',
    '## Out of scope',
    '- PayPal',
    'Non-goals: refunds',
    '',
    '## Notes',
    '- See design doc.',
    '',
    '# Customer sees order history',
    'Orders of the last year.',
    '',
    '**Acceptance criteria**',
    '1) Newest order first',
    '2) 20 orders per page',
  ].join('\n');

  it('reads key, summary, description, every criterion layout, out of scope and notes', () => {
    const [first] = storiesOf(parseStoryText(markdown, { fileName: 'stories.md' }));
    expect(first).toMatchObject({
      key: 'SHOP-12',
      summary: 'Customer pays by card',
      description: 'As a customer I want to pay by card so that I can finish my order.',
      outOfScope: ['PayPal', 'refunds'],
      notes: ['See design doc.'],
      source: 'markdown',
    });
    expect(first?.acceptanceCriteria).toEqual([
      { id: 'AC-1', text: 'Visa and Mastercard are accepted' },
      { id: 'AC-2', text: 'A declined card shows "Card declined" and keeps the basket' },
      { id: 'AC-3', text: 'Receipt is emailed' },
      { id: 'AC-4', text: 'Amounts over 10,000 EUR need 3-D Secure' },
      { id: 'AC-5', text: 'Given a saved card\nWhen I pay\nThen no CVC is asked' },
    ]);
  });

  it('splits stories on "# " headings and derives a stable key, with a warning, when there is none', () => {
    const result = parseStoryText(markdown);
    const stories = storiesOf(result);
    expect(stories).toHaveLength(2);
    expect(stories[1]?.key).toMatch(/^STORY-[0-9A-F]{8}$/);
    expect(stories[1]?.acceptanceCriteria.map((criterion) => criterion.text)).toEqual([
      'Newest order first',
      '20 orders per page',
    ]);
    expect(result.ok && result.warnings.join('\n')).toContain(stories[1]?.key);
    expect(storiesOf(parseStoryText(markdown))[1]?.key).toBe(stories[1]?.key);
  });

  it('recognises the other names of out-of-scope sections and ignores headings inside code fences', () => {
    const [story] = storiesOf(
      parseStoryText(
        '# A-1: Export\n\n```\n# not a story\n```\n\n## Not in scope\n- XML\n\n## Acceptance criteria\n- CSV file is produced',
      ),
    );
    expect(story?.outOfScope).toEqual(['XML']);
    expect(story?.description).toContain('# not a story');
    expect(story?.acceptanceCriteria).toEqual([{ id: 'AC-1', text: 'CSV file is produced' }]);
  });

  it('keeps hostile text as plain text', () => {
    const hostile =
      '# X-1: <script>alert(1)</script> ${process.exit(1)}\n\n## Acceptance Criteria\n- {{constructor.constructor("return 1")()}}';
    const [story] = storiesOf(parseStoryText(hostile));
    expect(story?.summary).toBe('<script>alert(1)</script> ${process.exit(1)}');
    expect(story?.acceptanceCriteria[0]?.text).toBe('{{constructor.constructor("return 1")()}}');
  });
});

describe('parseStoryText: plain text', () => {
  it('uses the first line as summary and the lines after "Acceptance criteria:" as criteria', () => {
    const result = parseStoryText(
      'SHOP-3 Customer changes the delivery address\nThe address can change until shipping.\n\nAcceptance criteria:\nAddress editable before shipping\nAddress locked after shipping\nOut of Scope: international addresses\n',
    );
    expect(result.ok && result.kind).toBe('text');
    expect(storiesOf(result)[0]).toMatchObject({
      key: 'SHOP-3',
      summary: 'Customer changes the delivery address',
      description: 'The address can change until shipping.',
      acceptanceCriteria: [
        { id: 'AC-1', text: 'Address editable before shipping' },
        { id: 'AC-2', text: 'Address locked after shipping' },
      ],
      outOfScope: ['international addresses'],
      source: 'text',
    });
  });
});

describe('parseStoryText: JSON', () => {
  it('reads one story, an array, and criteria given as text with a line each', () => {
    const single = storiesOf(
      parseStoryText(
        JSON.stringify({ key: 'A-1', summary: 'One', acceptanceCriteria: ['x', { text: 'y' }] }),
      ),
    );
    expect(single[0]?.acceptanceCriteria).toEqual([
      { id: 'AC-1', text: 'x' },
      { id: 'AC-2', text: 'y' },
    ]);
    const list = storiesOf(
      parseStoryText(
        JSON.stringify([
          { key: 'A-1', summary: 'One', description: 'd', acceptanceCriteria: '- first\n- second' },
          { key: 'A-2', summary: 'Two', outOfScope: ['z'] },
        ]),
        { fileName: 'stories.json' },
      ),
    );
    expect(list.map((story) => story.key)).toEqual(['A-1', 'A-2']);
    expect(list[0]?.acceptanceCriteria.map((criterion) => criterion.text)).toEqual(['first', 'second']);
    expect(list[1]?.outOfScope).toEqual(['z']);
    expect(list[0]?.source).toBe('json');
  });

  it('names the missing field of a JSON story of the wrong shape', () => {
    const error = errorOf(
      parseStoryText(
        JSON.stringify([
          { key: 'A-1', summary: 'ok' },
          { key: 'A-2', text: 'no summary' },
        ]),
      ),
    );
    expect(error.message).toContain('[1]');
    expect(error.message).toContain('"summary"');
    expect(error.fix).toContain('acceptanceCriteria');
    expect(errorOf(parseStoryText('{"summary": "x", "acceptanceCriteria": 5}')).message).toContain(
      'acceptanceCriteria',
    );
  });

  it('reports broken JSON with the parser position', () => {
    const error = errorOf(parseStoryText('{"summary": "x",, }', { fileName: 'story.json' }));
    expect(error.message).toMatch(/not valid JSON.*position/);
  });
});

describe('parseStoryText: Jira', () => {
  it('reads a REST API v3 issue: ADF description, criteria section, out of scope, mentions and emoji', () => {
    const result = parseStoryText(fixture('jira-issue-v3.json'), { fileName: 'SHOP-42.json' });
    expect(result.ok && result.kind).toBe('jira');
    const [story] = storiesOf(result);
    expect(story?.key).toBe('SHOP-42');
    expect(story?.summary).toBe('Customer resets a forgotten password');
    expect(story?.source).toBe('jira');
    expect(story?.description).toContain('As a registered customer I want to reset my password');
    expect(story?.description).toContain('Reviewed with @Ana Lopez 👍');
    expect(story?.acceptanceCriteria).toEqual([
      { id: 'AC-1', text: 'The reset link expires after 30 minutes' },
      { id: 'AC-2', text: 'The new password must have 12 to 64 characters\nat least one digit' },
      { id: 'AC-3', text: 'An unknown email shows the same confirmation message' },
    ]);
    expect(story?.outOfScope).toEqual(['Resetting by SMS']);
    expect(story?.description).toContain('{ "email": "ana@example.com" }');
  });

  it('reads a search result: several stories, criteria from a custom field named in "names" (ADF or text)', () => {
    const stories = storiesOf(parseStoryText(fixture('jira-search-v3.json')));
    expect(stories.map((story) => story.key)).toEqual(['SHOP-7', 'SHOP-8']);
    expect(stories[0]?.acceptanceCriteria.map((criterion) => criterion.text)).toEqual([
      'From and to dates are inclusive',
      'A range over 366 days is refused',
    ]);
    expect(stories[1]?.acceptanceCriteria.map((criterion) => criterion.text)).toEqual([
      'Export holds the filtered orders',
      'File name contains the date',
    ]);
    expect(stories[1]?.description).toBe('');
  });

  it('reads a REST API v2 issue with a wiki markup description', () => {
    const [story] = storiesOf(parseStoryText(fixture('jira-issue-v2.json')));
    expect(story?.description).toBe('Admins need to block accounts quickly.\nAudit required.');
    expect(story?.acceptanceCriteria.map((criterion) => criterion.text)).toEqual([
      'Disabled users cannot log in',
      'Active sessions end within 1 minute\nincluding API tokens',
    ]);
    expect(story?.notes).toEqual(['Coordinate with support', 'POST /users/{id}/disable']);
  });
});

describe('parseStoryText: .feature files', () => {
  it('reads the feature as a story and each scenario (also inside rules) as a criterion', () => {
    const [story] = storiesOf(parseStoryText(fixture('story.feature'), { fileName: 'checkout.feature' }));
    expect(story?.key).toBe('SHOP-21');
    expect(story?.summary).toBe('Guest checkout');
    expect(story?.description).toBe('Guests can buy without creating an account.');
    expect(story?.acceptanceCriteria).toEqual([
      {
        id: 'AC-1',
        text: 'Guest pays with a card\nGiven a basket with 1 item\nWhen the guest pays with a valid card\nThen the order is confirmed',
      },
      {
        id: 'AC-2',
        text: 'Missing email is refused\nWhen the guest submits "<email>"\nThen the error "<message>" is shown',
      },
    ]);
  });

  it('is detected from content and reports invalid Gherkin with its line', () => {
    expect(parseStoryText('Feature: Search\n  Scenario: Find\n    Given x\n').ok && 'feature').toBe(
      'feature',
    );
    const error = errorOf(
      parseStoryText('Feature: Search\n  Scenario: Find\n    Given x\n  Feature: again\n', {
        formatHint: 'feature',
      }),
    );
    expect(error.message).toContain('(4:3)');
  });
});

describe('parseStoryText: bad input', () => {
  it.each([
    ['', 'is empty'],
    ['   \n\t\n', 'is empty'],
    ['abc\u0000def', 'binary'],
  ])('refuses %j', (input, message) => {
    const error = errorOf(parseStoryText(input));
    expect(error.message).toContain(message);
    expect(error.code).toBe('invalid_input');
    expect(error.fix).toBeTruthy();
  });

  it('refuses invalid UTF-8, binary bytes and input over 5 MB', () => {
    expect(errorOf(parseStoryText(Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x41]))).message).toMatch(
      /not valid UTF-8.*offset 2/,
    );
    expect(errorOf(parseStoryText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).message).toContain(
      'binary',
    );
    expect(errorOf(parseStoryText('x'.repeat(5 * 1024 * 1024 + 1))).message).toContain('larger than 5 MB');
  });

  it('refuses a story without summary', () => {
    expect(errorOf(parseStoryText('#   \n\n## Acceptance Criteria\n- a')).message).toContain('no summary');
  });

  it('accepts a UTF-8 byte order mark and CRLF line endings', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('# K-1: Résumé\r\n\r\n## AC\r\n- ok\r\n'),
    ]);
    expect(storiesOf(parseStoryText(bytes))[0]).toMatchObject({
      key: 'K-1',
      summary: 'Résumé',
      acceptanceCriteria: [{ id: 'AC-1', text: 'ok' }],
    });
  });
});

describe('parseStoryText: more layouts', () => {
  it('splits stories kept under "## KEY: …" headings when the file has no "# " heading', () => {
    const stories = storiesOf(
      parseStoryText(
        '## SHOP-1: First\nOne.\n### Acceptance Criteria\n- a\n\n## SHOP-2: Second\n### Acceptance Criteria\n- b\n',
      ),
    );
    expect(stories.map((story) => [story.key, story.summary, story.acceptanceCriteria[0]?.text])).toEqual([
      ['SHOP-1', 'First', 'a'],
      ['SHOP-2', 'Second', 'b'],
    ]);
  });

  it('reads a CSV backlog larger than the 5 MB story limit when named .csv', () => {
    const rows = ['Key,Summary,Description'];
    const filler = 'x'.repeat(200);
    for (let index = 1; index <= 30_000; index += 1) rows.push(`P-${index},Story ${index},${filler}`);
    const content = rows.join('\n');
    expect(content.length).toBeGreaterThan(5 * 1024 * 1024);
    expect(storiesOf(parseStoryText(content, { fileName: 'backlog.csv' }))).toHaveLength(30_000);
  });

  it('reads { stories: [...] } and Scenario blocks as criteria', () => {
    const [story] = storiesOf(
      parseStoryText(
        JSON.stringify({
          stories: [
            {
              key: 'A-1',
              summary: 'S',
              acceptanceCriteria:
                'Scenario: happy\nGiven a\nWhen b\nThen c\n\nScenario: sad\nGiven d\nThen e',
            },
          ],
        }),
      ),
    );
    expect(story?.acceptanceCriteria.map((criterion) => criterion.text)).toEqual([
      'Scenario: happy\nGiven a\nWhen b\nThen c',
      'Scenario: sad\nGiven d\nThen e',
    ]);
  });
});

describe('Markdown descriptions wrapped at a fixed width', () => {
  it('joins the lines of a paragraph but keeps lists, paragraphs and hard breaks', () => {
    const result = parseStoryText(
      [
        '# AUTH-1: Sign in',
        '',
        'As a registered user I want to sign in with my email',
        'address and password.',
        '',
        'Second paragraph  ',
        'after a hard break.',
        '- a listed note',
        '- another',
        '',
        '## Acceptance Criteria',
        '- It works',
      ].join('\n'),
      { fileName: 'story.md' },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value[0]?.description).toBe(
      'As a registered user I want to sign in with my email address and password.\n\nSecond paragraph  \nafter a hard break.\n- a listed note\n- another',
    );
  });
});
