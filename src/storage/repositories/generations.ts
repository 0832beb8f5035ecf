import type { Kysely, Selectable } from 'kysely';
import type { Engine, Usage } from '../../core/model.ts';
import type {
  GeneratedTestCase,
  GenerationRecord,
  GenerationRepository,
  NewGeneration,
  SavedGeneration,
} from '../../core/repositories.ts';
import { executeCompiled } from '../compiled-queries.ts';
import { fromJson, toJson, writeTransaction, type StorageContext } from '../context.ts';
import type { DatabaseSchema, GenerationTable } from '../schema.ts';
import { insertTestCases } from './test-case-inserts.ts';
import { toTestCaseRecord } from './test-case-rows.ts';
import { timeOrderedId } from './time-ordered-id.ts';

export function createGenerationRepository(context: StorageContext): GenerationRepository {
  const { database } = context;

  return {
    async saveGenerationWithTestCases(generation, testCases) {
      return writeTransaction(context, (transaction) =>
        saveGenerationInTransaction(transaction, context, generation, testCases),
      );
    },

    async get(id) {
      const row = await database
        .selectFrom('generations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toGenerationRecord(row);
    },

    async listByStory(storyId) {
      const rows = await database
        .selectFrom('generations')
        .selectAll()
        .where('story_id', '=', storyId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toGenerationRecord);
    },
  };
}

/**
 * Stores a generation and its test cases inside the caller's transaction. With an idempotency
 * key already stored, inserts nothing and returns the stored generation and its cases.
 */
export async function saveGenerationInTransaction(
  transaction: Kysely<DatabaseSchema>,
  context: StorageContext,
  generation: NewGeneration,
  testCases: GeneratedTestCase[],
): Promise<SavedGeneration> {
  const row: Selectable<GenerationTable> = {
    id: timeOrderedId(),
    project_id: generation.projectId,
    story_id: generation.storyId,
    engine: generation.engine,
    provider_name: generation.providerName ?? null,
    model: generation.model ?? null,
    response_mode: generation.responseMode ?? null,
    prompt: toJson(generation.prompt ?? null),
    raw_answer: generation.rawAnswer ?? null,
    usage: generation.usage ? toJson(generation.usage) : null,
    latency_milliseconds: generation.latencyMilliseconds ?? null,
    warnings: toJson(generation.warnings ?? []),
    idempotency_key: generation.idempotencyKey ?? null,
    created_at: context.now(),
  };
  // ON CONFLICT DO NOTHING: a concurrent save with the same key (PostgreSQL) waits for the first
  // to commit and then inserts nothing, instead of failing.
  const { numAffectedRows } = await executeCompiled(
    transaction,
    context.dialect,
    'insert generation',
    Object.values(row),
    () =>
      transaction
        .insertInto('generations')
        .values(row)
        .onConflict((conflict) => conflict.column('idempotency_key').doNothing()),
  );
  if (numAffectedRows === 0n) {
    const existing = await transaction
      .selectFrom('generations')
      .selectAll()
      .where('idempotency_key', '=', row.idempotency_key)
      .executeTakeFirstOrThrow();
    const existingCases = await transaction
      .selectFrom('test_cases')
      .selectAll()
      .where('generation_id', '=', existing.id)
      .orderBy('case_number')
      .execute();
    return {
      generation: toGenerationRecord(existing),
      testCases: existingCases.map(toTestCaseRecord),
      alreadySaved: true,
    };
  }
  const stored = await insertTestCases(
    transaction,
    context,
    testCases.map((testCase) => ({
      ...testCase,
      projectId: generation.projectId,
      storyId: generation.storyId,
      generationId: row.id,
      ...(generation.actor ? { actor: generation.actor } : {}),
    })),
  );
  return { generation: toGenerationRecord(row), testCases: stored, alreadySaved: false };
}

export function toGenerationRecord(row: Selectable<GenerationTable>): GenerationRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    storyId: row.story_id,
    engine: row.engine as Engine,
    providerName: row.provider_name,
    model: row.model,
    responseMode: row.response_mode,
    prompt: fromJson<unknown>(row.prompt, null),
    rawAnswer: row.raw_answer,
    usage: fromJson<Usage | null>(row.usage, null),
    latencyMilliseconds: row.latency_milliseconds,
    warnings: fromJson<string[]>(row.warnings, []),
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
  };
}
