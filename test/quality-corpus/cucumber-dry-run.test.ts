import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateGherkin } from '../../src/core/gherkin/index.ts';
import { generateOffline } from '../../src/core/offline/index.ts';
import { loadCorpus } from './checker.ts';

const cucumber = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '@cucumber',
  'cucumber',
  'bin',
  'cucumber.js',
);

/** Runs cucumber-js to its end and collects what it printed; the process always ends before this resolves. */
function runCucumber(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cucumber, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}

describe('generated Gherkin for the whole quality corpus', () => {
  const directory = mkdtempSync(join(tmpdir(), 'reqase-cucumber-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const features: string[] = [];
  for (const { name, story } of loadCorpus()) {
    generateOffline(story, { format: 'bdd' }).testCases.forEach((testCase, index) => {
      features.push(testCase.gherkin ?? '');
      writeFileSync(join(directory, `${name}-${index + 1}.feature`), testCase.gherkin ?? '');
    });
  }

  it('parses with @cucumber/gherkin, every scenario', () => {
    const problems = features.flatMap((feature) => {
      const check = validateGherkin(feature);
      return check.ok ? [] : [`${check.error.message}\n${feature}`];
    });
    expect(problems).toEqual([]);
  });

  it('runs as undefined steps under cucumber-js --dry-run', async () => {
    const run = await runCucumber(
      ['--dry-run', '--format', 'summary', join(directory, '*.feature')],
      directory,
    );
    expect(run.code, run.output).toBe(0);
    const scenarios = /(\d+) scenarios? \((\d+) undefined\)/.exec(run.output);
    expect(scenarios, run.output).not.toBeNull();
    expect(scenarios![1]).toBe(scenarios![2]);
    expect(Number(scenarios![1])).toBeGreaterThanOrEqual(features.length);
    expect(run.output).not.toMatch(/failed|Parse error/i);
  }, 120_000);
});
