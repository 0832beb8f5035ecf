import type { GeneratedTestCase, StoryRecord, TaskCompletion } from '../../../src/core/repositories.ts';
import type { Storage } from '../../../src/storage/index.ts';

/** A project `Backlog` with `count` stories `B-1`…`B-<count>`. */
export async function seedBacklog(storage: Storage, count: number) {
  const project = await storage.projects.create({ name: 'Backlog' });
  const stories: StoryRecord[] = [];
  for (let index = 1; index <= count; index++) {
    stories.push(
      await storage.stories.save(project.id, {
        key: `B-${index}`,
        summary: `Story ${index}`,
        description: `As a user I want feature ${index}.`,
        acceptanceCriteria: [
          { id: 'AC-1', text: `Feature ${index} works` },
          { id: 'AC-2', text: `Feature ${index} rejects bad input` },
        ],
        outOfScope: [],
        notes: [],
        source: 'markdown',
        contentHash: `hash-${index}`,
      }),
    );
  }
  return { projectId: project.id, stories, storyIds: stories.map((story) => story.id) };
}

/** How many test cases a story gets: 1, 2 or 3 depending on its number, so sets differ in size. */
export function expectedCaseCount(story: { key: string }): number {
  return (Number(story.key.split('-')[1]) % 3) + 1;
}

/** A deterministic generation for a story: `expectedCaseCount` cases, 100 tokens. */
export function completionFor(story: StoryRecord, tokens = 100): TaskCompletion {
  const testCases: GeneratedTestCase[] = [];
  for (let index = 1; index <= expectedCaseCount(story); index++) {
    testCases.push({
      title: `${story.key} case ${index}`,
      kind: 'positive',
      priority: 'high',
      preconditions: [],
      steps: [{ action: `Use feature of ${story.key}`, expected: 'It works' }],
      covers: ['AC-1'],
      engine: 'llm',
      warnings: [],
    });
  }
  return {
    generation: {
      engine: 'llm',
      model: 'fake-model',
      usage: { promptTokens: tokens - 40, completionTokens: 40, totalTokens: tokens, estimated: false },
    },
    testCases,
  };
}
