/** Stories, test cases and a bundle shared by the export tests (src/formats/export), and CSV readers. */
import { parse } from 'csv-parse/sync';
import type { Story } from '../../src/core/model.ts';
import type { ExportBundle, ExportTestCase } from '../../src/formats/export/bundle.ts';

export const story: Story = {
  key: 'SHOP-12',
  summary: 'Customer pays by card',
  description: 'As a customer I want to pay by card.\n@not-a-tag\nScenario: not a scenario either',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'Visa is accepted' },
    { id: 'AC-2', text: 'A declined card shows "Card declined" | keeps the basket' },
    { id: 'AC-3', text: 'Receipt is emailed' },
  ],
  outOfScope: ['PayPal'],
  notes: [],
  source: 'markdown',
};

export const manualCase: ExportTestCase = {
  id: 'TC-1',
  title: 'Pay with a valid Visa card',
  kind: 'positive',
  priority: 'high',
  preconditions: ['A basket with 1 item', 'The customer is logged in'],
  steps: [
    { action: 'Open checkout', expected: 'The payment form is shown' },
    {
      action: 'Enter card number, expiry and CVC',
      data: '4111 1111 1111 1111, 12/30, "123"',
      expected: 'The card is accepted',
    },
    { action: '=HYPERLINK("http://evil.example","click")', data: '-5', expected: '@SUM(A1:A2)\nsecond line' },
  ],
  covers: ['AC-1'],
  engine: 'llm',
  warnings: [],
  status: 'accepted',
};

export const bddCase: ExportTestCase = {
  id: 'TC-2',
  title: 'Declined card keeps the basket',
  kind: 'negative',
  priority: 'medium',
  preconditions: [],
  steps: [],
  gherkin: [
    'Feature: Payment',
    '  Background:',
    '    Given a basket with 1 item',
    '  @smoke',
    '  Scenario Outline: Declined card "<card>" keeps the basket',
    '    When the customer pays with "<card>"',
    '    Then the message is shown:',
    '      """',
    '      Card declined',
    '      """',
    '    And the basket holds:',
    '      | item  | quantity |',
    '      | a\\|b | 1        |',
    '    Examples:',
    '      | card             |',
    '      | 4000000000000002 |',
  ].join('\n'),
  covers: ['AC-2'],
  engine: 'llm',
  warnings: [],
  status: 'draft',
};

export const brokenGherkinCase: ExportTestCase = {
  id: 'TC-3',
  title: 'Rejected case with broken gherkin',
  kind: 'edge',
  priority: 'low',
  preconditions: ['Mail server down'],
  steps: [{ action: 'Pay', expected: 'Receipt is queued' }],
  gherkin: 'Scenario without feature\nGiven nothing',
  covers: ['AC-3'],
  engine: 'rules',
  warnings: ['placeholder data'],
  status: 'rejected',
};

export const keylessStory: Story = {
  key: 'STORY-1A2B3C4D',
  summary: 'Guest checkout',
  description: '',
  acceptanceCriteria: [{ id: 'AC-1', text: 'Guests can pay' }],
  outOfScope: [],
  notes: [],
  source: 'text',
};

export const frenchCase: ExportTestCase = {
  id: 'TC-1',
  title: 'Paiement invité',
  kind: 'positive',
  priority: 'high',
  preconditions: [],
  steps: [],
  gherkin:
    '# language: fr\nFonctionnalité: Paiement\n  Scénario: Un invité paie\n    Soit un panier\n    Quand il paie\n    Alors la commande est créée',
  covers: ['AC-1'],
  engine: 'llm',
  warnings: [],
};

export const bundle: ExportBundle = {
  project: { name: 'Shop' },
  stories: [
    { story, testCases: [manualCase, bddCase, brokenGherkinCase] },
    { story: keylessStory, testCases: [frenchCase] },
  ],
};

/** The fields of Xray's test case importer JSON that these tests read. */
export interface XrayTest {
  testtype: string;
  fields: { summary: string; description: string; project?: { key: string }; priority: { name: string } };
  update?: { issuelinks: Array<{ add: { type: { name: string }; outwardIssue: { key: string } } }> };
  steps?: Array<{ action: string; data: string; result: string }>;
  gherkin_def?: string;
  xray_test_repository_folder?: string;
}

export function readCsv(content: string): Array<Record<string, string>> {
  return parse(content, { columns: true, bom: true }) as Array<Record<string, string>>;
}

export function headerOf(content: string): string[] {
  return (parse(content, { to_line: 1 }) as string[][])[0] ?? [];
}
