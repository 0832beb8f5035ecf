import type { StoryDraft } from './story-builder.ts';
import { parseStoryBody, splitListItems } from './story-sections.ts';

/** A node of Atlassian Document Format, the rich-text JSON of Jira Cloud REST API v3. */
export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
}

export function isAdfDocument(value: unknown): value is AdfNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'doc' &&
    Array.isArray((value as { content?: unknown }).content)
  );
}

/**
 * Converts Atlassian Document Format to Markdown-like text: paragraphs, headings (`## `), bullet and
 * ordered lists (nested lists indented), code blocks (fenced), hard breaks, mentions (`@Name`), emoji,
 * links, dates, status lozenges, tables (`| a | b |`), panels, quotes, task and decision lists.
 *
 * @example adfToText({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hi' }] }] }) // 'Hi'
 */
export function adfToText(document: AdfNode): string {
  return renderBlocks(document.content ?? [], '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function renderBlocks(nodes: readonly AdfNode[], indent: string): string {
  return nodes
    .map((node) => renderBlock(node, indent))
    .filter((block) => block !== '')
    .join('\n\n');
}

function renderBlock(node: AdfNode, indent: string): string {
  const children = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return prefixLines(renderInline(children), indent);
    case 'heading': {
      const level = Math.min(Math.max(Number(node.attrs?.['level'] ?? 2), 2), 6);
      return `${'#'.repeat(level)} ${renderInline(children).replace(/\n/g, ' ')}`;
    }
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
    case 'decisionList': {
      const startAt = Number(node.attrs?.['order'] ?? 1) || 1;
      return children
        .map((item, index) => {
          const marker =
            node.type === 'orderedList'
              ? `${startAt + index}.`
              : node.type === 'taskList'
                ? item.attrs?.['state'] === 'DONE'
                  ? '- [x]'
                  : '- [ ]'
                : '-';
          return renderListItem(item, indent, marker);
        })
        .join('\n');
    }
    case 'codeBlock':
      return prefixLines(['```', renderInline(children), '```'].join('\n'), indent);
    case 'blockquote':
      return prefixLines(renderBlocks(children, ''), indent + '> ');
    case 'panel':
    case 'expand':
    case 'nestedExpand':
    case 'layoutSection':
    case 'layoutColumn': {
      const title = typeof node.attrs?.['title'] === 'string' ? `${node.attrs['title']}\n\n` : '';
      return title + renderBlocks(children, indent);
    }
    case 'rule':
      return '';
    case 'table':
      return children
        .map(
          (row) =>
            `| ${(row.content ?? []).map((cell) => renderBlocks(cell.content ?? [], '').replace(/\n+/g, ' ')).join(' | ')} |`,
        )
        .join('\n');
    case 'mediaSingle':
    case 'mediaGroup':
    case 'media':
      return '';
    default:
      return children.length > 0 ? renderBlocks(children, indent) : renderInline([node]);
  }
}

function renderListItem(item: AdfNode, indent: string, marker: string): string {
  const [first, ...rest] = item.content ?? [];
  const inlineFirst =
    first && (first.type === 'paragraph' || first.type === 'text' || !first.content)
      ? renderInline(first.type === 'paragraph' ? (first.content ?? []) : [first])
      : '';
  const nested = (inlineFirst === '' && first ? [first, ...rest] : rest)
    .map((child) => renderBlock(child, indent + '  '))
    .filter(Boolean);
  // Task and decision items hold inline content directly.
  const inline =
    item.type === 'taskItem' || item.type === 'decisionItem' ? renderInline(item.content ?? []) : inlineFirst;
  const head = `${indent}${marker} ${inline.replace(/\n/g, ' ')}`;
  return item.type === 'taskItem' || item.type === 'decisionItem' ? head : [head, ...nested].join('\n');
}

function renderInline(nodes: readonly AdfNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text': {
          const link = node.marks?.find((mark) => mark.type === 'link')?.attrs?.['href'];
          const text = node.text ?? '';
          return typeof link === 'string' && link !== text ? `${text} (${link})` : text;
        }
        case 'hardBreak':
          return '\n';
        case 'mention': {
          const text = String(node.attrs?.['text'] ?? node.attrs?.['id'] ?? '');
          return text.startsWith('@') ? text : `@${text}`;
        }
        case 'emoji':
          return String(node.attrs?.['text'] ?? node.attrs?.['shortName'] ?? '');
        case 'inlineCard':
        case 'blockCard':
          return String(node.attrs?.['url'] ?? '');
        case 'date': {
          const timestamp = Number(node.attrs?.['timestamp']);
          return Number.isFinite(timestamp) ? new Date(timestamp).toISOString().slice(0, 10) : '';
        }
        case 'status':
          return String(node.attrs?.['text'] ?? '');
        default:
          return node.content ? renderInline(node.content) : (node.text ?? '');
      }
    })
    .join('');
}

function prefixLines(text: string, prefix: string): string {
  return prefix === ''
    ? text
    : text
        .split('\n')
        .map((line) => prefix + line)
        .join('\n');
}

/**
 * Converts Jira wiki markup (REST API v2 descriptions) to Markdown-like text: `h2.` headings,
 * `*` / `#` lists (nested by repetition), `{code}` / `{noformat}` blocks, `\\` line breaks.
 */
export function jiraWikiToText(wiki: string): string {
  let inCode = false;
  return wiki
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .flatMap((line) => {
      if (/^\s*\{(code|noformat)(:[^}]*)?\}/.test(line)) {
        inCode = !inCode;
        const rest = line
          .replace(/^\s*\{(code|noformat)(:[^}]*)?\}/, '')
          .replace(/\{(code|noformat)\}\s*$/, '');
        if (rest.trim() !== '' && inCode && /\{(code|noformat)\}\s*$/.test(line)) {
          inCode = false;
          return ['```', rest, '```'];
        }
        return rest.trim() === '' ? ['```'] : inCode ? ['```', rest] : [rest, '```'];
      }
      if (inCode) return [line];
      const heading = /^\s*h([1-6])\.\s+(.*)$/.exec(line);
      if (heading) return [`${'#'.repeat(Math.max(2, Number(heading[1])))} ${heading[2]}`];
      const list = /^\s*([*#-]+)\s+(.*)$/.exec(line);
      if (list?.[1] && list[2] !== undefined && !/^\*[^*\s].*\*$/.test(line.trim())) {
        const depth = list[1].length - 1;
        const marker = list[1].endsWith('#') ? '1.' : '-';
        return [`${'  '.repeat(depth)}${marker} ${list[2]}`];
      }
      if (/^\s*\{quote\}\s*$/.test(line)) return [];
      return [line.replace(/\\\\/g, '\n')];
    })
    .join('\n');
}

/** A Jira issue as returned by `GET /rest/api/3/issue/{key}` (or v2, or one entry of a search). */
export interface JiraIssueShape {
  key?: unknown;
  fields: Record<string, unknown>;
  names?: Record<string, unknown>;
}

export function isJiraIssue(value: unknown): value is JiraIssueShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { fields?: unknown }).fields === 'object' &&
    (value as { fields?: unknown }).fields !== null
  );
}

/** Text of a rich-text field value: ADF (v3), wiki markup (v2) or plain text. */
function fieldText(value: unknown): string {
  if (typeof value === 'string') return jiraWikiToText(value);
  if (isAdfDocument(value)) return adfToText(value);
  return '';
}

/**
 * Reads a Jira issue: summary, description (ADF or wiki markup) split into sections, and acceptance
 * criteria or out-of-scope items from custom fields whose name (from `names`, i.e. `?expand=names`)
 * says so. `names` of a search result apply to each of its issues.
 */
export function readJiraIssue(
  issue: JiraIssueShape,
  searchNames: Record<string, unknown> | undefined,
  warnings: string[],
): StoryDraft {
  const fields = issue.fields;
  const body = parseStoryBody(fieldText(fields['description']).split('\n'));
  const names = { ...searchNames, ...issue.names };
  const fieldCriteria: string[] = [];
  const fieldOutOfScope: string[] = [];
  for (const [fieldId, value] of Object.entries(fields)) {
    if (fieldId === 'description' || value === null || value === undefined) continue;
    const name = typeof names[fieldId] === 'string' ? (names[fieldId] as string) : fieldId;
    const text = fieldText(value);
    if (text.trim() === '') continue;
    if (/acceptance|criteria/i.test(name)) fieldCriteria.push(...splitListItems(text.split('\n')));
    else if (/out[\s_-]*of[\s_-]*scope|non[\s_-]*goals?/i.test(name))
      fieldOutOfScope.push(...splitListItems(text.split('\n')));
  }
  const criteria = fieldCriteria.length > 0 ? fieldCriteria : body.acceptanceCriteria;
  if (criteria.length === 0) {
    const hasCustomRichText = Object.entries(fields).some(
      ([fieldId, value]) =>
        fieldId.startsWith('customfield_') &&
        !names[fieldId] &&
        (isAdfDocument(value) || typeof value === 'string'),
    );
    if (hasCustomRichText) {
      warnings.push(
        `Jira issue ${String(issue.key ?? '')} has no "Acceptance Criteria" section in its description, and its custom fields have no names. If the criteria live in a custom field, fetch the issue with ?expand=names so that field can be recognised.`,
      );
    }
  }
  return {
    key: typeof issue.key === 'string' ? issue.key : undefined,
    summary: typeof fields['summary'] === 'string' ? fields['summary'] : undefined,
    description: body.description,
    acceptanceCriteria: criteria,
    outOfScope: [...body.outOfScope, ...fieldOutOfScope],
    notes: body.notes,
  };
}
