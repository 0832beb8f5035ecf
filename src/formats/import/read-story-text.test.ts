import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseStoryText } from './parse-story-text.ts';
import { readStoryText } from './read-story-text.ts';
import type * as ParseStoryTextModule from './parse-story-text.ts';
import type { ParseStoryTextOptions, StoryTextResult } from './story-text.ts';

// The module with the CSV and Gherkin parsers, watched: readStoryText must reach it for those kinds
// only (it is what loads csv-parse and @cucumber/gherkin).
vi.mock('./parse-story-text.ts', async (importOriginal) => {
  const real = await importOriginal<typeof ParseStoryTextModule>();
  return { ...real, parseStoryText: vi.fn(real.parseStoryText) };
});

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/formats/${name}`, import.meta.url));

/** A result in plain data: errors by class, message and fix. */
function comparable(result: StoryTextResult) {
  if (result.ok) return result;
  return {
    ok: false,
    type: result.error.constructor.name,
    message: result.error.message,
    fix: result.error.fix,
  };
}

const markdown = '# SHOP-1: Pay by card\n\n## Acceptance Criteria\n- Visa is accepted\n- Amex is refused';
const feature =
  'Feature: Search\n  Scenario: Find\n    Given a catalogue\n    When I search\n    Then I see results\n';

const withoutParsers: Array<[string, string | Uint8Array, ParseStoryTextOptions]> = [
  ['Markdown by name', markdown, { fileName: 'story.md' }],
  ['Markdown by content', Buffer.from(markdown), {}],
  ['plain text', 'As a shopper I want to pay by card so that I can check out.', {}],
  ['JSON', '{"summary": "Pay by card", "acceptanceCriteria": ["Visa is accepted"]}', { fileName: 's.json' }],
  ['a Jira issue', fixture('jira-issue-v3.json'), { fileName: 'SHOP-42.json' }],
  ['a Jira search by content', fixture('jira-search-v3.json'), {}],
  ['JSON that does not parse', '{"summary": "x",, }', { fileName: 'story.json' }],
  ['bytes that are not UTF-8', Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x41]), { fileName: 'story.md' }],
  ['a Markdown story without a summary', '#   \n\n## Acceptance Criteria\n- a', {}],
  ['a hint over the name', markdown, { fileName: 'story.feature', formatHint: 'markdown' }],
];

const withParsers: Array<[string, string | Uint8Array, ParseStoryTextOptions]> = [
  ['CSV by name', fixture('backlog.csv'), { fileName: 'backlog.csv' }],
  ['CSV by content', 'Summary,Description\nOne,two\n', {}],
  ['CSV by hint', 'Key,Summary\nA-1,x\n', { formatHint: 'csv' }],
  ['CSV that does not parse', 'Key,Summary\nA-1,"x"y\n', { fileName: 'b.csv' }],
  ['a .feature file', fixture('story.feature'), { fileName: 'checkout.feature' }],
  ['Gherkin by content', feature, {}],
  ['Gherkin that does not parse', `${feature}  Feature: again\n`, { fileName: 'x.feature' }],
];

describe('readStoryText', () => {
  beforeEach(() => {
    vi.mocked(parseStoryText).mockClear();
  });

  it.each(withoutParsers)(
    'reads %s as parseStoryText does, without the parsers',
    async (_, content, options) => {
      const read = await readStoryText(content, options);
      expect(parseStoryText).not.toHaveBeenCalled();
      expect(comparable(read)).toEqual(comparable(parseStoryText(content, options)));
    },
  );

  it.each(withParsers)(
    'reads %s through the parsers, as parseStoryText does',
    async (_, content, options) => {
      const read = await readStoryText(content, options);
      expect(parseStoryText).toHaveBeenCalledTimes(1);
      expect(comparable(read)).toEqual(comparable(parseStoryText(content, options)));
    },
  );
});
