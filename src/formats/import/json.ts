import { InvalidInputError } from '../../shared/errors.ts';
import type { Result } from '../../shared/result.ts';
import { err, ok } from '../../shared/result.ts';
import { isJiraIssue, readJiraIssue } from './jira.ts';
import type { StoryDraft } from './story-builder.ts';
import { splitListItems } from './story-sections.ts';

export interface JsonStoryDrafts {
  drafts: StoryDraft[];
  /** `jira` when the document was a Jira issue or search result. */
  kind: 'json' | 'jira';
}

/**
 * Reads stories from parsed JSON: `{ key, summary, description, acceptanceCriteria }` (or an array of
 * them, or `{ stories: [...] }`), a Jira issue `{ key, fields }`, or a Jira search result `{ issues }`.
 */
export function readJsonStories(
  document: unknown,
  warnings: string[],
): Result<JsonStoryDrafts, InvalidInputError> {
  if (isRecord(document) && Array.isArray(document['issues'])) {
    const names = isRecord(document['names']) ? document['names'] : undefined;
    const drafts: StoryDraft[] = [];
    for (const [index, issue] of document['issues'].entries()) {
      if (!isJiraIssue(issue))
        return err(wrongShape(`issues[${index}]`, 'fields', 'a Jira issue with "key" and "fields"'));
      drafts.push(readJiraIssue(issue, names, warnings));
    }
    if (drafts.length === 0) {
      return err(
        new InvalidInputError('The Jira search result has no issues ("issues" is empty).', {
          fix: 'Check the JQL of the export: it matched nothing.',
        }),
      );
    }
    return ok({ drafts, kind: 'jira' });
  }
  if (isJiraIssue(document))
    return ok({ drafts: [readJiraIssue(document, undefined, warnings)], kind: 'jira' });
  const list = Array.isArray(document)
    ? document
    : isRecord(document) && Array.isArray(document['stories'])
      ? document['stories']
      : [document];
  const drafts: StoryDraft[] = [];
  let kind: 'json' | 'jira' = 'json';
  for (const [index, item] of list.entries()) {
    const where = Array.isArray(document)
      ? `[${index}]`
      : list === document
        ? 'the document'
        : `stories[${index}]`;
    if (isJiraIssue(item)) {
      drafts.push(readJiraIssue(item, undefined, warnings));
      kind = 'jira';
      continue;
    }
    const draft = readPlainJsonStory(item, where);
    if (!draft.ok) return draft;
    drafts.push(draft.value);
  }
  if (drafts.length === 0) {
    return err(
      new InvalidInputError('The JSON array is empty: it holds no story.', {
        fix: 'Give at least one story: [{ "key": "SHOP-1", "summary": "…", "acceptanceCriteria": ["…"] }].',
      }),
    );
  }
  return ok({ drafts, kind });
}

function readPlainJsonStory(item: unknown, where: string): Result<StoryDraft, InvalidInputError> {
  if (!isRecord(item)) {
    return err(wrongShape(where, 'summary', 'an object'));
  }
  const summary = firstString(item, ['summary', 'title', 'name']);
  if (summary === undefined) {
    return err(wrongShape(where, 'summary', 'an object with a "summary" string'));
  }
  const criteria = readTextList(
    item['acceptanceCriteria'] ?? item['acceptance_criteria'] ?? item['criteria'],
  );
  if (!criteria.ok) return err(fieldTypeError(where, 'acceptanceCriteria'));
  const outOfScope = readTextList(item['outOfScope'] ?? item['out_of_scope']);
  if (!outOfScope.ok) return err(fieldTypeError(where, 'outOfScope'));
  const notes = readTextList(item['notes']);
  if (!notes.ok) return err(fieldTypeError(where, 'notes'));
  const key = item['key'] ?? item['id'];
  return ok({
    key: typeof key === 'string' || typeof key === 'number' ? String(key) : undefined,
    summary,
    description: typeof item['description'] === 'string' ? item['description'] : undefined,
    acceptanceCriteria: criteria.value,
    outOfScope: outOfScope.value,
    notes: notes.value,
  });
}

/** A list given as an array of strings or `{ text }` objects, or as one string with a line per item. */
function readTextList(value: unknown): { ok: true; value: string[] } | { ok: false } {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (typeof value === 'string') return { ok: true, value: splitListItems(value.split(/\r?\n/)) };
  if (!Array.isArray(value)) return { ok: false };
  const items: string[] = [];
  for (const entry of value) {
    if (typeof entry === 'string') items.push(entry);
    else if (isRecord(entry) && typeof (entry['text'] ?? entry['description']) === 'string') {
      items.push(String(entry['text'] ?? entry['description']));
    } else return { ok: false };
  }
  return { ok: true, value: items };
}

function firstString(record: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

function wrongShape(where: string, field: string, expected: string): InvalidInputError {
  return new InvalidInputError(
    `The JSON story at ${where} is missing the "${field}" field (expected ${expected}).`,
    {
      fix: 'Use { "key": "SHOP-1", "summary": "…", "description": "…", "acceptanceCriteria": ["…"] }, an array of those, or a Jira issue / search result as the Jira REST API returns it.',
    },
  );
}

function fieldTypeError(where: string, field: string): InvalidInputError {
  return new InvalidInputError(
    `The JSON story at ${where} has a "${field}" that is neither a list nor text.`,
    {
      fix: `Give "${field}" as an array of strings (["…", "…"]) or as one string with a line per item.`,
    },
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
