/**
 * review-first-paint: first paint of the project's review table with 10,000 cases in the project,
 * in Debian's Chromium (playwright-core), served by the real server as the browser tests do
 * (test/support/web-harness.ts, SQLite). The web app is built for production by the benchmark
 * itself, from the sources as they are: the test run's shared build (`.test-build/web`) may be
 * older than the sources, and before it was built for production it was React's development build
 * (vitest sets NODE_ENV=test), which made this figure some 500 ms slower.
 *
 * One warm-up load of each project, then each run opens `/#/projects/<name>/review` in a fresh
 * browser context (empty cache: the app's files are fetched as on a first visit) and reads in the
 * page (support/first-row-probe.ts), in ms since navigation start: when the first table row
 * became visible (the headline: Chromium's Element Timing `renderTime` of its cells, i.e. the
 * presentation of the frame that first shows them), when that frame's rendering ended on the main
 * thread, when the row entered the DOM, when the list request was sent (by the entry script, before
 * the app is initialised) and when its answer ended, and the first contentful paint (the app's first
 * render carries the rows when their answer came first, so it is often the row's). A load that sent
 * the list or session request more than once fails (the app did not use the early request).
 * Baseline, in the same run, on the same server, loaded in turn with the measured project: the
 * same page of a project with 100 cases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { NewTestCase, TestCaseStatus } from '../src/core/index.ts';
import type { Storage } from '../src/storage/index.ts';
import { buildWebApp } from '../test/support/web-build.ts';
import { chromiumPath, hasChromium, startWebHarness, type WebHarness } from '../test/support/web-harness.ts';
import { firstRowProbeScript, type FirstRowTiming } from './support/first-row-probe.ts';
import { median, percentile, type Figure } from './support.ts';

export interface ReviewFirstPaintOptions {
  /** Cases in the measured project (70% draft, the review tab's first filter). */
  testCases: number;
  /** Cases in the baseline project. */
  baselineCases: number;
  /** Measured runs per project, each in a fresh context, after one warm-up. */
  runs: number;
}

const CASES_PER_STORY = 100;
const ROW_SELECTOR = '.review-table tbody tr';
const VIEWPORT = { width: 1366, height: 820 };

/** 20% accepted, 10% rejected, the rest draft, spread evenly over every story. */
function statusOf(index: number): TestCaseStatus {
  const tenth = index % 10;
  if (tenth < 2) return 'accepted';
  if (tenth === 9) return 'rejected';
  return 'draft';
}

/** One project of `testCases` cases, stories of 100, stored through `insertMany` in batches. */
async function seedProject(storage: Storage, name: string, testCases: number): Promise<void> {
  const project = await storage.projects.create({ name });
  let batch: NewTestCase[] = [];
  for (let index = 0; index < testCases;) {
    const key = `${name.toUpperCase()}-${index / CASES_PER_STORY + 1}`;
    const story = await storage.stories.save(project.id, {
      key,
      summary: `Checkout ${key}: pay for the cart`,
      description: 'As a shopper I want to pay for my cart so that the order is placed.',
      acceptanceCriteria: [
        { id: 'AC-1', text: 'Card payments are accepted and the order is confirmed' },
        { id: 'AC-2', text: 'A declined card shows "Payment declined"' },
      ],
      outOfScope: [],
      notes: [],
      source: 'markdown',
      contentHash: key,
    });
    for (let caseNumber = 1; caseNumber <= CASES_PER_STORY && index < testCases; caseNumber += 1) {
      batch.push({
        projectId: project.id,
        storyId: story.id,
        caseNumber,
        status: statusOf(index),
        title: `${key} case ${caseNumber}: a declined card keeps the cart`,
        kind: caseNumber % 3 === 0 ? 'negative' : 'positive',
        priority: caseNumber % 4 === 0 ? 'low' : 'high',
        preconditions: ['A cart with two items worth 40.00 EUR', 'The shopper is signed in'],
        steps: [
          { action: 'Open the checkout page', expected: 'The order summary is shown' },
          {
            action: 'Pay with the card 4000 0000 0000 0002',
            data: '4000 0000 0000 0002',
            expected: 'The message "Payment declined" is shown',
          },
          { action: 'Open the cart', expected: 'Both items are still in the cart' },
        ],
        covers: [`AC-${(caseNumber % 2) + 1}`],
        engine: 'llm',
        warnings: [],
      });
      index += 1;
      if (batch.length >= 5000) {
        await storage.testCases.insertMany(batch);
        batch = [];
      }
    }
  }
  if (batch.length > 0) await storage.testCases.insertMany(batch);
}

/** One page load of the review tab in a fresh context; throws when the row never shows or is hidden. */
async function loadOnce(harness: WebHarness, project: string): Promise<FirstRowTiming> {
  const context: BrowserContext = await harness.browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript({ content: firstRowProbeScript(ROW_SELECTOR) });
    await page.goto(`${harness.origin}/#/projects/${project}/review`);
    const timing = await page.evaluate(async () => {
      if (!window.__reviewFirstRow) throw new Error('the first-row probe was not installed');
      return window.__reviewFirstRow;
    });
    if (pageErrors.length > 0) throw new Error(`the review page raised: ${pageErrors.join('; ')}`);
    if (!timing.rowVisible)
      throw new Error(`the first row of ${project} was painted outside the viewport or hidden`);
    // More than one: the app asked again instead of using the request its entry script sent.
    if (timing.listRequests !== 1 || timing.sessionRequests !== 1)
      throw new Error(
        `the review page of ${project} sent ${timing.listRequests} list and ${timing.sessionRequests} session requests, not one each`,
      );
    return timing;
  } finally {
    await context.close();
  }
}

/**
 * One warm-up load of each project (server, SQLite and Chromium warm up), then `runs` rounds, each
 * loading the baseline project and then the measured one, so both see the same machine load.
 */
async function measureBoth(
  harness: WebHarness,
  projects: { measured: string; baseline: string },
  runs: number,
): Promise<{ measured: FirstRowTiming[]; baseline: FirstRowTiming[] }> {
  const measured: FirstRowTiming[] = [];
  const baseline: FirstRowTiming[] = [];
  for (let run = -1; run < runs; run += 1) {
    const baselineTiming = await loadOnce(harness, projects.baseline);
    const measuredTiming = await loadOnce(harness, projects.measured);
    if (run < 0) continue;
    baseline.push(baselineTiming);
    measured.push(measuredTiming);
  }
  return { measured, baseline };
}

type Metric = (timing: FirstRowTiming) => number | undefined;

function valuesOf(timings: FirstRowTiming[], metric: Metric): number[] {
  return timings.map(metric).filter((value): value is number => value !== undefined);
}

function figuresOf(
  measured: FirstRowTiming[],
  baseline: FirstRowTiming[],
  options: ReviewFirstPaintOptions,
): Figure[] {
  const note = `${options.testCases.toLocaleString('en')} cases (SQLite), ${options.runs} fresh contexts after 1 warm-up, ms since navigation start`;
  const baselineLabel = `project with ${options.baselineCases} cases`;
  const metrics: [string, Metric, number][] = [
    [
      'first row visible (Element Timing renderTime), median',
      (timing) => timing.rowRenderTimeMilliseconds,
      0.5,
    ],
    [
      'first row visible (Element Timing renderTime), p95',
      (timing) => timing.rowRenderTimeMilliseconds,
      0.95,
    ],
    ['first row painted (frame rendered), median', (timing) => timing.rowPaintedMilliseconds, 0.5],
    ['first row painted (frame rendered), p95', (timing) => timing.rowPaintedMilliseconds, 0.95],
    ['first row in DOM, median', (timing) => timing.rowInDomMilliseconds, 0.5],
    ['list request sent, median', (timing) => timing.listRequestStartMilliseconds, 0.5],
    ['list request responseEnd, median', (timing) => timing.listResponseEndMilliseconds, 0.5],
    ['first contentful paint, median', (timing) => timing.firstContentfulPaintMilliseconds, 0.5],
  ];
  return metrics.flatMap(([metric, read, fraction]) => {
    const values = valuesOf(measured, read);
    const baselineValues = valuesOf(baseline, read);
    if (values.length === 0) return [];
    return [
      {
        benchmark: 'review-first-paint',
        metric,
        value: fraction === 0.5 ? median(values) : percentile(values, fraction),
        unit: 'ms',
        ...(baselineValues.length > 0
          ? {
              baseline: fraction === 0.5 ? median(baselineValues) : percentile(baselineValues, fraction),
              baselineLabel,
            }
          : {}),
        note,
      },
    ];
  });
}

export async function benchmarkReviewFirstPaint(options: ReviewFirstPaintOptions): Promise<Figure[]> {
  if (!hasChromium) {
    process.stderr.write(
      `review-first-paint: SKIPPED, ${chromiumPath} is not installed (set REQASE_CHROMIUM to a Chromium binary).\n`,
    );
    return [];
  }
  const webDirectory = mkdtempSync(join(tmpdir(), 'reqase-first-paint-web-'));
  await buildWebApp(webDirectory);
  const harness = await startWebHarness({ viewport: VIEWPORT, webDirectory });
  try {
    const storage = await harness.workspace.storage();
    await seedProject(storage, 'Backlog', options.testCases);
    await seedProject(storage, 'Small', options.baselineCases);
    const { measured, baseline } = await measureBoth(
      harness,
      { measured: 'Backlog', baseline: 'Small' },
      options.runs,
    );
    return figuresOf(measured, baseline, options);
  } finally {
    await harness.close();
    rmSync(webDirectory, { recursive: true, force: true });
  }
}
