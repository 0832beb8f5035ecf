/** Test case rows and the records and content they hold, both ways. */
import type { Selectable } from 'kysely';
import type { Engine, TestKind, TestStep } from '../../core/model.ts';
import type { TestCaseContent, TestCaseRecord, TestCaseStatus } from '../../core/repositories.ts';
import { fromJson, toJson } from '../context.ts';
import type { TestCaseTable } from '../schema.ts';

export function contentColumns(content: TestCaseContent) {
  return {
    title: content.title,
    kind: content.kind,
    priority: content.priority,
    preconditions: toJson(content.preconditions ?? []),
    steps: toJson(content.steps ?? []),
    gherkin: content.gherkin ?? null,
    covers: toJson(content.covers ?? []),
    engine: content.engine,
    warnings: toJson(content.warnings ?? []),
  };
}

export function toContent(row: RecordRow): TestCaseContent {
  const content: TestCaseContent = {
    title: row.title,
    kind: row.kind as TestKind,
    priority: row.priority,
    preconditions: fromJson<string[]>(row.preconditions, []),
    steps: fromJson<TestStep[]>(row.steps, []),
    covers: fromJson<string[]>(row.covers, []),
    engine: row.engine as Engine,
    warnings: fromJson<string[]>(row.warnings, []),
  };
  if (row.gherkin !== null) content.gherkin = row.gherkin;
  return content;
}

/**
 * The columns a record is made of (`toTestCaseRecord`). A list reads only these: a scored case's
 * findings (JSON) and its actors are most of a wide row, and a page of 50 had SQLite copy them all.
 */
export const RECORD_COLUMNS = [
  'id',
  'project_id',
  'story_id',
  'generation_id',
  'case_number',
  'title',
  'kind',
  'priority',
  'preconditions',
  'steps',
  'gherkin',
  'covers',
  'engine',
  'warnings',
  'status',
  'needs_review',
  'needs_review_reason',
  'version',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof TestCaseTable>;

export type RecordRow = Pick<Selectable<TestCaseTable>, (typeof RECORD_COLUMNS)[number]>;

export function toTestCaseRecord(row: RecordRow): TestCaseRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    storyId: row.story_id,
    generationId: row.generation_id,
    caseNumber: row.case_number,
    displayId: `TC-${row.case_number}`,
    ...toContent(row),
    status: row.status as TestCaseStatus,
    needsReview: Number(row.needs_review) === 1,
    needsReviewReason: row.needs_review_reason,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
