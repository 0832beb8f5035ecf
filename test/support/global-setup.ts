/**
 * Global setup of `npm test`: bundles the CLI once (bin/cli-bundle.js, esbuild, about a second) into
 * `.test-build/cli/main.js`, which the child-process tests start instead of `bin/reqase.js`.
 * Built from the same sources at the start of every run, so it is never stale, and kept apart from
 * the bundle that `bin/reqase.js` caches under .build-cache/, which a developer's
 * own `reqase` commands share.
 * Part of the test command itself, so a clean clone (`npm ci && npm test`) needs no build step.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleCli } from '../../bin/cli-bundle.js';
import { WEB_BUILD_DIRECTORY, WEB_BUILD_LOCK, WORKER_BUNDLE } from './test-build.ts';

const root = join(import.meta.dirname, '..', '..');

/** Where the bundle goes; two levels under the root, like `src/cli/`, so relative paths hold. */
export const TEST_BUILD_DIRECTORY = join(root, '.test-build', 'cli');

export async function setup(): Promise<void> {
  rmSync(TEST_BUILD_DIRECTORY, { recursive: true, force: true });
  // The web app is built by the first browser test that needs it (web-build.ts), once per run.
  rmSync(WEB_BUILD_DIRECTORY, { recursive: true, force: true });
  rmSync(WEB_BUILD_LOCK, { recursive: true, force: true });
  // REQASE_TEST_NO_BUNDLE=1: the tests start bin/reqase.js instead, e.g. to test the bin itself.
  rmSync(dirname(WORKER_BUNDLE), { recursive: true, force: true });
  if (process.env.REQASE_TEST_NO_BUNDLE === '1') return;
  await Promise.all([bundleCli(root, TEST_BUILD_DIRECTORY), bundleWorker()]);
}

/**
 * The job tests' worker process as plain JavaScript: started some twenty times a run, and each
 * start under tsx transformed the sources again.
 */
async function bundleWorker(): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'test', 'jobs', 'support', 'worker-process.ts')],
    outfile: WORKER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19', // package.json engines; an older target drops import attributes (the Gherkin dialects JSON)
    // Node resolves the packages from the repository's node_modules, as under tsx.
    packages: 'external',
    sourcemap: true,
    logLevel: 'silent',
  });
}
