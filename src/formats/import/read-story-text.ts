import {
  decodeStoryText,
  kindFromContent,
  kindFromOptions,
  readDocumentStories,
  type ParseStoryTextOptions,
  type StoryTextResult,
} from './story-text.ts';

/**
 * `parseStoryText`'s answer, with the CSV and Gherkin parsers (csv-parse, @cucumber/gherkin)
 * loaded only when the input is CSV or a `.feature` file: a Markdown story loads neither.
 *
 * @example
 * const result = await readStoryText(await readFile('login.md'), { fileName: 'login.md' });
 */
export async function readStoryText(
  content: string | Uint8Array,
  options: ParseStoryTextOptions = {},
): Promise<StoryTextResult> {
  const named = kindFromOptions(options);
  if (named === 'csv' || named === 'feature') return parsedWithParsers(content, options);
  const decoded = decodeStoryText(content, options);
  if (!decoded.ok) return decoded;
  const kind = named ?? kindFromContent(decoded.value);
  if (kind === 'csv' || kind === 'feature') return parsedWithParsers(content, options);
  return readDocumentStories(decoded.value, kind);
}

async function parsedWithParsers(
  content: string | Uint8Array,
  options: ParseStoryTextOptions,
): Promise<StoryTextResult> {
  const { parseStoryText } = await import('./parse-story-text.ts');
  return parseStoryText(content, options);
}
