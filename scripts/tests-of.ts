// `npm run tests-of -- src/path/module.ts [more modules] [--all]`: the test files that exercise a module,
// from the import graph the test map is checked against (test/lint/test-files-graph.ts): first the
// tests named after it, then every test file whose static imports reach it, the most direct (the
// shortest import path) and most focused (the fewest files imported) first, the first ten of them
// unless `--all`. Exit code 1 when a
// module is not a src module or no test reaches it.
import { join, relative, resolve, sep } from 'node:path';
import { importGraph, TEST_FILE, testsByModule } from '../test/lint/test-files-graph.ts';
import {
  hasNamedTest,
  parseMapEntry,
  sourceModules,
  topLevelDescribeTitles,
} from '../test/lint/test-files.ts';
import { TESTS_OF_MODULE } from '../test/lint/test-map.ts';

const root = join(import.meta.dirname, '..');
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
const testFiles = [...graph.keys()].filter((path) => TEST_FILE.test(path));
/** The test files named after `module`, or naming its file in a top-level describe (test-files.ts). */
const namedTestsOf = (module: string): string[] =>
  testFiles.filter((path) =>
    hasNamedTest(module, {
      stems: new Set([path.replace(/^.*\//, '').replace(TEST_FILE, '')]),
      titles: topLevelDescribeTitles(path),
    }),
  );
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
  const sameNamed = namedTestsOf(module);
  for (const path of sameNamed) console.log(`  ${path}  (named after it)`);
  const mapped = TESTS_OF_MODULE[module];
  if (mapped !== undefined && parseMapEntry(mapped).throughCliBundle) console.log(`  ${mapped}`);
  const reaches = byModule.get(module) ?? [];
  const others = reaches.filter(({ test }) => !sameNamed.includes(test));
  for (const { test, distance } of all ? others : others.slice(0, 10)) {
    console.log(`  ${test}  (${distance === 1 ? 'imports it' : `${distance} imports away`})`);
  }
  if (!all && others.length > 10) console.log(`  … and ${others.length - 10} more (--all)`);
  if (reaches.length === 0 && mapped === undefined) {
    console.error(`  no test reaches ${module}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
