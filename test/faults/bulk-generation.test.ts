/**
 * The fault suite for bulk generation (issue #7), over real HTTP: a stored provider points at the
 * fault-injecting fake endpoint, which hits the first request for every story with one fault and
 * answers later ones. Whatever the fault, the job ends; every story is either done with exactly
 * one generation and only complete test cases, or failed with a named error and nothing stored.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace } from '../../src/app/workspace/index.ts';
import { backlogAnswer, checkoutBacklog, promptOf, storyKeyIn } from '../support/backlog.ts';
import {
  errorBodies,
  startFakeLlmEndpoint,
  type BehaviourSpec,
  type FakeBehaviour,
  type FakeLlmEndpoint,
} from '../support/fake-llm-endpoint.ts';

const apiKey = 'sk-bulk-faults-0123456789abcdef';
const STORY_KEYS = ['SHOP-1', 'SHOP-2', 'SHOP-3', 'SHOP-4'];

/** The first request about each story gets `fault`; the others are answered. */
function firstAttemptFails(fault: (key: string) => FakeBehaviour): BehaviourSpec {
  const seen = new Set<string>();
  return ({ request }) => {
    const key = storyKeyIn(promptOf(request));
    if (seen.has(key)) return { kind: 'answer', text: backlogAnswer(key) };
    seen.add(key);
    return fault(key);
  };
}

/** A number: every story recovers with that many stored cases. A RegExp: every story fails with that error. */
const faults: Array<{ name: string; fault: (key: string) => FakeBehaviour; outcome: number | RegExp }> = [
  {
    name: '429 with Retry-After',
    fault: () => ({ kind: 'error', status: 429, retryAfter: 1 }),
    outcome: 2,
  },
  { name: '429 without Retry-After', fault: () => ({ kind: 'error', status: 429 }), outcome: 2 },
  { name: '500', fault: () => ({ kind: 'error', status: 500 }), outcome: 2 },
  {
    name: '502',
    fault: () => ({ kind: 'raw', status: 502, body: 'Bad gateway', contentType: 'text/plain' }),
    outcome: 2,
  },
  {
    name: '503',
    fault: () => ({ kind: 'error', status: 503, body: errorBodies.vllm('Model loading', 503) }),
    outcome: 2,
  },
  {
    name: '504',
    fault: () => ({ kind: 'raw', status: 504, body: 'Gateway timeout', contentType: 'text/plain' }),
    outcome: 2,
  },
  { name: 'a reset mid-answer', fault: () => ({ kind: 'reset', after: 'partial-body' }), outcome: 2 },
  { name: 'a hang past the timeout', fault: () => ({ kind: 'hang' }), outcome: 2 },
  {
    name: 'HTTP 200 with an error body',
    fault: () => ({ kind: 'error', status: 200, body: errorBodies.openai('Upstream failed') }),
    outcome: /^Error in a successful response: .*"Upstream failed"/,
  },
  {
    name: 'invalid JSON',
    fault: () => ({ kind: 'raw', body: '{"choices": [ {"message": ' }),
    outcome: /^Incorrect response structure: .*not valid JSON/,
  },
  {
    name: 'an answer cut at max_tokens',
    fault: (key) => ({
      kind: 'answer',
      // Cut inside the second case.
      text: backlogAnswer(key).slice(0, backlogAnswer(key).indexOf('A message is shown')),
      finishReason: 'length',
    }),
    // The complete case is kept; the one cut in the middle is not stored.
    outcome: 1,
  },
];

let endpoint: FakeLlmEndpoint;
let directory: string;
let workspace: Workspace;

beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({ apiKey });
});
afterAll(async () => endpoint.close());

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'reqase-bulk-faults-'));
  workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory }, directory));
  await workspace.projects.create({ name: 'Shop', defaultFormat: 'manual' });
  await workspace.stories.importStories('Shop', {
    content: checkoutBacklog(STORY_KEYS),
    fileName: 'backlog.md',
  });
});
afterEach(async () => {
  await workspace.close();
  await rm(directory, { recursive: true, force: true });
});

/**
 * The per-attempt timeout is a ceiling, not a budget: short only where the fault is a hang (so the
 * test does not wait long for it), and wide enough there for an answered retry on a loaded machine.
 */
async function useProvider(baseUrl: string, timeoutMilliseconds = 60_000) {
  await workspace.providers.add({
    name: 'team-llm',
    baseUrl,
    model: 'fake-model',
    apiKey,
    timeoutMilliseconds,
    limits: { concurrency: 4, maxRetries: 2, maxRetryAfterMilliseconds: 50 },
  });
  await workspace.providers.setDefault('Shop', 'team-llm');
}

/** Runs a job over the backlog and checks what every fault must leave behind. */
async function runBacklog() {
  const started = await workspace.jobs.start({
    projectName: 'Shop',
    all: true,
    options: { fillGaps: false },
  });
  const result = await workspace.jobs.run(started.id, { maxAttempts: 1 });
  expect(['completed', 'failed']).toContain(result.job.status);
  const details = await workspace.jobs.show(started.id);
  const storage = await workspace.storage();
  const project = await storage.projects.findByName('Shop');
  for (const story of await storage.stories.list(project!.id)) {
    const task = details.tasks.find((item) => item.storyKey === story.key);
    const generations = await storage.generations.listByStory(story.id);
    const testCases = await storage.testCases.list({ storyId: story.id });
    if (task?.status === 'done') {
      expect(generations, story.key).toHaveLength(1);
      expect(testCases.length, story.key).toBe(task.testCaseCount);
      expect(
        testCases.every((testCase) => testCase.steps.length > 0 && testCase.title.startsWith(story.key)),
      ).toBe(true);
      expect(new Set(testCases.map((testCase) => testCase.title)).size).toBe(testCases.length);
    } else {
      expect(task?.status, story.key).toBe('failed');
      expect(task?.lastError, story.key).toMatch(/\w+.*: .+/);
      expect(task?.lastError).not.toContain(apiKey);
      expect(generations).toHaveLength(0);
      expect(testCases).toHaveLength(0);
    }
  }
  return details;
}

describe('bulk generation through endpoint faults', () => {
  for (const { name, fault, outcome } of faults) {
    it(`${name}: every story ends done exactly once or failed with a named error`, async () => {
      await useProvider(endpoint.url, name === 'a hang past the timeout' ? 2_000 : undefined);
      endpoint.setScenario({ default: firstAttemptFails(fault) });
      const details = await runBacklog();
      for (const task of details.tasks) {
        if (typeof outcome === 'number') expect([task.status, task.testCaseCount]).toEqual(['done', outcome]);
        else expect([task.status, task.lastError]).toEqual(['failed', expect.stringMatching(outcome)]);
      }
    });
  }

  it('an endpoint that changes behaviour between retries (503, 429, reset, then answers)', async () => {
    await useProvider(endpoint.url);
    const attempts = new Map<string, number>();
    endpoint.setScenario({
      default: ({ request }) => {
        const key = storyKeyIn(promptOf(request));
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        if (attempt === 1) return { kind: 'error', status: 503 };
        if (attempt === 2) return { kind: 'error', status: 429, retryAfter: 1 };
        return { kind: 'answer', text: backlogAnswer(key) };
      },
    });
    const details = await runBacklog();
    expect(details.tasks.every((task) => task.status === 'done')).toBe(true);
  });

  it('connection refused: every story fails with "unreachable" and nothing is stored', async () => {
    const port = await new Promise<number>((resolvePort) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 1));
      });
    });
    await useProvider(`http://127.0.0.1:${port}/v1`);
    const details = await runBacklog();
    expect(details.status).toBe('failed');
    expect(
      details.tasks.every((task) => /unreachable|could not connect|refused/i.test(task.lastError ?? '')),
    ).toBe(true);
  });
});
