/**
 * The import graph of src/ and test/ behind the test map (test-map.ts, test-files.test.ts) and
 * `npm run tests-of`: which test files' static import closure reaches a module. Built once with a
 * regex scan of import specifiers (`import … from '…'`, `export … from '…'`, `import '…'`,
 * `import('…')` with a literal path, and `new URL('./…', import.meta.url)`, how a module names the
 * file a worker thread runs), following relative specifiers only; a package import ends the path.
 * A folder's front (an `index.ts` that only re-exports) is looked through: importing `{ a }` from it
 * is an import of the module that defines `a` (of every module an `export *` names), not of the
 * whole folder; a namespace or dynamic import of a front takes all of it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** Relative path (from the repository, `/`-separated) -> the repository files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export const TEST_FILE = /\.test\.tsx?$/;

/** `import|export [type] <clause> from '<relative specifier>'`. */
const STATEMENT =
  /\b(import|export)\s+(?:type\s+)?([\w$*{}\s,]*?)\s*from\s*(['"])(\.{1,2}\/[^'"\n]+)\3\s*;?/g;
/** `import '…'`, `import('…')`, `new URL('…', import.meta.url)`: the whole file. */
const WHOLE_FILE =
  /(?:\bimport\s*\(\s*|\bimport\s+|\bnew URL\(\s*(?=['"][^'"\n]+['"]\s*,\s*import\.meta\.url))(['"])(\.{1,2}\/[^'"\n]+)\1/g;
const COMMENT = /\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm;

/** Files under `directory` of `root` (relative to `root`, `/`-separated), skipping node_modules. */
export function filesUnder(root: string, directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, directory), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (!path.split('/').includes('node_modules')) found.push(path);
  }
  return found.sort();
}

/** The file a relative specifier names: as written, or with `.js` read as `.ts`, or an extension or `/index.ts` added. */
function resolveSpecifier(
  from: string,
  specifier: string,
  exists: (path: string) => boolean,
): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier.replace(/[?#].*$/, '')));
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.jsx$/, '.tsx'),
    `${base}.ts`,
    `${base}.tsx`,
    `${base}/index.ts`,
  ];
  return candidates.find(exists);
}

/** One import of a file: the file, and the names taken from it (`*`: all of it). */
interface FileImport {
  target: string;
  names: readonly string[] | '*';
  /** For `export { a as b } from`: `[a, b]` pairs, what the file passes on. */
  reExports: ReadonlyArray<readonly [string, string]>;
}

/** The names an import clause takes (`default` for a default import), or `*` for a namespace. */
function namesOf(clause: string): { names: readonly string[] | '*'; pairs: Array<[string, string]> } {
  if (clause.includes('*')) return { names: '*', pairs: [] };
  const pairs: Array<[string, string]> = [];
  if (
    clause
      .replace(/\{[^}]*\}/, '')
      .replace(/,/g, ' ')
      .trim()
  )
    pairs.push(['default', 'default']);
  for (const part of /\{([^}]*)\}/.exec(clause)?.[1]?.split(',') ?? []) {
    const [name, alias] = part
      .trim()
      .replace(/^type\s+/, '')
      .split(/\s+as\s+/);
    if (name) pairs.push([name, alias ?? name]);
  }
  return { names: pairs.map(([name]) => name), pairs };
}

/** The relative imports of a file's text, resolved against the repository's files. */
export function importsOf(path: string, text: string, exists: (path: string) => boolean): FileImport[] {
  const imports: FileImport[] = [];
  for (const match of text.matchAll(STATEMENT)) {
    const target = resolveSpecifier(path, match[4] ?? '', exists);
    if (target === undefined || target === path) continue;
    const { names, pairs } = namesOf(match[2] ?? '');
    imports.push({ target, names, reExports: match[1] === 'export' ? pairs : [] });
  }
  for (const match of text.replace(STATEMENT, '').matchAll(WHOLE_FILE)) {
    const target = resolveSpecifier(path, match[2] ?? '', exists);
    if (target !== undefined && target !== path) imports.push({ target, names: '*', reExports: [] });
  }
  return imports;
}

/** A folder's front: an `index.ts` with nothing but imports and `export … from` statements. */
export function isFront(path: string, text: string): boolean {
  return path.endsWith('/index.ts') && text.replace(COMMENT, '').replace(STATEMENT, '').trim() === '';
}

interface Front {
  /** Exported name -> the file and the name there. */
  named: Map<string, readonly [string, string]>;
  /** The files of its `export *` statements. */
  stars: string[];
}

function frontOf(imports: readonly FileImport[]): Front {
  const front: Front = { named: new Map(), stars: [] };
  for (const { target, names, reExports } of imports) {
    if (names === '*' && reExports.length === 0) front.stars.push(target);
    for (const [name, alias] of reExports) front.named.set(alias, [target, name]);
  }
  return front;
}

/** The files that define `name` as `file` exports it, looking through fronts. */
function definingFiles(
  fronts: ReadonlyMap<string, Front>,
  file: string,
  name: string,
  seen = new Set<string>(),
): string[] {
  const front = fronts.get(file);
  if (front === undefined) return [file];
  if (seen.has(file)) return [];
  seen.add(file);
  const entry = front.named.get(name);
  if (entry) return definingFiles(fronts, entry[0], entry[1], seen);
  return front.stars.flatMap((star) => definingFiles(fronts, star, name, seen));
}

/** The import graph of every .ts/.tsx file under src/ and test/ of `root`. */
export function importGraph(root: string = process.cwd()): ImportGraph {
  const files = [...filesUnder(root, 'src'), ...filesUnder(root, 'test')].filter((path) =>
    /\.tsx?$/.test(path),
  );
  const known = new Set(files);
  const exists = (path: string) =>
    known.has(path) || (/\.(json|js|mjs)$/.test(path) && existsSync(join(root, path)));
  const importsByFile = new Map<string, FileImport[]>();
  const fronts = new Map<string, Front>();
  for (const path of files) {
    const text = readFileSync(join(root, path), 'utf8');
    const imports = importsOf(path, text, exists);
    importsByFile.set(path, imports);
    if (isFront(path, text)) fronts.set(path, frontOf(imports));
  }
  const graph = new Map<string, string[]>();
  for (const [path, imports] of importsByFile) {
    const targets = imports.flatMap(({ target, names }) =>
      names === '*' || !fronts.has(target)
        ? [target]
        : names.flatMap((name) => definingFiles(fronts, target, name)),
    );
    graph.set(path, [...new Set(targets)]);
  }
  return graph;
}

/** Every file `start` reaches through imports, with the length of its shortest import path (0 for `start`). */
export function importDistances(graph: ImportGraph, start: string): Map<string, number> {
  const distances = new Map<string, number>([[start, 0]]);
  let frontier = [start];
  for (let distance = 1; frontier.length > 0; distance += 1) {
    const next: string[] = [];
    for (const file of frontier) {
      for (const target of graph.get(file) ?? []) {
        if (distances.has(target)) continue;
        distances.set(target, distance);
        next.push(target);
      }
    }
    frontier = next;
  }
  return distances;
}

export interface TestReach {
  test: string;
  /** Length of the shortest import path from the test to the module (1: the test imports it). */
  distance: number;
  /** How many files the test's import closure holds: fewer is a more focused test. */
  closure: number;
}

/**
 * The test files whose import closure reaches each module, the most direct first (the shortest
 * import path), then the most focused (the fewest files in its closure).
 */
export function testsByModule(graph: ImportGraph): Map<string, TestReach[]> {
  const byModule = new Map<string, TestReach[]>();
  for (const test of [...graph.keys()].filter((path) => TEST_FILE.test(path))) {
    const distances = importDistances(graph, test);
    for (const [module, distance] of distances) {
      if (distance === 0) continue;
      const reaches = byModule.get(module) ?? [];
      reaches.push({ test, distance, closure: distances.size });
      byModule.set(module, reaches);
    }
  }
  for (const reaches of byModule.values()) {
    reaches.sort((a, b) => a.distance - b.distance || a.closure - b.closure || a.test.localeCompare(b.test));
  }
  return byModule;
}
