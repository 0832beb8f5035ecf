/**
 * Two bulk runs on one project did the work twice: two `POST /api/projects/P/jobs {"all":true}`
 * both answered 202 and every story was generated twice. A story an active job still has to do
 * is not taken again: the second start answers 409 naming the running job and what to do. Over
 * real HTTP, the two starts sent at once, on SQLite and PostgreSQL. The model endpoint holds every
 * answer, so the first job is certainly still running (no race with the clock).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace } from '../../src/app/workspace/index.ts';
import { runReqaseWithoutModel } from '../bad-input/bad-input-cases.ts';
import { checkoutBacklog } from '../support/backlog.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { startWorkspaceServer, type WorkspaceServer } from '../server/workspace-server.ts';
import { describeDialect, DIALECTS, isAvailable } from '../storage/storage-setup.ts';

const apiKey = 'sk-test-duplicate-runs-0123456789abcdef';

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('two bulk runs on one project', dialect), () => {
    let api: WorkspaceServer;
    let endpoint: FakeLlmEndpoint;

    beforeAll(async () => {
      endpoint = await startFakeLlmEndpoint({ apiKey, scenario: { default: { kind: 'hang' } } });
      api = await startWorkspaceServer(dialect);
      expect((await api.call('POST', '/api/projects', { name: 'P' })).status).toBe(201);
      const imported = await api.call('POST', '/api/projects/P/stories/import', {
        content: checkoutBacklog(['SHOP-1', 'SHOP-2', 'SHOP-3', 'SHOP-4', 'SHOP-5', 'SHOP-6']),
        fileName: 'backlog.md',
      });
      expect(imported.status).toBe(200);
      const provider = await api.call('POST', '/api/providers', {
        name: 'held',
        baseUrl: endpoint.url,
        model: 'fake-model',
        apiKey,
      });
      expect(provider.status).toBeLessThan(300);
    });
    afterAll(async () => {
      await api?.dispose();
      await endpoint?.close();
    });

    it('answers 202 to one of two starts sent at once and 409 naming its job to the other', async () => {
      const start = (body: Record<string, unknown>) =>
        api.call('POST', '/api/projects/P/jobs', { provider: 'held', ...body });
      const responses = await Promise.all([start({ all: true }), start({ all: true })]);
      const texts = await Promise.all(responses.map((response) => response.text()));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses, texts.join('\n')).toEqual([202, 409]);
      const started = JSON.parse(texts[responses.findIndex((response) => response.status === 202)]!) as {
        id: string;
      };
      const refused = JSON.parse(texts[responses.findIndex((response) => response.status === 409)]!) as {
        error: { code: string; message: string; fix: string };
      };
      expect(refused.error.code).toBe('conflict');
      expect(refused.error.message).toContain(started.id);
      expect(refused.error.fix).toContain(`/api/jobs/${started.id}/cancel`);

      // One story of it is refused as well; the project holds one job.
      expect((await start({ stories: ['SHOP-2'] })).status).toBe(409);
      const listed = (await (await api.call('GET', '/api/projects/P/jobs')).json()) as { jobs: unknown[] };
      expect(listed.jobs).toHaveLength(1);

      // Once it is cancelled, its stories can be started again.
      expect((await api.call('POST', `/api/jobs/${started.id}/cancel`, {})).status).toBe(200);
      const again = await start({ all: true });
      expect(again.status).toBe(202);
      const second = (await again.json()) as { id: string };
      expect((await api.call('POST', `/api/jobs/${second.id}/cancel`, {})).status).toBe(200);
    });
  });
}

describe('two bulk runs on one project from the CLI', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'reqase-bulk-twice-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('`reqase generate --project P --all` exits 1 naming the job that still has the stories, and starts nothing', async () => {
    const dataDirectory = join(directory, 'data');
    writeFileSync(join(directory, 'backlog.md'), checkoutBacklog(['SHOP-1', 'SHOP-2', 'SHOP-3']));
    const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: dataDirectory }, directory));
    let runningJob: string;
    try {
      await workspace.projects.create({ name: 'P' });
      await workspace.stories.importStoryFile('P', 'backlog.md');
      // The first run, as `reqase generate --project P --all --detach` leaves it: active, not done.
      runningJob = (await workspace.jobs.start({ projectName: 'P', all: true, options: { offline: true } }))
        .id;
    } finally {
      await workspace.close();
    }

    const run = await runReqaseWithoutModel(['generate', '--project', 'P', '--all', '--offline'], {
      cwd: directory,
      dataDirectory,
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`Job ${runningJob} (queued) is already generating 3 of these stories`);
    expect(run.stderr).toContain(`reqase job cancel ${runningJob}`);

    const after = openWorkspace(resolveSettings({ REQASE_DATA_DIR: dataDirectory }, directory));
    try {
      expect((await after.jobs.list('P')).map((job) => job.id)).toEqual([runningJob]);
    } finally {
      await after.close();
    }
  }, 120_000);
});
