import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace } from '../../src/app/workspace/index.ts';
import { CHECKOUT_STORIES } from '../workspace/workspace-support.ts';
import { trackChild } from '../support/child-processes.ts';
import { reqaseEntry } from '../support/reqase-process.ts';

let dataDirectory: string;

function reqase(args: string[]) {
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
  trackChild(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output, exited };
}

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-bulk-worker-'));
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: dataDirectory }, dataDirectory));
  await workspace.projects.create({ name: 'Shop' });
  await workspace.stories.importStories('Shop', { content: CHECKOUT_STORIES, fileName: 'checkout.md' });
  await workspace.close();
});

afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

describe('reqase generate --detach and reqase worker', () => {
  it('creates the job only; a worker finishes it and stops cleanly on SIGTERM', async () => {
    const detached = reqase([
      'generate',
      '--project',
      'Shop',
      '--stories',
      'SHOP-1,SHOP-2',
      '--offline',
      '--detach',
      '--json',
    ]);
    expect(await detached.exited, detached.output.stderr).toBe(0);
    const job = JSON.parse(detached.output.stdout) as {
      id: string;
      status: string;
      progress: { total: number };
    };
    expect(job).toMatchObject({ status: 'queued', progress: { total: 2 } });

    const worker = reqase(['worker', '--concurrency', '2']);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/: completed\./.test(worker.output.stderr)) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
      void worker.exited.then(() => {
        clearInterval(timer);
        reject(new Error(`the worker exited early:\n${worker.output.stderr}`));
      });
    });
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.output.stderr).toBe(0);
    expect(worker.output.stderr).toMatch(/Worker stopped: 2 stories generated, 0 failed/);

    const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: dataDirectory }, dataDirectory));
    try {
      const shown = await workspace.jobs.show(job.id);
      expect(shown.status).toBe('completed');
      expect(shown.tasks.map((task) => [task.storyKey, task.status]).sort()).toEqual([
        ['SHOP-1', 'done'],
        ['SHOP-2', 'done'],
      ]);
    } finally {
      await workspace.close();
    }
  });

  it('refuses a wrong --concurrency with exit 2', async () => {
    const run = reqase(['worker', '--concurrency', 'many']);
    expect(await run.exited).toBe(2);
    expect(run.output.stderr).toMatch(/--concurrency must be a positive whole number/);
  });
});
