/**
 * A library story written for the quality tests (not from examples/), with a junk model answer
 * (identical steps, restated criterion, "as expected", cut quotes) and a good rewrite of it.
 */
import type { Story } from '../../src/core/index.ts';

export const apiKey = 'sk-repair-0123456789abcdef';

export const story: Story = {
  key: 'LIB-5',
  summary: 'Renew a borrowed book',
  description: 'As a library member I want to renew a loan online so that I can keep the book longer.',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'A member can renew the same loan at most 2 times.' },
    {
      id: 'AC-2',
      text: 'When another member has reserved the book, the message "This book is reserved and cannot be renewed" is shown.',
    },
    { id: 'AC-3', text: 'The new due date is 14 days after the current due date.' },
    { id: 'AC-4', text: 'A renewal is confirmed by email to the member.' },
  ],
  outOfScope: [],
  notes: [],
  source: 'markdown',
};

export const storyMarkdown = [
  '# LIB-5: Renew a borrowed book',
  '',
  story.description,
  '',
  '## Acceptance Criteria',
  ...story.acceptanceCriteria.map((criterion) => `- ${criterion.text}`),
  '',
].join('\n');

export interface WireCase {
  title: string;
  kind: string;
  priority: string;
  preconditions: string[];
  steps: Array<{ action: string; data?: string; expected?: string }>;
  covers: string[];
}

export const junkCases: WireCase[] = [
  {
    title: 'Renew a loan',
    kind: 'positive',
    priority: 'high',
    preconditions: [],
    steps: [{ action: 'Perform the action described', expected: 'Behaviour matches: the loan is renewed' }],
    covers: ['AC-1'],
  },
  {
    title: 'Reserved book',
    kind: 'negative',
    priority: 'high',
    preconditions: [],
    steps: [{ action: 'Submit the form with an invalid value', expected: 'As expected' }],
    covers: ['AC-2'],
  },
  {
    title: 'Invalid renewal',
    kind: 'negative',
    priority: 'medium',
    preconditions: [],
    steps: [{ action: 'Submit the form with an invalid value', expected: 'As expected' }],
    covers: ['AC-1'],
  },
  {
    title: 'New due date',
    kind: 'positive',
    priority: 'medium',
    preconditions: ['Member ana@example.org has "Dune" on loan, due 2026-03-10'],
    steps: [
      { action: 'Open "My loans" and select "Renew" next to "Dune"' },
      { action: 'Select "Confirm"', expected: 'The new due date is 14 days after the current due date' },
    ],
    covers: ['AC-3'],
  },
  {
    title: 'Reserved book message',
    kind: 'negative',
    priority: 'high',
    preconditions: ['Member ana@example.org has "Dune" on loan'],
    steps: [
      { action: 'Open "My loans" and select "Renew' },
      { action: 'Select "Confirm"', expected: 'The message "This book is reserved' },
    ],
    covers: ['AC-2'],
  },
];

export const repairedCases: WireCase[] = [
  {
    title: '[TC-1] First renewal of a loan moves the due date',
    kind: 'positive',
    priority: 'high',
    preconditions: ['Member ana@example.org has "Dune" on loan, due 2026-03-10, never renewed'],
    steps: [
      { action: 'Sign in as ana@example.org and open "My loans"' },
      {
        action: 'Select "Renew" next to "Dune" and then "Confirm"',
        expected: '"Dune" shows "Renewed 1 of 2"',
      },
    ],
    covers: ['AC-1'],
  },
  {
    title: '[TC-2] A reserved book cannot be renewed',
    kind: 'negative',
    priority: 'high',
    preconditions: ['Member ana@example.org has "Dune" on loan; member li@example.org has reserved "Dune"'],
    steps: [
      { action: 'Sign in as ana@example.org and open "My loans"' },
      {
        action: 'Select "Renew" next to "Dune"',
        expected: 'The message "This book is reserved and cannot be renewed" is shown',
      },
    ],
    covers: ['AC-2'],
  },
  {
    title: '[TC-3] A third renewal is refused',
    kind: 'negative',
    priority: 'medium',
    preconditions: ['Member ben@example.org has "Emma" on loan, already renewed 2 times'],
    steps: [
      { action: 'Sign in as ben@example.org and open "My loans"' },
      {
        action: 'Select "Renew" next to "Emma"',
        expected: '"Renew" is disabled and "Renewed 2 of 2" is shown',
      },
    ],
    covers: ['AC-1'],
  },
  {
    title: '[TC-4] Renewal sets the due date 14 days later',
    kind: 'positive',
    priority: 'medium',
    preconditions: ['Member ana@example.org has "Dune" on loan, due 2026-03-10'],
    steps: [
      { action: 'Open "My loans" and select "Renew" next to "Dune"' },
      { action: 'Select "Confirm"', expected: '"Dune" shows the due date 2026-03-24' },
    ],
    covers: ['AC-3'],
  },
  {
    title: '[TC-5] Reserved book message in full',
    kind: 'negative',
    priority: 'high',
    preconditions: ['Member ana@example.org has "Dune" on loan; li@example.org has reserved it'],
    steps: [
      { action: 'Open "My loans" as ana@example.org' },
      {
        action: 'Select "Renew" next to "Dune" and then "Confirm"',
        expected:
          'The message "This book is reserved and cannot be renewed" is shown and the due date stays 2026-03-10',
      },
    ],
    covers: ['AC-2'],
  },
  {
    title: 'Renewal confirmation email',
    kind: 'positive',
    priority: 'medium',
    preconditions: ['Member ana@example.org has "Dune" on loan, due 2026-03-10'],
    steps: [
      { action: 'Renew "Dune" from "My loans" as ana@example.org' },
      {
        action: 'Open the inbox of ana@example.org',
        expected: 'An email "Your renewal of Dune" with due date 2026-03-24 arrived',
      },
    ],
    covers: ['AC-4'],
  },
];

export const answer = (cases: WireCase[]) => JSON.stringify({ testCases: cases });
/** The same junk, answered as rewrites (titled with their ids). */
export const sameJunkAsRewrites = junkCases.map((testCase, index) => ({
  ...testCase,
  title: `[TC-${index + 1}] ${testCase.title}`,
}));

/** The good cases as a first answer would give them (no `[TC-n]` rewrite titles). */
export const goodCases: WireCase[] = repairedCases.map((testCase) => ({
  ...testCase,
  title: testCase.title.replace(/^\[TC-\d+\]\s*/, ''),
}));
