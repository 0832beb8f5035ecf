import type { Story, StorySourceKind } from '../../core/model.ts';
import type { InvalidInputError } from '../../shared/errors.ts';
import { InvalidInputError as InvalidInput } from '../../shared/errors.ts';
import type { Result } from '../../shared/result.ts';
import { err } from '../../shared/result.ts';
import { decodeStoryInput, MAX_STORY_CSV_BYTES, MAX_STORY_INPUT_BYTES } from './input-text.ts';
import { readJsonStories } from './json.ts';
import { readMarkdownStories, readPlainTextStory } from './markdown.ts';
import type { StoryDraft } from './story-builder.ts';
import { buildStory } from './story-builder.ts';

// The story readers that need no parser package: Markdown, JSON, Jira and plain text, and how the
// kind of an input is told. CSV (csv-parse) and `.feature` files (@cucumber/gherkin) are read in
// parse-story-text.ts, which read-story-text.ts loads only for those kinds.

/** The kinds of story input Reqase Lite reads. */
export type StoryInputKind = 'markdown' | 'json' | 'jira' | 'text' | 'csv' | 'feature';

/** The kinds read here, without a parser package. */
export type DocumentStoryKind = Exclude<StoryInputKind, 'csv' | 'feature'>;

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

/** The kind the options name (hint first, then the file's extension), before the content is read. */
export function kindFromOptions(options: ParseStoryTextOptions): StoryInputKind | undefined {
  return options.formatHint ?? kindFromFileName(options.fileName);
}

/** The input as text, or why it is not text. */
export function decodeStoryText(
  content: string | Uint8Array,
  options: ParseStoryTextOptions,
): Result<string, InvalidInputError> {
  return decodeStoryInput(content, {
    label: options.fileName ? `The file ${options.fileName}` : 'The story input',
  });
}

/** Stories from a Markdown, JSON, Jira or plain-text document (already decoded). */
export function readDocumentStories(text: string, kind: DocumentStoryKind): StoryTextResult {
  const warnings: string[] = [];
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
    return builtStories(read.value.drafts, read.value.kind, read.value.kind, warnings);
  }
  if (kind === 'markdown')
    return builtStories(readMarkdownStories(text, warnings), 'markdown', kind, warnings);
  return builtStories([readPlainTextStory(text)], 'text', kind, warnings);
}

/** Drafts checked and built into stories; a story without criteria adds a warning. */
export function builtStories(
  drafts: StoryDraft[],
  sourceKind: StorySourceKind,
  readKind: StoryInputKind,
  warnings: string[],
): StoryTextResult {
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

/** The kind of a decoded input that neither a hint nor a file name gave. */
export function kindFromContent(text: string): StoryInputKind {
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
