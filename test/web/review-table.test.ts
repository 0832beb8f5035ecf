/**
 * The review table over 1,000 seeded cases in real Chromium: filters, search, sort and paging
 * answered by the server, multi-select accept, the side panel, and a keyboard-only review of ten
 * cases with the focus checked after every action. Screenshots: review-table, review-side-panel,
 * review-keyboard-help.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewTestCase } from '../../src/core/index.ts';
import type { Storage } from '../../src/storage/index.ts';
import { browserSuiteTitle, hasChromium, startWebHarness, type WebHarness } from '../support/web-harness.ts';

const PROJECT = 'Backlog';
const STORIES = 10;
const CASES_PER_STORY = 100;
const KINDS = ['positive', 'negative', 'boundary', 'edge'] as const;

/** Case n of a story: every 4th kind in turn, every 25th about a refund. */
function caseOf(storyKey: string, caseNumber: number) {
  return {
    caseNumber,
    title: `${storyKey} case ${String(caseNumber).padStart(3, '0')}: ${caseNumber % 25 === 0 ? 'a refund is shown' : 'a declined card keeps the cart'}`,
    kind: KINDS[caseNumber % 4]!,
    priority: caseNumber % 2 ? 'high' : 'low',
    preconditions: ['The shopper is signed in'],
    steps: [{ action: 'Pay with a declined card', expected: 'The message "Payment declined" is shown' }],
    covers: ['AC-1'],
    engine: 'llm' as const,
    warnings: [],
  };
}

async function seed(storage: Storage): Promise<void> {
  const project = await storage.projects.create({ name: PROJECT });
  const batch: NewTestCase[] = [];
  for (let storyNumber = 0; storyNumber < STORIES; storyNumber += 1) {
    const key = `BL-${storyNumber}`;
    const story = await storage.stories.save(project.id, {
      key,
      summary: `Checkout ${storyNumber}`,
      description: 'As a shopper I want to pay.',
      acceptanceCriteria: [{ id: 'AC-1', text: 'A declined card shows "Payment declined"' }],
      outOfScope: [],
      notes: [],
      source: 'markdown',
      contentHash: key,
    });
    for (let caseNumber = 1; caseNumber <= CASES_PER_STORY; caseNumber += 1)
      batch.push({ projectId: project.id, storyId: story.id, ...caseOf(key, caseNumber) });
  }
  await storage.testCases.insertMany(batch);
}

describe.skipIf(!hasChromium)(browserSuiteTitle('review table over 1,000 cases'), () => {
  let harness: WebHarness;
  let storage: Storage;

  beforeAll(async () => {
    harness = await startWebHarness({ viewport: { width: 1500, height: 900 } });
    storage = await harness.workspace.storage();
    await seed(storage);
  }, 240_000);
  afterAll(async () => {
    await harness?.close();
  });

  const total = () => harness.page.getByTestId('review-total');
  const rows = () => harness.page.locator('.review-table tbody tr');
  const activeCaseId = () =>
    harness.page.evaluate(() => {
      const active = document.activeElement;
      return active?.closest('.review-table, .case-panel')
        ? (active.closest('tr')?.dataset.caseId ?? 'panel')
        : 'outside';
    });

  it('asks for the session, the project and the first page once each, without waiting for the session', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/#/projects/${PROJECT}/review`);
    await rows().first().waitFor();
    // In order of events: each API request sent, and each answer received, during a fresh load.
    const events: string[] = [];
    const sent = (request: { url(): string }) => events.push(`sent ${new URL(request.url()).pathname}`);
    const answered = (request: { url(): string }) =>
      events.push(`answered ${new URL(request.url()).pathname}`);
    page.on('request', sent);
    page.on('requestfinished', answered);
    try {
      await page.reload();
      await rows().first().waitFor();
    } finally {
      page.off('request', sent);
      page.off('requestfinished', answered);
    }
    const list = `/api/projects/${PROJECT}/test-cases`;
    for (const path of ['/api/session', `/api/projects/${PROJECT}`, list])
      expect(
        events.filter((event) => event === `sent ${path}`),
        path,
      ).toHaveLength(1);
    // The first page is asked for before the session's answer arrives: no request waterfall.
    expect(events.indexOf(`sent ${list}`)).toBeLessThan(events.indexOf('answered /api/session'));
  });

  it('pages, filters, searches and sorts on the server', async () => {
    const { page } = harness;
    await page.goto(`${harness.origin}/#/projects/${PROJECT}/review`);
    await total().getByText('100 of 1000 cases').waitFor();
    expect(await rows().count()).toBe(100);
    await harness.screenshot('review-table');

    await page.getByRole('button', { name: 'Load more' }).click();
    await total().getByText('200 of 1000 cases').waitFor();

    await page.getByLabel('Kind').selectOption('negative');
    await total().getByText('100 of 250 cases').waitFor();
    expect(await rows().first().textContent()).toContain('negative');

    await page.getByLabel('Search').fill('refund');
    // Cases 25, 50, 75, 100 of each story; negative ones (n % 4 = 1): 25 only.
    await total().getByText('10 of 10 cases').waitFor();
    await page.getByLabel('Kind').selectOption('');
    await total().getByText('40 of 40 cases').waitFor();

    await page.getByRole('button', { name: 'Title' }).click();
    await page.getByRole('button', { name: 'Title ▲' }).click();
    await page.getByRole('button', { name: 'Title ▼' }).waitFor();
    await expect
      .poll(() => rows().first().locator('.case-title-cell').textContent())
      .toBe('BL-9 case 100: a refund is shown');
    expect(page.url()).toContain('/review');
  });

  it('accepts a multi-selection and shows a case in full in the side panel', async () => {
    const { page } = harness;
    const ids = await rows().evaluateAll((elements) =>
      elements.slice(0, 3).map((row) => row.getAttribute('data-case-id') ?? ''),
    );
    for (const index of [0, 1, 2]) await rows().nth(index).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Accept selected (3)' }).click();
    await total().getByText('37 of 37 cases').waitFor();
    for (const id of ids) expect((await storage.testCases.get(id))?.status).toBe('accepted');

    await rows().first().click();
    const panel = page.getByTestId('case-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Pay with a declined card');
    expect(await activeCaseId()).not.toBe('outside');
    await harness.screenshot('review-side-panel');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await activeCaseId()).toBe(await rows().first().getAttribute('data-case-id'));
  });

  it('reviews ten cases with the keyboard only, the focus on the next case after each action', async () => {
    const { page } = harness;
    await page.getByLabel('Search').fill('');
    await total().getByText('100 of 997 cases').waitFor();
    const ids = await rows().evaluateAll((elements) =>
      elements.slice(0, 11).map((row) => row.getAttribute('data-case-id') ?? ''),
    );
    await page.keyboard.press('Escape'); // leaves the search box for the table
    expect(await activeCaseId()).toBe(ids[0]);
    const expected = new Map<string, string>();
    for (let index = 0; index < 10; index += 1) {
      const action = index % 3 === 2 ? 'r' : 'a';
      expected.set(ids[index]!, action === 'a' ? 'accepted' : 'rejected');
      await page.keyboard.press(action);
      await expect.poll(activeCaseId).toBe(ids[index + 1]);
    }
    for (const [id, status] of expected) expect((await storage.testCases.get(id))?.status).toBe(status);

    // j and k move, x selects, e edits and saving moves on, / searches, ? lists the keys.
    await page.keyboard.press('k');
    await expect.poll(activeCaseId).toBe(ids[9]);
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.getByRole('button', { name: 'Accept selected (1)' }).waitFor();
    await page.keyboard.press('x');
    await page.keyboard.press('e');
    const title = page.getByLabel('Title');
    await title.waitFor();
    await title.fill('Edited with the keyboard only');
    await title.press('Enter');
    await expect.poll(activeCaseId).toBe(await rows().nth(11).getAttribute('data-case-id'));
    expect((await storage.testCases.get(ids[10]!))?.title).toBe('Edited with the keyboard only');

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Review keys' });
    await help.waitFor();
    await harness.screenshot('review-keyboard-help');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(await activeCaseId()).toBe(await rows().nth(11).getAttribute('data-case-id'));
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    expect(harness.pageErrors).toEqual([]);
  });
});
