import type { Selectable } from 'kysely';
import type { AcceptanceCriterion, StorySourceKind } from '../../core/model.ts';
import type {
  Page,
  StoryInput,
  StoryRecord,
  StoryCoverageGroup,
  StoryRepository,
  TestCaseStatus,
} from '../../core/repositories.ts';
import { newId } from '../../shared/ids.ts';
import { fromJson, toJson, toNumber, writeTransaction, type StorageContext } from '../context.ts';
import type { StoryTable } from '../schema.ts';
import { rescoreStories } from './case-quality.ts';

export function createStoryRepository(context: StorageContext): StoryRepository {
  const { database } = context;

  return {
    save: (projectId, story) => saveStory(context, projectId, story),

    insertNew: (projectId, stories) => insertNewStories(context, projectId, stories),

    async findByKeys(projectId, keys, options = {}) {
      if (keys.length === 0) return [];
      const found: StoryRecord[] = [];
      for (let index = 0; index < keys.length; index += 500) {
        let query = database
          .selectFrom('stories')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('key', 'in', keys.slice(index, index + 500))
          .orderBy('key');
        if (options.lock && context.dialect === 'postgres') query = query.forNoKeyUpdate();
        found.push(...(await query.execute()).map(toStoryRecord));
      }
      return found;
    },

    async findByKey(projectId, key) {
      const row = await database
        .selectFrom('stories')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row && toStoryRecord(row);
    },

    async get(id) {
      const row = await database.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toStoryRecord(row);
    },

    async keysOf(ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      const rows = await database
        .selectFrom('stories')
        .select(['id', 'key'])
        .where('id', 'in', unique)
        .execute();
      return new Map(rows.map((row) => [row.id, row.key]));
    },

    async list(projectId: string, page: Page = {}) {
      let query = database
        .selectFrom('stories')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('key');
      if (page.limit !== undefined) query = query.limit(page.limit);
      if (page.offset) query = query.offset(page.offset);
      if (page.offset && page.limit === undefined) query = query.limit(Number.MAX_SAFE_INTEGER);
      const rows = await query.execute();
      return rows.map(toStoryRecord);
    },

    async count(projectId) {
      const row = await database
        .selectFrom('stories')
        .select((expression) => expression.fn.countAll().as('count'))
        .where('project_id', '=', projectId)
        .executeTakeFirstOrThrow();
      return toNumber(row.count);
    },

    coverageGroups: (storyIds) => coverageGroups(context, storyIds),

    async remove(id) {
      const result = await database.deleteFrom('stories').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

/** Updates the story of that key, or inserts it. */
async function saveStory(
  context: StorageContext,
  projectId: string,
  story: StoryInput,
): Promise<StoryRecord> {
  return writeTransaction(context, async (transaction) => {
    const now = context.now();
    const content = contentColumns(story, now);
    // Update first: on PostgreSQL the row lock makes a concurrent save of the same key wait.
    const updated = await transaction
      .updateTable('stories')
      .set(content)
      .where('project_id', '=', projectId)
      .where('key', '=', story.key)
      .returningAll()
      .executeTakeFirst();
    // Changed criteria or scope change what the story's cases are scored against.
    if (updated) {
      await rescoreStories(transaction, [updated.id], { lock: context.dialect === 'postgres' });
      return toStoryRecord(updated);
    }
    const row = { id: newId(), project_id: projectId, key: story.key, created_at: now, ...content };
    await transaction.insertInto('stories').values(row).execute();
    return toStoryRecord(row);
  });
}

async function insertNewStories(
  context: StorageContext,
  projectId: string,
  stories: StoryInput[],
): Promise<StoryRecord[]> {
  const { database } = context;
  if (stories.length === 0) return [];
  const now = context.now();
  const rows = stories.map((story) => ({
    id: newId(),
    project_id: projectId,
    key: story.key,
    created_at: now,
    ...contentColumns(story, now),
  }));
  const inserted: StoryRecord[] = [];
  // 13 parameters a row: 500 rows stay far below both dialects' parameter limits.
  for (let index = 0; index < rows.length; index += 500) {
    const written = await database
      .insertInto('stories')
      .values(rows.slice(index, index + 500))
      .onConflict((conflict) => conflict.columns(['project_id', 'key']).doNothing())
      .returningAll()
      .execute();
    inserted.push(...written.map(toStoryRecord));
  }
  return inserted;
}

function contentColumns(story: StoryInput, now: string) {
  return {
    summary: story.summary,
    description: story.description,
    acceptance_criteria: toJson(story.acceptanceCriteria),
    out_of_scope: toJson(story.outOfScope),
    notes: toJson(story.notes),
    source: story.source,
    content_hash: story.contentHash,
    updated_at: now,
  };
}

export function toStoryRecord(row: Selectable<StoryTable>): StoryRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    key: row.key,
    summary: row.summary,
    description: row.description,
    acceptanceCriteria: fromJson<AcceptanceCriterion[]>(row.acceptance_criteria, []),
    outOfScope: fromJson<string[]>(row.out_of_scope, []),
    notes: fromJson<string[]>(row.notes, []),
    source: row.source as StorySourceKind,
    contentHash: row.content_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The draft and accepted cases of the stories, grouped as coverage reads them, with counts. */
async function coverageGroups(
  context: StorageContext,
  storyIds: readonly string[],
): Promise<StoryCoverageGroup[]> {
  const { database } = context;
  if (storyIds.length === 0) return [];
  const rows = await database
    .selectFrom('test_cases')
    .where('story_id', 'in', storyIds)
    .where('status', 'in', ['draft', 'accepted'])
    .select((expression) => [
      'story_id',
      'covers',
      'status',
      'needs_review',
      expression.fn.countAll().as('count'),
    ])
    .groupBy(['story_id', 'covers', 'status', 'needs_review'])
    .execute();
  return rows.map((row) => ({
    storyId: row.story_id,
    covers: fromJson<string[]>(row.covers, []),
    status: row.status as TestCaseStatus,
    needsReview: Boolean(row.needs_review),
    count: toNumber(row.count),
  }));
}
