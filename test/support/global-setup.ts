/**
 * Global setup of `npm test`: bundles the CLI once (esbuild, about a second) into
 * `.test-build/cli/main.js`, which the child-process tests start instead of `bin/reqase.js`.
 * `bin/reqase.js` in a checkout runs the TypeScript sources through tsx, which costs each process
 * a second or more of CPU on a loaded two-core machine; the bundle starts about three times
 * quicker and is built from the same sources at the start of every run, so it is never stale.
 * Part of the test command itself, so a clean clone (`npm ci && npm test`) needs no build step.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');

/** Where the bundle goes; two levels under the root, like `src/cli/`, so relative paths hold. */
export const TEST_BUILD_DIRECTORY = join(root, '.test-build', 'cli');

export async function setup(): Promise<void> {
  rmSync(TEST_BUILD_DIRECTORY, { recursive: true, force: true });
  // REQASE_TEST_NO_BUNDLE=1: the tests start bin/reqase.js (tsx), e.g. to compare timings.
  if (process.env.REQASE_TEST_NO_BUNDLE === '1') return;
  await build({
    entryPoints: [join(root, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    outdir: TEST_BUILD_DIRECTORY,
    chunkNames: 'chunks/[name]-[hash]',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}
