import { parseStoriesCsv } from './csv.ts';
import { readFeatureStory } from './feature.ts';
import {
  builtStories,
  decodeStoryText,
  kindFromContent,
  kindFromOptions,
  readDocumentStories,
  type ParseStoryTextOptions,
  type StoryTextResult,
} from './story-text.ts';

export { maxStoryInputBytes } from './story-text.ts';
export type { ParseStoryTextOptions, StoryInputKind, StoryTextResult } from './story-text.ts';

/**
 * Reads one or more user stories from a file's content: Markdown, JSON, a Jira issue or search
 * result (REST API v3 with Atlassian Document Format, or v2 wiki markup), CSV, a Gherkin `.feature`
 * file, or plain text. Criteria get ids AC-1… in order. Input is only ever read as text.
 * This module loads the CSV and Gherkin parsers; `readStoryText` (read-story-text.ts) gives the
 * same answer and loads them only for those kinds.
 *
 * @example
 * const result = parseStoryText('# SHOP-1: Pay by card\n\n## Acceptance Criteria\n- Visa is accepted');
 * if (result.ok) console.log(result.value[0].acceptanceCriteria); // [{ id: 'AC-1', text: 'Visa is accepted' }]
 */
export function parseStoryText(
  content: string | Uint8Array,
  options: ParseStoryTextOptions = {},
): StoryTextResult {
  if (kindFromOptions(options) === 'csv') {
    // A backlog export may be larger than one story file: the CSV reader has its own size limit.
    const csv = parseStoriesCsv(content);
    return csv.ok ? { ok: true, value: csv.value.stories, kind: 'csv', warnings: csv.value.warnings } : csv;
  }
  const decoded = decodeStoryText(content, options);
  if (!decoded.ok) return decoded;
  const text = decoded.value;
  const kind = kindFromOptions(options) ?? kindFromContent(text);
  if (kind === 'csv') {
    const csv = parseStoriesCsv(text);
    return csv.ok ? { ok: true, value: csv.value.stories, kind, warnings: csv.value.warnings } : csv;
  }
  if (kind === 'feature') {
    const read = readFeatureStory(text);
    if (!read.ok) return read;
    // The stored source kinds have no `feature`; a Gherkin file is text the user wrote.
    return builtStories([read.value], 'text', kind, []);
  }
  return readDocumentStories(text, kind);
}
