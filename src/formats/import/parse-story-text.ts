import type { Story, StorySourceKind } from '../../core/model.ts';
import type { InvalidInputError } from '../../shared/errors.ts';
import { InvalidInputError as InvalidInput } from '../../shared/errors.ts';
import { err } from '../../shared/result.ts';
import { parseStoriesCsv } from './csv.ts';
import { readFeatureStory } from './feature.ts';
import { decodeStoryInput, MAX_STORY_CSV_BYTES, MAX_STORY_INPUT_BYTES } from './input-text.ts';
import { readJsonStories } from './json.ts';
import { readMarkdownStories, readPlainTextStory } from './markdown.ts';
import type { StoryDraft } from './story-builder.ts';
import { buildStory } from './story-builder.ts';

/** The kinds of story input Reqase Lite reads. */
export type StoryInputKind = 'markdown' | 'json' | 'jira' | 'text' | 'csv' | 'feature';

export interface ParseStoryTextOptions {
  /** The file's name; its extension (`.md`, `.json`, `.csv`, `.feature`, `.txt`) decides the kind. */
  fileName?: string;
  /** Forces the kind; otherwise it comes from `fileName`, then from the content. */
  formatHint?: StoryInputKind;
}

/**
 * The stories read, or why none could be. Assignable to `Result<Story[], InvalidInputError>`; on
 * success it also says which kind was read and what was assumed (e.g. keys derived from summaries).
 */
export type StoryTextResult =
  | { ok: true; value: Story[]; kind: StoryInputKind; warnings: string[] }
  | { ok: false; error: InvalidInputError };

/**
 * Reads one or more user stories from a file's content: Markdown, JSON, a Jira issue or search
 * result (REST API v3 with Atlassian Document Format, or v2 wiki markup), CSV, a Gherkin `.feature`
 * file, or plain text. Criteria get ids AC-1… in order. Input is only ever read as text.
 *
 * @example
 * const result = parseStoryText('# SHOP-1: Pay by card\n\n## Acceptance Criteria\n- Visa is accepted');
 * if (result.ok) console.log(result.value[0].acceptanceCriteria); // [{ id: 'AC-1', text: 'Visa is accepted' }]
 */
export function parseStoryText(
  content: string | Uint8Array,
  options: ParseStoryTextOptions = {},
): StoryTextResult {
  if ((options.formatHint ?? kindFromFileName(options.fileName)) === 'csv') {
    // A backlog export may be larger than one story file: the CSV reader has its own size limit.
    const csv = parseStoriesCsv(content);
    return csv.ok ? { ok: true, value: csv.value.stories, kind: 'csv', warnings: csv.value.warnings } : csv;
  }
  const decoded = decodeStoryInput(content, {
    label: options.fileName ? `The file ${options.fileName}` : 'The story input',
  });
  if (!decoded.ok) return decoded;
  const text = decoded.value;
  const kind = options.formatHint ?? kindFromFileName(options.fileName) ?? kindFromContent(text);
  const warnings: string[] = [];

  if (kind === 'csv') {
    const csv = parseStoriesCsv(text);
    return csv.ok ? { ok: true, value: csv.value.stories, kind, warnings: csv.value.warnings } : csv;
  }

  let drafts: StoryDraft[];
  let sourceKind: StorySourceKind;
  let readKind: StoryInputKind = kind;
  if (kind === 'json' || kind === 'jira') {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (cause) {
      return err(
        new InvalidInput(
          `The story JSON is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}.`,
          {
            fix: 'Check the position named above (a missing comma or quote is the usual cause), or import the story as Markdown.',
            cause,
          },
        ),
      );
    }
    const read = readJsonStories(document, warnings);
    if (!read.ok) return read;
    drafts = read.value.drafts;
    readKind = read.value.kind;
    sourceKind = read.value.kind;
  } else if (kind === 'feature') {
    const read = readFeatureStory(text);
    if (!read.ok) return read;
    drafts = [read.value];
    // The stored source kinds have no `feature`; a Gherkin file is text the user wrote.
    sourceKind = 'text';
  } else if (kind === 'markdown') {
    drafts = readMarkdownStories(text, warnings);
    sourceKind = 'markdown';
  } else {
    drafts = [readPlainTextStory(text)];
    sourceKind = 'text';
  }

  const stories: Story[] = [];
  for (const [index, draft] of drafts.entries()) {
    const where = drafts.length === 1 ? 'The story' : `Story ${index + 1}`;
    const built = buildStory(draft, sourceKind, where, warnings);
    if (!built.ok) return built;
    stories.push(built.value);
  }
  for (const story of stories) {
    if (story.acceptanceCriteria.length === 0) {
      warnings.push(
        `Story ${story.key} has no acceptance criteria. Add an "Acceptance Criteria" section (one item per line) so coverage can be checked.`,
      );
    }
  }
  return { ok: true, value: stories, kind: readKind, warnings };
}

/**
 * Largest story input `parseStoryText` accepts for this file name, so a caller can stop reading there.
 *
 * @example
 * maxStoryInputBytes('backlog.csv'); // 50 MB
 * maxStoryInputBytes('story.md'); // 5 MB
 */
export function maxStoryInputBytes(fileName: string | undefined, options: { csv?: boolean } = {}): number {
  return options.csv || kindFromFileName(fileName) === 'csv' ? MAX_STORY_CSV_BYTES : MAX_STORY_INPUT_BYTES;
}

function kindFromFileName(fileName: string | undefined): StoryInputKind | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  switch (extension) {
    case 'md':
    case 'markdown':
      return 'markdown';
    case 'json':
      return 'json';
    case 'csv':
    case 'tsv':
      return 'csv';
    case 'feature':
      return 'feature';
    case 'txt':
    case 'text':
      return 'text';
    default:
      return undefined;
  }
}

function kindFromContent(text: string): StoryInputKind {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'json';
  const meaningful = trimmed
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#') && !line.trim().startsWith('@'));
  const firstLine = trimmed.split('\n')[0] ?? '';
  if (
    /^(Feature|Fonctionnalité|Funktionalität|Característica|Funcionalidade|Функционал)\s*:/i.test(
      meaningful[0]?.trim() ?? '',
    )
  ) {
    return 'feature';
  }
  if (/^#{1,6}\s+\S/m.test(trimmed)) return 'markdown';
  if (/(^|[,;\t])\s*"?(summary|title|issue key)"?\s*([,;\t]|$)/i.test(firstLine) && /[,;\t]/.test(firstLine))
    return 'csv';
  return 'text';
}
