import type { z } from 'zod';
import { CaseQualitySchema, type TestCaseRecord } from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';

/** A stored case's quality score (0–100) and the findings about it, each with its fix. */
export const TestCaseQualitySchema = CaseQualitySchema.pick({ score: true, findings: true });
export type TestCaseQuality = z.infer<typeof TestCaseQualitySchema>;

/**
 * The quality of each case in `records`, by case id, as stored: storage scores a story's cases
 * whenever one of them or the story changes (`scoreStoredCases`: draft and accepted cases together
 * as the story page scores them, a rejected case on its own). Stories whose stored scores are
 * missing or from another scorer (the quality rules changed since) are scored again first.
 *
 * @example
 * const quality = await qualityOfCases(storage, records);
 * quality.get(record.id) // { score: 75, findings: [{ rule: 'broken-text', … }] }
 */
export async function qualityOfCases(
  storage: Storage,
  records: readonly TestCaseRecord[],
): Promise<Map<string, TestCaseQuality>> {
  if (records.length === 0) return new Map();
  await storage.testCases.refreshQuality({ storyIds: [...new Set(records.map((record) => record.storyId))] });
  return storage.testCases.storedQuality(records.map((record) => record.id));
}
