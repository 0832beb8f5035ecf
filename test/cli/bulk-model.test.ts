/**
 * `reqase generate --project P --stories … --provider NAME --model M` in a child process against
 * the fake endpoint: every request of the job asks that model, the job stores it, `job show`
 * names it; connection flags stay refused for a bulk job; an unknown provider names the stored ones.
 * One stored story with --provider and --model asks that model too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace } from '../../src/app/workspace/index.ts';
import { backlogAnswer, checkoutBacklog, promptOf, storyKeyIn } from '../support/backlog.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { runReqase as runReqaseProcess } from '../support/reqase-process.ts';

const apiKey = 'sk-test-bulk-model-0123456789abcdef';
let dataDirectory: string;
let endpoint: FakeLlmEndpoint;

function runReqase(args: string[]) {
  return runReqaseProcess(args, { cwd: dataDirectory, dataDirectory });
}

beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({
    apiKey,
    models: ['fake-model', 'fake-model-large'],
    scenario: {
      default: ({ request }) => ({ kind: 'answer', text: backlogAnswer(storyKeyIn(promptOf(request))) }),
    },
  });
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-bulk-model-'));
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: dataDirectory }, dataDirectory));
  try {
    await workspace.projects.create({ name: 'Shop', defaultFormat: 'manual' });
    await workspace.stories.importStories('Shop', {
      content: checkoutBacklog(['SHOP-1', 'SHOP-2']),
      fileName: 'backlog.md',
    });
    await workspace.providers.add({ name: 'team-llm', baseUrl: endpoint.url, model: 'fake-model', apiKey });
  } finally {
    await workspace.close();
  }
});

afterAll(async () => {
  await endpoint?.close();
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('reqase generate --project with --provider and --model', () => {
  it('runs every story of the job with the model asked for and shows it', async () => {
    const before = endpoint.completionRequests().length;
    const generated = await runReqase([
      'generate',
      '--project',
      'Shop',
      '--all',
      '--provider',
      'team-llm',
      '--model',
      'fake-model-large',
      '--no-fill-gaps',
      '--json',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    const job = JSON.parse(generated.stdout) as {
      id: string;
      status: string;
      provider: string;
      model: string;
    };
    expect(job).toMatchObject({ status: 'completed', provider: 'team-llm', model: 'fake-model-large' });
    const sent = endpoint.completionRequests().slice(before);
    expect(sent).toHaveLength(2);
    expect(sent.map((request) => (request.body as { model?: unknown }).model)).toEqual([
      'fake-model-large',
      'fake-model-large',
    ]);

    const shown = await runReqase(['job', 'show', job.id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Engine: model fake-model-large of provider team-llm');
  });

  it('asks the model given with a stored provider for one stored story too', async () => {
    const before = endpoint.completionRequests().length;
    const generated = await runReqase([
      'generate',
      '--project',
      'Shop',
      '--story',
      'SHOP-1',
      '--provider',
      'team-llm',
      '--model',
      'fake-model-large',
      '--no-fill-gaps',
      '--json',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    const sent = endpoint.completionRequests().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.map((request) => (request.body as { model?: unknown }).model)).toEqual(
      sent.map(() => 'fake-model-large'),
    );
  });

  it('refuses connection flags for a bulk job (exit 2) and an unknown provider naming the stored ones (exit 1)', async () => {
    const withUrl = await runReqase(['generate', '--project', 'Shop', '--all', '--base-url', endpoint.url]);
    expect(withUrl.code).toBe(2);
    expect(withUrl.stderr).toMatch(/not --base-url, --api-key, --temperature or --max-tokens/);
    const unknown = await runReqase(['generate', '--project', 'Shop', '--all', '--provider', 'ghost']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no provider named "ghost".*The stored providers are "team-llm"\./);
  });
});
