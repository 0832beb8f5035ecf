import type { Kysely } from 'kysely';
import { newId } from '../../shared/ids.ts';
import { rescoreStories } from '../repositories/case-quality.ts';
import type { DatabaseSchema } from '../schema.ts';

/**
 * Stored quality and the review log.
 *
 * - `test_cases.quality_*`: each case's score, findings and finding count, and which scorer
 *   computed them; `test_case_findings`: one row per case and finding rule, for the review list's
 *   filter by rule. Filled here for every existing case with the scorer the write path uses
 *   (`rescoreStories`), a hundred stories at a time.
 * - `review_events`: one row per review action. Filled here from what earlier versions kept: one
 *   event per accepted or rejected case at its status time (its last change when that is unknown),
 *   and one per stored version (an edit, restore or regeneration, by its note) at the time it was
 *   replaced, by whoever made the version that replaced it.
 */
// Migrations work on the database as it was when they were written, not on today's schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(database: Kysely<any>): Promise<void> {
  const columns: [string, 'integer' | 'text'][] = [
    ['quality_score', 'integer'],
    ['quality_findings', 'text'],
    ['quality_finding_count', 'integer'],
    ['quality_scorer', 'text'],
  ];
  // One column per statement: SQLite's ALTER TABLE adds one column at a time.
  for (const [name, type] of columns) {
    await database.schema.alterTable('test_cases').addColumn(name, type).execute();
  }
  await database.schema
    .createIndex('test_cases_project_scorer_index')
    .on('test_cases')
    .columns(['project_id', 'quality_scorer'])
    .execute();
  await database.schema
    .createTable('test_case_findings')
    .addColumn('test_case_id', 'text', (column) =>
      column.notNull().references('test_cases.id').onDelete('cascade'),
    )
    .addColumn('project_id', 'text', (column) => column.notNull())
    .addColumn('rule', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('test_case_findings_primary_key', ['test_case_id', 'rule'])
    .execute();
  await database.schema
    .createIndex('test_case_findings_project_rule_index')
    .on('test_case_findings')
    .columns(['project_id', 'rule', 'test_case_id'])
    .execute();
  await database.schema
    .createTable('review_events')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('project_id', 'text', (column) =>
      column.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('test_case_id', 'text', (column) => column.notNull())
    .addColumn('action', 'text', (column) => column.notNull())
    .addColumn('actor', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
  await database.schema
    .createIndex('review_events_project_time_index')
    .on('review_events')
    .columns(['project_id', 'created_at'])
    .execute();
  await database.schema
    .createIndex('review_events_case_index')
    .on('review_events')
    .columns(['test_case_id', 'created_at'])
    .execute();
  await backfillScores(database);
  await backfillEvents(database);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function backfillScores(database: Kysely<any>): Promise<void> {
  const typed = database as Kysely<DatabaseSchema>;
  let after = '';
  for (;;) {
    const stories = await typed
      .selectFrom('stories')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(100)
      .execute();
    if (stories.length === 0) return;
    await rescoreStories(
      typed,
      stories.map((story) => story.id),
    );
    after = stories.at(-1)!.id;
  }
}

function editAction(note: string | null): string {
  if (note?.startsWith('restored')) return 'restored';
  if (note?.startsWith('regenerated')) return 'regenerated';
  return 'edited';
}

interface EventRow {
  id: string;
  project_id: string;
  test_case_id: string;
  action: string;
  actor: string | null;
  created_at: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function backfillEvents(database: Kysely<any>): Promise<void> {
  const typed = database as Kysely<DatabaseSchema>;
  let after = '';
  for (;;) {
    const cases = await typed
      .selectFrom('test_cases')
      .select([
        'id',
        'project_id',
        'status',
        'status_actor',
        'status_changed_at',
        'updated_at',
        'actor',
        'version',
      ])
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    if (cases.length === 0) return;
    after = cases.at(-1)!.id;
    const events: EventRow[] = [];
    for (const testCase of cases) {
      if (testCase.status !== 'accepted' && testCase.status !== 'rejected') continue;
      events.push({
        id: newId(),
        project_id: testCase.project_id,
        test_case_id: testCase.id,
        action: testCase.status,
        actor: testCase.status_actor,
        created_at: testCase.status_changed_at ?? testCase.updated_at,
      });
    }
    const edited = cases.filter((testCase) => testCase.version > 1);
    const versions =
      edited.length === 0
        ? []
        : await typed
            .selectFrom('test_case_versions')
            .select(['test_case_id', 'version', 'edited_at', 'note', 'actor'])
            .where(
              'test_case_id',
              'in',
              edited.map((testCase) => testCase.id),
            )
            .execute();
    const byCase = new Map(edited.map((testCase) => [testCase.id, testCase]));
    const actorOf = new Map(
      versions.map((version) => [`${version.test_case_id}/${version.version}`, version.actor]),
    );
    for (const version of versions) {
      const testCase = byCase.get(version.test_case_id)!;
      // The edit that replaced version n made version n + 1: its actor is that version's.
      const next = version.version + 1;
      events.push({
        id: newId(),
        project_id: testCase.project_id,
        test_case_id: testCase.id,
        action: editAction(version.note),
        actor: next === testCase.version ? testCase.actor : (actorOf.get(`${testCase.id}/${next}`) ?? null),
        created_at: version.edited_at,
      });
    }
    for (let start = 0; start < events.length; start += 500) {
      await typed
        .insertInto('review_events')
        .values(events.slice(start, start + 500))
        .execute();
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(database: Kysely<any>): Promise<void> {
  await database.schema.dropTable('review_events').execute();
  await database.schema.dropTable('test_case_findings').execute();
  await database.schema.dropIndex('test_cases_project_scorer_index').execute();
  for (const name of ['quality_scorer', 'quality_finding_count', 'quality_findings', 'quality_score']) {
    await database.schema.alterTable('test_cases').dropColumn(name).execute();
  }
}
