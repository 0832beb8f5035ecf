/**
 * bin/reqase.js in a checkout: runs a bundle it caches under .build-cache/ and
 * rebuilds it when a source file changes, so the command is quick and never stale. Exercised on a
 * scratch checkout (a copy of bin/, a package.json, a tiny src/cli/main.ts and a link to the real
 * node_modules/esbuild) so the real cache is not touched.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChild } from '../support/child-processes.ts';

const root = join(import.meta.dirname, '..', '..');
let checkout: string;

function writeMain(text: string, modified: Date): void {
  const file = join(checkout, 'src', 'cli', 'main.ts');
  writeFileSync(file, `const message: string = ${JSON.stringify(text)};\nconsole.log(message);\n`);
  utimesSync(file, modified, modified);
}

async function runBin(env: NodeJS.ProcessEnv = {}): Promise<{ code: number | string; stdout: string }> {
  const child = startChild(process.execPath, [join(checkout, 'bin', 'reqase.js')], {
    env: { PATH: process.env.PATH, ...env },
  });
  const code = await child.exited;
  return { code, stdout: child.stdout().trim() };
}

function cachedBundles(): string[] {
  const cache = join(checkout, '.build-cache');
  try {
    return readdirSync(cache).filter((name) => name.startsWith('cli-'));
  } catch {
    return [];
  }
}

describe('bin/reqase.js build cache', () => {
  beforeEach(() => {
    checkout = mkdtempSync(join(tmpdir(), 'reqase-bin-'));
    cpSync(join(root, 'bin'), join(checkout, 'bin'), { recursive: true });
    writeFileSync(join(checkout, 'package.json'), JSON.stringify({ name: 'scratch', type: 'module' }));
    mkdirSync(join(checkout, 'node_modules'));
    symlinkSync(join(root, 'node_modules', 'esbuild'), join(checkout, 'node_modules', 'esbuild'));
    mkdirSync(join(checkout, 'src', 'cli'), { recursive: true });
  });
  afterEach(() => rmSync(checkout, { recursive: true, force: true }));

  it('builds a bundle on the first start, reuses it, and rebuilds after a source change', async () => {
    writeMain('first version', new Date('2026-01-01T00:00:00Z'));
    expect(await runBin()).toEqual({ code: 0, stdout: 'first version' });
    const [firstBundle] = cachedBundles();
    expect(firstBundle).toBeDefined();

    expect(await runBin()).toEqual({ code: 0, stdout: 'first version' });
    expect(cachedBundles()).toEqual([firstBundle]);

    writeMain('second version', new Date('2026-01-02T00:00:00Z'));
    expect(await runBin()).toEqual({ code: 0, stdout: 'second version' });
    expect(cachedBundles()).toContain(firstBundle); // kept for an hour for processes still using it
    expect(cachedBundles()).toHaveLength(2);
  });

  it('an added source file changes the stamp, even one with an older time', async () => {
    writeMain('before', new Date('2026-01-01T00:00:00Z'));
    await runBin();
    writeFileSync(join(checkout, 'src', 'cli', 'extra.ts'), 'export {};\n');
    utimesSync(join(checkout, 'src', 'cli', 'extra.ts'), new Date('2025-01-01'), new Date('2025-01-01'));
    await runBin();
    expect(cachedBundles()).toHaveLength(2);
  });

  it('keeps the bundle when a file it does not hold changes, rebuilds when package.json does', async () => {
    writeMain('kept', new Date('2026-01-01T00:00:00Z'));
    const note = join(checkout, 'src', 'cli', 'notes.test.ts');
    writeFileSync(note, 'export {};\n');
    await runBin();
    expect(cachedBundles()).toHaveLength(1);
    writeFileSync(note, 'export const changed = true;\n');
    utimesSync(note, new Date('2026-03-01'), new Date('2026-03-01'));
    expect(await runBin()).toEqual({ code: 0, stdout: 'kept' });
    expect(cachedBundles()).toHaveLength(1);

    const manifest = join(checkout, 'package.json');
    utimesSync(manifest, new Date('2026-03-02'), new Date('2026-03-02'));
    expect(await runBin()).toEqual({ code: 0, stdout: 'kept' });
    expect(cachedBundles()).toHaveLength(2);
  });

  it('bundles again over a record it cannot read, instead of falling back to tsx', async () => {
    writeMain('recorded', new Date('2026-01-01T00:00:00Z'));
    await runBin();
    const record = join(checkout, '.build-cache', 'current.json');
    writeFileSync(record, '{"files": 1}');
    expect(await runBin()).toEqual({ code: 0, stdout: 'recorded' });
    expect(JSON.parse(readFileSync(record, 'utf8'))).toMatchObject({ bundle: cachedBundles()[0] });
  });

  it('with REQASE_BUILD_CACHE=0 and no tsx, says what to install instead of failing obscurely', async () => {
    writeMain('unused', new Date('2026-01-01T00:00:00Z'));
    const child = startChild(process.execPath, [join(checkout, 'bin', 'reqase.js')], {
      env: { PATH: process.env.PATH, REQASE_BUILD_CACHE: '0' },
    });
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toMatch(/Run `npm install` first/);
    expect(cachedBundles()).toEqual([]);
  });
});
