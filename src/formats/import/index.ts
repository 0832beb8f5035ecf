export { maxStoryInputBytes, parseStoryText } from './parse-story-text.ts';
export type { ParseStoryTextOptions, StoryInputKind, StoryTextResult } from './parse-story-text.ts';
export { parseStoriesCsv } from './csv.ts';
export type { CsvColumnMapping, CsvStories, CsvStoriesOptions } from './csv.ts';
export { adfToText, jiraWikiToText } from './jira.ts';
export type { AdfNode } from './jira.ts';
export { MAX_STORY_CSV_BYTES, MAX_STORY_INPUT_BYTES } from './input-text.ts';
export { diffStories, storyContentHash, textSimilarity } from './story-changes.ts';
export type { CriterionChange, StoryDiff } from './story-changes.ts';
