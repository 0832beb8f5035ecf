import { describe, expect, it } from 'vitest';
import { readGherkinCases, readHeadingSections, readNumberedCases } from './text-layouts.ts';

describe('readNumberedCases', () => {
  it('reads one record per "Test Case N": steps as text, labelled Data and Expected lines as the case\'s data and result', () => {
    const [record, ...rest] = readNumberedCases(
      [
        'Test Case 1: Log in with a valid password',
        'Steps:',
        '1. Open the login page',
        '2. Enter the password',
        '   Data: s3cret!',
        '   Expected: The dashboard is shown',
        '',
        'Test Case 2: Wrong password',
        'Steps:',
        '1. Enter a wrong password',
      ].join('\n'),
    );
    expect(rest).toHaveLength(1);
    expect(record).toMatchObject({
      title: 'Log in with a valid password',
      steps: ['Open the login page', 'Enter the password'],
      testData: 's3cret!',
      expectedResult: 'The dashboard is shown',
    });
  });

  it('reads a step table row by row, dropping "n/a" data', () => {
    const [record] = readNumberedCases(
      [
        'Test Case 1: Save',
        '| Step | Action | Test Data | Expected Result |',
        '|---|---|---|---|',
        '| 1 | Click save | n/a | Saved |',
        '| 2 | Reload | id=7 | The saved values are shown |',
      ].join('\n'),
    );
    expect(record?.steps).toEqual([
      { action: 'Click save', expected: 'Saved' },
      { action: 'Reload', data: 'id=7', expected: 'The saved values are shown' },
    ]);
  });

  it('ends a case at another heading', () => {
    const records = readNumberedCases(
      ['## Test Case 1: Save', 'Steps:', '1. Click save', '## Summary', 'Two cases were planned.'].join('\n'),
    );
    expect(records).toHaveLength(1);
    expect(JSON.stringify(records[0])).not.toContain('planned');
  });
});

describe('readHeadingSections', () => {
  it('takes only the headings whose section holds steps', () => {
    const records = readHeadingSections(
      ['# Plan', 'Cases for login.', '## Valid login', 'Steps:', '1. Open the page', '2. Sign in'].join('\n'),
    );
    expect(records.map((record) => record.title)).toEqual(['Valid login']);
  });
});

describe('readGherkinCases', () => {
  it('reads kind, priority and covered criteria from the scenario tags', () => {
    const [record] = readGherkinCases(
      [
        'Feature: Login',
        '  @negative @priority-high @AC-2',
        '  Scenario: Wrong password',
        '    Given the login page',
        '    When I enter a wrong password',
        '    Then I see an error',
      ].join('\n'),
    );
    expect(record).toMatchObject({
      title: 'Wrong password',
      kind: 'negative',
      priority: 'high',
      covers: ['AC-2'],
    });
    expect(String(record?.gherkin)).toContain('Scenario: Wrong password');
  });
});
