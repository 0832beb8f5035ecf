// Bundles the CLI's TypeScript sources with esbuild into plain ESM, one chunk per lazily loaded
// command, so a checkout starts without tsx's on-the-fly transform. Used by bin/reqase.js (a
// cached build under .build-cache/) and by the test suite's global setup.
// The pure JavaScript dependencies (zod, commander, yaml, the Gherkin parser, the OpenAI client,
// ...) are bundled too: Node then reads, resolves and links a few chunks instead of hundreds of
// small module files (yaml alone is 72 files, zod 94), which cut the CPU time of
// `reqase generate --offline` by about a fifth (bench/start.ts).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { directImportsPlugin } from './direct-imports.js';

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

/** Files besides src/ whose change calls for a new bundle: an install, or how the bundle is built. */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'bin/cli-bundle.js', 'bin/direct-imports.js'];

/**
 * A stamp of the sources a bundle was built from: the sum of the modification times (in whole
 * milliseconds) and the number of the files under src/ plus package.json, package-lock.json
 * (bundled dependencies change with an install) and this bundler's own files. A changed, added or
 * removed file changes the stamp, also one copied in with an older time. Costs a few milliseconds
 * (one stat per file).
 */
export function sourceStamp(root) {
  let sum = 0;
  for (const input of BUILD_INPUTS) {
    const path = join(root, input);
    if (existsSync(path)) sum += Math.floor(statSync(path).mtimeMs);
  }
  let count = 0;
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    count += 1;
    // Joined by hand: path.join normalises, which cost more than the stat itself here.
    sum += Math.floor(statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return `${sum.toString(36)}-${count}`;
}

/**
 * zod's `z` carries every locale of its error messages (half of zod's code); reqase keeps zod's
 * default, English, and never calls `z.locales`, so the bundle holds English only. Like moment.js's
 * locales left out of a web bundle.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-english-only' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Bundles src/cli/main.ts into `outdir` (main.js plus chunks/) and returns esbuild's metafile.
 * Throws on a build error.
 * Minified (whitespace and syntax; names are kept, errors show them): Node compiles every byte of
 * a module it loads, so the smaller text starts faster (bench/start.ts).
 * The story reader's worker (src/app/workspace/story-reading-worker.ts) is an entry of its own,
 * written next to the chunks that start it, so the server of a bundle reads large imports off its
 * event loop as the sources do.
 */
export async function bundleCli(root, outdir) {
  const { build } = await import('esbuild');
  const worker = join(root, 'src', 'app', 'workspace', 'story-reading-worker.ts');
  const result = await build({
    entryPoints: [
      join(root, 'src', 'cli', 'main.ts'),
      ...(existsSync(worker) ? [{ in: worker, out: 'chunks/story-reading-worker' }] : []),
    ],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    external: externalPackages(root),
    plugins: [zodEnglishOnly, directImportsPlugin(join(root, 'src'))],
    minifyWhitespace: true,
    minifySyntax: true,
    // CommonJS dependencies inside an ESM bundle call require() for Node's built-in modules.
    banner: {
      js: "import { createRequire as reqaseCreateRequire } from 'node:module'; const require = reqaseCreateRequire(import.meta.url);",
    },
    // Maps next to the chunks (not inline: they would double what Node reads on every start).
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}
