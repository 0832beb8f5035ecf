import type { Metafile } from 'esbuild';

/** Name of the record of the current cached bundle and the sources it was built from. */
export const CACHE_MANIFEST: string;
/** Bundles the sources into a new folder of `cacheRoot`, records it as current; its main.js. */
export function cacheBundle(root: string, cacheRoot: string): Promise<string>;
/** Bundles src/cli/main.ts with esbuild into `outdir` (main.js plus chunks/); esbuild's metafile. */
export function bundleCli(root: string, outdir: string): Promise<Metafile>;
