import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Usage } from '../../core/model.ts';
import type {
  GenerationUsageDay,
  ProjectStatisticsRepository,
  ReviewActivityDay,
} from '../../core/repositories.ts';
import { fromJson, toNumber, type StorageContext } from '../context.ts';
import type { DatabaseSchema } from '../schema.ts';

/**
 * Aggregates over a project for its dashboard. Grouped in SQL where both dialects read alike
 * (counts by day: timestamps are ISO 8601 text, so the day is their first ten characters); token
 * sums are added up here, because usage is JSON text and the JSON functions differ by dialect.
 */
export function createProjectStatisticsRepository(context: StorageContext): ProjectStatisticsRepository {
  const { database } = context;
  return {
    reviewActivity: (projectId) => reviewActivity(database, projectId),
    generationUsage: (projectId) => generationUsage(database, projectId),
    async caseFingerprints(projectId) {
      const rows = await database
        .selectFrom('test_cases')
        .where('project_id', '=', projectId)
        .where('status', 'in', ['draft', 'accepted'])
        .select((expression) => [
          'story_id',
          expression.fn.countAll().as('case_count'),
          expression.fn.sum('version').as('version_sum'),
          expression.fn.max('updated_at').as('last_change'),
        ])
        .groupBy('story_id')
        .orderBy('story_id')
        .execute();
      return rows.map((row) => ({
        storyId: row.story_id,
        caseCount: toNumber(row.case_count),
        versionSum: toNumber(row.version_sum),
        lastChange: String(row.last_change),
      }));
    },
  };
}

/** The date part (`2026-01-31`) of an ISO 8601 timestamp column. */
function dayOf(column: string): RawBuilder<string> {
  return sql<string>`substr(${sql.ref(column)}, 1, 10)`;
}

/**
 * Cases created per day, and from the review log: cases accepted and rejected per day (a case
 * reviewed twice the same day counts once) and content edits per day (edits, restores and
 * regenerations).
 */
async function reviewActivity(
  database: Kysely<DatabaseSchema>,
  projectId: string,
): Promise<ReviewActivityDay[]> {
  const created = await database
    .selectFrom('test_cases')
    .where('project_id', '=', projectId)
    .select((expression) => [dayOf('created_at').as('day'), expression.fn.countAll().as('count')])
    .groupBy(dayOf('created_at'))
    .execute();
  const reviewed = await database
    .selectFrom('review_events')
    .where('project_id', '=', projectId)
    .where('action', 'in', ['accepted', 'rejected'])
    .select((expression) => [
      dayOf('created_at').as('day'),
      'action',
      expression.fn.count('test_case_id').distinct().as('count'),
    ])
    .groupBy([dayOf('created_at'), 'action'])
    .execute();
  const edited = await database
    .selectFrom('review_events')
    .where('project_id', '=', projectId)
    .where('action', 'in', ['edited', 'restored', 'regenerated'])
    .select((expression) => [dayOf('created_at').as('day'), expression.fn.countAll().as('count')])
    .groupBy(dayOf('created_at'))
    .execute();

  const days = new Map<string, ReviewActivityDay>();
  const dayEntry = (day: string) => {
    let entry = days.get(day);
    if (!entry) {
      entry = { day, created: 0, accepted: 0, rejected: 0, edited: 0 };
      days.set(day, entry);
    }
    return entry;
  };
  for (const row of created) dayEntry(row.day).created += toNumber(row.count);
  for (const row of reviewed) {
    const entry = dayEntry(row.day);
    if (row.action === 'accepted') entry.accepted += toNumber(row.count);
    else entry.rejected += toNumber(row.count);
  }
  for (const row of edited) dayEntry(row.day).edited += toNumber(row.count);
  return [...days.values()].sort((left, right) => left.day.localeCompare(right.day));
}

async function generationUsage(
  database: Kysely<DatabaseSchema>,
  projectId: string,
): Promise<GenerationUsageDay[]> {
  // Only the three columns the sums need: never the prompts or raw answers.
  const rows = await database
    .selectFrom('generations')
    .where('project_id', '=', projectId)
    .select([dayOf('created_at').as('day'), 'provider_name', 'usage'])
    .execute();
  const groups = new Map<string, GenerationUsageDay>();
  for (const row of rows) {
    const key = `${row.day}\u0000${row.provider_name ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        day: row.day,
        providerName: row.provider_name,
        generations: 0,
        promptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
      };
      groups.set(key, group);
    }
    const usage = fromJson<Usage | null>(row.usage, null);
    group.generations += 1;
    group.promptTokens += usage?.promptTokens ?? 0;
    group.completionTokens += usage?.completionTokens ?? 0;
    group.totalTokens += usage?.totalTokens ?? 0;
  }
  return [...groups.values()].sort(
    (left, right) =>
      left.day.localeCompare(right.day) ||
      Number(left.providerName === null) - Number(right.providerName === null) ||
      (left.providerName ?? '').localeCompare(right.providerName ?? ''),
  );
}
