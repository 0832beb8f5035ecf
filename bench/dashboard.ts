/**
 * dashboard: how long `GET /api/projects/{project}/dashboard`'s figures take at 10,000 cases (SQLite,
 * in process): the first read (at most 100 stories scored), all stories scored (the reads until
 * none is pending), warm (nothing changed: one aggregate query decides that
 * no story needs scoring) and after one case was edited (only its story is scored again).
 * Baseline: the cold read, which is what every read would cost without the per-story cache.
 *
 * `npx tsx bench/dashboard.ts` on its own, or `npm run bench -- --only dashboard`.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashboardService } from '../src/app/index.ts';
import { generateOffline } from '../src/core/offline/index.ts';
import { openDatabase, type Storage } from '../src/storage/index.ts';
import { loadStory } from './overhead.ts';
import { median, printTable, timed, type Figure } from './support.ts';

export async function benchmarkDashboard(options: {
  testCases: number;
  warmRuns: number;
}): Promise<Figure[]> {
  const directory = mkdtempSync(join(tmpdir(), 'reqase-bench-dashboard-'));
  const storage = await openDatabase({ dataDirectory: directory, secretKey: Buffer.alloc(32, 3), env: {} });
  try {
    const { stories, cases } = await seed(storage, options.testCases);
    const dashboard = createDashboardService({ storage: async () => storage });
    const first = await timed(() => dashboard.projectDashboard({ projectName: 'Bench' }));
    // The cache fills over several reads (as the web app reads again while stories are pending).
    let cold = first;
    let coldMilliseconds = first.ms;
    let reads = 1;
    while (cold.value.quality.pendingStories > 0) {
      cold = await timed(() => dashboard.projectDashboard({ projectName: 'Bench' }));
      coldMilliseconds += cold.ms;
      reads += 1;
    }
    const warm: number[] = [];
    for (let run = 0; run < options.warmRuns; run += 1)
      warm.push((await timed(() => dashboard.projectDashboard({ projectName: 'Bench' }))).ms);
    const edited: number[] = [];
    for (let run = 0; run < options.warmRuns; run += 1) {
      const record = cases[(run * 97) % cases.length]!;
      const {
        id,
        projectId: _p,
        storyId: _s,
        generationId: _g,
        caseNumber: _n,
        displayId: _d,
        ...rest
      } = record;
      const {
        status: _status,
        needsReview: _r,
        needsReviewReason: _w,
        version: _v,
        createdAt: _c,
        updatedAt: _u,
        ...content
      } = rest;
      await storage.testCases.updateContent(id, { ...content, title: `${content.title} (${run})` });
      edited.push((await timed(() => dashboard.projectDashboard({ projectName: 'Bench' }))).ms);
    }
    const note = `${cases.length} cases in ${stories} stories`;
    return [
      {
        benchmark: 'dashboard',
        metric: 'first read (up to 100 stories scored)',
        value: first.ms,
        unit: 'ms',
        note: `${note}; ${first.value.quality.pendingStories} stories left pending`,
      },
      {
        benchmark: 'dashboard',
        metric: 'every story scored (reads until none pending)',
        value: coldMilliseconds,
        unit: 'ms',
        note: `${reads} reads`,
      },
      {
        benchmark: 'dashboard',
        metric: 'read, nothing changed (median)',
        value: median(warm),
        unit: 'ms',
        baseline: coldMilliseconds,
        baselineLabel: 'scoring every story on each read',
        note,
      },
      {
        benchmark: 'dashboard',
        metric: 'read after one case edited (median)',
        value: median(edited),
        unit: 'ms',
        baseline: coldMilliseconds,
        baselineLabel: 'scoring every story on each read',
        note,
      },
    ];
  } finally {
    await storage.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Stories from examples/stories under new keys, each with the offline engine's cases, until `testCases`. */
async function seed(storage: Storage, testCases: number) {
  const examples = readdirSync('examples/stories')
    .filter((name) => name.endsWith('.md'))
    .map((name) => loadStory(join('examples/stories', name)));
  const project = await storage.projects.create({ name: 'Bench' });
  const cases = [];
  let stories = 0;
  while (cases.length < testCases) {
    const example = examples[stories % examples.length]!;
    const story = await storage.stories.save(project.id, {
      ...example,
      key: `BENCH-${stories + 1}`,
      contentHash: `hash-${stories}`,
    });
    const generated = generateOffline(example, { format: 'manual' }).testCases.slice(
      0,
      testCases - cases.length,
    );
    const saved = await storage.generations.saveGenerationWithTestCases(
      {
        projectId: project.id,
        storyId: story.id,
        engine: 'llm',
        providerName: stories % 2 ? 'team-vllm' : 'openai',
        usage: { promptTokens: 1200, completionTokens: 800, totalTokens: 2000, estimated: false },
      },
      generated.map(({ id: _id, ...content }) => content),
    );
    cases.push(...saved.testCases);
    stories += 1;
  }
  return { stories, cases };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printTable(await benchmarkDashboard({ testCases: 10_000, warmRuns: 5 }));
}
