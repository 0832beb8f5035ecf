import type { z } from 'zod';
import {
  CaseQualitySchema,
  assessQuality,
  assessSingleCase,
  type StoryRecord,
  type TestCaseRecord,
} from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';
import { domainStory, domainTestCase } from './context.ts';

/** A stored case's quality score (0–100) and the findings about it, each with its fix. */
export const TestCaseQualitySchema = CaseQualitySchema.pick({ score: true, findings: true });
export type TestCaseQuality = z.infer<typeof TestCaseQualitySchema>;

/**
 * The quality of each case in `records`, by case id. Each story is scored once, over all its draft
 * and accepted cases (as the story page scores it), so set-level rules such as near-duplicates see
 * the whole story and a case's score matches the story page's. A rejected case is scored on its own
 * with the rules that read one case at a time.
 *
 * Computed on read (a story takes about 2 ms): always up to date with the latest edit, no column.
 *
 * @example
 * const quality = await qualityOfCases(storage, records, stories);
 * quality.get(record.id) // { score: 75, findings: [{ rule: 'broken-text', … }] }
 */
export async function qualityOfCases(
  storage: Storage,
  records: readonly TestCaseRecord[],
  stories: ReadonlyMap<string, StoryRecord>,
): Promise<Map<string, TestCaseQuality>> {
  const storyIds = [...new Set(records.map((record) => record.storyId))].filter((id) => stories.has(id));
  const live =
    storyIds.length === 0 ? [] : await storage.testCases.list({ storyIds, status: ['draft', 'accepted'] });
  const liveByStory = new Map<string, TestCaseRecord[]>();
  for (const record of live) {
    const cases = liveByStory.get(record.storyId);
    if (cases) cases.push(record);
    else liveByStory.set(record.storyId, [record]);
  }
  const byDisplayId = new Map<string, TestCaseQuality>();
  for (const storyId of storyIds) {
    const cases = liveByStory.get(storyId) ?? [];
    const story = domainStory(stories.get(storyId) as StoryRecord);
    const quality = assessQuality(cases.map(domainTestCase), { story });
    for (const caseQuality of quality.cases) {
      byDisplayId.set(`${storyId}\u0000${caseQuality.testCaseId}`, {
        score: caseQuality.score,
        findings: caseQuality.findings,
      });
    }
  }
  const result = new Map<string, TestCaseQuality>();
  for (const record of records) {
    const scored = byDisplayId.get(`${record.storyId}\u0000${record.displayId}`);
    const story = stories.get(record.storyId);
    if (scored && record.status !== 'rejected') result.set(record.id, scored);
    else if (story) {
      const { score, findings } = assessSingleCase(domainTestCase(record), { story: domainStory(story) });
      result.set(record.id, { score, findings });
    }
  }
  return result;
}
