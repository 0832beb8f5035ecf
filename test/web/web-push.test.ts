/**
 * "Push to…" in the web app's export panel, in real Chromium against the TestRail fake: the app is
 * built with Vite and served by the real server over a SQLite workspace holding a stored TestRail
 * connection; the preview (a dry run) shows what would be created, the push each case's result.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { workspaceTokens } from '../../src/app/workspace/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import {
  createConnectorWorkspace,
  seedAcceptedCases,
  type ConnectorTestWorkspace,
} from '../connectors/connectors-support.ts';
import { startFakeTestRail, type FakeTestRail } from '../support/fake-testrail.ts';
import { buildWebAppOnce } from '../support/web-build.ts';
import { skippedTitle } from '../support/skip-reason.ts';

const chromiumPath = process.env.REQASE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const USER = 'qa@example.com';
const API_KEY = 'testrail-api-key-0123456789';

describe.skipIf(!hasChromium)(
  hasChromium
    ? 'web app: push to a tool'
    : skippedTitle('web app: push to a tool', `${chromiumPath} is not installed`),
  () => {
    let temporary: string;
    let testrail: FakeTestRail;
    let context: ConnectorTestWorkspace;
    let server: RunningServer;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      temporary = mkdtempSync(join(tmpdir(), 'reqase-web-push-'));
      const [launched, webDirectory] = await Promise.all([
        chromium.launch({
          executablePath: chromiumPath,
          args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
        }),
        buildWebAppOnce(),
      ]);
      browser = launched;
      testrail = await startFakeTestRail({ user: USER, apiKey: API_KEY, requestsPerMinute: 1_000_000 });
      context = await createConnectorWorkspace('sqlite', {});
      await seedAcceptedCases(context.storage, 2, 3);
      await context.workspace.connections.add({
        name: 'team-testrail',
        kind: 'testrail',
        baseUrl: testrail.url,
        settings: { user: USER, projectId: '1', requestsPerMinute: '100000' },
        secret: API_KEY,
      });
      const tokens = workspaceTokens(context.workspace);
      server = await startServer({
        settings: resolveSettings({ REQASE_DATA_DIR: join(temporary, 'data') }, temporary),
        authenticationRequired: false,
        tokens,
        workspace: { workspace: context.workspace, tokens },
        webDirectory,
        logger: pino({ level: 'silent' }),
        host: '127.0.0.1',
        port: 0,
      });
      page = await (await browser.newContext({ viewport: { width: 1366, height: 820 } })).newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await context?.dispose();
      await testrail?.close();
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    });

    it('previews the push (counts, nothing sent), then pushes and shows each case created', async () => {
      await page.goto(`${server.url}/#/projects/Shop/export`);
      const panel = page.getByRole('form', { name: 'Push to a tool' });
      await panel.getByLabel('Connection').locator('option', { hasText: 'team-testrail (TestRail' }).waitFor({
        state: 'attached',
      });
      await panel.getByRole('button', { name: 'Preview' }).click();
      await panel
        .getByText('Preview: 6 to create, 0 to update, 0 unchanged. Nothing was sent yet.')
        .waitFor();
      expect(await panel.locator('tr[data-outcome="would-create"]').count()).toBe(6);
      expect(testrail.cases.size).toBe(0);

      await panel.getByRole('button', { name: 'Push', exact: true }).click();
      await panel.getByText('Pushed: 6 created, 0 updated, 0 unchanged, 0 failed.').waitFor();
      const rows = panel.locator('tr[data-outcome="created"]');
      expect(await rows.count()).toBe(6);
      expect(await rows.first().textContent()).toMatch(/^SHOP-1\/TC-1CreatedC\d+$/);
      expect(testrail.cases.size).toBe(6);

      // Pushing again right away: everything is up to date, nothing to create or update.
      await panel.getByRole('button', { name: 'Preview' }).click();
      await panel
        .getByText('Preview: 0 to create, 0 to update, 6 unchanged. Nothing was sent yet.')
        .waitFor();
      expect(pageErrors).toEqual([]);
    });

    it("a refused key: the error with the web app's own advice, no command-line steps", async () => {
      await context.workspace.connections.add({
        name: 'team-testrail',
        kind: 'testrail',
        baseUrl: testrail.url,
        settings: { user: USER, projectId: '1', requestsPerMinute: '100000' },
        secret: 'wrong-key-000000000',
      });
      await page.goto(`${server.url}/#/projects/Shop/export`);
      const panel = page.getByRole('form', { name: 'Push to a tool' });
      await panel.getByLabel('Cases to push').selectOption('all');
      await panel.getByRole('button', { name: 'Preview' }).click();
      await panel.getByText(/^Preview: /).waitFor();
      await panel.getByRole('button', { name: 'Push', exact: true }).click();
      const alert = panel.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('refused the credentials');
      const fix = (await alert.locator('.error-fix').textContent()) ?? '';
      expect(fix).toContain("renew the connection's token, key or password");
      expect(fix).not.toMatch(/reqase |--/);
    });
  },
);
