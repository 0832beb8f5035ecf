import { createHash } from 'node:crypto';
import {
  storyKeyProblem,
  type AcceptanceCriterion,
  type Story,
  type StorySourceKind,
} from '../../core/model.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import type { Result } from '../../shared/result.ts';
import { err, ok } from '../../shared/result.ts';

/** A story as read from a source, before ids, key and defaults are settled. */
export interface StoryDraft {
  key?: string | undefined;
  summary?: string | undefined;
  description?: string | undefined;
  acceptanceCriteria?: string[] | undefined;
  outOfScope?: string[] | undefined;
  notes?: string[] | undefined;
}

/** Tracker keys as Jira writes them: `SHOP-12`, `ABC_2-7`. */
export const ISSUE_KEY_PATTERN = /^[A-Z][A-Z0-9_]*-\d+$/;

/**
 * Settles a draft into a `Story`: trims text, numbers the criteria AC-1… in order, and derives a key
 * from the summary when there is none (reported in `warnings`). `where` names the story in messages.
 */
export function buildStory(
  draft: StoryDraft,
  source: StorySourceKind,
  where: string,
  warnings: string[],
): Result<Story, InvalidInputError> {
  const summary = collapseWhitespace(draft.summary ?? '');
  if (summary === '') {
    return err(
      new InvalidInputError(`${where} has no summary.`, {
        fix: 'Start the story with a title line, e.g. "# SHOP-1: Customer pays by card" (Markdown) or a "summary" field (JSON).',
      }),
    );
  }
  const criteria: AcceptanceCriterion[] = cleanList(draft.acceptanceCriteria).map((text, index) => ({
    id: `AC-${index + 1}`,
    text,
  }));
  let key = collapseWhitespace(draft.key ?? '');
  if (key.length > 100) key = key.slice(0, 100);
  if (key === '') {
    key = deriveStoryKey(summary);
    warnings.push(
      `${where} ("${truncate(summary, 60)}") has no key; using ${key}, derived from its summary. Give it a key (e.g. "# SHOP-1: …") to keep it stable when the summary changes.`,
    );
  }
  const keyProblem = storyKeyProblem(key);
  if (keyProblem) {
    return err(
      new InvalidInputError(
        `${where} has the story key ${JSON.stringify(key)}, which cannot be used: ${keyProblem}. A story key is part of web addresses (…/stories/KEY).`,
        {
          fix: 'Give the story a key such as SHOP-12: not "." or "..", and without "/", "\\" or control characters.',
        },
      ),
    );
  }
  return ok({
    key,
    summary: truncate(summary, 500),
    description: (draft.description ?? '').replace(/\n{3,}/g, '\n\n').trim(),
    acceptanceCriteria: criteria,
    outOfScope: cleanList(draft.outOfScope),
    notes: cleanList(draft.notes),
    source,
  });
}

/** `STORY-` followed by the first 8 hex digits of the summary's SHA-256: stable for the same summary. */
export function deriveStoryKey(summary: string): string {
  const digest = createHash('sha256').update(collapseWhitespace(summary).toLowerCase()).digest('hex');
  return `STORY-${digest.slice(0, 8).toUpperCase()}`;
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cleanList(items: string[] | undefined): string[] {
  return (items ?? [])
    .map((item) =>
      item
        .replace(/[ \t]+/g, ' ')
        .replace(/\s*\n\s*/g, '\n')
        .trim(),
    )
    .filter(Boolean);
}

export function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
