import type { Metafile } from 'esbuild';

/** Stamp of the sources under src/ (sum of modification times and file count). */
export function sourceStamp(root: string): string;
/** Bundles src/cli/main.ts with esbuild into `outdir` (main.js plus chunks/); esbuild's metafile. */
export function bundleCli(root: string, outdir: string): Promise<Metafile>;
