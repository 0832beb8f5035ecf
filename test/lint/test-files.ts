/**
 * Finding a src module's tests by its name: the scan behind test-files.test.ts (the rule is in
 * ARCHITECTURE.md, "Where tests go").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import ts from 'typescript';

const root = process.cwd();

/** Files under `directory` (relative to the repository, `/`-separated), skipping node_modules. */
function filesUnder(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, directory), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (!path.split('/').includes('node_modules')) found.push(path);
  }
  return found.sort();
}

export const TEST_FILE = /\.test\.tsx?$/;

function statementsOf(path: string): ts.NodeArray<ts.Statement> {
  const text = readFileSync(join(root, path), 'utf8');
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false).statements;
}

/** An `index.ts` whose every statement is an import or an `export … from`: a folder's front, no code. */
function onlyReExports(path: string): boolean {
  return statementsOf(path).every(
    (statement) =>
      ts.isImportDeclaration(statement) || (ts.isExportDeclaration(statement) && statement.moduleSpecifier),
  );
}

/** The src/ modules: every .ts file but tests, declarations and re-exporting index.ts files. */
export function sourceModules(): string[] {
  return filesUnder('src').filter(
    (path) =>
      /\.tsx?$/.test(path) &&
      !TEST_FILE.test(path) &&
      !path.endsWith('.d.ts') &&
      !(basename(path) === 'index.ts' && onlyReExports(path)),
  );
}

/** The titles of a test file's top-level `describe(…)` calls (`describe.each` and the like included). */
function topLevelDescribeTitles(path: string): string[] {
  const titles: string[] = [];
  for (const statement of statementsOf(path)) {
    if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) continue;
    let callee: ts.Expression = statement.expression.expression;
    while (ts.isCallExpression(callee) || ts.isPropertyAccessExpression(callee)) callee = callee.expression;
    if (!ts.isIdentifier(callee) || callee.text !== 'describe') continue;
    const [title] = statement.expression.arguments;
    if (title && (ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title)))
      titles.push(title.text);
  }
  return titles;
}

export interface TestIndex {
  /** Base names of the test files, without `.test.ts`/`.test.tsx` (`foo-bar`, `foo-bar.streaming`). */
  stems: Set<string>;
  /** Top-level describe titles of every test file. */
  titles: string[];
}

export function testIndex(): TestIndex {
  const testFiles = [...filesUnder('src'), ...filesUnder('test')].filter((path) => TEST_FILE.test(path));
  return {
    stems: new Set(testFiles.map((path) => basename(path).replace(TEST_FILE, ''))),
    titles: testFiles.flatMap(topLevelDescribeTitles),
  };
}

/** Whether a test is findable by the module's name (the rule in the header comment). */
export function hasNamedTest(modulePath: string, index: TestIndex): boolean {
  const fileName = basename(modulePath);
  const name = fileName.replace(/\.tsx?$/, '');
  for (const stem of index.stems) if (stem === name || stem.startsWith(`${name}.`)) return true;
  const inTitle = new RegExp(`(^|[\\s/'"\`(])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tsx?\\b`);
  return index.titles.some((title) => inTitle.test(title));
}
