/**
 * A small backlog for bulk-generation tests, and the model answer the fake endpoint gives for
 * each of its stories: two cases titled after the story, covering its two criteria.
 */

/** Markdown stories `# KEY: Checkout step N`, each with a valid-input and an invalid-input criterion. */
export function checkoutBacklog(keys: readonly string[]): string {
  return keys
    .map(
      (key, index) => `# ${key}: Checkout step ${index + 1}

As a shopper I want checkout step ${index + 1} so that I can buy.

## Acceptance Criteria

- Step ${index + 1} accepts valid input and moves on.
- Step ${index + 1} rejects invalid input with a message.
`,
    )
    .join('\n');
}

/** The story key (`SHOP-n`) a prompt or request is about. */
export function storyKeyIn(text: string): string {
  return /SHOP-\d+/.exec(text)?.[0] ?? 'unknown';
}

/** The text of a chat request's messages, to find the story in it. */
export function promptOf(request: { messages?: Array<{ content?: unknown }> }): string {
  return (request.messages ?? []).map((message) => String(message.content)).join('\n');
}

/** Two complete cases for the story: `KEY valid input` (AC-1) and `KEY invalid input` (AC-2). */
export function backlogAnswer(key: string): string {
  return JSON.stringify({
    testCases: [
      {
        title: `${key} valid input`,
        kind: 'positive',
        priority: 'high',
        preconditions: [],
        steps: [{ action: 'Enter valid input', data: '', expected: 'The next step is shown' }],
        covers: ['AC-1'],
      },
      {
        title: `${key} invalid input`,
        kind: 'negative',
        priority: 'high',
        preconditions: [],
        steps: [{ action: 'Enter invalid input', data: '', expected: 'A message is shown' }],
        covers: ['AC-2'],
      },
    ],
  });
}
