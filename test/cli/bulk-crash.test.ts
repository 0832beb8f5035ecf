import { backlogAnswer, promptOf, storyKeyIn } from '../support/backlog.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace } from '../../src/app/workspace/index.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { trackChild } from '../support/child-processes.ts';
import { reqaseEntry } from '../support/reqase-process.ts';

const apiKey = 'sk-test-bulk-crash-0123456789abcdef';
const STORY_COUNT = 8;
const keys = Array.from({ length: STORY_COUNT }, (_, index) => `SHOP-${index + 1}`);

let dataDirectory: string;
let endpoint: FakeLlmEndpoint;
const children = new Set<ChildProcess>();

interface Started {
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Resolves with the match once stderr matches. */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startReqase(args: string[]): Started {
  const child = spawn(process.execPath, [reqaseEntry(), ...args], {
    cwd: dataDirectory,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      REQASE_DATA_DIR: dataDirectory,
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  trackChild(child);
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (match: RegExpExecArray) => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(stderr);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    waitForStderr(pattern) {
      const match = pattern.exec(stderr);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then(() => reject(new Error(`reqase exited before ${pattern}:\n${stderr}`)));
      });
    },
  };
}

async function withWorkspace<Value>(action: (workspace: Workspace) => Promise<Value>): Promise<Value> {
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: dataDirectory }, dataDirectory));
  try {
    return await action(workspace);
  } finally {
    await workspace.close();
  }
}

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-bulk-crash-'));
  endpoint = await startFakeLlmEndpoint({
    apiKey,
    scenario: {
      // Uneven answer times, so a story is in flight whenever another one ends.
      default: ({ request, index }) => ({
        kind: 'answer',
        text: backlogAnswer(storyKeyIn(promptOf(request))),
        latency: { timeToFirstTokenMilliseconds: index % 2 === 0 ? 300 : 900 },
      }),
    },
  });
  await withWorkspace(async (workspace) => {
    await workspace.projects.create({ name: 'Shop' });
    await workspace.stories.importStories('Shop', {
      fileName: 'backlog.md',
      content: keys
        .map(
          (key) =>
            `# ${key}: Checkout ${key}\n\nAs a shopper I want ${key} so that I can buy.\n\n## Acceptance Criteria\n\n- ${key} accepts valid input.\n- ${key} rejects invalid input with a message.\n`,
        )
        .join('\n'),
    });
    await workspace.providers.add({
      name: 'team-llm',
      baseUrl: endpoint.url,
      model: 'fake-model',
      apiKey,
      limits: { concurrency: 2 },
    });
    await workspace.providers.setDefault('Shop', 'team-llm');
  });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await endpoint?.close();
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('reqase generate --project P --all interrupted and killed', () => {
  it('stops on Ctrl-C, survives SIGKILL, and `reqase job resume` finishes with every story exactly once', async () => {
    // 1. Ctrl-C after the first story: running stories are given back, the job stays resumable.
    const first = startReqase(['generate', '--project', 'Shop', '--all', '--no-fill-gaps']);
    const jobId = (await first.waitForStderr(/Job ([0-9a-f-]{36}): 8 stories/))[1]!;
    await first.waitForStderr(/[1-8]\/8 done/);
    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(130);
    expect(first.stderr()).toMatch(/Stopping: no new story is taken/);
    expect(first.stdout()).toContain(`reqase job resume ${jobId}`);
    const afterInterrupt = await withWorkspace((workspace) => workspace.jobs.show(jobId));
    expect(afterInterrupt.status).toBe('running');
    expect(afterInterrupt.progress.running).toBe(0);
    expect(afterInterrupt.progress.done).toBeGreaterThanOrEqual(1);
    expect(afterInterrupt.progress.done).toBeLessThan(STORY_COUNT);

    // 2. Resume, then SIGKILL the process while stories are in flight.
    const second = startReqase(['job', 'resume', jobId]);
    const doneBefore = afterInterrupt.progress.done;
    await second.waitForStderr(new RegExp(`[${doneBefore + 1}-8]/8 done`));
    second.child.kill('SIGKILL');
    expect((await second.exited).signal).toBe('SIGKILL');
    const afterKill = await withWorkspace((workspace) => workspace.jobs.show(jobId));
    expect(afterKill.progress.done).toBeGreaterThan(doneBefore);
    // The killed process held stories; without a resume they would wait for their lease to end.
    expect(afterKill.progress.running).toBeGreaterThanOrEqual(1);

    // 3. Resume again: the dead process's stories are taken back at once and the job completes.
    const third = startReqase(['job', 'resume', jobId, '--json']);
    const finished = await third.exited;
    expect(finished.code, third.stderr()).toBe(0);
    const summary = JSON.parse(third.stdout()) as {
      status: string;
      progress: { done: number; failed: number; remaining: number; testCases: number };
    };
    expect(summary).toMatchObject({
      status: 'completed',
      progress: { done: STORY_COUNT, failed: 0, remaining: 0, testCases: STORY_COUNT * 2 },
    });

    // Exactly once: one generation per story and no duplicated case.
    await withWorkspace(async (workspace) => {
      const storage = await workspace.storage();
      const project = await storage.projects.findByName('Shop');
      for (const story of await storage.stories.list(project!.id)) {
        expect(await storage.generations.listByStory(story.id), story.key).toHaveLength(1);
        const titles = (await storage.testCases.list({ storyId: story.id })).map(
          (testCase) => testCase.title,
        );
        expect(titles.sort(), story.key).toEqual([`${story.key} invalid input`, `${story.key} valid input`]);
      }
    });
  });
});
