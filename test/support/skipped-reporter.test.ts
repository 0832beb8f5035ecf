/**
 * The skipped reporter lists what did not run for a missing optional dependency (the reason is in
 * the title, `skippedTitle`) and nothing that a run left out on purpose (`-t`, `.only`, `.skip`).
 */
import type { TestCase, TestModule, TestSuite } from 'vitest/node';
import { describe, expect, it } from 'vitest';
import { skippedTitle } from './skip-reason.ts';
import { skippedWithReason } from './skipped-reporter.ts';

type Entry = TestSuite | TestCase;

function testCase(name: string, state: 'passed' | 'skipped', parents: string[]): TestCase {
  return {
    type: 'test',
    name,
    fullName: [...parents, name].join(' > '),
    result: () => ({ state }),
  } as unknown as TestCase;
}

function suite(
  name: string,
  state: 'passed' | 'skipped',
  children: (parents: string[]) => Entry[],
  parents: string[] = [],
): TestSuite {
  const own = [...parents, name];
  const entries = children(own);
  const allTests = function* (): Generator<TestCase> {
    for (const entry of entries) {
      if (entry.type === 'test') yield entry;
      else yield* entry.children.allTests();
    }
  };
  return {
    type: 'suite',
    name,
    fullName: own.join(' > '),
    state: () => state,
    children: Object.assign([...entries], { allTests }),
  } as unknown as TestSuite;
}

function moduleOf(...children: Entry[]): TestModule {
  return { moduleId: `${process.cwd()}/test/example.test.ts`, children } as unknown as TestModule;
}

describe('skipped reporter', () => {
  it('lists a suite skipped for a missing dependency once, with its reason and its number of tests', () => {
    const title = skippedTitle('storage on postgres', 'no PostgreSQL at postgres://127.0.0.1:5432/test');
    const module = moduleOf(
      suite(title, 'skipped', (parents) => [
        testCase('saves', 'skipped', parents),
        suite('nested', 'skipped', (inner) => [testCase('loads', 'skipped', inner)], parents),
      ]),
    );
    expect(skippedWithReason(module)).toEqual([
      {
        file: 'test/example.test.ts',
        name: 'storage on postgres',
        reason: 'no PostgreSQL at postgres://127.0.0.1:5432/test',
        tests: 2,
      },
    ]);
  });

  it('lists a single test skipped with a reason inside a suite that ran', () => {
    const module = moduleOf(
      suite('README commands', 'passed', (parents) => [
        testCase('line 3: npx reqase --help', 'passed', parents),
        testCase(skippedTitle('line 9: npm test', 'runs this very suite'), 'skipped', parents),
      ]),
    );
    expect(skippedWithReason(module)).toEqual([
      {
        file: 'test/example.test.ts',
        name: 'README commands > line 9: npm test',
        reason: 'runs this very suite',
        tests: 1,
      },
    ]);
  });

  it('does not list suites and tests left out by a name filter, .only or .skip', () => {
    const module = moduleOf(
      suite('storage on sqlite', 'skipped', (parents) => [testCase('saves', 'skipped', parents)]),
      suite('server', 'passed', (parents) => [
        testCase('answers', 'passed', parents),
        testCase('streams', 'skipped', parents),
      ]),
    );
    expect(skippedWithReason(module)).toEqual([]);
  });
});
