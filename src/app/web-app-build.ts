/**
 * The web app `reqase serve` serves, built on first use in a checkout: `npm install && npx reqase
 * serve` then gives a working web app with no extra step. A published package ships `web/dist`
 * (built by `prepack`) and no web sources, so nothing is built there.
 */
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as Vite from 'vite';
import { ConfigurationError } from '../shared/errors.ts';

export interface WebAppBuildOptions {
  /** The package's root folder (holds `web/`). */
  packageRoot: string;
  /** Told once a build starts ("Building the web app…"), and once it ends with its duration. */
  onProgress?: (event: { kind: 'web-build-start' } | { kind: 'web-build-end'; milliseconds: number }) => void;
  /** Milliseconds clock. Default `performance.now`. */
  now?: () => number;
}

export type WebAppState = 'built' | 'was-built' | 'absent';

/**
 * Builds `web/dist` when it is missing and the sources are there; returns `built` (it already
 * was), `was-built` (just now) or `absent` (no sources: the server shows a page saying so).
 *
 * @example
 * await ensureWebAppBuilt({ packageRoot, onProgress: (event) => console.error(event.kind) });
 */
export async function ensureWebAppBuilt(options: WebAppBuildOptions): Promise<WebAppState> {
  const web = join(options.packageRoot, 'web');
  const output = join(web, 'dist');
  if (existsSync(join(output, 'index.html'))) return 'built';
  if (!existsSync(join(web, 'index.html')) || !existsSync(join(web, 'src'))) return 'absent';
  const now = options.now ?? (() => performance.now());
  const started = now();
  options.onProgress?.({ kind: 'web-build-start' });
  let vite: typeof Vite;
  try {
    vite = await import('vite');
  } catch (cause) {
    throw new ConfigurationError('The web app needs building, but its build tool (vite) is not installed.', {
      fix: 'Run `npm install` in the checkout (it installs the development tools), then start the server again.',
      cause,
    });
  }
  // Build next to the final folder and rename: a server started meanwhile never sees half a build.
  const staging = mkdtempSync(join(dirname(output), '.dist-'));
  // Always React's production build, as `npm run build` makes: Vite takes React's mode from
  // NODE_ENV, and a shell with NODE_ENV=development or test would get the slow development build.
  const nodeEnvironment = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({
      root: web,
      configFile: join(web, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    if (!existsSync(join(output, 'index.html'))) {
      rmSync(output, { recursive: true, force: true });
      renameSync(staging, output);
    }
  } finally {
    if (nodeEnvironment === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnvironment;
    rmSync(staging, { recursive: true, force: true });
  }
  options.onProgress?.({ kind: 'web-build-end', milliseconds: now() - started });
  return 'was-built';
}

export { findPackageRoot } from '../shared/package-root.ts';
