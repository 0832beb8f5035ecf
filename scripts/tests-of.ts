// `npm run tests-of -- src/path/module.ts [more modules] [--all]`: the test files that exercise a
// module, from the import graph the test map is checked against (test/lint/test-files-graph.ts):
// first the tests named after it, then every test file whose static imports reach it, the most
// direct (the shortest import path) and most focused (the fewest files imported) first, the first
// ten of them unless `--all`. Exit code 1 when a module is not a src module or no test reaches it.
import { join, relative, resolve, sep } from 'node:path';
import { importGraph, testsByModule } from '../test/lint/test-files-graph.ts';
import { parseMapEntry, sourceModules, testsOf } from '../test/lint/test-files.ts';
import { TESTS_OF_MODULE } from '../test/lint/test-map.ts';

const root = join(import.meta.dirname, '..');
// `npm run tests-of -- … | head`: a reader that closes the pipe ends the listing quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
const all = process.argv.includes('--all');
const asked = process.argv
  .slice(2)
  .filter((arg) => arg !== '--all')
  .map((path) => relative(root, resolve(path)).split(sep).join('/'));
if (asked.length === 0) {
  console.error('Usage: npm run tests-of -- src/path/module.ts [more modules] [--all]');
  process.exit(2);
}

const modules = new Set(sourceModules());
const graph = importGraph(root);
const byModule = testsByModule(graph);
let failed = false;
for (const module of asked) {
  if (!modules.has(module)) {
    console.error(
      `${module}: not a module of src/ (a .ts file, not a test, not an index.ts that only re-exports)`,
    );
    failed = true;
    continue;
  }
  console.log(`${module}:`);
  const { named, reaching } = testsOf(module, graph, byModule);
  for (const path of named) console.log(`  ${path}  (named after it)`);
  const mapped = TESTS_OF_MODULE[module];
  if (mapped !== undefined && parseMapEntry(mapped).throughCliBundle) console.log(`  ${mapped}`);
  for (const { test, distance } of all ? reaching : reaching.slice(0, 10)) {
    console.log(`  ${test}  (${distance === 1 ? 'imports it' : `${distance} imports away`})`);
  }
  if (!all && reaching.length > 10) console.log(`  … and ${reaching.length - 10} more (--all)`);
  if (named.length === 0 && reaching.length === 0 && mapped === undefined) {
    console.error(`  no test reaches ${module}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
