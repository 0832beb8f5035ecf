/**
 * The Custom AI Integration and the app's looks in real Chromium: a provider tested (one verdict
 * line, details folded, served models offered), saved (its card shows the last test), picked with
 * another served model in the generate dialog and in the bulk panel; dark mode; story keys on a
 * narrow screen; and no CLI flag or command in the message the app shows for any API error code.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/shared/errors.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import {
  browserSuiteTitle,
  hasChromium,
  screenshotDirectory,
  startWebHarness,
  type WebHarness,
} from '../support/web-harness.ts';

const CLI_WORDING = /(^|[\s`("'])--[a-z][\w-]*|\breqase\s+[a-z]/i;

const stories = [
  {
    key: 'SHOP-1234567',
    summary: 'Apply a discount code',
    description: 'As a shopper I want to apply a discount code at checkout so that I pay less.',
    acceptanceCriteria: ['A valid discount code reduces the order total by its percentage.'],
  },
];

const modelAnswer = JSON.stringify({
  testCases: [
    {
      title: 'A valid code lowers the total',
      kind: 'positive',
      priority: 'high',
      preconditions: ['A cart worth 100 EUR'],
      steps: [{ action: 'Apply the code SAVE10', data: '', expected: 'The total shows 90 EUR' }],
      covers: ['AC-1'],
    },
  ],
});

describe.skipIf(!hasChromium)(browserSuiteTitle('providers, model choice and theme in the web app'), () => {
  let harness: WebHarness;
  let endpoint: FakeLlmEndpoint;

  beforeAll(async () => {
    endpoint = await startFakeLlmEndpoint({ models: ['fake-model', 'fake-model-large'] });
    harness = await startWebHarness();
    await harness.workspace.projects.create({ name: 'Shop' });
    await harness.workspace.stories.importStories('Shop', {
      content: JSON.stringify(stories),
      fileName: 'stories.json',
    });
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
    await endpoint?.close();
  });

  it('tests a provider: a verdict line, folded details, the served models as choices; its card shows the last test', async () => {
    const { page, origin } = harness;
    await page.goto(`${origin}/#/settings`);
    await page.getByRole('button', { name: 'Add a model' }).click();
    await page.getByLabel('Name', { exact: true }).fill('team-fake');
    await page.getByLabel('Base URL').fill(endpoint.url);
    await page.getByLabel('Model', { exact: true }).fill('fake-model');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const verdict = page.locator('.check-verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(/^Compatible: fake-model at /);
    expect(
      await page.locator('details.check-details').evaluate((node) => (node as HTMLDetailsElement).open),
    ).toBe(false);
    expect(await page.locator('tr.check-pass').count()).toBeGreaterThan(2);
    const served = page.getByLabel('Models this endpoint serves');
    expect(await served.locator('option').allTextContents()).toEqual([
      'Pick one…',
      'fake-model',
      'fake-model-large',
    ]);
    await harness.screenshot('connection-verdict');

    await page.getByLabel(/^Input price/).fill('0.15');
    await page.getByLabel(/^Output price/).fill('0.6');
    await page.getByRole('button', { name: 'Save' }).click();
    const card = page.getByTestId('provider-team-fake');
    await card.locator('.last-check.ok').waitFor();
    expect(await card.locator('.last-check').textContent()).toMatch(/^✔ Compatible · tested /);
    expect(await card.textContent()).toContain('Price: $0.15 in, $0.6 out per million tokens');
    await card.getByRole('button', { name: 'Edit' }).waitFor();
    await card.getByRole('button', { name: 'Delete' }).waitFor();

    const stored = await harness.workspace.providers.show('team-fake');
    expect(stored).toMatchObject({ inputPricePerMillionTokens: 0.15, outputPricePerMillionTokens: 0.6 });
    expect(stored.lastCheck).toMatchObject({ verdict: 'compatible' });
    await harness.workspace.providers.setDefault('Shop', 'team-fake');
    await page.reload();
    await card.locator('.badge-default').waitFor();
    await harness.screenshot('provider-card');
  }, 180_000);

  it('generates with a model picked from the provider’s list, and the request uses it', async () => {
    const { page, origin } = harness;
    await page.goto(`${origin}/#/projects/Shop/stories/SHOP-1234567`);
    await page.getByRole('button', { name: 'Generate test cases' }).click();
    const dialog = page.getByRole('dialog');
    const line = dialog.getByTestId('engine-line');
    await line.waitFor();
    expect(await line.textContent()).toMatch(
      /^Runs fake-model at .* \(provider team-fake, the project default\)\.$/,
    );
    const picker = dialog.getByLabel('Models team-fake serves');
    await picker.waitFor();
    await picker.selectOption('fake-model-large');
    expect(await dialog.getByLabel('Model name').inputValue()).toBe('fake-model-large');
    expect(await line.textContent()).toMatch(/^Runs fake-model-large at /);
    await harness.screenshot('generate-model-picker');

    endpoint.setScenario({ default: { kind: 'answer', text: modelAnswer } });
    const before = endpoint.completionRequests().length;
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await dialog
      .locator('.stream-status:text-matches("^(Done|Nothing)"), [role=alert]')
      .first()
      .waitFor({ timeout: 120_000 });
    expect(await dialog.locator('.stream-status, [role=alert]').first().textContent()).toMatch(
      /^Done: \d+ test cases? saved/,
    );
    const sent = endpoint.completionRequests().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.map((request) => (request.body as { model?: string }).model)).toEqual(
      sent.map(() => 'fake-model-large'),
    );
    expect(await dialog.getByTestId('engine-used').textContent()).toContain('fake-model-large');
  }, 180_000);

  it('starts a bulk job with a model picked in the bulk panel: every request asks it, the job view names it', async () => {
    const { page, origin } = harness;
    await harness.workspace.stories.importStories('Shop', {
      content: JSON.stringify([
        {
          key: 'SHOP-2',
          summary: 'Remove a discount code',
          description: 'As a shopper I want to remove a discount code so that I can use another one.',
          acceptanceCriteria: ['A removed code no longer reduces the order total.'],
        },
      ]),
      fileName: 'more.json',
    });
    await page.goto(`${origin}/#/projects/Shop/stories`);
    await page.getByLabel('Select SHOP-2').check();
    const bulk = page.getByRole('region', { name: 'Bulk generation' });
    const picker = bulk.getByLabel('Models team-fake serves');
    await picker.waitFor();
    await picker.selectOption('fake-model-large');
    expect(await bulk.getByTestId('engine-line').textContent()).toMatch(/^Runs fake-model-large at /);

    endpoint.setScenario({ default: { kind: 'answer', text: modelAnswer } });
    const before = endpoint.completionRequests().length;
    await bulk.getByRole('button', { name: 'Generate for 1 selected story' }).click();
    await bulk.getByText(/^completed: 1\/1 stories, [1-9]\d* test cases/).waitFor({ timeout: 120_000 });
    expect(await bulk.getByTestId('job-engine').textContent()).toBe(
      'Model fake-model-large of provider team-fake',
    );
    await harness.screenshot('bulk-model-picker');
    const sent = endpoint.completionRequests().slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.map((request) => (request.body as { model?: string }).model)).toEqual(
      sent.map(() => 'fake-model-large'),
    );
    await page.getByLabel('Select SHOP-2').uncheck();
  }, 180_000);

  it('deletes a provider only after a confirmation', async () => {
    const { page, origin } = harness;
    await harness.workspace.providers.add({ name: 'spare', baseUrl: endpoint.url, model: 'fake-model' });
    await page.goto(`${origin}/#/settings`);
    const card = page.getByTestId('provider-spare');
    await card.getByRole('button', { name: 'Delete' }).click();
    await card.getByRole('button', { name: 'Keep' }).click();
    await card.getByRole('button', { name: 'Delete' }).click();
    await card.getByRole('button', { name: 'Delete spare' }).click();
    await card.waitFor({ state: 'detached' });
    expect((await harness.workspace.providers.list()).map((provider) => provider.name)).toEqual([
      'team-fake',
    ]);
  });

  it('follows the system’s dark setting, and the toggle overrides and remembers it', async () => {
    const context = await harness.browser.newContext({
      colorScheme: 'dark',
      viewport: { width: 1200, height: 800 },
    });
    try {
      const page = await context.newPage();
      const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.goto(`${harness.origin}/#/settings`);
      await page.getByTestId('provider-team-fake').waitFor();
      expect(luminance(await background())).toBeLessThan(0.2);
      await page.screenshot({ path: join(screenshotDirectory, 'dark-mode.png'), fullPage: true });

      await page.getByLabel('Theme').selectOption('light');
      expect(luminance(await background())).toBeGreaterThan(0.8);
      await page.reload();
      await page.getByTestId('provider-team-fake').waitFor();
      expect(await page.getByLabel('Theme').inputValue()).toBe('light');
      expect(luminance(await background())).toBeGreaterThan(0.8);
      await page.getByLabel('Theme').selectOption('system');
      expect(luminance(await background())).toBeLessThan(0.2);
    } finally {
      await context.close();
    }
  });

  it('keeps a story key on one line on a narrow screen', async () => {
    const context = await harness.browser.newContext({ viewport: { width: 360, height: 740 } });
    try {
      const page = await context.newPage();
      await page.goto(`${harness.origin}/#/projects/Shop/stories`);
      const key = page.getByRole('link', { name: 'SHOP-1234567' });
      await key.waitFor();
      expect(await key.evaluate((node) => node.getClientRects().length)).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('shows no CLI flag or command for any API error code', async () => {
    const { page, origin } = harness;
    // The server's words as a CLI user gets them, for the code under test: the web app must word
    // its own advice.
    let code: (typeof ERROR_CODES)[number] = ERROR_CODES[0];
    await page.route('**/api/providers', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code,
            message: `The ${code} error happened. Give it with --base-url or REQASE_BASE_URL (or --model).`,
            fix: 'Run `reqase provider add NAME --base-url URL --model MODEL`, then `reqase check`.',
          },
        }),
      }),
    );
    // The not-found page asks the API for nothing, so no other page's alert can answer for a code.
    const notFound = page.getByRole('heading', { name: 'Page not found' });
    await page.goto(`${origin}/#/no-such-page`);
    await notFound.waitFor();
    try {
      for (const next of ERROR_CODES) {
        code = next;
        // Away and back by hash: the settings page mounts again and asks for the providers again
        // (one page load for all codes; a full load per code cost 0.7 s each).
        await page.evaluate(() => (location.hash = '#/no-such-page'));
        await notFound.waitFor();
        await page.evaluate(() => (location.hash = '#/settings'));
        const alert = page.locator(`[role=alert][data-code="${code}"]`);
        await alert.waitFor();
        const text = (await alert.textContent()) ?? '';
        expect(text, code).toContain(`The ${code} error happened.`);
        expect(text, code).toMatch(/Fix: \S/);
        expect(text, code).not.toMatch(CLI_WORDING);
      }
    } finally {
      await page.unroute('**/api/providers');
    }
    expect(harness.pageErrors).toEqual([]);
  }, 180_000);
});

/** Relative luminance (0 black – 1 white) of a CSS `rgb(…)` colour. */
function luminance(color: string): number {
  const [red = 0, green = 0, blue = 0] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255;
}
