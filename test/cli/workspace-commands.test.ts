import { runReqase as runReqaseProcess } from '../support/reqase-process.ts';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runGenerateForStoredStory } from '../../src/cli/generate-stored.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';

const apiKey = 'sk-test-cli-workspace-0123456789abcdef';

let dataDirectory: string;
let workDirectory: string;
let endpoint: FakeLlmEndpoint;

function runReqase(args: string[], env: Record<string, string> = {}) {
  return runReqaseProcess(args, { cwd: workDirectory, dataDirectory, env });
}

/** Runs the stored-story generation in this process (as generate.ts will), capturing stdout. */
async function generateStored(
  flags: Parameters<typeof runGenerateForStoredStory>[0],
): Promise<{ code: number; stdout: string }> {
  const previous = { dataDirectory: process.env.REQASE_DATA_DIR, exitCode: process.exitCode };
  process.env.REQASE_DATA_DIR = dataDirectory;
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const writeError = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await runGenerateForStoredStory(flags);
    return { code: Number(process.exitCode ?? 0), stdout };
  } finally {
    write.mockRestore();
    writeError.mockRestore();
    process.exitCode = previous.exitCode;
    if (previous.dataDirectory === undefined) delete process.env.REQASE_DATA_DIR;
    else process.env.REQASE_DATA_DIR = previous.dataDirectory;
  }
}

const modelAnswer = JSON.stringify({
  testCases: [
    {
      title: 'Refund goes back to the card',
      kind: 'positive',
      priority: 'high',
      preconditions: ['A paid order'],
      steps: [{ action: 'Refund the order', data: '', expected: 'The card is credited' }],
      covers: ['AC-1'],
    },
    {
      title: 'Refund e-mail is sent',
      kind: 'positive',
      priority: 'medium',
      preconditions: [],
      steps: [{ action: 'Refund the order', data: '', expected: 'An e-mail "Refund issued" arrives' }],
      covers: ['AC-2'],
    },
  ],
});

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-cli-data-'));
  workDirectory = mkdtempSync(join(tmpdir(), 'reqase-cli-work-'));
  endpoint = await startFakeLlmEndpoint({
    apiKey,
    scenario: { default: { kind: 'answer', text: modelAnswer } },
  });
  writeFileSync(
    join(workDirectory, 'backlog.csv'),
    'Issue key,Title,Criteria\nPAY-1,Refund an order,"Refund goes to the card; A refund e-mail is sent"\nPAY-2,Cancel an order,"An open order can be cancelled"\n',
  );
});

afterAll(async () => {
  await endpoint.close();
  rmSync(dataDirectory, { recursive: true, force: true });
  rmSync(workDirectory, { recursive: true, force: true });
});

// Each step spawns the real CLI (about fifteen processes); the global ceiling (vitest.config.ts)
// allows for a loaded two-core machine: the test waits on each exit, never on a budget.
describe('reqase workspace commands', () => {
  it('runs a whole flow: provider, project, import, generate, review, history, export', async () => {
    const added = await runReqase(
      [
        'provider',
        'add',
        'team',
        '--base-url',
        endpoint.url,
        '--model',
        'fake-model',
        '--api-key-env',
        'TEAM_KEY',
        '--requests-per-minute',
        '60',
        '--json',
      ],
      { TEAM_KEY: apiKey },
    );
    expect(added.code).toBe(0);
    expect(added.stdout + added.stderr).not.toContain(apiKey);
    expect(JSON.parse(added.stdout)).toMatchObject({
      provider: { name: 'team', hasApiKey: true, limits: { requestsPerMinute: 60 } },
    });
    const created = await runReqase([
      'project',
      'create',
      'Shop',
      '--format',
      'manual',
      '--rules',
      'Titles state the outcome.',
      '--provider',
      'team',
    ]);
    expect(created.code).toBe(0);

    const imported = await runReqase([
      'story',
      'import',
      'backlog.csv',
      '--project',
      'Shop',
      '--mapping',
      'key=Issue key,summary=Title,acceptanceCriteria=Criteria',
      '--json',
    ]);
    expect(imported.code).toBe(0);
    const importResult = JSON.parse(imported.stdout) as { stories: Array<{ key: string; status: string }> };
    expect(importResult.stories.map((story) => [story.key, story.status])).toEqual([
      ['PAY-1', 'created'],
      ['PAY-2', 'created'],
    ]);

    // generate --project P --story K, as generate.ts will call it.
    const generated = await generateStored({ project: 'Shop', story: 'PAY-1', fillGaps: false, json: true });
    expect(generated.code).toBe(0);
    const generation = JSON.parse(generated.stdout) as {
      engine: { kind: string };
      testCases: Array<{ id: string; displayId: string; title: string }>;
      generation: Record<string, unknown>;
    };
    expect(generation.engine.kind).toBe('llm');
    expect(generation.testCases.map((testCase) => testCase.displayId)).toEqual(['TC-1', 'TC-2']);
    expect(generation.generation).not.toHaveProperty('rawAnswer');
    expect(endpoint.completionRequests().at(-1)?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect((await generateStored({ project: 'Shop', story: 'PAY-2', offline: true, json: true })).code).toBe(
      0,
    );

    const accepted = await runReqase(['case', 'accept', 'PAY-1/TC-1', '--project', 'Shop', '--json']);
    expect(JSON.parse(accepted.stdout)).toMatchObject({ changed: 1 });
    const rejected = await runReqase(['case', 'reject', generation.testCases[1]?.id as string, '--json']);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ changed: 1 });

    const edited = await runReqase([
      'case',
      'edit',
      'PAY-1/TC-1',
      '--project',
      'Shop',
      '--title',
      'Refund is credited to the same card',
      '--json',
    ]);
    expect(edited.code).toBe(0);
    expect(JSON.parse(edited.stdout)).toMatchObject({
      version: 2,
      title: 'Refund is credited to the same card',
      status: 'accepted',
    });
    const history = await runReqase(['case', 'history', 'PAY-1/TC-1', '--project', 'Shop', '--json']);
    expect(
      (JSON.parse(history.stdout) as { versions: Array<{ content: { title: string } }> }).versions[0]?.content
        .title,
    ).toBe('Refund goes back to the card');

    const features = await runReqase([
      'export',
      '--project',
      'Shop',
      '--to',
      'cucumber',
      '--out',
      'features',
      '--json',
    ]);
    expect(features.code).toBe(0);
    expect(JSON.parse(features.stdout)).toMatchObject({ target: 'cucumber', storyCount: 2 });
    expect(readdirSync(join(workDirectory, 'features')).sort()).toEqual(['PAY-1.feature', 'PAY-2.feature']);
    const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
    const pay1 = parser.parse(readFileSync(join(workDirectory, 'features', 'PAY-1.feature'), 'utf8'));
    // Drafts and accepted cases by default: the rejected one is left out.
    expect(pay1.feature?.children.map((child) => child.scenario?.name)).toEqual([
      'Refund is credited to the same card',
    ]);

    const csv = await runReqase([
      'export',
      '--project',
      'Shop',
      '--to',
      'csv',
      '--story',
      'PAY-1',
      '--status',
      'accepted,rejected',
    ]);
    expect(csv.code).toBe(0);
    const rows = parseCsv(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => row.Title).filter(Boolean)).toEqual([
      'Refund is credited to the same card',
      'Refund e-mail is sent',
    ]);

    const providers = await runReqase(['provider', 'list', '--json']);
    expect(providers.stdout).not.toContain(apiKey);
    expect(providers.stdout).toContain('sk-…cdef');
    expect(readFileSync(join(dataDirectory, 'reqase.db')).includes(Buffer.from(apiKey))).toBe(false);

    // An empty file changes nothing.
    writeFileSync(join(workDirectory, 'empty.md'), '');
    expect((await runReqase(['story', 'import', 'empty.md', '--project', 'Shop'])).code).toBe(1);
    const shown = await runReqase(['project', 'show', 'Shop', '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      storyCount: 2,
      defaultProvider: 'team',
      testCases: { rejected: 1 },
    });
  });

  it('exits 2 on usage errors and 1 on errors the user can fix, with a JSON error under --json', async () => {
    expect((await runReqase(['export', '--project', 'Shop', '--to', 'excel'])).code).toBe(2);
    const noCases = await runReqase(['case', 'accept']);
    expect(noCases.code).toBe(2);
    expect(noCases.stderr).toMatch(/No test case was named/);

    const missing = await runReqase(['story', 'show', 'NOPE-1', '--project', 'Nowhere', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'not_found' } });
    expect(missing.stderr).toMatch(/Fix:/);

    expect((await generateStored({ project: 'Shop', json: true })).code).toBe(2);
  });
});
