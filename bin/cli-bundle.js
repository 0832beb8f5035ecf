// Bundles the CLI's TypeScript sources with esbuild into plain ESM, one chunk per lazily loaded
// command, so a checkout starts without tsx's on-the-fly transform. Used by bin/reqase.js (a
// cached build under .build-cache/) and by the test suite's global setup.
// The pure JavaScript dependencies (zod, commander, yaml, the Gherkin parser, the OpenAI client,
// ...) are bundled too: Node then reads, resolves and links a few chunks instead of hundreds of
// small module files (yaml alone is 72 files, zod 94), which cut the CPU time of
// `reqase generate --offline` by about a fifth (bench/start.ts).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Packages left to Node's own resolution: native code (better-sqlite3), packages that start worker
 * threads from their own files (pino) or load optional modules at run time (pg, pg-boss), and every
 * development tool (vite, esbuild, tsx, ...), which a command loads only on demand if at all.
 */
const NOT_BUNDLED = ['better-sqlite3', 'pg', 'pg-boss', 'pino'];

function externalPackages(root) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return [...NOT_BUNDLED, ...Object.keys(manifest.devDependencies ?? {})];
}

/**
 * A stamp of the sources a bundle was built from: the sum of the modification times (in whole
 * milliseconds) and the number of the files under src/ plus package.json and package-lock.json
 * (bundled dependencies change with an install). A changed, added or removed file changes the
 * stamp, also one copied in with an older time. Costs a few milliseconds (one stat per file).
 */
export function sourceStamp(root) {
  let sum = Math.floor(statSync(join(root, 'package.json')).mtimeMs);
  const lock = join(root, 'package-lock.json');
  if (existsSync(lock)) sum += Math.floor(statSync(lock).mtimeMs);
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
    external: externalPackages(root),
    // CommonJS dependencies inside an ESM bundle call require() for Node's built-in modules.
    banner: {
      js: "import { createRequire as reqaseCreateRequire } from 'node:module'; const require = reqaseCreateRequire(import.meta.url);",
    },
    // Maps next to the chunks (not inline: they would double what Node reads on every start).
    sourcemap: true,
    logLevel: 'silent',
  });
}
