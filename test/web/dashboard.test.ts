/**
 * The project dashboard in real Chromium: reached from the project page's header, every chart drawn
 * (a canvas with pixels, its legend, its figures as the canvas's fallback table), the coverage matrix
 * with each cell's state, and a cell leading to the Review tab filtered by that story. Screenshot: `dashboard`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_MATRIX, seedDashboardProject } from '../dashboard/dashboard-seed.ts';
import { browserSuiteTitle, hasChromium, startWebHarness, type WebHarness } from '../support/web-harness.ts';

describe.skipIf(!hasChromium)(browserSuiteTitle('web app: project dashboard'), () => {
  let harness: WebHarness;

  beforeAll(async () => {
    harness = await startWebHarness();
    await seedDashboardProject(await harness.workspace.storage());
  }, 180_000);
  afterAll(async () => {
    await harness?.close();
  });

  /** True when the chart's canvas has at least one drawn (non-transparent) pixel. */
  async function canvasHasPixels(chart: string): Promise<boolean> {
    return harness.page.locator(`[data-chart="${chart}"] canvas`).evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) return false;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) return true;
      return false;
    });
  }

  /** The chart's figures as its fallback table holds them: row label → values. */
  async function chartFigures(chart: string): Promise<Record<string, string[]>> {
    return harness.page.locator(`[data-chart="${chart}"] canvas table`).evaluate((table) => {
      const figures: Record<string, string[]> = {};
      for (const row of table.querySelectorAll('tbody tr')) {
        const cells = [...row.children].map((cell) => cell.textContent ?? '');
        figures[cells[0]!] = cells.slice(1);
      }
      return figures;
    });
  }

  const legendOf = (chart: string) =>
    harness.page.locator(`[data-chart="${chart}"] .chart-legend li`).allTextContents();

  it('opens from the project page and draws every chart with its legend and figures', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/#/projects/Shop/stories`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(/#\/projects\/Shop\/dashboard$/);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    for (const chart of ['review-progress', 'quality', 'findings', 'tokens']) {
      await page.locator(`[data-chart="${chart}"] canvas`).waitFor();
      expect(await canvasHasPixels(chart), `${chart} is drawn`).toBe(true);
    }

    expect(await legendOf('review-progress')).toEqual(['New drafts', 'Accepted', 'Rejected', 'Edited']);
    const progress = Object.values(await chartFigures('review-progress'));
    const sums = [0, 1, 2, 3].map((column) => progress.reduce((sum, row) => sum + Number(row[column]), 0));
    expect(sums).toEqual([5, 1, 1, 1]);

    const quality = await chartFigures('quality');
    expect(Object.keys(quality)).toHaveLength(10);
    expect(Object.values(quality).reduce((sum, [count]) => sum + Number(count), 0)).toBe(4);

    expect(await legendOf('findings')).toEqual(['Error', 'Warning', 'Info']);
    expect(Object.keys(await chartFigures('findings')).length).toBeGreaterThan(0);

    expect(await legendOf('tokens')).toEqual(['openai', 'team-vllm', 'Offline rules engine']);
    const costs = page.getByRole('table', { name: 'Tokens and estimated cost per provider' });
    await expect(costs.getByRole('row', { name: /openai/ }).textContent()).resolves.toContain('no price set');
    expect(harness.pageErrors).toEqual([]);
  });

  it('shows each criterion’s coverage in the matrix and leads from a cell to the story’s cases', async () => {
    const { page } = harness;
    for (const story of SEEDED_MATRIX) {
      for (const cell of story.cells) {
        const link = page.locator(`[data-cell="${story.key}/${cell.criterionId}"]`);
        await expect(link.getAttribute('data-state')).resolves.toBe(cell.state);
      }
    }
    await harness.screenshot('dashboard');

    await page.locator('[data-cell="SHOP-2/AC-3"]').click();
    await page.waitForURL(/#\/projects\/Shop\/review\?story=SHOP-2$/);
    // The project's Review tab, filtered by the cell's story: only its cases, in every status.
    await page.getByText('Receipt after a discounted order').first().waitFor();
    const rowIds = await page
      .locator('.review-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid') ?? ''));
    expect(rowIds.length).toBeGreaterThan(0);
    for (const rowId of rowIds) expect(rowId).toMatch(/^case-SHOP-2-TC-\d+$/);
    expect(harness.pageErrors).toEqual([]);
  });
});
