import type { TestCaseRecord } from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { requireProject, requireStory } from './context.ts';

/** A stored case with the key of its story. */
export interface TestCaseView extends TestCaseRecord {
  storyKey: string;
}

/** The records with the keys of their stories, read in one query. */
export async function viewsOf(storage: Storage, records: readonly TestCaseRecord[]): Promise<TestCaseView[]> {
  const keys = await storage.stories.keysOf(records.map((record) => record.storyId));
  return records.map((record) => ({ ...record, storyKey: keys.get(record.storyId) ?? '' }));
}

/** One record with the key of its story. */
export async function viewOf(storage: Storage, record: TestCaseRecord): Promise<TestCaseView> {
  return (await viewsOf(storage, [record]))[0] as TestCaseView;
}

/** The case a reference names: a stored id, or `STORY-KEY/TC-3` (with `projectName`). */
export async function resolveCase(
  storage: Storage,
  reference: string,
  projectName?: string,
): Promise<TestCaseRecord> {
  const trimmed = reference.trim();
  const keyed = /^(.+?)[/:#](TC-?\d+)$/i.exec(trimmed);
  if (keyed) {
    if (!projectName) {
      throw new InvalidInputError(`The case ${trimmed} is named by story key: the project is needed too.`, {
        fix: 'Name the project too, or use the case id.',
        remedies: [
          { kind: 'change-value', field: 'project' },
          { kind: 'run-action', action: 'list-test-cases' },
        ],
      });
    }
    const project = await requireProject(storage, projectName);
    const story = await requireStory(storage, project, keyed[1] as string);
    const number = Number(/\d+$/.exec(keyed[2] as string)?.[0]);
    const [found] = (await storage.testCases.list({ storyId: story.id })).filter(
      (testCase) => testCase.caseNumber === number,
    );
    if (found) return found;
  } else {
    const found = await storage.testCases.get(trimmed);
    if (found) return found;
  }
  throw new NotFoundError(`There is no test case ${trimmed}.`, {
    fix: 'List the test cases; refer to one by its id, or as STORY-KEY/TC-3 with its project.',
    remedies: [{ kind: 'run-action', action: 'list-test-cases' }],
  });
}
