import type { Selectable } from 'kysely';
import type {
  PushedCaseRecord,
  PushedCaseRepository,
  PushedCaseState,
  PushJobCounts,
  PushJobRecord,
  PushJobRepository,
  PushJobStatus,
} from '../../core/connector-repositories.ts';
import { newId } from '../../shared/ids.ts';
import { fromJson, toJson, writeTransaction, type StorageContext } from '../context.ts';
import type { PushJobTable, PushedCaseTable } from '../schema.ts';

/** Kept under the parameter limits of both dialects. */
const CHUNK = 500;

export function createPushedCaseRepository(context: StorageContext): PushedCaseRepository {
  const { database } = context;
  return {
    async listByTarget(target, testCaseIds) {
      const rows: Selectable<PushedCaseTable>[] = [];
      for (let start = 0; start < testCaseIds.length; start += CHUNK) {
        rows.push(
          ...(await database
            .selectFrom('pushed_cases')
            .selectAll()
            .where('target', '=', target)
            .where('test_case_id', 'in', testCaseIds.slice(start, start + CHUNK))
            .execute()),
        );
      }
      return rows.map(toPushedCaseRecord);
    },

    markCreating: (target, items, batchId) => markCreating(context, target, items, batchId),

    async setBatch(target, entries) {
      if (entries.length === 0) return;
      await writeTransaction(context, async (transaction) => {
        for (const entry of entries) {
          await transaction
            .updateTable('pushed_cases')
            .set({ batch_id: entry.batchId })
            .where('target', '=', target)
            .where('state', '=', 'creating')
            .where('test_case_id', '=', entry.testCaseId)
            .execute();
        }
      });
    },

    recordPushed: (target, item) => recordPushed(context, target, [item]),

    recordPushedMany: (target, items) => recordPushed(context, target, items),

    async clearCreating(target, testCaseId) {
      await database
        .deleteFrom('pushed_cases')
        .where('target', '=', target)
        .where('test_case_id', '=', testCaseId)
        .where('state', '=', 'creating')
        .execute();
    },
  };
}

async function markCreating(
  context: StorageContext,
  target: string,
  items: ReadonlyArray<{ testCaseId: string; version: number }>,
  batchId: string | null = null,
): Promise<void> {
  if (items.length === 0) return;
  await writeTransaction(context, async (transaction) => {
    const now = context.now();
    for (let start = 0; start < items.length; start += CHUNK) {
      await transaction
        .insertInto('pushed_cases')
        .values(
          items.slice(start, start + CHUNK).map((item) => ({
            test_case_id: item.testCaseId,
            target,
            state: 'creating',
            external_id: null,
            external_key: null,
            pushed_version: item.version,
            batch_id: batchId,
            pushed_at: now,
          })),
        )
        .onConflict((conflict) => conflict.columns(['test_case_id', 'target']).doNothing())
        .execute();
    }
  });
}

interface PushedItem {
  testCaseId: string;
  externalId: string;
  externalKey: string | null;
  version: number;
}

/** One upsert per chunk: a row per case in state `pushed`, replacing its `creating` or older row. */
async function recordPushed(
  context: StorageContext,
  target: string,
  items: readonly PushedItem[],
): Promise<void> {
  const { database } = context;
  const now = context.now();
  for (let start = 0; start < items.length; start += CHUNK) {
    await database
      .insertInto('pushed_cases')
      .values(
        items.slice(start, start + CHUNK).map((item) => ({
          test_case_id: item.testCaseId,
          target,
          state: 'pushed',
          external_id: item.externalId,
          external_key: item.externalKey,
          pushed_version: item.version,
          batch_id: null,
          pushed_at: now,
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['test_case_id', 'target']).doUpdateSet((update) => ({
          state: update.ref('excluded.state'),
          external_id: update.ref('excluded.external_id'),
          external_key: update.ref('excluded.external_key'),
          pushed_version: update.ref('excluded.pushed_version'),
          batch_id: null,
          pushed_at: update.ref('excluded.pushed_at'),
        })),
      )
      .execute();
  }
}

function toPushedCaseRecord(row: Selectable<PushedCaseTable>): PushedCaseRecord {
  return {
    testCaseId: row.test_case_id,
    target: row.target,
    state: row.state as PushedCaseState,
    externalId: row.external_id,
    externalKey: row.external_key,
    pushedVersion: Number(row.pushed_version),
    batchId: row.batch_id,
    pushedAt: row.pushed_at,
  };
}

const EMPTY_COUNTS: PushJobCounts = { total: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };

export function createPushJobRepository(context: StorageContext): PushJobRepository {
  const { database } = context;
  return {
    async create(job) {
      const now = context.now();
      const row: Selectable<PushJobTable> = {
        id: newId(),
        project_id: job.projectId,
        target: job.target,
        status: 'running',
        options: toJson(job.options),
        counts: toJson(EMPTY_COUNTS),
        error: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      await database.insertInto('push_jobs').values(row).execute();
      return toPushJobRecord(row);
    },
    async get(id) {
      const row = await database.selectFrom('push_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toPushJobRecord(row);
    },
    async list(projectId) {
      const rows = await database
        .selectFrom('push_jobs')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toPushJobRecord);
    },
    async finish(id, status, counts, error = null) {
      const now = context.now();
      await database
        .updateTable('push_jobs')
        .set({ status, counts: toJson(counts), error, updated_at: now, finished_at: now })
        .where('id', '=', id)
        .execute();
    },
    async reopen(id) {
      await database
        .updateTable('push_jobs')
        .set({ status: 'running', error: null, updated_at: context.now(), finished_at: null })
        .where('id', '=', id)
        .execute();
    },
  };
}

function toPushJobRecord(row: Selectable<PushJobTable>): PushJobRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    target: row.target,
    status: row.status as PushJobStatus,
    options: fromJson<Record<string, unknown>>(row.options, {}),
    counts: fromJson<PushJobCounts>(row.counts, EMPTY_COUNTS),
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
