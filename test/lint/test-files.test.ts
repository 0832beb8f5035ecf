/**
 * Every module of src/ has tests a newcomer finds by the module's name (ARCHITECTURE.md, "Where
 * tests go"): for `src/a/b/foo-bar.ts`, a test file anywhere under src/ or test/ named
 * `foo-bar.test.ts` or `foo-bar.<aspect>.test.ts`, or a test file with a top-level
 * `describe('… foo-bar.ts …')` naming the module's file. An `index.ts` that only re-exports is not a
 * module of its own. The modules without such a test are listed, each with its reason, in
 * `MODULES_WITHOUT_NAMED_TEST` (test-files-allow-list.ts); that list only shrinks.
 */
import { describe, expect, it } from 'vitest';
import { MODULES_WITHOUT_NAMED_TEST } from './test-files-allow-list.ts';
import { hasNamedTest, sourceModules, TEST_FILE, testIndex, type TestIndex } from './test-files.ts';

describe('every src module has a test found by its name', () => {
  const modules = sourceModules();
  const index = testIndex();
  const withoutNamedTest = modules.filter((path) => !hasNamedTest(path, index));

  it('finds the modules and the tests (the scan itself works)', () => {
    expect(modules.length).toBeGreaterThan(200);
    expect(modules).toContain('src/llm/errors/llm-error.ts');
    expect(modules).toContain('src/server/routes/index.ts'); // composes the routes: a module
    expect(modules).not.toContain('src/core/index.ts'); // re-exports only
    expect(modules.some((path) => TEST_FILE.test(path))).toBe(false);
    expect(hasNamedTest('src/core/constraints/numeric-rules.ts', index)).toBe(true);
    expect(hasNamedTest('src/shared/defined-fields.ts', index)).toBe(true);
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

  it('every module without a test named after it is on the allow-list, with a reason', () => {
    const unlisted = withoutNamedTest.filter((path) => !(path in MODULES_WITHOUT_NAMED_TEST));
    expect(unlisted, 'add a test named after each module (ARCHITECTURE.md, "Where tests go")').toEqual([]);
    for (const [path, reason] of Object.entries(MODULES_WITHOUT_NAMED_TEST)) {
      expect(reason.trim().length, `the reason for ${path}`).toBeGreaterThan(10);
    }
  });

  it('the allow-list only shrinks: an entry whose module gained a named test, or is gone, must be removed', () => {
    const stale = Object.keys(MODULES_WITHOUT_NAMED_TEST).filter((path) => !withoutNamedTest.includes(path));
    expect(stale, 'remove these entries from test-files-allow-list.ts').toEqual([]);
  });
});
