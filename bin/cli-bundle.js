// Bundles the CLI's TypeScript sources with esbuild into plain ESM, one chunk per lazily loaded
// command, so a checkout starts without tsx's on-the-fly transform. Used by bin/reqase.js (a
// cached build under .build-cache/) and by the test suite's global setup.
// The pure JavaScript dependencies (zod, commander, yaml, the Gherkin parser, the OpenAI client,
// ...) are bundled too: Node then reads, resolves and links a few chunks instead of hundreds of
// small module files (yaml alone is 72 files, zod 94), which cut the CPU time of
// `reqase generate --offline` by about a fifth (bench/start.ts).
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/** Where bin/reqase.js finds the current bundle and what it was built from (see `cacheBundle`). */
const CACHE_MANIFEST = 'current.json';

/**
 * Modification time (whole milliseconds) and size of every folder and file under src/, keyed by
 * their path relative to `root` (with `/`), plus those of BUILD_INPUTS.
 */
function sourceStats(root) {
  const stats = new Map();
  const record = (path) => {
    const stat = statSync(join(root, path), { throwIfNoEntry: false });
    if (stat)
      stats.set(path, { mtime: Math.floor(stat.mtimeMs), size: stat.size, folder: stat.isDirectory() });
  };
  for (const input of BUILD_INPUTS) record(input);
  record('src');
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    const folder = relative(root, entry.parentPath ?? entry.path).replaceAll('\\', '/');
    if (entry.isFile() || entry.isDirectory()) record(`${folder}/${entry.name}`);
  }
  return stats;
}

/**
 * Bundles the sources into a new folder of `cacheRoot` and makes it the current bundle: writes
 * CACHE_MANIFEST, `{ bundle, files: [[path, mtime, size], ...] }`, the folder's name and the
 * fingerprint bin/reqase.js compares on every start. The fingerprint holds each folder under src/
 * (adding, removing or renaming a file changes its folder's time), each source file the bundle
 * read (test files and the like are left out: editing them needs no new bundle) and BUILD_INPUTS
 * (bundled dependencies change with an install). Taken before bundling, so a file changed
 * meanwhile makes the next start bundle again. Returns the path of the bundle's main.js.
 * Built aside and renamed, so a process started meanwhile never sees half a bundle.
 */
export async function cacheBundle(root, cacheRoot) {
  const stats = sourceStats(root);
  mkdirSync(cacheRoot, { recursive: true });
  const building = join(cacheRoot, `building-${process.pid}-${Date.now()}`);
  const metafile = await bundleCli(root, building);
  // esbuild names its inputs relative to the working folder.
  const read = new Set(
    Object.keys(metafile.inputs).map((input) => relative(root, resolve(input)).replaceAll('\\', '/')),
  );
  const files = [...stats]
    .filter(([path, stat]) => stat.folder || read.has(path) || !path.startsWith('src/'))
    .map(([path, stat]) => [path, stat.mtime, stat.size]);
  const { createHash } = await import('node:crypto');
  const bundle = `cli-${createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16)}`;
  const directory = join(cacheRoot, bundle);
  try {
    renameSync(building, directory);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another process built the same sources
  }
  const manifest = join(cacheRoot, `${CACHE_MANIFEST}.${process.pid}`);
  writeFileSync(manifest, JSON.stringify({ bundle, files }));
  renameSync(manifest, join(cacheRoot, CACHE_MANIFEST));
  removeOldBundles(cacheRoot, directory);
  return join(directory, 'main.js');
}

/** Bundles of earlier sources, kept for an hour in case a process started from them still runs. */
function removeOldBundles(cacheRoot, current) {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(cacheRoot)) {
    const path = join(cacheRoot, name);
    if (!/^(cli|building)-/.test(name) || path === current) continue;
    if (statSync(path).mtimeMs < hourAgo) rmSync(path, { recursive: true, force: true });
  }
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
 * commander loads `node:child_process` on import, for subcommands that are programs of their own,
 * which reqase has none of; loading it (and the network modules it needs) was a tenth of the
 * instructions `reqase --help` adds to a bare `node -e ""` (valgrind). In the bundle it is loaded on first use instead. When a new
 * commander words that line differently, nothing is replaced and the bundle is as before.
 */
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        "const childProcess = require('node:child_process');",
        "let childProcessModule; const childProcess = new Proxy({}, { get: (_, name) => (childProcessModule ??= require('node:child_process'))[name] });",
      ),
      loader: 'js',
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
    target: 'node20.19', // package.json engines
    splitting: true,
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    external: externalPackages(root),
    plugins: [zodEnglishOnly, commanderLazyChildProcess, directImportsPlugin(join(root, 'src'))],
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
