import { expect, it } from 'vitest';
import type { Storage } from '../../src/storage/index.ts';
import { describeStorageSuite, seedProjectAndStory, testCaseContent } from './storage-setup.ts';

describeStorageSuite('project and story counts', (suite) => {
  /** Two stories of one project, a third story in another project, cases of every status. */
  async function seed() {
    const { project, story } = await seedProjectAndStory(suite.storage, 'SHOP-1');
    const { story: second } = await seedProjectAndStory(suite.storage, 'SHOP-2');
    const other = await suite.storage.projects.create({ name: 'Other' });
    const elsewhere = await suite.storage.stories.save(other.id, {
      key: 'OTHER-1',
      summary: 'Elsewhere',
      description: '',
      acceptanceCriteria: [{ id: 'AC-1', text: 'Anything' }],
      outOfScope: [],
      notes: [],
      source: 'markdown',
      contentHash: 'other',
    });
    const cases = await suite.storage.testCases.insertMany([
      { projectId: project.id, storyId: story.id, ...testCaseContent('a', ['AC-1']) },
      { projectId: project.id, storyId: story.id, ...testCaseContent('b', ['AC-1']) },
      { projectId: project.id, storyId: story.id, ...testCaseContent('c', ['AC-2', 'AC-3']) },
      { projectId: project.id, storyId: story.id, ...testCaseContent('d', ['AC-3']) },
      { projectId: project.id, storyId: second.id, ...testCaseContent('e', ['AC-1']) },
      { projectId: other.id, storyId: elsewhere.id, ...testCaseContent('f', ['AC-1']) },
    ]);
    const id = (title: string) => cases.find((testCase) => testCase.title === title)!.id;
    await suite.storage.testCases.setStatus([id('b'), id('e')], 'accepted');
    await suite.storage.testCases.setStatus(id('d'), 'rejected');
    // Marks a, b and c (they cover AC-1 or AC-3 of SHOP-1); d, rejected, stays unmarked.
    await suite.storage.testCases.markNeedsReview(story.id, ['AC-1', 'AC-3'], 'criteria changed');
    return { project, story, second, elsewhere };
  }

  it('counts a project’s cases by status and review mark, as separate counts would', async () => {
    const { project } = await seed();
    const count = (filter: Parameters<Storage['testCases']['count']>[0]) =>
      suite.storage.testCases.count({ projectId: project.id, ...filter });
    const expected = {
      total: await count({}),
      draft: await count({ status: 'draft' }),
      accepted: await count({ status: 'accepted' }),
      rejected: await count({ status: 'rejected' }),
      needsReview: await count({ needsReview: true }),
    };
    expect(expected).toEqual({ total: 5, draft: 2, accepted: 2, rejected: 1, needsReview: 3 });
    expect(await suite.storage.projects.caseCounts(project.id)).toEqual(expected);
    const empty = await suite.storage.projects.create({ name: 'Empty' });
    expect(await suite.storage.projects.caseCounts(empty.id)).toEqual({
      total: 0,
      draft: 0,
      accepted: 0,
      rejected: 0,
      needsReview: 0,
    });
  });

  it('groups the draft and accepted cases of the given stories as coverage reads them', async () => {
    const { story, second, elsewhere } = await seed();
    const groups = await suite.storage.stories.coverageGroups([story.id, second.id]);
    const sorted = [...groups].sort((left, right) =>
      `${left.storyId}${left.covers.join()}${left.status}`.localeCompare(
        `${right.storyId}${right.covers.join()}${right.status}`,
      ),
    );
    const expected = [
      { storyId: story.id, covers: ['AC-1'], status: 'accepted', needsReview: true, count: 1 },
      { storyId: story.id, covers: ['AC-1'], status: 'draft', needsReview: true, count: 1 },
      { storyId: story.id, covers: ['AC-2', 'AC-3'], status: 'draft', needsReview: true, count: 1 },
      { storyId: second.id, covers: ['AC-1'], status: 'accepted', needsReview: false, count: 1 },
    ].sort((left, right) =>
      `${left.storyId}${left.covers.join()}${left.status}`.localeCompare(
        `${right.storyId}${right.covers.join()}${right.status}`,
      ),
    );
    expect(sorted).toEqual(expected);
    // Alike cases are one group with their number.
    await suite.storage.testCases.insertMany([
      { projectId: second.projectId, storyId: second.id, ...testCaseContent('g', ['AC-2']) },
      { projectId: second.projectId, storyId: second.id, ...testCaseContent('h', ['AC-2']) },
    ]);
    expect(await suite.storage.stories.coverageGroups([second.id])).toContainEqual({
      storyId: second.id,
      covers: ['AC-2'],
      status: 'draft',
      needsReview: false,
      count: 2,
    });
    expect(await suite.storage.stories.coverageGroups([elsewhere.id])).toHaveLength(1);
    expect(await suite.storage.stories.coverageGroups([])).toEqual([]);
  });
});
