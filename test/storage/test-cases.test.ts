import { beforeEach, expect, it } from 'vitest';
import { describeStorageSuite, seedProjectAndStory, testCaseContent } from './storage-setup.ts';

describeStorageSuite('test cases and generations', (suite) => {
  let projectId: string;
  let storyId: string;

  beforeEach(async () => {
    const seeded = await seedProjectAndStory(suite.storage);
    projectId = seeded.project.id;
    storyId = seeded.story.id;
  });

  function newCase(title: string, covers?: string[], caseNumber?: number) {
    return { projectId, storyId, ...testCaseContent(title, covers), ...(caseNumber && { caseNumber }) };
  }

  it('numbers inserted cases per story and lists them with filters and paging', async () => {
    const inserted = await suite.storage.testCases.insertMany([
      newCase('one'),
      newCase('two'),
      newCase('three'),
    ]);
    expect(inserted.map((testCase) => testCase.displayId)).toEqual(['TC-1', 'TC-2', 'TC-3']);
    expect(inserted[0]).toMatchObject({
      status: 'draft',
      version: 1,
      needsReview: false,
      generationId: null,
    });
    const more = await suite.storage.testCases.insertMany([newCase('four')]);
    expect(more[0]!.displayId).toBe('TC-4');

    const { story: otherStory } = await seedProjectAndStory(suite.storage, 'SHOP-0');
    await suite.storage.testCases.insertMany([{ ...newCase('other'), storyId: otherStory.id }]);

    // Ordered by story key, then case number.
    const all = await suite.storage.testCases.list({ projectId });
    expect(all.map((testCase) => testCase.title)).toEqual(['other', 'one', 'two', 'three', 'four']);
    expect(
      (await suite.storage.testCases.list({ storyId, limit: 2, offset: 1 })).map((item) => item.title),
    ).toEqual(['two', 'three']);
    expect((await suite.storage.testCases.list({ storyId, offset: 3 })).map((item) => item.title)).toEqual([
      'four',
    ]);
    expect(await suite.storage.testCases.count({ projectId })).toBe(5);
    expect(await suite.storage.testCases.get(inserted[1]!.id)).toEqual(inserted[1]);
  });

  it('pages by keyset (after a case) through the same order as offset paging, with filters', async () => {
    const { story: earlier } = await seedProjectAndStory(suite.storage, 'SHOP-0');
    const { story: later } = await seedProjectAndStory(suite.storage, 'SHOP-2');
    for (const story of [later, earlier, { id: storyId }]) {
      await suite.storage.testCases.insertMany(
        Array.from({ length: 5 }, (_, index) => ({ ...newCase(`case ${index}`), storyId: story.id })),
      );
    }
    const keyOf = new Map([
      [earlier.id, 'SHOP-0'],
      [storyId, 'SHOP-1'],
      [later.id, 'SHOP-2'],
    ]);
    const positionOf = (testCase: { storyId: string; caseNumber: number; id: string }) => ({
      storyKey: keyOf.get(testCase.storyId)!,
      caseNumber: testCase.caseNumber,
      id: testCase.id,
    });
    const rejected = (await suite.storage.testCases.list({ projectId })).filter(
      (_, index) => index % 4 === 0,
    );
    await suite.storage.testCases.setStatus(
      rejected.map((testCase) => testCase.id),
      'rejected',
    );

    for (const filter of [
      { projectId },
      { projectId, status: 'draft' as const },
      { projectId, storyId },
      { projectId, storyIds: [earlier.id, later.id] },
    ]) {
      const whole = (await suite.storage.testCases.list(filter)).map((testCase) => testCase.id);
      expect(whole.length).toBeGreaterThan(3);
      const walked: string[] = [];
      let page = await suite.storage.testCases.list({ ...filter, limit: 3 });
      while (page.length > 0) {
        walked.push(...page.map((testCase) => testCase.id));
        page = await suite.storage.testCases.list({ ...filter, limit: 3, after: positionOf(page.at(-1)!) });
      }
      expect(walked).toEqual(whole);
    }
  });

  it('lists several stories in key order, coverage rows without content, and nothing for a story of another project', async () => {
    const [first] = await suite.storage.testCases.insertMany([
      newCase('one', ['AC-1']),
      newCase('two', ['AC-2']),
    ]);
    const { story: otherStory } = await seedProjectAndStory(suite.storage, 'SHOP-0');
    await suite.storage.testCases.insertMany([{ ...newCase('other', ['AC-1']), storyId: otherStory.id }]);
    await suite.storage.testCases.setStatus(first!.id, 'accepted');

    const both = await suite.storage.testCases.list({
      projectId,
      storyIds: [storyId, otherStory.id],
      limit: 10,
    });
    expect(both.map((testCase) => testCase.title)).toEqual(['other', 'one', 'two']);
    expect(await suite.storage.testCases.list({ projectId, status: 'accepted' })).toHaveLength(1);

    const rows = await suite.storage.testCases.listCoverage({
      storyIds: [storyId],
      status: ['draft', 'accepted'],
    });
    expect(rows.map((row) => [row.covers, row.status, row.needsReview]).sort()).toEqual([
      [['AC-1'], 'accepted', false],
      [['AC-2'], 'draft', false],
    ]);
    expect(await suite.storage.testCases.listCoverage({ storyIds: [] })).toEqual([]);

    const elsewhere = await suite.storage.projects.create({ name: 'Elsewhere' });
    expect(await suite.storage.testCases.list({ projectId: elsewhere.id, storyId })).toEqual([]);
    expect(await suite.storage.testCases.count({ projectId: elsewhere.id, storyId })).toBe(0);
  });

  it('stores nothing when one case of insertMany violates a constraint', async () => {
    await suite.storage.testCases.insertMany([newCase('existing', undefined, 2)]);
    await expect(
      suite.storage.testCases.insertMany([
        newCase('a', undefined, 1),
        newCase('b', undefined, 2),
        newCase('c', undefined, 3),
      ]),
    ).rejects.toMatchObject({ code: 'conflict' });
    const titles = (await suite.storage.testCases.list({ storyId })).map((testCase) => testCase.title);
    expect(titles).toEqual(['existing']);
  });

  it('keeps the previous content as a version on every edit', async () => {
    const [testCase] = await suite.storage.testCases.insertMany([newCase('original')]);
    const edited = await suite.storage.testCases.updateContent(
      testCase!.id,
      { ...testCaseContent('edited', ['AC-2']), gherkin: 'Feature: x' },
      { note: 'reviewer edit' },
    );
    expect(edited).toMatchObject({ title: 'edited', covers: ['AC-2'], gherkin: 'Feature: x', version: 2 });
    const again = await suite.storage.testCases.updateContent(testCase!.id, testCaseContent('edited twice'), {
      expectedVersion: 2,
    });
    expect(again.version).toBe(3);
    expect(again.gherkin).toBeUndefined();

    const history = await suite.storage.testCases.history(testCase!.id);
    expect(history.map((version) => [version.version, version.content.title, version.note])).toEqual([
      [1, 'original', 'reviewer edit'],
      [2, 'edited', null],
    ]);
    expect(history[1]!.content.gherkin).toBe('Feature: x');

    await expect(
      suite.storage.testCases.updateContent(testCase!.id, testCaseContent('stale'), { expectedVersion: 2 }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await suite.storage.testCases.get(testCase!.id))!.title).toBe('edited twice');
    expect(await suite.storage.testCases.history(testCase!.id)).toHaveLength(2);
    await expect(
      suite.storage.testCases.updateContent('missing', testCaseContent('x')),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('changes the status of many cases at once and filters by it', async () => {
    const cases = await suite.storage.testCases.insertMany([newCase('a'), newCase('b'), newCase('c')]);
    const changed = await suite.storage.testCases.setStatus(
      [cases[0]!.id, cases[2]!.id, cases[0]!.id],
      'accepted',
    );
    expect(changed).toBe(2);
    expect(await suite.storage.testCases.setStatus(cases[1]!.id, 'rejected')).toBe(1);
    expect(
      (await suite.storage.testCases.list({ projectId, status: 'accepted' })).map((item) => item.title),
    ).toEqual(['a', 'c']);
    expect(await suite.storage.testCases.count({ projectId, status: ['accepted', 'rejected'] })).toBe(3);
    expect(await suite.storage.testCases.count({ projectId, status: 'draft' })).toBe(0);
  });

  it('marks the cases covering changed criteria as needing review, and a review clears it', async () => {
    const cases = await suite.storage.testCases.insertMany([
      newCase('covers 1', ['AC-1']),
      newCase('covers 2 and 3', ['AC-2', 'AC-3']),
      newCase('covers 3, rejected', ['AC-3']),
    ]);
    await suite.storage.testCases.setStatus(cases[2]!.id, 'rejected');
    const marked = await suite.storage.testCases.markNeedsReview(storyId, ['AC-3'], 'AC-3 changed');
    expect(marked).toEqual([cases[1]!.id]);
    const needing = await suite.storage.testCases.list({ storyId, needsReview: true });
    expect(needing.map((item) => [item.title, item.needsReviewReason])).toEqual([
      ['covers 2 and 3', 'AC-3 changed'],
    ]);
    expect(await suite.storage.testCases.count({ storyId, needsReview: false })).toBe(2);

    await suite.storage.testCases.setStatus(cases[1]!.id, 'accepted');
    expect(await suite.storage.testCases.get(cases[1]!.id)).toMatchObject({
      needsReview: false,
      needsReviewReason: null,
    });
  });

  it('saves a generation with its test cases, once per idempotency key', async () => {
    const generation = {
      projectId,
      storyId,
      engine: 'llm' as const,
      providerName: 'local',
      model: 'qwen',
      responseMode: 'json_schema',
      prompt: [{ role: 'user', content: 'Write tests' }],
      rawAnswer: '{"testCases":[]}',
      usage: { promptTokens: 10, completionTokens: 20, totalTokens: 30, estimated: false },
      latencyMilliseconds: 1234,
      warnings: ['repaired JSON'],
      idempotencyKey: 'task-1',
    };
    const first = await suite.storage.generations.saveGenerationWithTestCases(generation, [
      testCaseContent('g1'),
      testCaseContent('g2'),
    ]);
    expect(first.alreadySaved).toBe(false);
    expect(first.testCases.map((testCase) => [testCase.displayId, testCase.generationId])).toEqual([
      ['TC-1', first.generation.id],
      ['TC-2', first.generation.id],
    ]);
    expect(await suite.storage.generations.get(first.generation.id)).toEqual(first.generation);
    expect(first.generation).toMatchObject({
      prompt: generation.prompt,
      usage: generation.usage,
      latencyMilliseconds: 1234,
    });

    const retried = await suite.storage.generations.saveGenerationWithTestCases(generation, [
      testCaseContent('g1 again'),
    ]);
    expect(retried.alreadySaved).toBe(true);
    expect(retried.generation.id).toBe(first.generation.id);
    expect(retried.testCases.map((testCase) => testCase.title)).toEqual(['g1', 'g2']);
    expect(await suite.storage.testCases.count({ storyId })).toBe(2);
    expect(await suite.storage.generations.listByStory(storyId)).toHaveLength(1);
  });

  it('stores neither the generation nor any case when one case fails', async () => {
    await suite.storage.testCases.insertMany([newCase('existing', undefined, 2)]);
    await expect(
      suite.storage.generations.saveGenerationWithTestCases({ projectId, storyId, engine: 'rules' }, [
        { ...testCaseContent('x'), caseNumber: 1 },
        { ...testCaseContent('clash'), caseNumber: 2 },
      ]),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await suite.storage.generations.listByStory(storyId)).toEqual([]);
    expect(await suite.storage.testCases.count({ storyId })).toBe(1);
  });
});
