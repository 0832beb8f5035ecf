// `npm run build`, first half: the CLI (and the server it starts) as one esbuild bundle in dist/cli/,
// the same bundle a checkout caches in .build-cache/ (bin/cli-bundle.js). An installed package
// then starts as fast as a checkout: Node reads a few minified chunks instead of the hundreds of
// module files tsc would emit (bench/start.ts).
// esbuild is a development dependency: there whenever `npm run build` runs (after `npm install`
// or `npm ci`, and for `npm pack`), never needed by the installed package.
//
// Usage: node scripts/build-cli.js [dist directory, default dist/]
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../bin/cli-bundle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const distDirectory = resolve(process.argv[2] ?? join(root, 'dist'));

/**
 * Imports the bundle leaves to Node that an installed package could not satisfy: a package that is
 * no runtime dependency, loaded by a static import or a require() (a dynamic import() of a
 * development tool, such as vite for a missing web build, runs only in a checkout).
 */
function missingAtRunTime(metafile) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  const missing = new Set();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    for (const { path, kind, external } of output.imports) {
      if (!external || kind === 'dynamic-import') continue;
      const name = path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0];
      if (path.startsWith('node:') || builtins.has(name) || dependencies.has(name)) continue;
      missing.add(`${path} (${kind} in ${file})`);
    }
  }
  return [...missing];
}

rmSync(distDirectory, { recursive: true, force: true });
const started = performance.now();
const metafile = await bundleCli(root, join(distDirectory, 'cli'));
const missing = missingAtRunTime(metafile);
if (missing.length > 0) {
  console.error(`The CLI bundle imports packages that are no runtime dependency:\n  ${missing.join('\n  ')}`);
  console.error('Move them to "dependencies" in package.json, or load them with import() where needed.');
  process.exit(1);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`Bundled the CLI into ${join(distDirectory, 'cli')} in ${seconds} s.`);
