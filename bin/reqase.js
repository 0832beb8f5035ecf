#!/usr/bin/env node
// Entry point of the `reqase` command.
// An installed package runs the bundle in dist/ (`npm run build`). In a checkout (src/ present) the sources run from
// a bundle cached in .build-cache/ (git-ignored), rebuilt with esbuild (about a second) whenever
// a file under src/ changed, so the command is never stale and does not pay tsx's transform on
// every start. Without esbuild, or with REQASE_BUILD_CACHE=0, the sources run through tsx.
// The cache lives in the checkout itself, not under node_modules: code of the bundle finds the
// package root (web/dist, package.json) by walking up from where it runs, and node_modules may be
// a link shared by several checkouts.
import { existsSync, readFileSync, statSync } from 'node:fs';
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

/**
 * The cached bundle if every file and folder it was built from still has the modification time
 * and size recorded at build time (cacheBundle in cli-bundle.js writes the record, current.json).
 * One stat per source file the bundle holds and per folder of src/; this module alone is loaded,
 * not the bundler, and no folder is listed.
 */
function freshBundle() {
  try {
    const manifest = JSON.parse(readFileSync(join(cacheRoot, 'current.json'), 'utf8'));
    for (const [path, mtime, size] of manifest.files) {
      // Joined by hand: path.join normalises, which costs more than the stat itself here.
      const stat = statSync(`${root}/${path}`, { throwIfNoEntry: false });
      if (stat === undefined || Math.floor(stat.mtimeMs) !== mtime || stat.size !== size) return undefined;
    }
    const entry = join(cacheRoot, manifest.bundle, 'main.js');
    return existsSync(entry) ? entry : undefined;
  } catch {
    return undefined; // no record yet, or one this version cannot read: bundle again
  }
}

/** The cached bundle for the current sources, built if missing; undefined when it cannot be. */
async function cachedBundle() {
  if (process.env.REQASE_BUILD_CACHE === '0' || !existsSync(join(root, 'node_modules'))) return undefined;
  try {
    const fresh = freshBundle();
    if (fresh) return fresh;
    const { cacheBundle } = await import('./cli-bundle.js');
    const entry = await cacheBundle(root, cacheRoot);
    return existsSync(entry) ? entry : undefined;
  } catch {
    return undefined; // no esbuild, or the sources do not build: tsx reports the real error
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
