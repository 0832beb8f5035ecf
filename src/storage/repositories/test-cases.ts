import type { Kysely } from 'kysely';
import type {
  NewTestCase,
  TestCaseContent,
  TestCaseRecord,
  TestCaseRepository,
  TestCaseStatus,
  UpdateContentOptions,
} from '../../core/repositories.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { fromJson, toJson, toNumber, writeTransaction, type StorageContext } from '../context.ts';
import { ConflictError } from '../errors.ts';
import type { DatabaseSchema } from '../schema.ts';
import { readStoredQuality, refreshStaleQuality, rescoreStories } from './case-quality.ts';
import { readReviewEvents, recordReviewEvents } from './review-events.ts';
import { readAuthorship, readHistory } from './test-case-versions.ts';
import { filtered, listTestCaseRows, storyOutsideProject } from './test-case-listing.ts';
import { insertTestCases } from './test-case-inserts.ts';
import { contentColumns, toContent, toTestCaseRecord } from './test-case-rows.ts';

export { toContent, toTestCaseRecord };

export function createTestCaseRepository(context: StorageContext): TestCaseRepository {
  const { database } = context;

  async function get(id: string): Promise<TestCaseRecord | undefined> {
    const row = await database.selectFrom('test_cases').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTestCaseRecord(row);
  }

  return {
    async insertMany(testCases: NewTestCase[]) {
      if (testCases.length === 0) return [];
      return writeTransaction(context, (transaction) => insertTestCases(transaction, context, testCases));
    },

    get,

    list: async (filter) => (await listTestCaseRows(database, filter)).map(toTestCaseRecord),

    async listCoverage(filter) {
      const base = filtered(database, filter);
      if (!base || (await storyOutsideProject(database, filter))) return [];
      const rows = await base
        .select(['test_cases.story_id', 'test_cases.covers', 'test_cases.status', 'test_cases.needs_review'])
        .execute();
      return rows.map((row) => ({
        storyId: row.story_id,
        covers: fromJson<string[]>(row.covers, []),
        status: row.status as TestCaseStatus,
        needsReview: Boolean(row.needs_review),
      }));
    },

    async count(filter = {}) {
      const base = filtered(database, filter);
      if (!base || (await storyOutsideProject(database, filter))) return 0;
      const row = await base
        .select((expression) => expression.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      return toNumber(row.count);
    },

    updateContent: (id, content, options) => updateContent(context, id, content, options),

    setStatus: (ids, status, actor) => setStatus(context, ids, status, actor ?? null),

    markNeedsReview: (storyId, criterionIds, reason) =>
      markNeedsReview(context, storyId, criterionIds, reason),

    history: (id) => readHistory(database, id),

    authorship: (id) => readAuthorship(database, id),

    reviewEvents: (id) => readReviewEvents(database, id),

    storedQuality: (ids) => readStoredQuality(database, ids),

    refreshQuality: (scope) => refreshStaleQuality(context, scope),

    remove: (id) =>
      writeTransaction(context, async (transaction) => {
        const removed = await transaction
          .deleteFrom('test_cases')
          .where('id', '=', id)
          .returning('story_id')
          .executeTakeFirst();
        // The story's other cases may lose a near-duplicate finding.
        if (removed) await rescoreStories(transaction, [removed.story_id], lockStories(context));
        return removed !== undefined;
      }),
  };
}

async function updateContent(
  context: StorageContext,
  id: string,
  content: TestCaseContent,
  options: UpdateContentOptions = {},
): Promise<TestCaseRecord> {
  return writeTransaction(context, async (transaction) => {
    const now = context.now();
    // A write first: it locks the row (PostgreSQL) so two edits cannot both read version n.
    const current = await transaction
      .updateTable('test_cases')
      .set({ updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!current) throw testCaseNotFound(id);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new ConflictError(
        `Test case ${id} was changed meanwhile: it is at version ${current.version}, not ${options.expectedVersion}.`,
        { fix: 'Reload the test case and apply your edit again.' },
      );
    }
    await transaction
      .insertInto('test_case_versions')
      .values({
        id: newId(),
        test_case_id: id,
        version: current.version,
        content: toJson(toContent(current)),
        edited_at: now,
        note: options.note ?? null,
        actor: current.actor,
        status: current.status,
      })
      .execute();
    const updated = await transaction
      .updateTable('test_cases')
      .set({
        ...contentColumns(content),
        version: current.version + 1,
        updated_at: now,
        actor: options.actor ?? null,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordReviewEvents(transaction, [current], {
      action: options.reviewAction ?? 'edited',
      actor: options.actor ?? null,
      createdAt: now,
    });
    await rescoreStories(transaction, [current.story_id], lockStories(context));
    return toTestCaseRecord(updated);
  });
}

async function setStatus(
  context: StorageContext,
  ids: string | string[],
  status: TestCaseStatus,
  actor: string | null,
): Promise<number> {
  // Sorted: every transaction locks the rows in the same order (see `lockInOrder`).
  const unique = [...new Set(Array.isArray(ids) ? ids : [ids])].sort();
  if (unique.length === 0) return 0;
  return writeTransaction(context, async (transaction) => {
    await lockInOrder(transaction, context, unique);
    let changed = 0;
    const now = context.now();
    const action = status === 'draft' ? 'reset-to-draft' : status;
    for (const chunk of chunks(unique, 500)) {
      const reviewed = status === 'draft' ? {} : { needs_review: 0, needs_review_reason: null };
      const wasRejected = await rejectedAmong(transaction, chunk);
      const updated = await transaction
        .updateTable('test_cases')
        .set({ status, updated_at: now, status_actor: actor, status_changed_at: now, ...reviewed })
        .where('id', 'in', chunk)
        .returning(['id', 'project_id', 'story_id'])
        .execute();
      changed += updated.length;
      await recordReviewEvents(transaction, updated, { action, actor, createdAt: now });
      // A case rejected leaves its story's scored set (draft and accepted cases together), one
      // no longer rejected joins it: those stories' scores move. Draft to accepted (or a status
      // set again) leaves the set, and so every score, as it was.
      const moved = updated.filter((row) => wasRejected.has(row.id) !== (status === 'rejected'));
      await rescoreStories(
        transaction,
        moved.map((row) => row.story_id),
        lockStories(context),
      );
    }
    return changed;
  });
}

async function markNeedsReview(
  context: StorageContext,
  storyId: string,
  criterionIds: string[],
  reason: string,
): Promise<string[]> {
  if (criterionIds.length === 0) return [];
  const wanted = new Set(criterionIds);
  return writeTransaction(context, async (transaction) => {
    const rows = await transaction
      .selectFrom('test_cases')
      .select(['id', 'covers'])
      .where('story_id', '=', storyId)
      .where('status', '!=', 'rejected')
      .execute();
    // `covers` is JSON text: filter here rather than with dialect-specific JSON operators.
    const ids = rows
      .filter((row) => fromJson<string[]>(row.covers, []).some((criterionId) => wanted.has(criterionId)))
      .map((row) => row.id);
    for (const chunk of chunks(ids, 500)) {
      await transaction
        .updateTable('test_cases')
        .set({ needs_review: 1, needs_review_reason: reason, updated_at: context.now() })
        .where('id', 'in', chunk)
        .execute();
    }
    return ids;
  });
}

function testCaseNotFound(id: string): NotFoundError {
  return new NotFoundError(`There is no test case with id ${id}.`, {
    fix: 'List the test cases to find the right id.',
    remedies: [{ kind: 'run-action', action: 'list-test-cases' }],
  });
}

/**
 * PostgreSQL: locks the cases in id order before changing them. An UPDATE locks rows in the order
 * it happens to scan them, which after edits differs between two transactions naming the same
 * cases, and they deadlock. SQLite holds one write lock per transaction and needs none.
 */
async function lockInOrder(
  transaction: Kysely<DatabaseSchema>,
  context: StorageContext,
  sortedIds: string[],
): Promise<void> {
  if (context.dialect !== 'postgres') return;
  for (const chunk of chunks(sortedIds, 500)) {
    await transaction
      .selectFrom('test_cases')
      .select('id')
      .where('id', 'in', chunk)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
  }
}

/** The ids among `ids` of cases rejected now. */
async function rejectedAmong(transaction: Kysely<DatabaseSchema>, ids: string[]): Promise<Set<string>> {
  const rows = await transaction
    .selectFrom('test_cases')
    .select('id')
    .where('id', 'in', ids)
    .where('status', '=', 'rejected')
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** PostgreSQL: rescoring locks the stories' rows (see `rescoreStories`); SQLite needs no lock. */
function lockStories(context: StorageContext): { lock: boolean } {
  return { lock: context.dialect === 'postgres' };
}

function chunks<Item>(items: Item[], size: number): Item[][] {
  const result: Item[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}
