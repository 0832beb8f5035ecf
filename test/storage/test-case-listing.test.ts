import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  TestCaseFilter,
  TestCaseListPosition,
  TestCaseRecord,
  TestCaseSort,
} from '../../src/core/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  seedProjectAndStory,
  testCaseContent,
  type TestDatabase,
} from './storage-setup.ts';

/** The keyset position after `last`: the sort column's value unless the list is sorted by key. */
function positionOf(last: TestCaseRecord, sort: TestCaseSort): TestCaseListPosition {
  const position = { storyKey: '', caseNumber: last.caseNumber, id: last.id };
  if (sort.by === 'key') return position;
  return { ...position, value: sort.by === 'updatedAt' ? last.updatedAt : last[sort.by] };
}

/** Every page of a list, asked page by page with keyset positions (as the review table does). */
async function keysetPages(storage: Storage, filter: TestCaseFilter, pageSize: number, sort: TestCaseSort) {
  const seen: TestCaseRecord[] = [];
  for (;;) {
    const last = seen.at(-1);
    const page = await storage.testCases.list({
      ...filter,
      sort,
      limit: pageSize,
      ...(last ? { after: positionOf(last, sort) } : {}),
    });
    seen.push(...page);
    if (page.length < pageSize) return seen;
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('the review list of test cases', dialect), () => {
    let testDatabase: TestDatabase;
    let storage: Storage;
    let projectId: string;
    let storyId: string;

    beforeEach(async () => {
      testDatabase = await createTestDatabase(dialect);
      storage = (await testDatabase.open()).storage;
      const seeded = await seedProjectAndStory(storage);
      projectId = seeded.project.id;
      storyId = seeded.story.id;
      const kinds = ['positive', 'negative', 'boundary'] as const;
      await storage.testCases.insertMany(
        Array.from({ length: 12 }, (_, index) => ({
          projectId,
          storyId,
          ...testCaseContent(`Case ${String.fromCharCode(76 - index)} pays`),
          kind: kinds[index % 3]!,
          priority: index % 2 ? 'low' : 'high',
          engine: index % 4 === 0 ? ('rules' as const) : ('llm' as const),
          ...(index === 5
            ? { steps: [{ action: 'Enter the code 50%_OFF', expected: 'A discount of HALF is shown' }] }
            : {}),
        })),
      );
    });
    afterEach(async () => {
      await testDatabase.dispose();
    });

    it('filters by kind, priority and engine, and counts the same cases it lists', async () => {
      const filter: TestCaseFilter = { projectId, kinds: ['negative', 'boundary'], priorities: ['low'] };
      const listed = await storage.testCases.list(filter);
      // Cases 2, 6, 8 and 12, in case-number order.
      expect(listed.map((testCase) => [testCase.caseNumber, testCase.kind, testCase.priority])).toEqual([
        [2, 'negative', 'low'],
        [6, 'boundary', 'low'],
        [8, 'negative', 'low'],
        [12, 'boundary', 'low'],
      ]);
      expect(await storage.testCases.count(filter)).toBe(listed.length);
      expect(await storage.testCases.count({ projectId, engines: ['rules'] })).toBe(3);
      expect(await storage.testCases.list({ projectId, kinds: [] })).toEqual([]);
    });

    it('searches the title and the steps case-insensitively, taking % and _ literally', async () => {
      const byTitle = await storage.testCases.list({ projectId, search: 'case c PAYS' });
      expect(byTitle.map((testCase) => testCase.title)).toEqual(['Case C pays']);
      const bySteps = await storage.testCases.list({ storyId, search: 'half' });
      expect(bySteps.map((testCase) => testCase.caseNumber)).toEqual([6]);
      expect(await storage.testCases.count({ projectId, search: '50%_off' })).toBe(1);
      expect(await storage.testCases.count({ projectId, search: '0%O' })).toBe(0);
    });

    it('sorts by a column either way and pages through it by keyset without gaps or repeats', async () => {
      const byTitle = await storage.testCases.list({ projectId, sort: { by: 'title', order: 'asc' } });
      expect(byTitle.map((testCase) => testCase.title)).toEqual(
        byTitle.map((testCase) => testCase.title).sort(),
      );
      for (const sort of [
        { by: 'title', order: 'desc' },
        { by: 'kind', order: 'asc' },
        { by: 'priority', order: 'desc' },
        { by: 'key', order: 'desc' },
        { by: 'engine', order: 'asc' },
      ] as const) {
        const whole = await storage.testCases.list({ projectId, sort });
        const paged = await keysetPages(storage, { storyId }, 5, sort);
        expect(
          paged.map((testCase) => testCase.id),
          `${sort.by} ${sort.order}`,
        ).toEqual(whole.map((testCase) => testCase.id));
      }
      const descendingKeys = await storage.testCases.list({ storyId, sort: { by: 'key', order: 'desc' } });
      expect(descendingKeys.map((testCase) => testCase.caseNumber)).toEqual(
        Array.from({ length: 12 }, (_, index) => 12 - index),
      );
    });
  });
}
