/**
 * Finding a src module's tests: by its name, or through the test map (test-map.ts) checked against
 * the import graph (test-files-graph.ts). The scan behind test-files.test.ts and `npm run tests-of`
 * (the rule is in ARCHITECTURE.md, "Where tests go").
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ts from 'typescript';
import {
  filesUnder as filesOf,
  importDistances,
  TEST_FILE,
  testsByModule,
  type ImportGraph,
  type TestReach,
} from './test-files-graph.ts';

export { TEST_FILE };

const root = process.cwd();

const filesUnder = (directory: string): string[] => filesOf(root, directory);

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
export function topLevelDescribeTitles(path: string): string[] {
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

/** The reason a test-map entry may give for a src/cli module its test runs only in a child process. */
export const THROUGH_CLI_BUNDLE = 'through the CLI bundle';
/** The bundle's entry (bin/cli-bundle.js) and the test helper that starts it in a child process. */
export const CLI_ENTRY = 'src/cli/main.ts';
export const CLI_PROCESS_HELPER = 'test/support/reqase-process.ts';

/** A test-map value: the test file, then ` through the CLI bundle` where it runs the module in a child process. */
export function parseMapEntry(value: string): { test: string; throughCliBundle: boolean } {
  const throughCliBundle = value.endsWith(` ${THROUGH_CLI_BUNDLE}`);
  const test = throughCliBundle ? value.slice(0, -THROUGH_CLI_BUNDLE.length - 1) : value;
  return { test, throughCliBundle };
}

/** Why a test-map entry is wrong, or undefined when its test file exists and reaches the module. */
export function wrongEntry(module: string, value: string, graph: ImportGraph): string | undefined {
  const { test, throughCliBundle } = parseMapEntry(value);
  if (!TEST_FILE.test(test) || !graph.has(test)) return `${test} is not a test file`;
  if (!throughCliBundle) {
    return importDistances(graph, test).has(module)
      ? undefined
      : `${test} does not import ${module}, even indirectly`;
  }
  if (!module.startsWith('src/cli/')) return `"${THROUGH_CLI_BUNDLE}" is for src/cli/ modules only`;
  if (!importDistances(graph, test).has(CLI_PROCESS_HELPER)) return `${test} does not start the CLI bundle`;
  if (!importDistances(graph, CLI_ENTRY).has(module))
    return `the CLI bundle (${CLI_ENTRY}) does not hold ${module}`;
  return undefined;
}

export interface TestMapProblems {
  /** Modules without a named test and without an entry. */
  unmapped: string[];
  /** Entries for a module that has a named test now, or is gone. */
  stale: string[];
  /** Entries whose test file is missing or does not reach the module: `module: why`. */
  wrong: string[];
}

/** Checks the test map against the modules, the named tests and the import graph. */
export function checkTestMap(
  map: Readonly<Record<string, string>>,
  modules: readonly string[],
  hasNamed: (module: string) => boolean,
  graph: ImportGraph,
): TestMapProblems {
  const withoutNamedTest = new Set(modules.filter((module) => !hasNamed(module)));
  const problems: TestMapProblems = { unmapped: [], stale: [], wrong: [] };
  for (const module of withoutNamedTest) if (!(module in map)) problems.unmapped.push(module);
  for (const [module, value] of Object.entries(map)) {
    if (!withoutNamedTest.has(module)) problems.stale.push(module);
    else {
      const wrong = wrongEntry(module, value, graph);
      if (wrong !== undefined) problems.wrong.push(`${module}: ${wrong}`);
    }
  }
  return problems;
}

export interface TestsOf {
  /** The test files named after the module, or naming its file in a top-level describe. */
  named: string[];
  /** The other test files whose imports reach it, the most direct and focused first. */
  reaching: TestReach[];
}

/** The test files that exercise `module` (`npm run tests-of`), from the import graph. */
export function testsOf(module: string, graph: ImportGraph, byModule = testsByModule(graph)): TestsOf {
  const named = [...graph.keys()].filter(
    (path) =>
      TEST_FILE.test(path) &&
      hasNamedTest(module, {
        stems: new Set([basename(path).replace(TEST_FILE, '')]),
        titles: topLevelDescribeTitles(path),
      }),
  );
  const reaching = (byModule.get(module) ?? []).filter(({ test }) => !named.includes(test));
  return { named, reaching };
}
