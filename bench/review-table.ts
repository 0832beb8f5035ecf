/**
 * review-table: the review table's requests with 10,000 cases in the project (SQLite, `reqase
 * serve` in a child process), median of `rounds` each: the first page as the web app asks it
 * (drafts, 100 rows, each with its quality score), a word search, a sort by title, and a filter
 * on quality findings. Baseline, in the same run: the old review list, every draft at once with
 * quality=true (up to 5,000, as the card list asked).
 *
 * Quality sort and finding filter (issue 14): a page sorted by quality score, a page filtered by
 * the most frequent finding rule, and the same sort's fifth page by cursor, against the plain page
 * (drafts, 100 rows, no quality) as baseline in the same run.
 */
import { API_PROJECT, seedWorkspace, startApiServer, timedRequest } from './support/api-server.ts';
import { median, type Figure } from './support.ts';

export interface ReviewTableOptions {
  testCases: number;
  rounds: number;
}

const CASES_PER_STORY = 100;
const PLAIN_PAGE = 'plain page (drafts, 100 rows, no quality)';

interface ListAnswer {
  testCases: Array<{ quality?: { findings: Array<{ rule: string }> } }>;
  nextCursor: string | null;
}

async function getList(url: string): Promise<ListAnswer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`review-table: ${url} answered ${response.status}`);
  return (await response.json()) as ListAnswer;
}

/** The rule most cases of the first pages have a finding of: the finding filter's rule. */
async function mostFrequentRule(url: string): Promise<string> {
  const counts = new Map<string, number>();
  for (const testCase of (await getList(url)).testCases) {
    for (const rule of new Set(testCase.quality?.findings.map((finding) => finding.rule)))
      counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  const [rule] = [...counts].sort((left, right) => right[1] - left[1])[0] ?? [];
  if (!rule) throw new Error('review-table: the seeded cases have no findings to filter by');
  return rule;
}

/** The cursor that asks for page `pages + 1` of `url`. */
async function cursorAfter(url: string, pages: number): Promise<string> {
  let cursor = '';
  for (let page = 0; page < pages; page += 1) {
    const answer = await getList(cursor ? `${url}&cursor=${cursor}` : url);
    if (!answer.nextCursor) throw new Error(`review-table: ${url} has fewer than ${pages + 1} pages`);
    cursor = encodeURIComponent(answer.nextCursor);
  }
  return cursor;
}

export async function benchmarkReviewTable(options: ReviewTableOptions): Promise<Figure[]> {
  const seeded = await seedWorkspace(options.testCases, CASES_PER_STORY);
  const server = await startApiServer(seeded.directory).catch((error: unknown) => {
    seeded.remove();
    throw error;
  });
  try {
    const cases = `${server.url}/api/projects/${API_PROJECT}/test-cases`;
    const rule = await mostFrequentRule(`${cases}?status=draft&limit=500&quality=true`);
    const fifthPage = await cursorAfter(`${cases}?status=draft&sort=quality&limit=100`, 4);
    const requests: Record<string, string> = {
      [PLAIN_PAGE]: `${cases}?status=draft&limit=100`,
      'sort=quality asc (100 rows)': `${cases}?status=draft&sort=quality&limit=100`,
      'sort=quality asc, 5th page by cursor': `${cases}?status=draft&sort=quality&limit=100&cursor=${fifthPage}`,
      [`finding=${rule} (100 rows)`]: `${cases}?status=draft&finding=${rule}&limit=100`,
      'first page (drafts, 100 rows, quality)': `${cases}?status=draft&limit=100&quality=true`,
      'search q=declined (100 rows, quality)': `${cases}?status=draft&q=declined&limit=100&quality=true`,
      'sort=title desc (100 rows, quality)': `${cases}?status=draft&sort=title&order=desc&limit=100&quality=true`,
      'hasFindings=true (100 rows, quality)': `${cases}?status=draft&hasFindings=true&limit=100&quality=true`,
      baseline: `${cases}?status=draft&limit=5000&quality=true`,
    };
    const medians = new Map<string, number>();
    for (const [name, url] of Object.entries(requests)) {
      const times: number[] = [];
      for (let round = -1; round < options.rounds; round += 1) {
        const outcome = await timedRequest(url, { parse: true, timeoutMilliseconds: 120_000 });
        if (!outcome.ok) throw new Error(`review-table: ${name} answered ${outcome.error}`);
        if (round >= 0) times.push(outcome.ms); // the first warms up
      }
      medians.set(name, median(times));
    }
    const baseline = medians.get('baseline')!;
    const plain = medians.get(PLAIN_PAGE)!;
    const note = `${options.testCases.toLocaleString('en')} cases in ${seeded.storyKeys.length} stories (SQLite), median of ${options.rounds}`;
    return [...medians]
      .filter(([name]) => name !== 'baseline' && name !== PLAIN_PAGE)
      .map(([name, value]) => {
        const byQuality = name.startsWith('sort=quality') || name.startsWith('finding=');
        return {
          benchmark: 'review-table',
          metric: `GET test-cases ${name}`,
          value,
          unit: 'ms',
          baseline: byQuality ? plain : baseline,
          baselineLabel: byQuality ? PLAIN_PAGE : 'old list: every draft, quality=true',
          note,
        };
      });
  } finally {
    await server.stop();
    seeded.remove();
  }
}
