/** The test management tool exports: Xray JSON, and the Xray, Zephyr Scale and TestRail CSV files. */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ExportBundle } from './bundle.ts';
import { exportTestCases } from './export-test-cases.ts';
import { GENERIC_CSV_COLUMNS } from './readable.ts';
import {
  TESTRAIL_BDD_CSV_COLUMNS,
  TESTRAIL_CSV_COLUMNS,
  XRAY_CSV_COLUMNS,
  ZEPHYR_CSV_COLUMNS,
} from './tools.ts';
import {
  story,
  manualCase,
  bddCase,
  bundle,
  type XrayTest,
  readCsv,
  headerOf,
} from '../../../test/support/export-fixtures.ts';

describe('exportTestCases: xray-json', () => {
  it('writes Manual tests with steps and Cucumber tests with gherkin_def, linked to the story', () => {
    const { files, warnings } = exportTestCases(bundle, 'xray-json');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ name: 'xray-tests.json', mediaType: 'application/json' });
    const tests = JSON.parse(files[0]?.content ?? '') as XrayTest[];
    expect(tests).toHaveLength(4);
    expect(tests[0]).toMatchObject({
      testtype: 'Manual',
      fields: { summary: 'Pay with a valid Visa card', project: { key: 'SHOP' }, priority: { name: 'High' } },
      // Xray Cloud's link type by default.
      update: { issuelinks: [{ add: { type: { name: 'Test' }, outwardIssue: { key: 'SHOP-12' } } }] },
      xray_test_repository_folder: '/Shop',
    });
    expect(tests[0]?.steps?.[1]).toEqual({
      action: 'Enter card number, expiry and CVC',
      data: '4111 1111 1111 1111, 12/30, "123"',
      result: 'The card is accepted',
    });
    expect(tests[0]?.fields.description).toContain('AC-1: Visa is accepted');
    expect(tests[1]?.testtype).toBe('Cucumber');
    expect(tests[1]?.steps).toBeUndefined();
    expect(tests[1]?.gherkin_def).toContain(
      'Given a basket with 1 item\nWhen the customer pays with "<card>"',
    );
    expect(tests[1]?.gherkin_def).toContain('Examples:');
    // The broken Gherkin falls back to its steps, and says so.
    expect(tests[2]?.gherkin_def).toContain('Given Mail server down\nWhen Pay\nThen Receipt is queued');
    expect(warnings.join('\n')).toContain('TC-3');
    // A derived key is no Jira issue: no link, no project.
    expect(tests[3]?.update).toBeUndefined();
    expect(tests[3]?.fields.project).toBeUndefined();
    expect(tests[3]?.gherkin_def).toMatch(/^# language: fr\nSoit un panier/);
  });

  it('exports only the statuses asked for', () => {
    const { files } = exportTestCases(bundle, 'xray-json', {
      statuses: ['accepted'],
      jiraProjectKey: 'QA',
      folder: 'Imported',
    });
    const tests = JSON.parse(files[0]?.content ?? '') as XrayTest[];
    expect(tests.map((test) => test.fields.summary)).toEqual(['Pay with a valid Visa card']);
    expect(tests[0]?.fields.project).toEqual({ key: 'QA' });
    expect(tests[0]?.xray_test_repository_folder).toBe('/Imported');
  });

  it("links with Xray Server/DC's link type when asked", () => {
    const { files } = exportTestCases(bundle, 'xray-json', { xrayLinkType: 'Tests' });
    const tests = JSON.parse(files[0]?.content ?? '') as XrayTest[];
    expect(tests[0]?.update).toEqual({
      issuelinks: [{ add: { type: { name: 'Tests' }, outwardIssue: { key: 'SHOP-12' } } }],
    });
  });

  it('splits more than 1,000 tests into numbered files of at most 1,000 (one Xray import each)', () => {
    const many = (count: number): ExportBundle => ({
      project: { name: 'Shop' },
      stories: [
        {
          story,
          testCases: Array.from({ length: count }, (_, index) => ({
            ...manualCase,
            id: `TC-${index + 1}`,
            title: `Case ${index + 1}`,
          })),
        },
      ],
    });
    expect(exportTestCases(many(1_000), 'xray-json').files.map((file) => file.name)).toEqual([
      'xray-tests.json',
    ]);
    const { files } = exportTestCases(many(2_001), 'xray-json');
    expect(files.map((file) => file.name)).toEqual([
      'xray-tests-1.json',
      'xray-tests-2.json',
      'xray-tests-3.json',
    ]);
    const parts = files.map((file) => JSON.parse(file.content) as XrayTest[]);
    expect(parts.map((part) => part.length)).toEqual([1_000, 1_000, 1]);
    expect(parts.flat().map((test) => test.fields.summary)).toEqual(
      Array.from({ length: 2_001 }, (_, index) => `Case ${index + 1}`),
    );
  });
});

describe('exportTestCases: CSV targets', () => {
  it('xray-csv: one row per step grouped by Test ID, Cucumber tests on one row', () => {
    const content = exportTestCases(bundle, 'xray-csv').files[0]?.content ?? '';
    expect(headerOf(content)).toEqual([...XRAY_CSV_COLUMNS]);
    const rows = readCsv(content);
    expect(rows.filter((row) => row['Test ID'] === '1')).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      'Test Type': 'Manual',
      'Test Summary': 'Pay with a valid Visa card',
      Requirement: 'SHOP-12',
      Action: 'Open checkout',
    });
    // The Test Type is repeated on every step row; the other test fields are on the first row only.
    expect(rows[1]).toMatchObject({
      'Test ID': '1',
      'Test Type': 'Manual',
      'Test Summary': '',
      Data: '4111 1111 1111 1111, 12/30, "123"',
    });
    expect(rows.every((row) => row['Test Type'] === 'Manual' || row['Test Type'] === 'Cucumber')).toBe(true);
    // Labels are joined with the importer's list delimiter.
    expect(rows[0]?.Labels).toBe('reqase;positive;AC-1');
    expect(rows[3]).toMatchObject({ 'Test ID': '2', 'Test Type': 'Cucumber', Action: '' });
    expect(rows[3]?.['Gherkin Definition']).toContain(
      'And the basket holds:\n  | item | quantity |\n  | a\\|b | 1        |',
    );
  });

  it('xray-csv: writes the Test Case Importer configuration (Xray Cloud layout) mapping every column but the link', () => {
    const { files, warnings } = exportTestCases(bundle, 'xray-csv', { jiraProjectKey: 'SHOP' });
    expect(files.map((file) => file.name)).toEqual(['xray-tests.csv', 'xray-tests-config.json']);
    const configuration = JSON.parse(files[1]?.content ?? '') as Record<string, unknown> & {
      'config.field.mappings': Array<{
        'column.index': number;
        'jira.field': { group: string; id: string; type: string };
      }>;
    };
    expect(configuration).toMatchObject({
      'config.encoding': 'UTF-8',
      'config.delimiter': ',',
      'config.list.delimiter': ';',
      'config.project.from.csv': false,
      'config.project.key': 'SHOP',
    });
    const header = headerOf(files[0]?.content ?? '');
    const mapped = Object.fromEntries(
      configuration['config.field.mappings'].map((mapping) => [
        header[mapping['column.index']],
        mapping['jira.field'].id,
      ]),
    );
    expect(mapped).toEqual({
      'Test ID': '__xray_testId',
      'Test Type': 'xray_testtype',
      'Test Summary': 'summary',
      Description: 'description',
      Priority: '__priority_name',
      Labels: 'labels',
      'Repository Folder': 'xray_test_repository_folder',
      Action: '__xray_step_action',
      Data: '__xray_step_data',
      Result: '__xray_step_result',
      'Gherkin Definition': 'xray_gherkin_def',
    });
    expect(warnings).toContainEqual(
      expect.stringMatching(/Requirement column to the importer's mapping step/),
    );
  });

  it('xray-csv and xray-json: 2,500 tests go out as three files of at most 1,000, a test never split', () => {
    const [entry] = bundle.stories;
    const many = {
      ...bundle,
      stories: [
        {
          story: entry!.story,
          testCases: Array.from({ length: 2500 }, (_, index) => ({
            ...entry!.testCases.find((testCase) => !testCase.gherkin)!,
            id: `TC-${index + 1}`,
            title: `Case ${index + 1}`,
          })),
        },
      ],
    };
    const csv = exportTestCases(many, 'xray-csv').files;
    expect(csv.map((file) => file.name)).toEqual([
      'xray-tests-1.csv',
      'xray-tests-2.csv',
      'xray-tests-3.csv',
      'xray-tests-config.json',
    ]);
    const perFile = csv.slice(0, 3).map((file) => {
      const rows = parse(file.content, { columns: true }) as Array<Record<string, string>>;
      return new Set(rows.map((row) => row['Test ID']));
    });
    expect(perFile.map((ids) => ids.size)).toEqual([1000, 1000, 500]);
    expect(perFile[0]?.has('1000')).toBe(true);
    expect(perFile[1]?.has('1000')).toBe(false);
    const json = exportTestCases(many, 'xray-json').files;
    expect(json.map((file) => (JSON.parse(file.content) as unknown[]).length)).toEqual([1000, 1000, 500]);
  });

  it('protects every CSV target against formula injection with a leading quote', () => {
    for (const target of ['xray-csv', 'zephyr', 'testrail', 'csv'] as const) {
      const content = exportTestCases(bundle, target).files[0]?.content ?? '';
      const cells = (parse(content) as string[][]).flat();
      expect(
        cells.filter((value) => /^[=+\-@]/.test(value)),
        target,
      ).toEqual([]);
      expect(
        cells.some((value) => value.startsWith(`'=HYPERLINK`) || value.includes(`=HYPERLINK`)),
        target,
      ).toBe(true);
    }
    const xrayRows = readCsv(exportTestCases(bundle, 'xray-csv').files[0]?.content ?? '');
    expect(xrayRows[2]).toMatchObject({
      Action: `'=HYPERLINK("http://evil.example","click")`,
      Data: "'-5",
      Result: "'@SUM(A1:A2)\nsecond line",
    });
  });

  it('zephyr: documented columns, status and priority names, coverage, BDD script', () => {
    const content = exportTestCases(bundle, 'zephyr').files[0]?.content ?? '';
    expect(headerOf(content)).toEqual([...ZEPHYR_CSV_COLUMNS]);
    const rows = readCsv(content);
    expect(rows[0]).toMatchObject({
      Name: 'Pay with a valid Visa card',
      // Rich text: line breaks as Zephyr shows them.
      Precondition: 'A basket with 1 item<br>The customer is logged in',
      Status: 'Approved',
      Priority: 'High',
      'Coverage (Issues)': 'SHOP-12',
      Folder: '/Shop',
      'Test Script (Step-by-Step) - Step': 'Open checkout',
      'Test Script (Step-by-Step) - Expected Result': 'The payment form is shown',
    });
    expect(rows[0]?.Objective).toBe('SHOP-12: Customer pays by card<br>AC-1: Visa is accepted');
    expect(rows[2]?.['Test Script (Step-by-Step) - Expected Result']).toBe("'@SUM(A1:A2)<br>second line");
    expect(rows[1]).toMatchObject({
      Name: '',
      'Test Script (Step-by-Step) - Test Data': '4111 1111 1111 1111, 12/30, "123"',
    });
    const bdd = rows.find((row) => row.Name === 'Declined card keeps the basket');
    expect(bdd).toMatchObject({
      Status: 'Draft',
      Priority: 'Normal',
      'Test Script (Step-by-Step) - Step': '',
    });
    expect(bdd?.['Test Script (BDD)']).toContain('Then the message is shown:\n  """\n  Card declined\n  """');
    expect(rows.find((row) => row.Name === 'Rejected case with broken gherkin')?.Status).toBe('Deprecated');
    expect(rows.find((row) => row.Name === 'Paiement invité')?.['Coverage (Issues)']).toBe('');
  });

  it('testrail: step cases and BDD cases in separate files, one template each, test data in additional info', () => {
    const { files } = exportTestCases(bundle, 'testrail');
    expect(files.map((file) => file.name)).toEqual(['testrail-steps.csv', 'testrail-bdd.csv']);
    const steps = files[0]?.content ?? '';
    expect(headerOf(steps)).toEqual([...TESTRAIL_CSV_COLUMNS]);
    const rows = readCsv(steps);
    expect(rows[0]).toMatchObject({
      Title: 'Pay with a valid Visa card',
      Section: 'Shop > SHOP-12: Customer pays by card',
      Template: 'Test Case (Steps)',
      Priority: 'High',
      'Steps (Step)': 'Open checkout',
      'Steps (Expected Result)': 'The payment form is shown',
      References: 'SHOP-12',
    });
    expect(rows[1]).toMatchObject({
      Title: '',
      'Steps (Step)': 'Enter card number, expiry and CVC',
      'Steps (Additional Info)': '4111 1111 1111 1111, 12/30, "123"',
    });
    const templates = (file: string) =>
      new Set(
        readCsv(file)
          .map((row) => row.Template)
          .filter(Boolean),
      );
    expect(templates(steps)).toEqual(new Set(['Test Case (Steps)']));

    const bdd = files[1]?.content ?? '';
    expect(headerOf(bdd)).toEqual([...TESTRAIL_BDD_CSV_COLUMNS]);
    expect(templates(bdd)).toEqual(new Set(['Behaviour Driven Development']));
    const declined = readCsv(bdd).find((row) => row.Title === 'Declined card keeps the basket');
    expect(declined?.['BDD Scenarios']).toMatch(
      /^Scenario Outline: Declined card "<card>" keeps the basket\nGiven a basket/,
    );
  });

  it('testrail: only the files that have cases', () => {
    const manualOnly = exportTestCases(bundle, 'testrail', { statuses: ['accepted'] });
    expect(manualOnly.files.map((file) => file.name)).toEqual(['testrail-steps.csv']);
    const none = exportTestCases({ stories: [] }, 'testrail');
    expect(none.files.map((file) => file.name)).toEqual(['testrail-steps.csv']);
    expect(readCsv(none.files[0]?.content ?? '')).toEqual([]);
  });

  it('csv: one row per case with numbered steps and expected results', () => {
    const content = exportTestCases(bundle, 'csv').files[0]?.content ?? '';
    expect(headerOf(content)).toEqual([...GENERIC_CSV_COLUMNS]);
    const rows = readCsv(content);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      'Story Key': 'SHOP-12',
      'Test Case ID': 'TC-1',
      Status: 'accepted',
      Covers: 'AC-1',
      Steps: `1. Open checkout\n2. Enter card number, expiry and CVC [data: 4111 1111 1111 1111, 12/30, "123"]\n3. =HYPERLINK("http://evil.example","click") [data: -5]`,
    });
    expect(rows[1]?.Gherkin).toBe(bddCase.gherkin);
  });
});
