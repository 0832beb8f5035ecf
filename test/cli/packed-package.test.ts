/**
 * The installed package: the CLI bundle of `npm run build` (scripts/build-cli.js) in a copy of what
 * `npm pack` ships (package.json, bin/, examples/, dist/; `files` in package.json) with no
 * node_modules at all, so `reqase generate --offline` provably needs no installed package,
 * development tools included, and prints what the checkout prints.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from '../support/child-processes.ts';
import { runReqase } from '../support/reqase-process.ts';

const root = join(import.meta.dirname, '..', '..');
const story = join('examples', 'stories', 'login.md');
let packageDirectory: string;
let dataDirectory: string;

async function runInstalled(
  args: string[],
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = startChild(process.execPath, [join(packageDirectory, 'bin', 'reqase.js'), ...args], {
    cwd: packageDirectory,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, REQASE_DATA_DIR: dataDirectory, NO_COLOR: '1' },
  });
  const code = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/** The `--json` document without its one measured field (the generation's duration). */
function withoutLatency(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => (key === 'latencyMilliseconds' ? undefined : value));
}

beforeAll(async () => {
  packageDirectory = mkdtempSync(join(tmpdir(), 'reqase-packed-'));
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-packed-data-'));
  for (const shipped of ['package.json', 'bin', 'examples']) {
    cpSync(join(root, shipped), join(packageDirectory, shipped), { recursive: true });
  }
  const build = startChild(
    process.execPath,
    [join(root, 'scripts', 'build-cli.js'), join(packageDirectory, 'dist')],
    {
      cwd: root,
      endWith: 'file',
    },
  );
  const code = await build.exited;
  if (code !== 0) throw new Error(`scripts/build-cli.js exited with ${code}: ${build.stderr()}`);
});

afterAll(() => {
  rmSync(packageDirectory, { recursive: true, force: true });
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('the packed package (npm run build, no node_modules)', () => {
  it('runs generate --offline from dist/ and prints what the checkout prints', async () => {
    const installed = await runInstalled(['generate', '--offline', '--json', story]);
    expect(installed.stderr).not.toMatch(/Error|Cannot find/);
    expect(installed.code).toBe(0);
    const checkout = await runReqase(['generate', '--offline', '--json', story], { dataDirectory });
    expect(checkout.code).toBe(0);
    expect(withoutLatency(installed.stdout)).toEqual(withoutLatency(checkout.stdout));
  });

  it('shows the help', async () => {
    const installed = await runInstalled(['--help']);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toMatch(/Usage: reqase/);
  });
});
