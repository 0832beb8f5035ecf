/**
 * review-table: the review table's requests with 10,000 cases in the project (SQLite, `reqase
 * serve` in a child process), median of `rounds` each: the first page as the web app asks it
 * (drafts, 100 rows, each with its quality score), a word search, a sort by title, and a filter
 * on quality findings (which scores every matching case on read). Baseline, in the same run: the
 * old review list, every draft at once with quality=true (up to 5,000, as the card list asked).
 */
import { API_PROJECT, seedWorkspace, startApiServer, timedRequest } from './support/api-server.ts';
import { median, type Figure } from './support.ts';

export interface ReviewTableOptions {
  testCases: number;
  rounds: number;
}

const CASES_PER_STORY = 100;

export async function benchmarkReviewTable(options: ReviewTableOptions): Promise<Figure[]> {
  const seeded = await seedWorkspace(options.testCases, CASES_PER_STORY);
  const server = await startApiServer(seeded.directory).catch((error: unknown) => {
    seeded.remove();
    throw error;
  });
  try {
    const cases = `${server.url}/api/projects/${API_PROJECT}/test-cases`;
    const requests: Record<string, string> = {
      'first page (drafts, 100 rows, quality)': `${cases}?status=draft&limit=100&quality=true`,
      'search q=declined (100 rows, quality)': `${cases}?status=draft&q=declined&limit=100&quality=true`,
      'sort=title desc (100 rows, quality)': `${cases}?status=draft&sort=title&order=desc&limit=100&quality=true`,
      'hasFindings=true (scores every draft)': `${cases}?status=draft&hasFindings=true&limit=100&quality=true`,
      baseline: `${cases}?status=draft&limit=5000&quality=true`,
    };
    const medians = new Map<string, number>();
    for (const [name, url] of Object.entries(requests)) {
      const times: number[] = [];
      for (let round = -1; round < options.rounds; round += 1) {
        const outcome = await timedRequest(url, { parse: true, timeoutMs: 120_000 });
        if (!outcome.ok) throw new Error(`review-table: ${name} answered ${outcome.error}`);
        if (round >= 0) times.push(outcome.ms); // the first warms up
      }
      medians.set(name, median(times));
    }
    const baseline = medians.get('baseline')!;
    const note = `${options.testCases.toLocaleString('en')} cases in ${seeded.storyKeys.length} stories (SQLite), median of ${options.rounds}`;
    return [...medians]
      .filter(([name]) => name !== 'baseline')
      .map(([name, value]) => ({
        benchmark: 'review-table',
        metric: `GET test-cases ${name}`,
        value,
        unit: 'ms',
        baseline,
        baselineLabel: 'old list: every draft, quality=true',
        note,
      }));
  } finally {
    await server.stop();
    seeded.remove();
  }
}
