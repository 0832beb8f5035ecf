/**
 * Stored quality and the review log on SQLite and PostgreSQL: the stored score equals a fresh
 * scoring after every kind of write, a changed scorer is caught up by a refresh, each review
 * action writes one event in its own transaction, the dashboard counts progress from the log,
 * and migration 0008's backfill gives the same scores and events as the write path.
 */
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDashboardService } from '../../src/app/index.ts';
import { scoreStoredCases, type TestCaseRecord } from '../../src/core/index.ts';
import { withoutKeptFacts } from '../../src/core/quality/story-facts.ts';
import type { Storage } from '../../src/storage/index.ts';
import { down, up } from '../../src/storage/migrations/0008-review-events-and-scores.ts';
import type { DatabaseSchema } from '../../src/storage/schema.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  seedProjectAndStory,
  testCaseContent,
  type TestDatabase,
} from './storage-setup.ts';
import { domainTestCase } from '../../src/app/workspace/context.ts';

/** A stored case as the quality scorer takes it, as the product's rescoring builds it. */
function scorable(record: TestCaseRecord) {
  return { id: record.id, status: record.status, testCase: domainTestCase(record) };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('stored quality and review log', dialect), () => {
    let testDatabase: TestDatabase;
    let storage: Storage;
    let database: Kysely<DatabaseSchema>;
    let projectId: string;
    let storyId: string;
    let now: Date;

    beforeEach(async () => {
      now = new Date('2026-11-20T09:00:00.000Z');
      testDatabase = await createTestDatabase(dialect);
      ({ storage, database } = await testDatabase.open({ clock: () => now }));
      const seeded = await seedProjectAndStory(storage);
      projectId = seeded.project.id;
      storyId = seeded.story.id;
    });
    afterEach(async () => {
      await testDatabase.dispose();
    });

    const twoSteps = [
      { action: 'Open the checkout page with one item in the cart', expected: 'The total is shown' },
      { action: 'Pay with card 4111 1111 1111 1111', expected: 'The page shows "Order confirmed"' },
    ];

    /** Three cases; the second repeats the first one's steps (a duplicate-steps finding on it). */
    async function seedCases() {
      return storage.testCases.insertMany([
        { projectId, storyId, ...testCaseContent('Pay by card', ['AC-1']), steps: twoSteps },
        { projectId, storyId, ...testCaseContent('Pay by card again', ['AC-1']), steps: twoSteps },
        {
          projectId,
          storyId,
          ...testCaseContent('Declined card', ['AC-2']),
          kind: 'negative',
          steps: [
            { action: 'Pay with card 4000 0000 0000 0002', expected: 'The message "Card declined" appears' },
          ],
        },
      ]);
    }

    /** What every quality read does (the app's `qualityOfCases`): score stale stories, then read. */
    async function expectStoredEqualsFresh() {
      await storage.testCases.refreshQuality({ storyIds: [storyId] });
      const story = (await storage.stories.get(storyId))!;
      const records = await storage.testCases.list({ storyId });
      // A scoring from scratch, without the story facts and case findings the writes' rescoring kept.
      const fresh = withoutKeptFacts(() => scoreStoredCases(story, records.map(scorable)));
      const stored = await storage.testCases.storedQuality(records.map((record) => record.id));
      expect(stored).toEqual(fresh);
      return stored;
    }

    it('keeps the stored score equal to a fresh scoring after insert, edit, restore, regenerate, review and story change', async () => {
      const [first, second, third] = await seedCases();
      // Storing new cases scores nothing: the story is stale until its next quality read.
      expect(await storage.testCases.storedQuality([first!.id, second!.id, third!.id])).toEqual(new Map());
      const initial = await expectStoredEqualsFresh();
      const rulesOf = (stored: typeof initial, id: string) =>
        stored.get(id)!.findings.map((finding) => finding.rule);
      expect(rulesOf(initial, second!.id)).toContain('duplicate-steps');

      // Editing the first case changes the second one's score: it no longer repeats the first.
      await storage.testCases.updateContent(first!.id, {
        ...testCaseContent('Pay by card on a phone'),
        steps: [
          { action: 'Pay with a valid card on a phone', expected: 'The phone shows "Order confirmed"' },
        ],
      });
      const edited = await expectStoredEqualsFresh();
      expect(rulesOf(edited, second!.id)).not.toContain('duplicate-steps');
      expect(edited.get(second!.id)!.score).toBeGreaterThan(initial.get(second!.id)!.score);

      const history = await storage.testCases.history(first!.id);
      await storage.testCases.updateContent(first!.id, history[0]!.content, { reviewAction: 'restored' });
      expect((await expectStoredEqualsFresh()).get(second!.id)).toEqual(initial.get(second!.id));

      await storage.testCases.updateContent(
        third!.id,
        {
          ...testCaseContent('Declined card, regenerated', ['AC-2']),
          steps: [{ action: 'Pay', expected: 'as expected' }],
        },
        { reviewAction: 'regenerated' },
      );
      await expectStoredEqualsFresh();

      // A rejected case leaves the story's set: the other one no longer repeats it.
      await storage.testCases.setStatus(first!.id, 'rejected');
      const reviewed = await expectStoredEqualsFresh();
      expect(rulesOf(reviewed, second!.id)).not.toContain('duplicate-steps');

      await seedProjectAndStory(storage); // the same story saved again
      const story = (await storage.stories.get(storyId))!;
      await storage.stories.save(projectId, {
        ...story,
        acceptanceCriteria: [{ id: 'AC-1', text: 'Card payments are accepted' }],
      });
      await expectStoredEqualsFresh();

      await storage.testCases.remove(third!.id);
      await expectStoredEqualsFresh();
    });

    it('keeps the stored scores equal to a fresh scoring when a near-duplicate partner is rejected and restored', async () => {
      const [first, second] = await storage.testCases.insertMany([
        { projectId, storyId, ...testCaseContent('Pay by card', ['AC-1']), steps: twoSteps },
        {
          projectId,
          storyId,
          ...testCaseContent('Pay by card from the cart', ['AC-1']),
          steps: [
            { ...twoSteps[0]!, action: 'Open the checkout page with one item in the basket' },
            twoSteps[1]!,
          ],
        },
      ]);
      const rulesOf = (stored: Map<string, { findings: Array<{ rule: string }> }>, id: string) =>
        stored.get(id)!.findings.map((finding) => finding.rule);
      expect(rulesOf(await expectStoredEqualsFresh(), second!.id)).toContain('near-duplicate');
      // Scored again from the kept single-case findings: the set-level ones follow the status.
      await storage.testCases.setStatus(first!.id, 'rejected');
      expect(rulesOf(await expectStoredEqualsFresh(), second!.id)).not.toContain('near-duplicate');
      await storage.testCases.setStatus(first!.id, 'draft');
      expect(rulesOf(await expectStoredEqualsFresh(), second!.id)).toContain('near-duplicate');
      await storage.testCases.setStatus(second!.id, 'rejected');
      const rejected = await expectStoredEqualsFresh();
      expect(rulesOf(rejected, second!.id)).not.toContain('near-duplicate');
      await storage.testCases.setStatus(second!.id, 'accepted');
      expect(rulesOf(await expectStoredEqualsFresh(), second!.id)).toContain('near-duplicate');
    });

    it('scores the older cases again on the next read after a generation adds a copy of one', async () => {
      const [, , third] = await seedCases();
      const before = await expectStoredEqualsFresh();
      const rulesOf = (stored: typeof before, id: string) =>
        stored.get(id)!.findings.map((finding) => finding.rule);
      expect(rulesOf(before, third!.id)).not.toContain('duplicate-steps');
      const { steps } = (await storage.testCases.get(third!.id))!;
      // Numbered before the others, the copy makes the older case the one that repeats it. Storing
      // writes nothing to the older rows: the new row alone makes the story stale.
      const saved = await storage.generations.saveGenerationWithTestCases(
        { projectId, storyId, engine: 'llm' },
        [
          {
            ...testCaseContent('Declined card, once more', ['AC-2']),
            kind: 'negative',
            steps,
            caseNumber: 0,
          },
        ],
      );
      expect((await storage.testCases.storedQuality([third!.id])).get(third!.id)).toEqual(
        before.get(third!.id),
      );
      expect(await storage.testCases.refreshQuality({ projectId })).toBe(1);
      const after = await expectStoredEqualsFresh();
      expect(rulesOf(after, third!.id)).toContain('duplicate-steps');
      expect(rulesOf(after, saved.testCases[0]!.id)).not.toContain('duplicate-steps');
    });

    it('refuses a taken case number by name and stores nothing of the call', async () => {
      const [first] = await seedCases();
      const add = (title: string, caseNumber: number) => ({
        projectId,
        storyId,
        ...testCaseContent(title, ['AC-1']),
        caseNumber,
      });
      await expect(
        storage.testCases.insertMany([add('new', 7), add('taken', first!.caseNumber)]),
      ).rejects.toThrow(`already has a test case TC-${first!.caseNumber}`);
      await expect(storage.testCases.insertMany([add('new', 8), add('twice', 8)])).rejects.toThrow(
        'already has a test case TC-8',
      );
      expect(await storage.testCases.count({ storyId })).toBe(3);
      const stored = await storage.testCases.insertMany([
        add('nine', 9),
        add('ten', 10),
        { projectId, storyId, ...testCaseContent('next', ['AC-1']) },
      ]);
      expect(stored.map((record) => record.caseNumber)).toEqual([9, 10, 11]);
    });

    it('scores again, on the next refresh, cases a different scorer scored', async () => {
      const [first] = await seedCases();
      const before = await expectStoredEqualsFresh();
      await database
        .updateTable('test_cases')
        .set({ quality_scorer: 'an-older-scorer', quality_score: 1 })
        .where('id', '=', first!.id)
        .execute();
      expect((await storage.testCases.storedQuality([first!.id])).get(first!.id)!.score).toBe(1);
      expect(await storage.testCases.refreshQuality({ projectId })).toBe(1);
      expect(await storage.testCases.refreshQuality({ projectId })).toBe(0);
      expect((await expectStoredEqualsFresh()).get(first!.id)).toEqual(before.get(first!.id));
    });

    it('filters by finding rule and by findings, and sorts by score with keyset pages', async () => {
      const [first, second, third] = await seedCases();
      await storage.testCases.refreshQuality({ projectId });
      const stored = await expectStoredEqualsFresh();
      const duplicates = await storage.testCases.list({ projectId, findingRule: 'duplicate-steps' });
      expect(duplicates.map((record) => record.id).sort()).toEqual(
        [first!, second!, third!]
          .filter((record) =>
            stored.get(record.id)!.findings.some((finding) => finding.rule === 'duplicate-steps'),
          )
          .map((record) => record.id)
          .sort(),
      );
      expect(await storage.testCases.count({ projectId, findingRule: 'duplicate-steps' })).toBe(
        duplicates.length,
      );
      const withFindings = await storage.testCases.list({ projectId, hasFindings: true });
      const without = await storage.testCases.list({ projectId, hasFindings: false });
      expect(withFindings.length + without.length).toBe(3);
      for (const record of withFindings) expect(stored.get(record.id)!.findings.length).toBeGreaterThan(0);
      for (const record of without) expect(stored.get(record.id)!.findings).toEqual([]);

      for (const order of ['asc', 'desc'] as const) {
        const pages: TestCaseRecord[] = [];
        for (;;) {
          const last = pages.at(-1);
          const page = await storage.testCases.list({
            projectId,
            sort: { by: 'quality', order },
            limit: 1,
            ...(last
              ? {
                  after: {
                    storyKey: 'SHOP-1',
                    caseNumber: last.caseNumber,
                    id: last.id,
                    value: String(stored.get(last.id)!.score),
                  },
                }
              : {}),
          });
          pages.push(...page);
          if (page.length === 0) break;
        }
        const expected = [first!, second!, third!]
          .map((record) => ({
            id: record.id,
            score: stored.get(record.id)!.score,
            number: record.caseNumber,
          }))
          .sort(
            (left, right) =>
              (order === 'asc' ? 1 : -1) * (left.score - right.score) || left.number - right.number,
          )
          .map((entry) => entry.id);
        expect(pages.map((record) => record.id)).toEqual(expected);
      }
    });

    it('writes one review event per case and action, and none for a failed action', async () => {
      const [first, second] = await seedCases();
      // The log is ordered by time: each action a minute after the one before.
      const later = () => (now = new Date(now.getTime() + 60_000));
      await storage.testCases.setStatus([first!.id, second!.id], 'accepted', 'ana');
      later();
      await storage.testCases.updateContent(first!.id, testCaseContent('Pay by card, edited'), {
        actor: 'ben',
      });
      later();
      await storage.testCases.setStatus(first!.id, 'draft', 'ben');
      const actions = async (id: string) =>
        (await storage.testCases.reviewEvents(id)).map(({ action, actor }) => ({ action, actor }));
      expect(await actions(first!.id)).toEqual([
        { action: 'accepted', actor: 'ana' },
        { action: 'edited', actor: 'ben' },
        { action: 'reset-to-draft', actor: 'ben' },
      ]);
      expect(await actions(second!.id)).toEqual([{ action: 'accepted', actor: 'ana' }]);

      await expect(
        storage.testCases.updateContent(first!.id, testCaseContent('Lost update'), { expectedVersion: 1 }),
      ).rejects.toThrow(/changed meanwhile/);
      await expect(
        storage.transaction(async (transaction) => {
          await transaction.testCases.setStatus(second!.id, 'rejected', 'carl');
          throw new Error('the action failed after the status change');
        }),
      ).rejects.toThrow(/failed after/);
      expect(await actions(first!.id)).toHaveLength(3);
      expect(await actions(second!.id)).toEqual([{ action: 'accepted', actor: 'ana' }]);
      expect((await storage.testCases.get(second!.id))!.status).toBe('accepted');
    });

    it('counts review progress per day from the log, not from the latest status', async () => {
      const [first, second] = await seedCases();
      now = new Date('2026-11-21T10:00:00.000Z');
      await storage.testCases.setStatus([first!.id, second!.id], 'accepted', 'ana');
      await storage.testCases.setStatus(first!.id, 'accepted', 'ana'); // the same case again: counted once
      now = new Date('2026-11-22T10:00:00.000Z');
      await storage.testCases.setStatus(first!.id, 'rejected', 'ben');
      await storage.testCases.updateContent(second!.id, testCaseContent('Pay by card, edited'));
      const dashboard = await createDashboardService({ storage: async () => storage }).projectDashboard({
        projectName: 'Shop',
      });
      expect(dashboard.reviewProgress).toEqual([
        { day: '2026-11-20', created: 3, accepted: 0, rejected: 0, edited: 0 },
        { day: '2026-11-21', created: 0, accepted: 2, rejected: 0, edited: 0 },
        { day: '2026-11-22', created: 0, accepted: 0, rejected: 1, edited: 1 },
      ]);
    });

    it('backfills the same scores and events the write path stores (migration 0008)', async () => {
      const [first, second] = await seedCases();
      now = new Date('2026-11-21T10:00:00.000Z');
      await storage.testCases.setStatus(first!.id, 'accepted', 'ana');
      // With the notes the review service writes: the backfill reads the action from them.
      await storage.testCases.updateContent(second!.id, testCaseContent('Pay by card, edited'), {
        actor: 'ben',
        note: 'edited by reviewer',
      });
      now = new Date('2026-11-22T10:00:00.000Z');
      await storage.testCases.updateContent(second!.id, testCaseContent('Pay by card, restored'), {
        actor: 'carl',
        note: 'restored version 1',
        reviewAction: 'restored',
      });
      const records = await storage.testCases.list({ projectId });
      const ids = records.map((record) => record.id);
      const events = async () =>
        (await Promise.all(ids.map((id) => storage.testCases.reviewEvents(id))))
          .flat()
          .map(({ id: _id, ...event }) => event);
      await storage.testCases.refreshQuality({ projectId });
      const scoresBefore = await storage.testCases.storedQuality(ids);
      const eventsBefore = await events();
      expect(eventsBefore).toHaveLength(3);

      await down(database);
      await up(database);
      expect(await storage.testCases.storedQuality(ids)).toEqual(scoresBefore);
      expect(await events()).toEqual(eventsBefore);
    });
  });
}
