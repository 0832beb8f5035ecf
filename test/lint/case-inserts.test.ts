/**
 * On SQLite, new test cases raise their project's revision from `insertTestCases` (migration
 * 0013), not from a trigger: an insert anywhere else would leave the page cache and the case
 * totals serving pages without the new cases. This keeps every insert into `test_cases` there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const INSERT = /insertInto\(\s*['"]test_cases['"]\s*\)|insert\s+into\s+["'`]?test_cases\b/i;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('inserts of test cases', () => {
  it('happen only in insertTestCases, which raises the project revision', () => {
    const inserting = sourceFiles(join(root, 'src'))
      .filter((path) => INSERT.test(readFileSync(path, 'utf8')))
      .map((path) => relative(root, path));
    expect(inserting).toEqual(['src/storage/repositories/test-case-inserts.ts']);
    expect(readFileSync(join(root, inserting[0]!), 'utf8')).toContain('revision');
  });
});
