import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Story } from '../core/index.ts';
import { parseStoryText } from '../formats/index.ts';
import { InvalidInputError } from '../shared/errors.ts';
import type { AppSettings } from './settings.ts';

/** Story files a folder may hold, by extension. */
const STORY_FILE = /\.(?:md|markdown|json|csv|feature|txt)$/i;

/**
 * The stories of a story file, or of every story file in a folder (sorted by name, not recursive).
 * Notices about how the files were read go to `notices`.
 *
 * @example
 * readStoriesFrom('stories/', settings, notices) // every story of stories/*.md, *.json, …
 */
export function readStoriesFrom(path: string, settings: AppSettings, notices: string[]): Story[] {
  const full = resolve(settings.cwd, path);
  let isFolder: boolean;
  try {
    isFolder = statSync(full).isDirectory();
  } catch (cause) {
    throw new InvalidInputError(`Cannot read ${path}: it does not exist.`, {
      fix: 'Check the path (relative paths start from the current directory).',
      cause,
    });
  }
  const files = isFolder
    ? readdirSync(full)
        .filter((name) => STORY_FILE.test(name))
        .sort()
        .map((name) => join(full, name))
    : [full];
  if (files.length === 0) {
    throw new InvalidInputError(`The folder ${path} holds no story file.`, {
      fix: 'Put stories there as .md, .json, .csv, .feature or .txt files, or give one file.',
    });
  }
  const stories: Story[] = [];
  for (const file of files) {
    const parsed = parseStoryText(readFileSync(file), { fileName: file });
    if (!parsed.ok) throw parsed.error;
    notices.push(...parsed.warnings);
    stories.push(...parsed.value);
  }
  return stories;
}
