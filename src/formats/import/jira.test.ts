import { describe, expect, it } from 'vitest';
import type { AdfNode } from './jira.ts';
import { adfToText, jiraWikiToText } from './jira.ts';
import { parseStoryText } from './parse-story-text.ts';

const text = (value: string): AdfNode => ({ type: 'text', text: value });
const paragraph = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const doc = (...content: AdfNode[]): AdfNode => ({ type: 'doc', content });

describe('adfToText', () => {
  it('renders headings, nested ordered lists, code blocks, links, hard breaks and dates', () => {
    const rendered = adfToText(
      doc(
        { type: 'heading', attrs: { level: 1 }, content: [text('Goal')] },
        paragraph(
          text('See '),
          {
            type: 'text',
            text: 'spec',
            marks: [{ type: 'link', attrs: { href: 'https://example.com/spec' } }],
          },
          { type: 'hardBreak' },
          { type: 'date', attrs: { timestamp: '1767225600000' } },
        ),
        {
          type: 'orderedList',
          attrs: { order: 3 },
          content: [{ type: 'listItem', content: [paragraph(text('third'))] }],
        },
        { type: 'codeBlock', content: [text('npm test')] },
      ),
    );
    expect(rendered).toBe(
      '## Goal\n\nSee spec (https://example.com/spec)\n2026-01-01\n\n3. third\n\n```\nnpm test\n```',
    );
  });

  it('renders tables, task lists, quotes, panels and status lozenges', () => {
    const rendered = adfToText(
      doc(
        {
          type: 'table',
          content: [
            {
              type: 'tableRow',
              content: [
                { type: 'tableHeader', content: [paragraph(text('Role'))] },
                { type: 'tableHeader', content: [paragraph(text('Limit'))] },
              ],
            },
            {
              type: 'tableRow',
              content: [
                { type: 'tableCell', content: [paragraph(text('guest'))] },
                { type: 'tableCell', content: [paragraph(text('3'))] },
              ],
            },
          ],
        },
        {
          type: 'taskList',
          content: [
            { type: 'taskItem', attrs: { state: 'DONE' }, content: [text('designed')] },
            { type: 'taskItem', attrs: { state: 'TODO' }, content: [text('built')] },
          ],
        },
        { type: 'blockquote', content: [paragraph(text('quoted'))] },
        {
          type: 'panel',
          attrs: { panelType: 'info' },
          content: [paragraph({ type: 'status', attrs: { text: 'BLOCKED' } })],
        },
      ),
    );
    expect(rendered).toBe(
      '| Role | Limit |\n| guest | 3 |\n\n- [x] designed\n- [ ] built\n\n> quoted\n\nBLOCKED',
    );
  });

  it('finds criteria under a bold "Acceptance Criteria" paragraph of a description', () => {
    const issue = {
      key: 'SHOP-5',
      fields: {
        summary: 'Wishlist',
        description: doc(
          paragraph(text('Save items for later.')),
          paragraph({ type: 'text', text: 'Acceptance Criteria:', marks: [{ type: 'strong' }] }),
          {
            type: 'bulletList',
            content: [{ type: 'listItem', content: [paragraph(text('Up to 100 items'))] }],
          },
        ),
      },
    };
    const result = parseStoryText(JSON.stringify(issue));
    expect(result.ok && result.value[0]?.acceptanceCriteria).toEqual([
      { id: 'AC-1', text: 'Up to 100 items' },
    ]);
    expect(result.ok && result.value[0]?.description).toBe('Save items for later.');
  });

  it('warns when criteria may hide in an unnamed custom field', () => {
    const result = parseStoryText(
      JSON.stringify({
        key: 'SHOP-6',
        fields: { summary: 'x', description: null, customfield_10200: '* a\n* b' },
      }),
    );
    expect(result.ok && result.warnings.join('\n')).toContain('?expand=names');
  });
});

describe('jiraWikiToText', () => {
  it('converts headings, nested lists, code blocks and line breaks', () => {
    expect(jiraWikiToText('h1. Title\n* one\n** nested\n# first\n{code:java}\nint x;\n{code}\na\\\\b')).toBe(
      '## Title\n- one\n  - nested\n1. first\n```\nint x;\n```\na\nb',
    );
  });

  it('keeps a line of bold text as text, not a list', () => {
    expect(jiraWikiToText('*Important* note')).toBe('*Important* note');
  });
});
