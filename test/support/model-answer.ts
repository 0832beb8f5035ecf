/**
 * A realistic model answer for a story, in the wire JSON layout: the offline engine's cases as a
 * model would send them (BDD cases with their Gherkin). Shared by the benchmarks and the tests
 * that need an answer whose content is known.
 */
import type { Story, TestFormat } from '../../src/core/index.ts';
import { generateOffline } from '../../src/core/offline/index.ts';

export function modelAnswerFor(story: Story, format: TestFormat = 'manual'): string {
  const offline = generateOffline(story, { format });
  return JSON.stringify({
    testCases: offline.testCases.map((testCase) => ({
      title: testCase.title,
      kind: testCase.kind,
      priority: testCase.priority,
      preconditions: testCase.preconditions,
      steps: testCase.steps.map((step) => ({
        action: step.action,
        data: step.data ?? '',
        expected: step.expected ?? '',
      })),
      covers: testCase.covers,
      ...(format === 'bdd' ? { gherkin: testCase.gherkin ?? '' } : {}),
    })),
  });
}
