/** exportTestCases for Cucumber, Markdown and JSON, and what every target shares. */
import { describe, expect, it } from 'vitest';
import type { ExportBundle } from './bundle.ts';
import { parseGherkinDocument } from '../gherkin-document.ts';
import { parseStoryText } from '../import/parse-story-text.ts';
import { ExportDocumentSchema } from './bundle.ts';
import { exportTestCases } from './export-test-cases.ts';
import {} from './tools.ts';
import { story, manualCase, bddCase, bundle } from '../../../test/support/export-fixtures.ts';

describe('exportTestCases: cucumber', () => {
  it("tags each feature with its story as Xray's feature import reads a requirement", () => {
    const cloud = exportTestCases(bundle, 'cucumber', { xrayTags: 'cloud' }).files;
    expect(cloud[0]?.content).toMatch(/^@REQ_SHOP-12\nFeature: /);
    expect(parseGherkinDocument(cloud[0]?.content ?? '').ok).toBe(true);
    const server = exportTestCases(bundle, 'cucumber', { xrayTags: 'server' }).files;
    expect(server[0]?.content).toMatch(/^@SHOP-12\nFeature: /);
    // A derived key is no Jira issue: no requirement tag, the key as a plain tag.
    expect(cloud[1]?.content).not.toContain('@REQ_');
  });

  it('writes one .feature per story that parses back with @cucumber/gherkin', () => {
    const { files } = exportTestCases(bundle, 'cucumber');
    expect(files.map((file) => file.name)).toEqual(['SHOP-12.feature', 'STORY-1A2B3C4D.feature']);
    const english = parseGherkinDocument(files[0]?.content ?? '');
    if (!english.ok) throw new Error(english.message);
    const feature = english.document.feature;
    expect(feature?.name).toBe('Customer pays by card');
    expect(feature?.tags.map((tag) => tag.name)).toEqual(['@SHOP-12']);
    const scenarios = feature?.children.flatMap((child) => (child.scenario ? [child.scenario] : [])) ?? [];
    expect(scenarios.map((scenario) => scenario.name)).toEqual([
      'Pay with a valid Visa card',
      'Declined card "<card>" keeps the basket',
      'Rejected case with broken gherkin',
    ]);
    expect(scenarios[0]?.tags.map((tag) => tag.name)).toEqual(['@TC-1', '@AC-1']);
    expect(scenarios[0]?.steps.map((step) => `${step.keyword.trim()} ${step.text}`)).toEqual([
      'Given A basket with 1 item',
      'And The customer is logged in',
      'When Open checkout',
      'Then The payment form is shown',
      'When Enter card number, expiry and CVC (data: 4111 1111 1111 1111, 12/30, "123")',
      'Then The card is accepted',
      'When =HYPERLINK("http://evil.example","click") (data: -5)',
      'Then @SUM(A1:A2) second line',
    ]);
    const outline = scenarios[1];
    expect(outline?.tags.map((tag) => tag.name)).toEqual(['@TC-2', '@AC-2', '@smoke']);
    expect(outline?.steps[0]?.text).toBe('a basket with 1 item');
    expect(outline?.steps[2]?.docString?.content).toBe('Card declined');
    expect(outline?.steps[3]?.dataTable?.rows[1]?.cells.map((cell) => cell.value)).toEqual(['a|b', '1']);
    expect(outline?.examples[0]?.tableBody[0]?.cells[0]?.value).toBe('4000000000000002');
    // The description went into comments: neither its "@" line nor its "Scenario:" line became Gherkin.
    expect(english.document.comments.map((comment) => comment.text)).toContain(
      '  # Scenario: not a scenario either',
    );
  });

  it('keeps the language of the cases and survives a round trip through the story importer', () => {
    const { files } = exportTestCases(bundle, 'cucumber');
    const french = parseGherkinDocument(files[1]?.content ?? '');
    if (!french.ok) throw new Error(french.message);
    expect(french.document.feature?.language).toBe('fr');
    const storyFile = files[0];
    if (!storyFile) throw new Error('the export wrote no story file');
    const reread = parseStoryText(storyFile.content, { fileName: storyFile.name });
    expect(reread.ok && reread.value[0]?.key).toBe('SHOP-12');
    expect(reread.ok && reread.value[0]?.acceptanceCriteria).toHaveLength(3);
  });
});

describe('exportTestCases: markdown and json', () => {
  it('markdown: per story a coverage table (uncovered marked) and each case, with text escaped', () => {
    const partial: ExportBundle = { stories: [{ story, testCases: [manualCase, bddCase] }] };
    const content = exportTestCases(partial, 'markdown').files[0]?.content ?? '';
    expect(content).toContain('## SHOP-12: Customer pays by card');
    expect(content).toContain('| AC-1 | Visa is accepted | TC-1 |');
    expect(content).toContain('| AC-2 | A declined card shows "Card declined" \\| keeps the basket | TC-2 |');
    expect(content).toContain('| AC-3 | Receipt is emailed | **not covered** |');
    expect(content).toContain('### TC-1: Pay with a valid Visa card');
    expect(content).toContain(
      '| 3 | =HYPERLINK("http://evil.example","click") | -5 | @SUM(A1:A2)<br>second line |',
    );
    expect(content).toContain('```gherkin\nFeature: Payment');
    expect(
      exportTestCases(
        { stories: [{ story: { ...story, summary: '<img src=x onerror=alert(1)>' }, testCases: [] }] },
        'markdown',
      ).files[0]?.content,
    ).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('json: a versioned document that parses back with its schema, with coverage and uncovered criteria', () => {
    const content =
      exportTestCases(bundle, 'json', { statuses: ['accepted', 'draft'] }).files[0]?.content ?? '';
    const document = ExportDocumentSchema.parse(JSON.parse(content));
    expect(document.version).toBe(1);
    expect(document.project).toEqual({ name: 'Shop' });
    expect(document.stories[0]?.testCases.map((testCase) => testCase.id)).toEqual(['TC-1', 'TC-2']);
    expect(document.stories[0]?.coverage).toEqual({ 'AC-1': ['TC-1'], 'AC-2': ['TC-2'], 'AC-3': [] });
    expect(document.stories[0]?.uncovered).toEqual(['AC-3']);
    // A case without a status counts as a draft.
    expect(document.stories[1]?.testCases.map((testCase) => testCase.id)).toEqual(['TC-1']);
    expect(exportTestCases(bundle, 'json', { statuses: ['rejected'] }).files[0]?.content).toContain(
      '"id": "TC-3"',
    );
  });
});
