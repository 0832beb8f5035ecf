import { runReqase as runReqaseProcess } from '../support/reqase-process.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace } from '../../src/app/workspace/index.ts';

let dataDirectory: string;
let workDirectory: string;

function runReqase(args: string[]) {
  return runReqaseProcess(args, { cwd: workDirectory, dataDirectory });
}

const backlogCsv = `Issue key,Summary,Description,Acceptance Criteria
SHOP-1,Pay by card,As a shopper I want to pay by card so that I get my order.,"Card payments with Visa are accepted
A declined card shows ""Payment declined"""
SHOP-2,Apply a discount code,As a shopper I want to apply a code so that I pay less.,"A valid code reduces the total
An expired code is rejected with ""Code expired"""
SHOP-3,Save a wish list,As a shopper I want a wish list so that I buy later.,"Items can be added to the wish list"
`;

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-bulk-data-'));
  workDirectory = mkdtempSync(join(tmpdir(), 'reqase-bulk-work-'));
  writeFileSync(join(workDirectory, 'backlog.csv'), backlogCsv);
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: dataDirectory }, workDirectory));
  await workspace.projects.create({ name: 'Shop', defaultFormat: 'manual' });
  await workspace.close();
});

afterAll(() => {
  rmSync(dataDirectory, { recursive: true, force: true });
  rmSync(workDirectory, { recursive: true, force: true });
});

describe('reqase bulk generation from the command line', () => {
  it('imports a CSV backlog, generates it in bulk, lists the job, reviews and exports to Xray JSON', async () => {
    const imported = await runReqase(['story', 'import', 'backlog.csv', '--project', 'Shop']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/3 created/);

    const generated = await runReqase(['generate', '--project', 'Shop', '--all', '--offline', '--json']);
    expect(generated.code, generated.stderr).toBe(0);
    const job = JSON.parse(generated.stdout) as {
      id: string;
      status: string;
      progress: { total: number; done: number; failed: number; remaining: number; testCases: number };
      tasks: Array<{ storyKey: string; status: string; testCaseCount: number }>;
    };
    expect(job).toMatchObject({
      status: 'completed',
      progress: { total: 3, done: 3, failed: 0, remaining: 0 },
    });
    expect(job.progress.testCases).toBe(5);
    expect(job.tasks.map((task) => task.storyKey).sort()).toEqual(['SHOP-1', 'SHOP-2', 'SHOP-3']);

    const listed = await runReqase(['job', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const jobs = (
      JSON.parse(listed.stdout) as { jobs: Array<{ id: string; status: string; project: string }> }
    ).jobs;
    expect(jobs).toEqual([expect.objectContaining({ id: job.id, status: 'completed', project: 'Shop' })]);

    const reviewed = await runReqase([
      'case',
      'accept',
      '--project',
      'Shop',
      'SHOP-1/TC-1',
      'SHOP-2/TC-2',
      'SHOP-3/TC-1',
    ]);
    expect(reviewed.code, reviewed.stderr).toBe(0);
    expect(reviewed.stdout).toMatch(/Accepted 3 test case/);

    const exported = await runReqase([
      'export',
      '--project',
      'Shop',
      '--to',
      'xray-json',
      '--status',
      'accepted',
      '--out',
      'xray.json',
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const xray = JSON.parse(readFileSync(join(workDirectory, 'xray.json'), 'utf8')) as unknown;
    const tests = (Array.isArray(xray) ? xray : ((xray as { tests?: unknown[] }).tests ?? [])) as Array<
      Record<string, unknown>
    >;
    expect(tests).toHaveLength(3);
    expect(JSON.stringify(tests)).toContain('Code expired');
    const linked = tests.map(
      (test) =>
        (test.update as { issuelinks: Array<{ add: { outwardIssue: { key: string } } }> }).issuelinks[0]?.add
          .outwardIssue.key,
    );
    expect(linked.sort()).toEqual(['SHOP-1', 'SHOP-2', 'SHOP-3']);
  });

  it('refuses a generate with neither a file nor a project, and bulk flags without a project (exit 2)', async () => {
    const nothing = await runReqase(['generate']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/give a story file or --project/);
    const bulkOnFile = await runReqase(['generate', 'backlog.csv', '--all']);
    expect(bulkOnFile.code).toBe(2);
    expect(bulkOnFile.stderr).toMatch(/--all works on stored stories only/);
  });
});
