/**
 * NUL characters (U+0000): PostgreSQL cannot store them in text and answered 500; an import with
 * one in its third story stored the first two. Every surface refuses NUL with a 400 (exit 1 on the
 * CLI) naming the field, and an import is all or nothing, on SQLite and PostgreSQL alike.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace } from '../../src/app/workspace/index.ts';
import { startWorkspaceServer, type WorkspaceServer } from '../server/workspace-server.ts';
import {
  createTestDatabase,
  describeDialect,
  DIALECTS,
  isAvailable,
  seedProjectAndStory,
  testCaseContent,
} from '../storage/storage-setup.ts';
import { runReqaseWithoutModel } from './bad-input-cases.ts';

/** A JSON story file whose third story holds a NUL (as the JSON escape, so the file is text). */
function storiesWithNul(): string {
  const story = (key: string, description = 'As a shopper I want to pay.') => ({
    key,
    summary: `Story ${key}`,
    description,
    acceptanceCriteria: ['It works'],
  });
  return JSON.stringify([story('OK-1'), story('OK-2'), story('NUL-1', 'Pay\u0000now'), story('OK-3')]);
}

async function expectRefusedNaming(response: Response, field: RegExp): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(400);
  const body = JSON.parse(text) as { error: { code: string; message: string; fix?: string } };
  expect(body.error.code).toBe('invalid_input');
  expect(body.error.message).toMatch(field);
  expect(body.error.message).toMatch(/NUL/);
  expect(body.error.fix ?? '').not.toBe('');
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('NUL characters over HTTP', dialect), () => {
    let api: WorkspaceServer;

    beforeAll(async () => {
      api = await startWorkspaceServer(dialect);
      expect((await api.call('POST', '/api/projects', { name: 'P' })).status).toBe(201);
    });
    afterAll(async () => {
      await api?.dispose();
    });

    async function storyCount(): Promise<number> {
      const response = await api.call('GET', '/api/projects/P');
      return ((await response.json()) as { storyCount: number }).storyCount;
    }

    it('refuses a project name, a token name, a query parameter and a path parameter with NUL, naming each', async () => {
      await expectRefusedNaming(await api.call('POST', '/api/projects', { name: 'nul\u0000x' }), /\bname\b/);
      await expectRefusedNaming(await api.call('POST', '/api/tokens', { name: 'token\u0000' }), /\bname\b/);
      await expectRefusedNaming(await api.call('GET', '/api/projects/P/test-cases?story=a%00b'), /\bstory\b/);
      await expectRefusedNaming(await api.call('GET', '/api/projects/a%00b'), /\bproject\b/);
      await expectRefusedNaming(await api.call('GET', '/api/projects/P/stories/a%00b'), /\bkey\b/);
      const projects = (await (await api.call('GET', '/api/projects')).json()) as { projects: unknown[] };
      expect(projects.projects).toHaveLength(1);
    });

    it('refuses an import whose third story holds NUL and stores none of it (JSON body and file upload)', async () => {
      await expectRefusedNaming(
        await api.call('POST', '/api/projects/P/stories/import', {
          content: storiesWithNul(),
          fileName: 'stories.json',
        }),
        /NUL-1.*description/,
      );
      expect(await storyCount()).toBe(0);

      const form = new FormData();
      form.set('file', new Blob([storiesWithNul()]), 'stories.json');
      await expectRefusedNaming(
        await fetch(`${api.server.url}/api/projects/P/stories/import`, { method: 'POST', body: form }),
        /NUL-1.*description/,
      );
      expect(await storyCount()).toBe(0);

      // The same file without the NUL imports whole.
      const clean = await api.call('POST', '/api/projects/P/stories/import', {
        content: storiesWithNul().replace('\\u0000', ' '),
        fileName: 'stories.json',
      });
      expect(clean.status).toBe(200);
      expect(await storyCount()).toBe(4);
    });
  });
}

describe('NUL characters from the CLI', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'reqase-nul-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('`reqase story import` of a file whose third story holds NUL exits 1 naming it and stores nothing', async () => {
    const dataDirectory = join(directory, 'data');
    writeFileSync(join(directory, 'stories.json'), storiesWithNul());
    const settings = resolveSettings({ REQASE_DATA_DIR: dataDirectory }, directory);
    const before = openWorkspace(settings);
    await before.projects.create({ name: 'P' });
    await before.close();

    const run = await runReqaseWithoutModel(['story', 'import', 'stories.json', '--project', 'P'], {
      cwd: directory,
      dataDirectory,
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/NUL-1.*NUL character.*description/);
    expect(run.stderr).toMatch(/nothing was imported/);

    const after = openWorkspace(settings);
    try {
      expect((await after.stories.list('P')).total).toBe(0);
    } finally {
      await after.close();
    }
  }, 120_000);
});

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(
    describeDialect('NUL characters in files the CLI reads', dialect),
    () => {
      it('refuses a rules file and a case edit holding NUL, naming the field, and stores neither', async () => {
        const testDatabase = await createTestDatabase(dialect);
        const directory = mkdtempSync(join(tmpdir(), 'reqase-nul-app-'));
        const { storage } = await testDatabase.open();
        const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory }, directory), {
          storage,
        });
        try {
          writeFileSync(join(directory, 'rules.md'), 'Name cases\u0000 after the screen.');
          await expect(
            workspace.projects.create({ name: 'R', testCaseRulesFile: 'rules.md' }),
          ).rejects.toThrow(/NUL character.*testCaseRules/);
          expect(await storage.projects.findByName('R')).toBeUndefined();

          const { project, story } = await seedProjectAndStory(storage);
          const [testCase] = await storage.testCases.insertMany([
            { ...testCaseContent('Pay by card'), projectId: project.id, storyId: story.id },
          ]);
          await expect(
            workspace.testCases.edit(testCase!.id, '{"title": "Pay\\u0000 by card"}'),
          ).rejects.toThrow(/NUL character.*title/);
          expect((await storage.testCases.get(testCase!.id))?.title).toBe('Pay by card');
        } finally {
          await workspace.close();
          await testDatabase.dispose();
          rmSync(directory, { recursive: true, force: true });
        }
      });
    },
  );
}
