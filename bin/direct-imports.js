// An esbuild plugin for the CLI bundle: an import of names from a re-exporting module (an index.ts
// such as src/app/index.ts or src/core/index.ts) becomes an import from the modules that define
// those names. The sources keep their front doors (ESLint's layering reads them); the bundle does
// not load a whole folder for one name.
// Why it matters: with code splitting, esbuild puts into a command's chunks every file its imports
// reach, used or not, so `import { TestFormatSchema } from '../app/index.ts'` made
// `reqase generate --offline` read the OpenAI client, YAML and the storage helpers it never runs
// (2.4 MB of JavaScript; compiling it was most of the start-up time, bench/start.ts).
// The statements are read with regular expressions, not a parser: the sources are formatted by
// Prettier (a top-level statement starts its line, one per line, ends with `;`), and loading the
// TypeScript compiler would cost more than the whole bundling. Whatever the expressions do not
// recognise is kept as written, which is always correct, only larger.
// Only the bundle changes: a rewritten import keeps its lines, so source maps stay right.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const NAMED_IMPORT = /^import\s+\{([^}]*)\}\s*from\s*'([^']+)';/gm;
const STAR_EXPORT = /^export\s+(type\s+)?\*\s+(?:as\s+([\w$]+)\s+)?from\s*'([^']+)';/gm;
const NAMED_EXPORT = /^export\s+(type\s+)?\{([^}]*)\}(?:\s*from\s*'([^']+)')?;/gm;
const DECLARED_EXPORT =
  /^export\s+(declare\s+)?(default\s+)?(?:async\s+)?(?:abstract\s+)?(function\*?|class|(?:const\s+)?enum|const|let|var|interface|type|namespace)\s*([\w$]*)/gm;

/**
 * The plugin for the TypeScript files under `sourceRoot`.
 *
 * @example await build({ ..., plugins: [directImportsPlugin(join(root, 'src'))] });
 */
export function directImportsPlugin(sourceRoot) {
  const tables = new Map();
  return {
    name: 'direct-imports',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith(`${sourceRoot}/`) && !args.path.startsWith(`${sourceRoot}\\`))
          return undefined;
        return { contents: rewriteImports(tables, args.path, readFileSync(args.path, 'utf8')), loader: 'ts' };
      });
    },
  };
}

/** The file's text with each import through a re-exporting module split into direct imports. */
export function rewriteImports(tables, path, text) {
  return text.replace(NAMED_IMPORT, (statement, body, from) => {
    const target = relativeModule(path, from);
    const replacement = target === undefined ? undefined : directImports(tables, path, target, body);
    if (replacement === undefined) return statement;
    return replacement + '\n'.repeat(statement.split('\n').length - 1); // later lines keep their number
  });
}

/** The import statements replacing `import { body } from target`, or undefined to keep it. */
function directImports(tables, path, target, body) {
  const byOrigin = new Map();
  for (const element of specifiers(body)) {
    if (element.isType) continue; // erased from the bundle anyway
    const origin = originOf(tables, target, element.name, new Set()) ?? { file: target, name: element.name };
    const list = byOrigin.get(origin.file) ?? [];
    list.push(origin.name === element.local ? origin.name : `${origin.name} as ${element.local}`);
    byOrigin.set(origin.file, list);
  }
  if (byOrigin.size === 0 || (byOrigin.size === 1 && byOrigin.has(target))) return undefined;
  return [...byOrigin]
    .map(([file, list]) => `import { ${list.join(', ')} } from ${JSON.stringify(importPath(path, file))};`)
    .join(' ');
}

/** `a`, `type B`, `c as d` of an import or export list. */
function specifiers(body) {
  return body
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^(type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(part);
      if (!match) throw new Error(`Unrecognised import or export: ${part}`);
      return { isType: match[1] !== undefined, name: match[2], local: match[3] ?? match[2] };
    });
}

/** The file a relative `.ts` import names, if it exists; undefined for packages and the rest. */
function relativeModule(importer, from) {
  if (!from.startsWith('./') && !from.startsWith('../')) return undefined;
  if (!from.endsWith('.ts')) return undefined;
  const file = resolve(dirname(importer), from);
  return existsSync(file) ? file : undefined;
}

function importPath(importer, file) {
  const path = relative(dirname(importer), file).replaceAll('\\', '/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * Where `name`, exported by `file`, is defined: `{ file, name }` of the module that declares it,
 * following `export { a as b } from` and `export * from`. Undefined when it cannot tell.
 */
function originOf(tables, file, name, visiting) {
  if (visiting.has(file)) return undefined;
  visiting.add(file);
  const table = exportTable(tables, file);
  if (table === undefined) return undefined;
  if (table.local.has(name)) return { file, name };
  const forwarded = table.forwarded.get(name);
  if (forwarded) {
    if (forwarded.file === undefined) return { file, name }; // from a package: import it here
    return originOf(tables, forwarded.file, forwarded.name, visiting) ?? { file, name };
  }
  for (const starFile of table.stars) {
    const origin = originOf(tables, starFile, name, new Set(visiting));
    if (origin) return origin;
  }
  return undefined;
}

/**
 * The value exports of a module: declared here (`local`), forwarded by name, or forwarded by
 * `export *` (`stars`). Undefined when the module exports something the expressions cannot list
 * (a destructuring `export const { a } =`, `export * from` a package).
 */
function exportTable(tables, file) {
  if (!tables.has(file)) {
    let table;
    try {
      table = readExports(file, readFileSync(file, 'utf8'));
    } catch {
      table = undefined;
    }
    tables.set(file, table);
  }
  return tables.get(file);
}

function readExports(file, text) {
  const table = { local: new Set(), forwarded: new Map(), stars: [] };
  for (const [, isType, namespace, from] of text.matchAll(STAR_EXPORT)) {
    if (isType) continue;
    if (namespace) table.local.add(namespace);
    else table.stars.push(relativeModule(file, from) ?? unknownExports(from));
  }
  for (const [, isType, body, from] of text.matchAll(NAMED_EXPORT)) {
    if (isType) continue;
    const target = from === undefined ? undefined : relativeModule(file, from);
    for (const element of specifiers(body)) {
      if (element.isType) continue;
      if (from === undefined) table.local.add(element.local);
      else table.forwarded.set(element.local, { file: target, name: element.name });
    }
  }
  for (const [statement, isDeclare, isDefault, kind, name] of text.matchAll(DECLARED_EXPORT)) {
    if (isDeclare || ['interface', 'type', 'namespace'].includes(kind)) continue;
    if (isDefault) table.local.add('default');
    else if (name === '') unknownExports(statement);
    else table.local.add(name);
  }
  if (/^export\s+default\s/m.test(text)) table.local.add('default');
  return table;
}

function unknownExports(what) {
  throw new Error(`Exports not listed: ${what}`);
}
