/**
 * bin/direct-imports.js, the CLI bundle's plugin that sends an import through a re-exporting
 * index.ts to the modules defining the names: what it rewrites, and what it keeps as written.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteImports } from '../../bin/direct-imports.js';

let folder: string;

function write(path: string, text: string): void {
  mkdirSync(join(folder, path, '..'), { recursive: true });
  writeFileSync(join(folder, path), text);
}

function rewrite(text: string): string {
  return rewriteImports(new Map(), join(folder, 'cli', 'command.ts'), text);
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'reqase-direct-imports-'));
  write(
    'app/index.ts',
    [
      "export type * from './types.ts';",
      "export { useCase, type Options } from './use-case.ts';",
      "export { Schema as PublicSchema } from '../core/index.ts';",
      "export * from '../core/index.ts';",
      'export const local = 1;',
      "export { fromPackage } from 'some-package';",
    ].join('\n'),
  );
  write('app/use-case.ts', 'export async function useCase() {}\nexport interface Options {}\n');
  write('app/types.ts', 'export type Kind = string;\n');
  write('core/index.ts', "export * from './model.ts';\nexport * from './heavy.ts';\n");
  write('core/model.ts', 'export const Schema = {};\nexport class Model {}\nexport enum Level { Low }\n');
  write('core/heavy.ts', "import 'heavy-package';\nexport function heavy() {}\n");
  write('core/unknown.ts', 'export const { a, b } = { a: 1, b: 2 };\n');
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('direct imports', () => {
  it('imports each name from the module that declares it, through export { } from and export *', () => {
    expect(
      rewrite("import { useCase, PublicSchema, Model, Level as Levels } from '../app/index.ts';\n"),
    ).toBe(
      'import { useCase } from "../app/use-case.ts"; import { Schema as PublicSchema, Model, Level as Levels } from "../core/model.ts";\n',
    );
  });

  it('keeps the line count of a multi-line import, so source maps still match', () => {
    const text = "import {\n  useCase,\n  type Options,\n} from '../app/index.ts';\nconsole.log(useCase);\n";
    const rewritten = rewrite(text);
    expect(rewritten.split('\n')).toHaveLength(text.split('\n').length);
    expect(rewritten).toBe('import { useCase } from "../app/use-case.ts";\n\n\n\nconsole.log(useCase);\n');
  });

  it('keeps what it cannot trace: a name of the barrel itself, one from a package, an unknown export', () => {
    expect(rewrite("import { local } from '../app/index.ts';")).toBe(
      "import { local } from '../app/index.ts';",
    );
    expect(rewrite("import { fromPackage, useCase } from '../app/index.ts';")).toBe(
      'import { fromPackage } from "../app/index.ts"; import { useCase } from "../app/use-case.ts";',
    );
    expect(rewrite("import { a } from '../core/unknown.ts';")).toBe(
      "import { a } from '../core/unknown.ts';",
    );
  });

  it('leaves type-only imports, packages and namespace imports alone', () => {
    const kept = [
      "import type { Options } from '../app/index.ts';",
      "import { z } from 'zod';",
      "import * as app from '../app/index.ts';",
    ].join('\n');
    expect(rewrite(kept)).toBe(kept);
  });
});
