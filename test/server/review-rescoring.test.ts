/**
 * Accepting or rejecting through the API keeps every stored score equal to a fresh scoring, read
 * straight after the write (no refresh): a write rescores a story only when a case moves into or
 * out of "rejected" (the scored set is its draft and accepted cases together), and accepting a
 * draft leaves that set, and so every score, as it was.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scoreStoredCases } from '../../src/core/stored-case-quality.ts';
import type { TestCaseRecord } from '../../src/core/repositories.ts';
import type { Storage } from '../../src/storage/index.ts';
import { startWorkspaceServer, type WorkspaceServer } from './workspace-server.ts';
import { domainTestCase } from '../../src/app/workspace/context.ts';

let served: WorkspaceServer;
let storage: Storage;
let storyId: string;
let ids: string[];

const twoSteps = [
  { action: 'Open the checkout page with one item in the cart', expected: 'The total is shown' },
  { action: 'Pay with card 4111 1111 1111 1111', expected: 'The page shows "Order confirmed"' },
];

beforeAll(async () => {
  served = await startWorkspaceServer('sqlite');
  expect((await served.call('POST', '/api/projects', { name: 'Shop' })).status).toBe(201);
  storage = await served.workspace.storage();
  const project = (await storage.projects.findByName('Shop'))!;
  const story = await storage.stories.save(project.id, {
    key: 'SHOP-1',
    summary: 'Customer pays by card',
    description: 'As a shopper I want to pay by card.',
    acceptanceCriteria: [
      { id: 'AC-1', text: 'Card payments are accepted' },
      { id: 'AC-2', text: 'A declined card shows "Card declined"' },
    ],
    outOfScope: [],
    notes: [],
    source: 'markdown',
    contentHash: 'SHOP-1',
  });
  storyId = story.id;
  const content = (title: string, covers: string[], steps = twoSteps) => ({
    projectId: project.id,
    storyId,
    title,
    kind: 'positive' as const,
    priority: 'high',
    preconditions: [],
    steps,
    covers,
    engine: 'llm' as const,
    warnings: [],
  });
  // The second case repeats the first one's steps: a duplicate-steps finding while both are scored.
  const records = await storage.testCases.insertMany([
    content('Pay by card', ['AC-1']),
    content('Pay by card again', ['AC-1']),
    content(
      'Declined card',
      ['AC-2'],
      [{ action: 'Pay with card 4000 0000 0000 0002', expected: 'Declined' }],
    ),
  ]);
  ids = records.map((record) => record.id);
  await storage.testCases.refreshQuality({ storyIds: [storyId] });
});

afterAll(async () => {
  await served?.dispose();
});

/** A stored case as the quality scorer takes it, as the product's rescoring builds it. */
function scorable(record: TestCaseRecord) {
  return { id: record.id, status: record.status, testCase: domainTestCase(record) };
}

/** The stored scores, as the write left them, equal to a fresh scoring of the story now. */
async function expectStoredEqualsFresh() {
  const records = await storage.testCases.list({ storyId });
  const fresh = scoreStoredCases((await storage.stories.get(storyId))!, records.map(scorable));
  const stored = await storage.testCases.storedQuality(records.map((record) => record.id));
  expect(stored).toEqual(fresh);
  return stored;
}

async function review(action: 'accept' | 'reject', id: string) {
  const response = await served.call('POST', `/api/test-cases/${action}`, { ids: [id] });
  expect(response.status).toBe(200);
}

const rules = (stored: Awaited<ReturnType<typeof expectStoredEqualsFresh>>, id: string) =>
  stored.get(id)!.findings.map((finding) => finding.rule);

it('keeps stored scores equal to a fresh scoring through accept, reject and accepting a rejected case', async () => {
  expect(rules(await expectStoredEqualsFresh(), ids[1]!)).toContain('duplicate-steps');
  await review('accept', ids[0]!); // draft to accepted: the scored set is the same
  expect(rules(await expectStoredEqualsFresh(), ids[1]!)).toContain('duplicate-steps');
  await review('reject', ids[0]!); // leaves the set: the second case no longer repeats it
  expect(rules(await expectStoredEqualsFresh(), ids[1]!)).not.toContain('duplicate-steps');
  await review('reject', ids[0]!); // rejected again: nothing moves
  await expectStoredEqualsFresh();
  await review('accept', ids[0]!); // joins the set again
  expect(rules(await expectStoredEqualsFresh(), ids[1]!)).toContain('duplicate-steps');
});
