/**
 * The web app end to end in real Chromium (Debian's `/usr/bin/chromium`, driven by playwright-core):
 * the app is built with Vite, served by the real server (SQLite in a temporary data directory), and
 * the model is the fake OpenAI-compatible endpoint streaming its answer token by token.
 *
 * Screenshots of the main pages go to `$REQASE_SCREENSHOT_DIR` (default: a temporary directory
 * that is removed afterwards); they are for people to look at, never committed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, type Workspace, workspaceTokens } from '../../src/app/workspace/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { errorBodies, startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { buildWebAppOnce } from '../support/web-build.ts';
import { skippedTitle } from '../support/skip-reason.ts';

/** Debian's Chromium; `REQASE_CHROMIUM` points elsewhere (an absent path skips the suite). */
const chromiumPath = process.env.REQASE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const repositoryRoot = join(import.meta.dirname, '..', '..');

const apiKey = 'sk-web-test-secret-0123456789wxyz';
const wrongKey = 'sk-web-wrong-key-9876543210abcd';
/** Created in the secure server's workspace (sessions are stored bound to a real token). */
let loginToken: string;

const storyText = `# SHOP-7: Apply a discount code

As a shopper I want to apply a discount code at checkout so that I pay less.

## Acceptance Criteria

- A valid discount code reduces the order total by its percentage.
- An expired discount code shows the message "This code has expired" and leaves the total unchanged.
`;

/** Pretty-printed so the fake endpoint's word "tokens" spread the answer over many chunks. */
const modelAnswer = JSON.stringify(
  {
    testCases: [
      {
        title: 'Valid discount code reduces the total',
        kind: 'positive',
        priority: 'high',
        preconditions: ['The cart holds items worth 100.00'],
        steps: [
          {
            action: 'Enter the code SAVE10 at checkout and apply it',
            data: 'SAVE10',
            expected: 'The total is 90.00',
          },
        ],
        covers: ['AC-1'],
      },
      {
        title: 'Expired discount code is refused with a message',
        kind: 'negative',
        priority: 'high',
        preconditions: ['The code OLD5 expired yesterday'],
        steps: [
          {
            action: 'Enter the expired code OLD5 at checkout and apply it',
            data: 'OLD5',
            expected: 'The message "This code has expired" is shown and the total stays 100.00',
          },
        ],
        covers: ['AC-2'],
      },
      {
        title: 'A 100 percent discount code makes the total zero',
        kind: 'boundary',
        priority: 'medium',
        preconditions: ['The cart holds items worth 100.00'],
        steps: [
          { action: 'Apply the code FREE100 at checkout', data: 'FREE100', expected: 'The total is 0.00' },
        ],
        covers: ['AC-1'],
      },
    ],
  },
  null,
  1,
);

describe.skipIf(!hasChromium)(
  hasChromium
    ? 'web app in Chromium'
    : skippedTitle('web app in Chromium', `${chromiumPath} is not installed`),
  () => {
    let temporary: string;
    let screenshots: string;
    let endpoint: FakeLlmEndpoint;
    let workspace: Workspace;
    let server: RunningServer;
    let secureWorkspace: Workspace;
    let secureServer: RunningServer | undefined;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      temporary = mkdtempSync(join(tmpdir(), 'reqase-web-'));
      screenshots = process.env.REQASE_SCREENSHOT_DIR ?? join(temporary, 'screenshots');
      const dataDirectory = join(temporary, 'data');
      const [launched, webDirectory] = await Promise.all([
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
        buildWebAppOnce(),
      ]);
      browser = launched;
      endpoint = await startFakeLlmEndpoint({ apiKey });
      const settings = resolveSettings({ REQASE_DATA_DIR: dataDirectory }, temporary);
      workspace = openWorkspace(settings);
      const tokens = workspaceTokens(workspace);
      server = await startServer({
        settings,
        authenticationRequired: false,
        tokens,
        workspace: { workspace, tokens },
        webDirectory,
        logger: pino({ level: 'silent' }),
        host: '127.0.0.1',
        port: 0,
      });
      // The same app behind a server that requires a token (as when bound beyond loopback).
      const secureSettings = resolveSettings({ REQASE_DATA_DIR: join(temporary, 'secure-data') }, temporary);
      secureWorkspace = openWorkspace(secureSettings);
      const loginTokens = workspaceTokens(secureWorkspace);
      loginToken = (await loginTokens.create('web-tests')).token;
      secureServer = await startServer({
        settings: secureSettings,
        authenticationRequired: true,
        tokens: loginTokens,
        workspace: { workspace: secureWorkspace, tokens: loginTokens },
        webDirectory,
        logger: pino({ level: 'silent' }),
        host: '127.0.0.1',
        port: 0,
      });
      const context = await browser.newContext({
        acceptDownloads: true,
        viewport: { width: 1366, height: 820 },
      });
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await secureServer?.close();
      await server?.close();
      await workspace?.close();
      await secureWorkspace?.close();
      await endpoint?.close();
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    });

    async function screenshot(name: string): Promise<void> {
      await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
    }

    it('shows the not-found page for an address with a malformed %-escape or no page, instead of a blank app', async () => {
      for (const address of [
        '#/projects/%E0%A4%A/stories',
        '#/projects/Shop/stories/%ZZ',
        '#/no-such-page',
      ]) {
        pageErrors.length = 0;
        await page.goto(`${server.url}/${address}`);
        await page.getByRole('heading', { name: 'Page not found' }).waitFor();
        expect(pageErrors, address).toEqual([]);
        await page.getByRole('link', { name: 'Go to the projects' }).click();
        await page.getByRole('heading', { name: 'Page not found' }).waitFor({ state: 'detached' });
      }
    });

    it('tests a model endpoint before saving it: every check with its result, and a refused key with its fix', async () => {
      await page.goto(`${server.url}/#/settings`);
      await page.getByText('No model configured').waitFor();

      // A refused key: the check says so, with what to do.
      await page.getByRole('button', { name: 'Add a model' }).click();
      await page.getByLabel('Preset').selectOption('vllm');
      expect(await page.getByLabel('Base URL').inputValue()).toBe('http://localhost:8000/v1');
      await page.getByLabel('Name', { exact: true }).fill('team-fake');
      await page.getByLabel('Base URL').fill(endpoint.url);
      await page.getByLabel('Model', { exact: true }).fill('fake-model');
      await page.getByLabel('API key').fill(wrongKey);
      await page.getByRole('button', { name: 'Test connection' }).click();
      const verdict = page.locator('.check-verdict');
      await verdict.waitFor();
      expect(await verdict.textContent()).toMatch(/^Not compatible/);
      const failedRow = page.locator('tr.check-fail').first();
      expect(await failedRow.textContent()).toMatch(/key|401|unauthori[sz]ed/i);
      expect(await failedRow.locator('.error-fix').textContent()).toMatch(/^Fix: \S/);
      await screenshot('settings-refused-key');

      // The right key: compatible.
      await page.getByLabel('API key').fill(apiKey);
      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.getByText(/^Compatible:/).waitFor();
      expect(await page.locator('tr.check-pass').count()).toBeGreaterThan(2);
      expect(await page.locator('tr.check-fail').count()).toBe(0);
      await screenshot('settings-check');

      await page.getByRole('button', { name: 'Save' }).click();
      const card = page.locator('.card', { hasText: 'team-fake' });
      await card.waitFor();
      expect(await card.textContent()).toContain('API key: sk-…wxyz');
      expect(await page.content()).not.toContain(apiKey);
    });

    it('creates a project, shows a refused duplicate with its message, imports a pasted story', async () => {
      await page.goto(`${server.url}/#/`);
      await page.getByText('No projects yet').waitFor();
      await screenshot('projects-empty');
      await page.getByLabel('Name', { exact: true }).fill('Shop');
      await page.getByLabel('Default format').selectOption('manual');
      await page.getByLabel('Default model').selectOption('team-fake');
      await page.getByRole('button', { name: 'Create project' }).click();
      await page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
      await page.getByText('No stories in this project yet').waitFor();

      // The same name again: the server's message is shown.
      await page.goto(`${server.url}/#/`);
      await page.locator('.card', { hasText: 'Shop' }).waitFor();
      await page.getByLabel('Name', { exact: true }).fill('Shop');
      await page.getByRole('button', { name: 'Create project' }).click();
      const error = page.getByRole('alert');
      await error.waitFor();
      expect(await error.locator('.error-message').textContent()).toMatch(/Shop/);

      await page.locator('.card a', { hasText: 'Shop' }).click();
      await page.getByLabel('Or paste a story').fill(storyText);
      await page.getByRole('button', { name: 'Import' }).click();
      await page.getByText('SHOP-7 (created)').waitFor();
      const coverage = page.getByTestId('coverage-SHOP-7');
      expect(await coverage.textContent()).toContain('No test cases');

      // A file upload: the file's name tells the server how to read it.
      await page.getByLabel(/^File/).setInputFiles(join(repositoryRoot, 'examples', 'stories', 'login.md'));
      await page.getByText('Reading login.md').waitFor();
      await page.getByRole('button', { name: 'Import' }).click();
      await page.getByText('AUTH-1 (created)').waitFor();
      await page.getByRole('link', { name: 'AUTH-1' }).waitFor();
      await screenshot('project-stories');
    });

    it('starts bulk generation for selected stories and shows its progress to the end', async () => {
      endpoint.setScenario({ default: { kind: 'answer', text: 'I cannot help with that.' } });
      const start = page.getByRole('button', { name: /^Generate for \d+ selected/ });
      expect(await start.isDisabled()).toBe(true);
      await page.getByLabel('Select AUTH-1').check();
      expect(await start.textContent()).toBe('Generate for 1 selected story');
      await start.click();
      await page.getByRole('progressbar', { name: 'Job progress' }).waitFor();
      // A model that refuses: the job fails and the page says why, story by story.
      await page.getByText(/^failed: 1\/1 stories, 0 test cases, 1 failed/).waitFor({ timeout: 120_000 });
      await page.getByText(/AUTH-1: No test case could be produced/).waitFor();

      endpoint.setScenario({ default: { kind: 'answer', text: modelAnswer } });
      await start.click();
      await page.getByText(/^completed: 1\/1 stories, [1-9]\d* test cases/).waitFor({ timeout: 120_000 });
      expect(await page.getByRole('list', { name: 'Skipped stories' }).count()).toBe(0);

      await page.getByLabel('Select AUTH-1').uncheck();
    });

    it('says when a bulk run skipped stories that were already covered, story by story and in the summary', async () => {
      // A story whose two criteria the model's answer covers (AUTH-1 has criteria it never covers).
      const imported = await fetch(`${server.url}/api/projects/Shop/stories/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          content: storyText.replace('SHOP-7: Apply a discount code', 'SHOP-8: Apply a voucher'),
          fileName: 'shop-8.md',
        }),
      });
      expect(imported.status).toBe(200);
      await page.reload();
      await page.getByLabel('Select SHOP-8').check();
      const start = page.getByRole('button', { name: 'Generate for 1 selected story' });
      await start.click();
      await page.getByText(/^completed: 1\/1 stories, [1-9]\d* test cases$/).waitFor({ timeout: 120_000 });
      expect(await page.getByRole('list', { name: 'Skipped stories' }).count()).toBe(0);

      // The same story again: every criterion is covered, so the job skips it and says why.
      await start.click();
      await page
        .getByText(
          /^completed: 1\/1 stories, 0 test cases; skipped: already covered — every criterion already has an up-to-date test case; regenerate to replace them$/,
        )
        .waitFor({ timeout: 120_000 });
      expect(await page.getByRole('list', { name: 'Skipped stories' }).textContent()).toBe(
        'SHOP-8: skipped: already covered — every criterion already has an up-to-date test case; regenerate to replace them',
      );
      await screenshot('bulk-skipped');
      await page.getByLabel('Select SHOP-8').uncheck();
    });

    it('streams generated test cases into the dialog one by one, then stores them as drafts', async () => {
      endpoint.setScenario({
        default: {
          kind: 'answer',
          text: modelAnswer,
          latency: { timeToFirstTokenMilliseconds: 100, tokensPerSecond: 120 },
        },
      });
      await page.getByRole('link', { name: 'SHOP-7' }).click();
      await page.getByRole('heading', { name: /SHOP-7: Apply a discount code/ }).waitFor();
      expect(await page.getByTestId('criterion-AC-1').textContent()).toContain('Not covered yet');

      await page.getByRole('button', { name: 'Generate test cases' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
      const streamed = dialog.locator('.streamed > li');
      await streamed.first().waitFor();
      // The first case is on screen while the model is still answering.
      const statusWhenFirstArrived = await dialog.locator('.stream-status').textContent();
      expect(statusWhenFirstArrived).toMatch(/^Generating…/);
      expect(await dialog.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);
      await screenshot('generate-streaming');

      await dialog.getByText(/^Done: 3 test cases saved/).waitFor({ timeout: 120_000 });
      expect(await streamed.count()).toBe(3);
      expect(await streamed.nth(1).textContent()).toContain('Expired discount code is refused');
      await dialog.getByRole('button', { name: 'Review test cases' }).click();

      await page.getByTestId('case-TC-3').waitFor();
      expect(await page.getByTestId('criterion-AC-1').textContent()).toContain('Covered by TC-1, TC-3');
      expect(await page.getByTestId('criterion-AC-2').textContent()).toContain('Covered by TC-2');
      // A quality badge for the story and for each case, scored by the server.
      expect(await page.getByTestId('story-quality').textContent()).toMatch(/^Quality \d{1,3}\/100$/);
      for (const id of ['TC-1', 'TC-2', 'TC-3'])
        expect(await page.getByTestId(`case-quality-${id}`).textContent()).toMatch(/^Quality \d{1,3}\/100$/);
      await screenshot('story-review');
    });

    it('cancels a generation while it streams: nothing is stored', async () => {
      endpoint.setScenario({
        default: {
          kind: 'answer',
          text: modelAnswer,
          latency: { timeToFirstTokenMilliseconds: 100, tokensPerSecond: 40 },
        },
      });
      await page.getByRole('button', { name: 'Generate test cases' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
      await dialog.locator('.streamed > li').first().waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.getByText('Cancelled: nothing was saved.').waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      // The server let go of the model's stream (it would run for seconds more otherwise).
      await expect.poll(() => endpoint.concurrency().inFlight, { timeout: 60_000 }).toBe(0);
      await page.reload();
      await page.getByTestId('case-TC-3').waitFor();
      expect(await page.locator('.review-table tbody tr').count()).toBe(3);
      expect(await page.getByTestId('case-TC-4').count()).toBe(0);
    });

    it('shows a failed generation with the message and fix the server gave', async () => {
      endpoint.setScenario({
        default: {
          kind: 'error',
          status: 404,
          body: errorBodies.openai(
            'The model `fake-model` does not exist',
            'invalid_request_error',
            'model_not_found',
          ),
        },
      });
      await page.getByRole('button', { name: 'Generate test cases' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
      const error = dialog.getByRole('alert');
      await error.waitFor();
      expect(await error.locator('.error-message').textContent()).toContain('fake-model');
      expect(await error.locator('.error-fix').textContent()).toMatch(/^Fix: \S/);
      await screenshot('generate-error');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    });

    it('edits a case in the side panel, accepts it, shows its history', async () => {
      const row = page.getByTestId('case-TC-1');
      await row.click();
      let panel = page.getByTestId('case-panel');
      await panel.getByRole('button', { name: 'Edit' }).click();
      await panel.getByLabel('Title').fill('Valid discount code SAVE10 reduces the total by 10 percent');
      await panel.getByLabel('Expected').first().fill('The total shown is 90.00');
      await panel.getByRole('button', { name: 'Save' }).click();
      await row.getByText('Valid discount code SAVE10 reduces the total by 10 percent').waitFor();
      expect(await row.textContent()).toContain('v2');
      // The edited case is scored again: its badge is still there, from the new text.
      await row.getByTestId('case-quality-TC-1').waitFor();
      await row.click();
      panel = page.getByTestId('case-panel');
      expect(await panel.textContent()).toContain('The total shown is 90.00');

      await panel.getByRole('button', { name: 'Accept' }).click();
      await row.locator('.badge-accepted').waitFor();
      await expect.poll(() => page.getByTestId('criterion-AC-1').textContent()).toContain('TC-1 ✓');

      await panel.getByRole('button', { name: 'History' }).click();
      const history = panel.getByRole('list', { name: 'Versions' });
      await history.waitFor();
      expect(await history.textContent()).toContain('Valid discount code reduces the total');

      // Keyboard review: r on a focused case rejects it.
      const second = page.getByTestId('case-TC-2');
      await second.focus();
      await page.keyboard.press('r');
      await second.locator('.badge-rejected').waitFor();
    });

    it('lists drafts across the project for review, and saves the project settings', async () => {
      await page.goto(`${server.url}/#/projects/Shop/review`);
      // SHOP-7 has one draft left; AUTH-1's drafts come from the bulk job above.
      const shopDrafts = page.locator('.review-table tbody tr', { hasText: 'SHOP-7' });
      await shopDrafts.first().waitFor();
      expect(await shopDrafts.count()).toBe(1);
      expect(await shopDrafts.first().textContent()).toContain('TC-3');
      expect(await page.locator('.review-table tbody tr', { hasText: 'AUTH-1' }).count()).toBeGreaterThan(0);

      // Each case's quality badge and findings, as the API scores it.
      const listed = (await (
        await fetch(`${server.url}/api/projects/Shop/test-cases?status=draft&quality=true`)
      ).json()) as {
        testCases: Array<{
          storyKey: string;
          displayId: string;
          quality: { score: number; findings: Array<{ fix: string }> };
        }>;
      };
      expect(listed.testCases.length).toBeGreaterThan(1);
      for (const testCase of listed.testCases) {
        const badge = page.getByTestId(`case-quality-${testCase.storyKey}-${testCase.displayId}`);
        expect(await badge.textContent()).toBe(`Quality ${testCase.quality.score}/100`);
        // The findings with their fixes are in the side panel of the case.
        await page.getByTestId(`case-${testCase.storyKey}-${testCase.displayId}`).click();
        await page
          .getByTestId('case-panel')
          .getByText(`${testCase.storyKey} ${testCase.displayId}`)
          .waitFor();
        const findings = page.getByRole('list', {
          name: `Quality findings of ${testCase.storyKey} ${testCase.displayId}`,
        });
        expect(await findings.count()).toBe(testCase.quality.findings.length ? 1 : 0);
        for (const finding of testCase.quality.findings)
          expect(await findings.textContent()).toContain(`Fix: ${finding.fix}`);
      }

      await page.getByRole('link', { name: 'Project settings' }).click();
      await page.getByLabel('Default format').selectOption('bdd');
      await page.getByLabel('Test case rules').fill('Use the shopper persona Maria.');
      await page.getByRole('button', { name: 'Save project settings' }).click();
      await page.getByText('Saved.').waitFor();
      await page.locator('.summary-line', { hasText: 'BDD (Gherkin)' }).waitFor();
      await page.reload();
      expect(await page.getByLabel('Test case rules').inputValue()).toBe('Use the shopper persona Maria.');
    });

    it('exports the accepted cases to Xray JSON as a download', async () => {
      await page.goto(`${server.url}/#/projects/Shop/export`);
      await page.getByLabel('Format').selectOption('xray-json');
      await page.getByLabel('Test cases').selectOption('accepted');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download' }).click(),
      ]);
      const path = await download.path();
      const exported = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      const text = JSON.stringify(exported);
      expect(text).toContain('Valid discount code SAVE10 reduces the total by 10 percent');
      expect(text).toContain('The total shown is 90.00');
      // Drafts are not part of an "accepted only" export.
      expect(text).not.toContain('Expired discount code is refused');
      expect(download.suggestedFilename()).toMatch(/\.json$/);
      await page.getByText(/^Downloaded /).waitFor();
      await screenshot('export');
    });

    it('asks for an API token when the server requires one, then writes with the session', async () => {
      const target = secureServer!;
      await page.goto(`${target.url}/#/`);
      await page.getByRole('heading', { name: 'Sign in to Reqase Lite' }).waitFor();
      await page.getByLabel('API token').fill('rql_not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const error = page.getByRole('alert');
      await error.waitFor();
      expect(await error.textContent()).toContain('not valid');
      expect(await error.locator('.error-fix').textContent()).toMatch(
        /^Fix: Sign in again with a valid API token/,
      );
      await screenshot('login');

      await page.getByLabel('API token').fill(loginToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('No projects yet').waitFor();
      // A write through the session cookie: the app sends the CSRF header.
      await page.getByLabel('Name', { exact: true }).fill('Secure');
      await page.getByRole('button', { name: 'Create project' }).click();
      await page.getByRole('heading', { name: 'Secure', level: 1 }).waitFor();
      expect(pageErrors).toEqual([]);
    });
  },
);
