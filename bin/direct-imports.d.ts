import type { Plugin } from 'esbuild';

/** The esbuild plugin sending imports through re-exporting modules under `sourceRoot` to their origin. */
export function directImportsPlugin(sourceRoot: string): Plugin;
/** `text` of the module at `path` with such imports rewritten; `tables` caches the modules' exports. */
export function rewriteImports(tables: Map<string, unknown>, path: string, text: string): string;
