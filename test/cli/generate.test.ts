import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackChild } from '../support/child-processes.ts';
import { reqaseEntry, runReqase as runReqaseProcess } from '../support/reqase-process.ts';

const root = join(import.meta.dirname, '..', '..');
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';

const apiKey = 'sk-test-cli-0123456789abcdef';

function runReqase(args: string[], env: Record<string, string> = {}, input?: string) {
  return runReqaseProcess(args, { dataDirectory, env, ...(input === undefined ? {} : { input }) });
}

let dataDirectory: string;
let endpoint: FakeLlmEndpoint;

const modelAnswer = JSON.stringify({
  testCases: [
    {
      title: 'Sign in with valid credentials',
      kind: 'positive',
      priority: 'high',
      preconditions: ['A registered user exists'],
      steps: [
        { action: 'Open the sign-in page', data: '', expected: 'The sign-in form is shown' },
        {
          action: 'Enter a valid email and password and select Sign in',
          data: 'maria@example.com / Passw0rd!',
          expected: 'The account dashboard is shown',
        },
      ],
      covers: ['AC-1'],
    },
    {
      title: 'Wrong password shows a neutral error',
      kind: 'negative',
      priority: 'high',
      preconditions: [],
      steps: [
        {
          action: 'Enter a registered email with a wrong password',
          data: 'maria@example.com / wrong',
          expected: 'The message "Invalid email or password" is shown',
        },
      ],
      covers: ['AC-4'],
    },
  ],
});

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-cli-'));
  endpoint = await startFakeLlmEndpoint({
    apiKey,
    scenario: { default: { kind: 'answer', text: modelAnswer } },
  });
});

afterAll(async () => {
  await endpoint.close();
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('reqase generate', () => {
  it('runs the offline rules engine when no model is configured, and says so', async () => {
    const run = await runReqase(['generate', 'examples/stories/login.md', '--json']);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as {
      engine: string;
      story: { key: string; acceptanceCriteria: Array<{ id: string }> };
      testCases: Array<{ id: string; engine: string; covers: string[] }>;
      coverage: Record<string, string[]>;
      uncovered: string[];
    };
    expect(output.engine).toBe('rules');
    expect(output.story.key).toBe('AUTH-1');
    expect(output.testCases.length).toBeGreaterThan(output.story.acceptanceCriteria.length);
    expect(output.testCases.every((testCase) => testCase.engine === 'rules')).toBe(true);
    expect(output.uncovered).toEqual([]);
    for (const criterion of output.story.acceptanceCriteria) {
      expect(output.coverage[criterion.id]?.length).toBeGreaterThan(0);
    }
  });

  it('uses the configured model over HTTP and never prints the key', async () => {
    const run = await runReqase(['generate', 'examples/stories/login.md', '--json', '--no-fill-gaps'], {
      REQASE_BASE_URL: endpoint.origin, // without /v1: normalised, with a notice
      REQASE_API_KEY: apiKey,
      REQASE_MODEL: 'fake-model',
    });
    expect(run.stderr).not.toContain(apiKey);
    expect(run.stdout).not.toContain(apiKey);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as {
      engine: string;
      testCases: Array<{ title: string; covers: string[]; steps: unknown[] }>;
      coverage: Record<string, string[]>;
      uncovered: string[];
    };
    expect(output.engine).toBe('llm');
    expect(output.testCases.map((testCase) => testCase.title)).toEqual([
      'Sign in with valid credentials',
      'Wrong password shows a neutral error',
    ]);
    expect(output.coverage['AC-1']).toEqual(['TC-1']);
    expect(output.uncovered).toContain('AC-2');
    expect(run.stderr).toMatch(/\/v1/);
    const request = endpoint.completionRequests().at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it('reads the story from standard input and prints a readable listing', async () => {
    const story =
      '# SHOP-9: Apply a discount code\n\n## Acceptance Criteria\n- A valid code reduces the total by its percentage\n- An expired code is rejected with the message "Code expired"\n';
    const run = await runReqase(['generate', '-', '--offline', '--format', 'bdd'], {}, story);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SHOP-9: Apply a discount code');
    expect(run.stdout).toContain('Scenario');
    expect(run.stdout).toMatch(/AC-1 .*TC-/);
  });

  it('fails with a clear message and exit code 1 when the endpoint refuses the key', async () => {
    const run = await runReqase(['generate', 'examples/stories/login.md'], {
      REQASE_BASE_URL: endpoint.url,
      REQASE_API_KEY: 'sk-wrong-key-0000000000000',
      REQASE_MODEL: 'fake-model',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Authentication error/);
    expect(run.stderr).toMatch(/Fix:/);
    expect(run.stderr).not.toContain('sk-wrong-key-0000000000000');
  });

  it('reaches a server that serves /chat/completions at the root with REQASE_BASE_URL_EXACT=1', async () => {
    const rootServer = await startFakeLlmEndpoint({
      pathMode: 'root',
      scenario: { default: { kind: 'answer', text: modelAnswer } },
    });
    try {
      const env = { REQASE_BASE_URL: rootServer.origin, REQASE_MODEL: 'fake-model' };
      const refused = await runReqase(
        ['generate', 'examples/stories/login.md', '--json', '--no-fill-gaps'],
        env,
      );
      expect(refused.code).toBe(1);
      const run = await runReqase(['generate', 'examples/stories/login.md', '--json', '--no-fill-gaps'], {
        ...env,
        REQASE_BASE_URL_EXACT: '1',
      });
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as { engine: string }).engine).toBe('llm');
    } finally {
      await rootServer.close();
    }
  });

  it('names a missing file and exits non-zero', async () => {
    const run = await runReqase(['generate', 'examples/stories/nope.md']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot read the story file examples\/stories\/nope\.md: it does not exist/);
  });

  it('rejects a malformed --count with a fix', async () => {
    const run = await runReqase(['generate', 'examples/stories/login.md', '--count', 'lots']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/count must be a number or a range/);
  });
});

describe('output into a closed pipe', () => {
  it('ends quietly when the reader stops early (reqase … | head)', async () => {
    const { spawn } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    // Forty stories: the listing is written story by story, so writes go on after the reader left.
    const backlog = join(dataDirectory, 'backlog.md');
    writeFileSync(
      backlog,
      Array.from(
        { length: 40 },
        (_, index) =>
          `# SHOP-${index + 1}: Step ${index + 1}\n\n## Acceptance Criteria\n- Step ${index + 1} accepts between 1 and 5 items\n`,
      ).join('\n'),
    );
    const child = spawn(process.execPath, [reqaseEntry(), 'generate', '--offline', backlog], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REQASE_DATA_DIR: dataDirectory },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    trackChild(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolveCode) => child.on('close', resolveCode));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .+:\d+:\d+/);
    expect(code).toBe(0);
  });
});
