/**
 * One harness for browser tests: the web app built with Vite (once per run), served by the real server over a
 * workspace in a temporary data directory (SQLite), driven in Debian's Chromium by playwright-core.
 *
 * Screenshots for reviewers go to `test-results/screenshots/` at the repository root (git-ignored;
 * `$REQASE_SCREENSHOT_DIR` points elsewhere), one PNG per screen, named by the test.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { pino } from 'pino';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace, workspaceTokens } from '../../src/app/workspace/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { skippedTitle } from './skip-reason.ts';
import { buildWebAppOnce } from './web-build.ts';

/** Debian's Chromium; `REQASE_CHROMIUM` points elsewhere (an absent path skips the suite). */
export const chromiumPath = process.env.REQASE_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
export const repositoryRoot = join(import.meta.dirname, '..', '..');
export const screenshotDirectory =
  process.env.REQASE_SCREENSHOT_DIR ?? join(repositoryRoot, 'test-results', 'screenshots');

/** The describe title: says loudly when the suite is skipped and why. */
export function browserSuiteTitle(title: string): string {
  return hasChromium ? title : skippedTitle(title, `${chromiumPath} is not installed`);
}

export interface WebHarness {
  readonly temporary: string;
  readonly workspace: Workspace;
  readonly server: RunningServer;
  /** `http://127.0.0.1:PORT` of the served app. */
  readonly origin: string;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors raised in the page; a test usually expects none. */
  readonly pageErrors: string[];
  /** Writes `<screenshotDirectory>/<name>.png` of the whole page. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface WebHarnessOptions {
  /** Environment for the workspace's settings (REQASE_DATA_DIR is set to a temporary directory). */
  readonly environment?: Record<string, string>;
  readonly colorScheme?: 'light' | 'dark';
  readonly viewport?: { width: number; height: number };
  /** A built web app to serve instead of the run's shared build (a benchmark builds its own). */
  readonly webDirectory?: string;
}

/** Builds the app, opens a workspace, starts the server (no token needed on loopback), opens a page. */
export async function startWebHarness(options: WebHarnessOptions = {}): Promise<WebHarness> {
  const temporary = mkdtempSync(join(tmpdir(), 'reqase-web-'));
  const [browser, webDirectory] = await Promise.all([
    chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
    options.webDirectory ?? buildWebAppOnce(),
  ]);
  const settings = resolveSettings(
    { ...options.environment, REQASE_DATA_DIR: join(temporary, 'data') },
    temporary,
  );
  const workspace = openWorkspace(settings);
  const tokens = workspaceTokens(workspace);
  const server = await startServer({
    settings,
    authenticationRequired: false,
    tokens,
    workspace: { workspace, tokens },
    webDirectory,
    logger: pino({ level: 'silent' }),
    host: '127.0.0.1',
    port: 0,
  });
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: options.viewport ?? { width: 1366, height: 820 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  mkdirSync(screenshotDirectory, { recursive: true });
  return {
    temporary,
    workspace,
    server,
    origin: server.url.replace(/\/$/, ''),
    browser,
    context,
    page,
    pageErrors,
    async screenshot(name) {
      await page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await server.close();
      await workspace.close();
      rmSync(temporary, { recursive: true, force: true });
    },
  };
}
