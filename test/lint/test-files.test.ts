/**
 * Every module of src/ has tests a newcomer finds by the module's name (ARCHITECTURE.md, "Where
 * tests go"): for `src/a/b/foo-bar.ts`, a test file anywhere under src/ or test/ named
 * `foo-bar.test.ts` or `foo-bar.<aspect>.test.ts`, or a test file with a top-level
 * `describe('… foo-bar.ts …')` naming the module's file. An `index.ts` that only re-exports is not a
 * module of its own. Every module without such a test has an entry in `TESTS_OF_MODULE`
 * (test-map.ts) naming a test file whose static import closure reaches it (or, for a src/cli module,
 * a test that runs it in the CLI bundle); that map only shrinks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { filesUnder, importGraph, isFront, type ImportGraph } from './test-files-graph.ts';
import {
  checkTestMap,
  hasNamedTest,
  sourceModules,
  TEST_FILE,
  testIndex,
  type TestIndex,
  testsOf,
  type TestMapProblems,
} from './test-files.ts';
import { TESTS_OF_MODULE } from './test-map.ts';

describe('every src module has a test found by its name', () => {
  const modules = sourceModules();
  const index = testIndex();
  const graph = importGraph();

  it('finds the modules and the tests (the scan itself works)', () => {
    expect(modules.length).toBeGreaterThan(200);
    expect(modules).toContain('src/llm/errors/llm-error.ts');
    expect(modules).toContain('src/server/routes/index.ts'); // composes the routes: a module
    expect(modules).not.toContain('src/core/index.ts'); // re-exports only
    expect(modules.some((path) => TEST_FILE.test(path))).toBe(false);
    expect(hasNamedTest('src/core/constraints/numeric-rules.ts', index)).toBe(true);
    expect(hasNamedTest('src/shared/defined-fields.ts', index)).toBe(true);
  });

  it('the import graph looks through the same folder fronts that are no modules of their own', () => {
    const indexes = filesUnder(process.cwd(), 'src').filter((path) => path.endsWith('/index.ts'));
    const fronts = indexes.filter((path) => isFront(path, readFileSync(path, 'utf8')));
    expect(fronts.length).toBeGreaterThan(10);
    expect(fronts).toEqual(indexes.filter((path) => !modules.includes(path)));
  });

  it('matches a same-named test, a `<name>.<aspect>.test.ts`, or a describe title naming the file', () => {
    const fixture: TestIndex = {
      stems: new Set(['foo-bar', 'queue.postgres']),
      titles: ['src/x/title-named.ts: reads the title', 'parse, not parse-more.ts'],
    };
    expect(hasNamedTest('src/a/foo-bar.ts', fixture)).toBe(true);
    expect(hasNamedTest('src/a/queue.ts', fixture)).toBe(true);
    expect(hasNamedTest('src/a/title-named.ts', fixture)).toBe(true);
    expect(hasNamedTest('src/a/foo.ts', fixture)).toBe(false); // `foo-bar` is another module
    expect(hasNamedTest('src/a/bar.ts', fixture)).toBe(false);
    expect(hasNamedTest('src/a/more.ts', fixture)).toBe(false); // `parse-more.ts` names another file
  });

  it('lists the tests of a module as `npm run tests-of` prints them: named ones, then the ones reaching it', () => {
    const defined = testsOf('src/shared/defined-fields.ts', graph);
    expect(defined.named).toEqual(['src/shared/defined-fields.test.ts']);
    expect(defined.reaching.map(({ test }) => test)).not.toContain('src/shared/defined-fields.test.ts');
    expect(defined.reaching.length).toBeGreaterThan(0);
    const compare = testsOf('src/app/compare.ts', graph);
    expect(compare.named).toEqual([]);
    expect(compare.reaching.map(({ test }) => test)).toContain(TESTS_OF_MODULE['src/app/compare.ts']);
  });

  it('every module without a named test is in the test map, with a test file that reaches it', () => {
    const problems = checkTestMap(TESTS_OF_MODULE, modules, (path) => hasNamedTest(path, index), graph);
    expect(
      problems,
      'unmapped: add a test named after the module, or its entry in test-map.ts; stale: remove the entry ' +
        '(the module has a named test now, or is gone); wrong: correct the entry (`npm run tests-of -- <module>`)',
    ).toEqual({ unmapped: [], stale: [], wrong: [] });
  });
});

describe('the test map check fails on a wrong map', () => {
  const graph: ImportGraph = new Map([
    ['test/a/flow.test.ts', ['src/a/front.ts']],
    ['test/a/other.test.ts', ['src/b/alone.ts']],
    ['src/a/front.ts', ['src/a/inner.ts']],
    ['src/a/inner.ts', []],
    ['src/a/named.ts', []],
    ['src/b/alone.ts', []],
    ['test/cli/run.test.ts', ['test/support/reqase-process.ts']],
    ['test/support/reqase-process.ts', []],
    ['src/cli/main.ts', ['src/cli/program.ts']],
    ['src/cli/program.ts', []],
  ]);
  const modules = [
    'src/a/front.ts',
    'src/a/inner.ts',
    'src/a/named.ts',
    'src/b/alone.ts',
    'src/cli/program.ts',
  ];
  const hasNamed = (path: string) => path === 'src/a/named.ts';
  const right: Record<string, string> = {
    'src/a/front.ts': 'test/a/flow.test.ts',
    'src/a/inner.ts': 'test/a/flow.test.ts',
    'src/b/alone.ts': 'test/a/other.test.ts',
    'src/cli/program.ts': 'test/cli/run.test.ts through the CLI bundle',
  };
  const check = (map: Record<string, string>): TestMapProblems => checkTestMap(map, modules, hasNamed, graph);

  it('passes a map whose every test reaches its module', () => {
    expect(check(right)).toEqual({ unmapped: [], stale: [], wrong: [] });
  });

  it('fails on a stale entry: a module with a named test, or one that is gone', () => {
    const problems = check({
      ...right,
      'src/a/named.ts': 'test/a/flow.test.ts',
      'src/gone.ts': 'test/a/flow.test.ts',
    });
    expect(problems.stale).toEqual(['src/a/named.ts', 'src/gone.ts']);
  });

  it('fails on a wrong test file: one that does not reach the module, or no test file at all', () => {
    const problems = check({
      ...right,
      'src/a/inner.ts': 'test/a/other.test.ts',
      'src/b/alone.ts': 'test/b/missing.test.ts',
    });
    expect(problems.wrong).toEqual([
      'src/a/inner.ts: test/a/other.test.ts does not import src/a/inner.ts, even indirectly',
      'src/b/alone.ts: test/b/missing.test.ts is not a test file',
    ]);
    expect(check({ ...right, 'src/a/front.ts': 'src/a/inner.ts' }).wrong).toEqual([
      'src/a/front.ts: src/a/inner.ts is not a test file',
    ]);
  });

  it('fails on an unmapped module', () => {
    const { 'src/b/alone.ts': _alone, ...withoutAlone } = right;
    expect(check(withoutAlone).unmapped).toEqual(['src/b/alone.ts']);
  });

  it('accepts "through the CLI bundle" only for a src/cli module in the bundle, from a test that starts it', () => {
    expect(
      check({ ...right, 'src/b/alone.ts': 'test/cli/run.test.ts through the CLI bundle' }).wrong,
    ).toEqual(['src/b/alone.ts: "through the CLI bundle" is for src/cli/ modules only']);
    expect(
      check({ ...right, 'src/cli/program.ts': 'test/a/flow.test.ts through the CLI bundle' }).wrong,
    ).toEqual(['src/cli/program.ts: test/a/flow.test.ts does not start the CLI bundle']);
    const outside = new Map([...graph, ['src/cli/main.ts', []]]);
    expect(checkTestMap(right, modules, hasNamed, outside).wrong).toEqual([
      'src/cli/program.ts: the CLI bundle (src/cli/main.ts) does not hold src/cli/program.ts',
    ]);
  });
});
