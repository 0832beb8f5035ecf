/**
 * The import graph behind the test map (test-files-graph.ts): which specifiers the regex scan
 * follows, how a folder's front is looked through, and the ranking of the tests that reach a module.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  importDistances,
  importGraph,
  importsOf,
  testsByModule,
  type ImportGraph,
} from './test-files-graph.ts';

describe('importsOf: the relative specifiers of a file', () => {
  const files = new Set([
    'src/a/b.ts',
    'src/a/c.ts',
    'src/a/d/index.ts',
    'src/a/e.tsx',
    'src/a/w.ts',
    'src/x.ts',
  ]);
  const exists = (path: string) => files.has(path);
  const text = [
    "import { b, type B as Bee } from './b.ts';",
    "export * from './c.js';",
    "import './d';",
    "const lazy = await import('./e');",
    "const worker = new URL('./w.js', import.meta.url);",
    "import { z } from 'zod';",
    "import { gone } from './missing.ts';",
    "const url = new URL('../x.ts', 'https://example.com');",
  ].join('\n');

  it('follows import and export statements, side-effect and dynamic imports, and worker URLs', () => {
    const imports = importsOf('src/a/here.ts', text, exists);
    expect(imports.map(({ target, names }) => [target, names])).toEqual([
      ['src/a/b.ts', ['b', 'B']],
      ['src/a/c.ts', '*'],
      ['src/a/d/index.ts', '*'],
      ['src/a/e.tsx', '*'],
      ['src/a/w.ts', '*'],
    ]);
  });
});

describe('importGraph on a scratch repository', () => {
  const root = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('src/f/index.ts', "/** The front. */\nexport { one } from './one.ts';\nexport * from './rest.ts';\n");
  write('src/f/one.ts', 'export const one = 1;\n');
  write('src/f/rest.ts', "export const two = 2;\nexport { three } from './three.ts';\n");
  write('src/f/three.ts', 'export const three = 3;\n');
  write('src/g/index.ts', "export { one as uno } from '../f/index.ts';\nexport const local = 0;\n");
  write('test/one.test.ts', "import { one } from '../src/f/index.ts';\n");
  write('test/two.test.ts', "import { two } from '../src/f/index.ts';\n");
  write(
    'test/all.test.ts',
    "import * as f from '../src/f/index.ts';\nimport { uno } from '../src/g/index.ts';\n",
  );
  const graph = importGraph(root);

  it('reads a named import through a front as an import of the module defining the name', () => {
    expect(graph.get('test/one.test.ts')).toEqual(['src/f/one.ts']);
    expect(graph.get('test/two.test.ts')).toEqual(['src/f/rest.ts']); // `export *`: the modules it names
    expect([...importDistances(graph, 'test/two.test.ts').keys()]).toEqual([
      'test/two.test.ts',
      'src/f/rest.ts',
      'src/f/three.ts',
    ]);
  });

  it('takes a whole front on a namespace import, and an index.ts with code of its own as a module', () => {
    expect(graph.get('test/all.test.ts')).toEqual(['src/f/index.ts', 'src/g/index.ts']);
    expect(graph.get('src/g/index.ts')).toEqual(['src/f/one.ts']);
  });

  it('ranks the tests reaching a module by import path length, then by the fewest imports', () => {
    const ranked: ImportGraph = new Map([
      ['test/far.test.ts', ['src/via.ts']],
      ['test/wide.test.ts', ['src/m.ts', 'src/other.ts']],
      ['test/narrow.test.ts', ['src/m.ts']],
      ['src/via.ts', ['src/m.ts']],
      ['src/m.ts', []],
      ['src/other.ts', []],
    ]);
    expect(testsByModule(ranked).get('src/m.ts')).toEqual([
      { test: 'test/narrow.test.ts', distance: 1, closure: 2 },
      { test: 'test/wide.test.ts', distance: 1, closure: 3 },
      { test: 'test/far.test.ts', distance: 2, closure: 3 },
    ]);
  });
});
