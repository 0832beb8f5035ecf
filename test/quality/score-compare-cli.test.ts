/**
 * `reqase score` and `reqase compare` through the real process: scoring a generate --json file,
 * hand-written cases against a story file and a stored project; comparing two fake endpoints of
 * different quality and the offline engine in one table.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/app/compare.ts';
import type { QualityReport } from '../../src/app/quality-score.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { runReqase as runReqaseProcess } from '../support/reqase-process.ts';
import { answer, apiKey, goodCases, junkCases, storyMarkdown } from './renewal-fixture.ts';

let dataDirectory: string;
let storyFile: string;
let good: FakeLlmEndpoint;
let junk: FakeLlmEndpoint;

function runReqase(args: string[], env: Record<string, string> = {}) {
  return runReqaseProcess(args, { dataDirectory, env });
}

beforeAll(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-score-'));
  storyFile = join(dataDirectory, 'renew.md');
  writeFileSync(storyFile, storyMarkdown);
  good = await startFakeLlmEndpoint({
    apiKey,
    scenario: { default: { kind: 'answer', text: answer(goodCases) } },
  });
  junk = await startFakeLlmEndpoint({
    apiKey,
    scenario: { default: { kind: 'answer', text: answer(junkCases) } },
  });
});
afterAll(async () => {
  await good.close();
  await junk.close();
  rmSync(dataDirectory, { recursive: true, force: true });
});

// Each step spawns the real CLI: allow for a loaded two-core machine.
describe('reqase score', { timeout: 120_000 }, () => {
  it('scores the output of generate --json, per case and per story', async () => {
    const out = join(dataDirectory, 'offline.json');
    expect((await runReqase(['generate', storyFile, '--offline', '--json', '--out', out])).code).toBe(0);
    const run = await runReqase(['score', out, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as QualityReport;
    expect(report.storyCount).toBe(1);
    expect(report.stories[0]?.storyKey).toBe('LIB-5');
    expect(report.stories[0]?.quality.cases.length).toBe(report.caseCount);
    expect(report.score).toBe(report.stories[0]?.quality.score);
    const readable = await runReqase(['score', out]);
    expect(readable.stdout).toMatch(/LIB-5: Renew a borrowed book {2}\d+\/100/);
    expect(readable.stdout).toMatch(/Overall: \d+\/100 over 1 story/);
  });

  it('scores hand-written cases against a story file: junk low with its fixes, good cases high', async () => {
    const junkFile = join(dataDirectory, 'junk.json');
    const goodFile = join(dataDirectory, 'good.json');
    writeFileSync(junkFile, JSON.stringify(junkCases));
    writeFileSync(goodFile, JSON.stringify({ testCases: goodCases }));
    const junkRun = await runReqase(['score', junkFile, '--story-file', storyFile, '--json']);
    const goodRun = await runReqase(['score', goodFile, '--story-file', storyFile, '--json']);
    expect(junkRun.code).toBe(0);
    const junkReport = JSON.parse(junkRun.stdout) as QualityReport;
    const goodReport = JSON.parse(goodRun.stdout) as QualityReport;
    expect(junkReport.score).toBeLessThan(40);
    expect(goodReport.score).toBeGreaterThan(junkReport.score + 30);
    const readable = await runReqase(['score', junkFile, '--story-file', storyFile]);
    expect(readable.stdout).toMatch(/✗ error\s+duplicate-steps/);
    expect(readable.stdout).toMatch(/Fix: /);

    const withoutStory = await runReqase(['score', junkFile]);
    expect(withoutStory.code).toBe(1);
    expect(withoutStory.stderr).toMatch(/--story-file/);
  });

  it('scores the stored cases of a project', async () => {
    expect((await runReqase(['project', 'create', 'library'])).code).toBe(0);
    expect((await runReqase(['story', 'import', storyFile, '--project', 'library'])).code).toBe(0);
    expect(
      (await runReqase(['generate', '--project', 'library', '--story', 'LIB-5', '--offline'])).code,
    ).toBe(0);
    const run = await runReqase(['score', '--project', 'library', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as QualityReport & { project: string };
    expect(report.project).toBe('library');
    expect(report.stories.map((story) => story.storyKey)).toEqual(['LIB-5']);
    expect(report.caseCount).toBeGreaterThan(0);
  });
});

describe('reqase compare', { timeout: 120_000 }, () => {
  it('compares two endpoints of different quality and the offline engine in one table', async () => {
    for (const [name, endpoint] of [
      ['good', good],
      ['junk', junk],
    ] as const) {
      const added = await runReqase(
        [
          'provider',
          'add',
          name,
          '--base-url',
          endpoint.url,
          '--model',
          `${name}-model`,
          '--api-key-env',
          'KEY',
        ],
        { KEY: apiKey },
      );
      expect(added.code).toBe(0);
    }
    const args = [
      'compare',
      storyFile,
      '--provider',
      'good',
      '--provider',
      'junk',
      '--offline',
      '--price',
      'good=2/8',
    ];
    const run = await runReqase([...args, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const comparison = JSON.parse(run.stdout) as Comparison;
    expect(comparison.rows.map((row) => [row.name, row.engine])).toEqual([
      ['good', 'llm'],
      ['junk', 'llm'],
      ['offline', 'rules'],
    ]);
    const [goodRow, junkRow, offlineRow] = comparison.rows;
    expect(goodRow!.score).toBeGreaterThan(junkRow!.score);
    expect(goodRow!.criteria).toEqual({ covered: 4, total: 4 });
    expect(junkRow!.duplicates).toBeGreaterThan(0);
    expect(junkRow!.findings.error).toBeGreaterThan(goodRow!.findings.error);
    expect(goodRow!.tokens.total).toBeGreaterThan(0);
    expect(goodRow!.costUsd).toBeCloseTo(
      (goodRow!.tokens.prompt * 2 + goodRow!.tokens.completion * 8) / 1e6,
      10,
    );
    expect(junkRow!.costUsd).toBeNull();
    expect(offlineRow!.costUsd).toBe(0);
    expect(offlineRow!.tokens.total).toBe(0);

    const table = await runReqase(args);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(
      /engine\s+score\s+criteria\s+cases\s+negative\s+boundary\s+duplicates\s+errors\s+warnings\s+repaired\s+latency\s+tokens\s+cost/,
    );
    expect(lines.find((line) => line.startsWith('good'))).toMatch(/\$\d+\.\d{4}$/);
    expect(lines.find((line) => line.startsWith('junk'))).toMatch(/no price$/);
  });

  it('refuses a price for a provider that is not compared', async () => {
    const run = await runReqase(['compare', storyFile, '--offline', '--price', 'other=1/1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not compared/);
  });
});
