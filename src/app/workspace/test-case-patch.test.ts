import { describe, expect, it } from 'vitest';
import type { TestCaseRecord } from '../../core/index.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import { mergedContent, parsePatch, preconditionsOfGherkin } from './test-case-patch.ts';

const current: TestCaseRecord = {
  id: 'case-1',
  projectId: 'project-1',
  storyId: 'story-1',
  generationId: null,
  caseNumber: 1,
  displayId: 'TC-1',
  status: 'draft',
  needsReview: false,
  needsReviewReason: null,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  title: 'Log in with a valid password',
  kind: 'positive',
  priority: 'high',
  preconditions: ['A registered user'],
  steps: [{ action: 'Sign in', expected: 'The dashboard is shown' }],
  covers: ['AC-1'],
  engine: 'llm',
  warnings: ['vague step'],
};

const GHERKIN = [
  'Feature: Login',
  '  Scenario: Log in',
  '    Given a registered user',
  '    And the login page is open',
  '    When I sign in',
  '    Then the dashboard is shown',
].join('\n');

describe('mergedContent', () => {
  it('changes the fields the patch gives and keeps the others; an edit of the text drops old warnings', () => {
    const content = mergedContent(current, { title: 'Log in again' }, ['AC-1']);
    expect(content).toMatchObject({
      title: 'Log in again',
      kind: 'positive',
      priority: 'high',
      covers: ['AC-1'],
    });
    expect(content.warnings).toEqual([]);
    expect(mergedContent(current, { priority: 'low' }, ['AC-1']).warnings).toEqual(['vague step']);
  });

  it('treats a field given as undefined as not given', () => {
    const content = mergedContent(current, { title: undefined, kind: undefined }, ['AC-1']);
    expect(content.title).toBe(current.title);
    expect(content.kind).toBe('positive');
  });

  it('ends new Gherkin with a newline and takes its Given steps as the preconditions', () => {
    const content = mergedContent(current, { gherkin: GHERKIN }, ['AC-1']);
    expect(content.gherkin).toBe(`${GHERKIN}\n`);
    expect(content.preconditions).toEqual(['A registered user', 'The login page is open']);
  });

  it('drops the Gherkin text on gherkin: null', () => {
    const withGherkin = { ...current, gherkin: `${GHERKIN}\n` };
    expect('gherkin' in mergedContent(withGherkin, { gherkin: null }, ['AC-1'])).toBe(false);
  });

  it('refuses Gherkin that does not parse, and criteria the story does not have', () => {
    expect(() => mergedContent(current, { gherkin: 'Scenario without a feature' }, ['AC-1'])).toThrow(
      InvalidInputError,
    );
    expect(() => mergedContent(current, { covers: ['AC-9'] }, ['AC-1'])).toThrow(
      /no acceptance criterion AC-9/,
    );
  });
});

describe('parsePatch', () => {
  it('reads an object, JSON or YAML', () => {
    expect(parsePatch({ title: 'A' })).toEqual({ title: 'A' });
    expect(parsePatch('{"priority": "low"}')).toEqual({ priority: 'low' });
    expect(parsePatch('kind: negative\ncovers: [AC-1]')).toEqual({ kind: 'negative', covers: ['AC-1'] });
  });

  it('refuses fields an edit may not change, and values of the wrong shape', () => {
    expect(() => parsePatch('{"status": "accepted"}')).toThrow(InvalidInputError);
    expect(() => parsePatch('kind: sideways')).toThrow(InvalidInputError);
  });
});

describe('preconditionsOfGherkin', () => {
  it('takes the leading Given steps and their And/But continuations, capitalised', () => {
    expect(preconditionsOfGherkin(GHERKIN)).toEqual(['A registered user', 'The login page is open']);
    expect(preconditionsOfGherkin('Feature: x\n  Scenario: y\n    When I act\n    Then it works')).toEqual(
      [],
    );
  });
});
