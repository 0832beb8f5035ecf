/**
 * The web app built with Vite once per test run, shared by every browser test file (a build costs
 * about 7 s of CPU; six files each building their own spent some 40 s of a run on it).
 *
 * The first file to ask builds into a staging folder and renames it to `.test-build/web/`; a file
 * asking while that build runs waits for the rename. The global setup removes the folder (and a
 * lock a killed worker may have left) at the start of every run, so a run never serves a stale app.
 *
 * Always a production build, as `npm run build` makes: Vite takes React's mode from NODE_ENV, which
 * vitest sets to `test`, and would otherwise serve React's development build (its checks and the
 * development JSX runtime cost the review tab's first paint some 300 ms of script).
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, watch } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { WEB_BUILD_DIRECTORY, WEB_BUILD_LOCK } from './test-build.ts';

const root = join(import.meta.dirname, '..', '..');
const testBuildDirectory = join(root, '.test-build');

const isBuilt = () => existsSync(join(WEB_BUILD_DIRECTORY, 'index.html'));

/** The directory of the built web app, building it if no other test file has yet. */
export async function buildWebAppOnce(): Promise<string> {
  mkdirSync(testBuildDirectory, { recursive: true });
  for (;;) {
    if (isBuilt()) return WEB_BUILD_DIRECTORY;
    if (acquireLock()) {
      try {
        if (!isBuilt()) await buildInto(WEB_BUILD_DIRECTORY);
        return WEB_BUILD_DIRECTORY;
      } finally {
        rmSync(WEB_BUILD_LOCK, { recursive: true, force: true });
      }
    }
    await lockReleased();
  }
}

function acquireLock(): boolean {
  try {
    mkdirSync(WEB_BUILD_LOCK);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function buildInto(target: string): Promise<void> {
  const staging = mkdtempSync(join(testBuildDirectory, 'web-staging-'));
  try {
    await buildWebApp(staging);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Builds the web app for production into `outDir` (emptied first). Vite reads NODE_ENV when it
 * resolves its configuration and while it transforms, so it is `production` for the whole build.
 */
export async function buildWebApp(outDir: string): Promise<void> {
  const nodeEnvironment = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: join(root, 'web'),
      mode: 'production',
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (nodeEnvironment === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnvironment;
  }
}

/** Resolves when the lock is gone (the build done, or its builder failed and let go). */
function lockReleased(): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(testBuildDirectory, () => {
      if (existsSync(WEB_BUILD_LOCK)) return;
      watcher.close();
      resolve();
    });
    // Released between the failed acquire and the watch: no event would come.
    if (!existsSync(WEB_BUILD_LOCK)) {
      watcher.close();
      resolve();
    }
  });
}
