/** Stamp of the sources under src/ (sum of modification times and file count). */
export function sourceStamp(root: string): string;
/** Bundles src/cli/main.ts into `outdir` with esbuild (main.js plus chunks/). */
export function bundleCli(root: string, outdir: string): Promise<void>;
