import type { Selectable } from 'kysely';
import type { TestFormat } from '../../core/model.ts';
import type {
  NewProject,
  ProjectCaseCounts,
  ProjectChanges,
  ProjectRecord,
  ProjectRepository,
} from '../../core/repositories.ts';
import { newId } from '../../shared/ids.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { isUniqueViolation, toNumber, type StorageContext } from '../context.ts';
import { ConflictError } from '../errors.ts';
import type { ProjectTable } from '../schema.ts';

export function createProjectRepository(context: StorageContext): ProjectRepository {
  const { database } = context;

  async function get(id: string): Promise<ProjectRecord | undefined> {
    const row = await database.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toProjectRecord(row);
  }

  return {
    async create(project: NewProject) {
      const now = context.now();
      const row = {
        id: newId(),
        name: project.name,
        default_format: project.defaultFormat ?? 'manual',
        test_case_rules: project.testCaseRules ?? '',
        default_provider_id: project.defaultProviderId ?? null,
        created_at: now,
        updated_at: now,
      };
      try {
        await database.insertInto('projects').values(row).execute();
      } catch (error) {
        throw translateNameConflict(error, project.name);
      }
      return toProjectRecord(row);
    },

    get,

    async findByName(name) {
      const row = await database
        .selectFrom('projects')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst();
      return row && toProjectRecord(row);
    },

    async list() {
      const rows = await database.selectFrom('projects').selectAll().orderBy('name').execute();
      return rows.map(toProjectRecord);
    },

    async update(id: string, changes: ProjectChanges) {
      const values: Partial<Selectable<ProjectTable>> = { updated_at: context.now() };
      if (changes.name !== undefined) values.name = changes.name;
      if (changes.defaultFormat !== undefined) values.default_format = changes.defaultFormat;
      if (changes.testCaseRules !== undefined) values.test_case_rules = changes.testCaseRules;
      if (changes.defaultProviderId !== undefined) values.default_provider_id = changes.defaultProviderId;
      let result;
      try {
        result = await database.updateTable('projects').set(values).where('id', '=', id).executeTakeFirst();
      } catch (error) {
        throw translateNameConflict(error, changes.name ?? '');
      }
      if (Number(result.numUpdatedRows) === 0) {
        throw new NotFoundError(`There is no project with id ${id}.`, {
          fix: 'List the projects to find the right one.',
          remedies: [{ kind: 'run-action', action: 'list-projects' }],
        });
      }
      return (await get(id))!;
    },

    async remove(id) {
      const result = await database.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    caseCounts: (id) => caseCounts(context, id),

    async revisionByName(name) {
      const row = await database
        .selectFrom('projects')
        .select(['id', 'revision'])
        .where('name', '=', name)
        .executeTakeFirst();
      return row && { id: row.id, revision: toNumber(row.revision) };
    },
  };
}

/** The project's cases by status, and those marked for review. */
async function caseCounts(context: StorageContext, id: string): Promise<ProjectCaseCounts> {
  const { database } = context;
  // By status in one query read from the (project_id, status) index alone; the review mark is
  // counted apart from the (project_id, needs_review) index (migration 0010).
  const [byStatus, marked] = await Promise.all([
    database
      .selectFrom('test_cases')
      .where('project_id', '=', id)
      .select((expression) => ['status', expression.fn.countAll().as('count')])
      .groupBy('status')
      .execute(),
    database
      .selectFrom('test_cases')
      .where('project_id', '=', id)
      .where('needs_review', '=', 1)
      .select((expression) => expression.fn.countAll().as('count'))
      .executeTakeFirstOrThrow(),
  ]);
  const counts: ProjectCaseCounts = { total: 0, draft: 0, accepted: 0, rejected: 0, needsReview: 0 };
  for (const row of byStatus) {
    const count = toNumber(row.count);
    counts.total += count;
    if (row.status === 'draft' || row.status === 'accepted' || row.status === 'rejected')
      counts[row.status] += count;
  }
  counts.needsReview = toNumber(marked.count);
  return counts;
}

function translateNameConflict(error: unknown, name: string): unknown {
  if (!isUniqueViolation(error)) return error;
  return new ConflictError(`A project named "${name}" already exists.`, {
    fix: 'Choose another name, or use the existing project.',
    cause: error,
  });
}

function toProjectRecord(row: Omit<Selectable<ProjectTable>, 'revision'>): ProjectRecord {
  return {
    id: row.id,
    name: row.name,
    defaultFormat: row.default_format as TestFormat,
    testCaseRules: row.test_case_rules,
    defaultProviderId: row.default_provider_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
