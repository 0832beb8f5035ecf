// Bundles the CLI's TypeScript sources with esbuild into plain ESM, one chunk per lazily loaded
// command, so a checkout starts without tsx's on-the-fly transform. Used by bin/reqase.js (a
// cached build under .build-cache/) and by the test suite's global setup.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stamp of the sources a bundle was built from: the sum of the modification times (in whole
 * milliseconds) and the number of the files under src/ plus package.json. A changed, added or
 * removed file changes the stamp, also one copied in with an older time. Costs a few
 * milliseconds (one stat per file).
 */
export function sourceStamp(root) {
  let sum = Math.floor(statSync(join(root, 'package.json')).mtimeMs);
  let count = 0;
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    count += 1;
    sum += Math.floor(statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return `${sum.toString(36)}-${count}`;
}

/** Bundles src/cli/main.ts into `outdir` (main.js plus chunks/). Throws on a build error. */
export async function bundleCli(root, outdir) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
}
