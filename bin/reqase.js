#!/usr/bin/env node
// Entry point of the `reqase` command.
// An installed package runs the bundle in dist/ (`npm run build`). In a checkout (src/ present) the sources run from
// a bundle cached in .build-cache/ (git-ignored), rebuilt with esbuild (about a second) whenever
// a file under src/ changed, so the command is never stale and does not pay tsx's transform on
// every start. Without esbuild, or with REQASE_BUILD_CACHE=0, the sources run through tsx.
// The cache lives in the checkout itself, not under node_modules: code of the bundle finds the
// package root (web/dist, package.json) by walking up from where it runs, and node_modules may be
// a link shared by several checkouts.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli', 'main.ts');
const compiled = join(root, 'dist', 'cli', 'main.js');
const cacheRoot = join(root, '.build-cache');

// Node 22.1 and later keep V8's compiled code of the bundle between runs (in the system's temporary
// folder, or NODE_COMPILE_CACHE), so a start skips most of the compiling. Node 20 has no such API.
module.enableCompileCache?.();

/** The cached bundle for the current sources, built if missing; undefined when it cannot be. */
async function cachedBundle() {
  if (process.env.REQASE_BUILD_CACHE === '0' || !existsSync(join(root, 'node_modules'))) return undefined;
  try {
    const { sourceStamp, bundleCli } = await import('./cli-bundle.js');
    const directory = join(cacheRoot, `cli-${sourceStamp(root)}`);
    const entry = join(directory, 'main.js');
    if (existsSync(entry)) return entry;
    mkdirSync(cacheRoot, { recursive: true });
    // Built aside and renamed, so a process started meanwhile never sees half a bundle.
    const building = join(cacheRoot, `building-${process.pid}-${Date.now()}`);
    await bundleCli(root, building);
    try {
      renameSync(building, directory);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process won the race
    }
    removeOldBundles(directory);
    return existsSync(entry) ? entry : undefined;
  } catch {
    return undefined; // no esbuild, or the sources do not build: tsx reports the real error
  }
}

/** Bundles of earlier sources, kept for an hour in case a process started from them still runs. */
function removeOldBundles(current) {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(cacheRoot)) {
    const path = join(cacheRoot, name);
    if (path !== current && statSync(path).mtimeMs < hourAgo) rmSync(path, { recursive: true, force: true });
  }
}

async function loadTsx() {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    return true;
  } catch {
    return false;
  }
}

if (existsSync(source)) {
  const bundle = await cachedBundle();
  if (bundle) {
    await import(pathToFileURL(bundle).href);
  } else if (await loadTsx()) {
    await import(pathToFileURL(source).href);
  } else if (existsSync(compiled)) {
    await import(pathToFileURL(compiled).href);
  } else {
    console.error('reqase: the sources need tsx or esbuild to run. Run `npm install` first.');
    process.exit(1);
  }
} else if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  console.error('reqase: no build (dist/) was found. Reinstall the package.');
  process.exit(1);
}
