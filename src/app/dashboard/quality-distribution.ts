import {
  assessQuality,
  type QualityFinding,
  type StoryCasesFingerprint,
  type StoryRecord,
  type TestCaseRecord,
} from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';
import { domainStory, domainTestCase } from '../workspace/context.ts';
import type { ProjectDashboard } from './schema.ts';

type RuleId = QualityFinding['rule'];
type Severity = QualityFinding['severity'];

/** One story's scores and finding counts, valid while its fingerprint is unchanged. */
interface ScoredStory {
  fingerprint: string;
  scores: number[];
  findings: Map<RuleId, { severity: Severity; count: number }>;
}

/** Stories read from the database per query when their scores must be computed again. */
const STORIES_PER_READ = 50;
/**
 * Stories scored per dashboard read at most (a few milliseconds each on an idle machine): scoring is
 * CPU work, so a cold cache over a large project is filled over several reads instead of holding
 * the server for seconds; the answer says how many stories are still pending.
 */
export const MAX_STORIES_SCORED_PER_READ = 100;
/** More stories than this in the cache and it starts over (stories removed long ago linger till then). */
const MAX_CACHED_STORIES = 50_000;

/**
 * Case scores and findings of a project, each story scored as the story page scores it (its draft
 * and accepted cases together, so near-duplicates count) and kept until the story or one of its
 * cases changes: a story costs about 2 ms to score, so 10,000 cases in 1,000 stories would take
 * seconds on every read. Whether a story changed is read in one aggregate query
 * (`caseFingerprints`), so an unchanged project costs that query and no case content.
 *
 * Holds no state a second server instance needs: a miss only costs the scoring.
 */
export interface ScoredProject {
  /** The stories scored so far (cached or just now). */
  scored: ScoredStory[];
  /** Stories with cases left unscored by this read (over `MAX_STORIES_SCORED_PER_READ`). */
  pendingStories: number;
}

export function createQualityCache() {
  const cache = new Map<string, ScoredStory>();

  async function scoreStories(
    storage: Storage,
    stories: ReadonlyMap<string, StoryRecord>,
    fingerprints: readonly StoryCasesFingerprint[],
    limit = MAX_STORIES_SCORED_PER_READ,
  ): Promise<ScoredProject> {
    const results: ScoredStory[] = [];
    const stale: { storyId: string; fingerprint: string }[] = [];
    for (const entry of fingerprints) {
      const story = stories.get(entry.storyId);
      if (!story) continue;
      const fingerprint = `${story.updatedAt}|${entry.caseCount}|${entry.versionSum}|${entry.lastChange}`;
      const cached = cache.get(entry.storyId);
      if (cached?.fingerprint === fingerprint) results.push(cached);
      else stale.push({ storyId: entry.storyId, fingerprint });
    }
    if (cache.size + stale.length > MAX_CACHED_STORIES) cache.clear();
    const now = stale.slice(0, limit);
    for (let start = 0; start < now.length; start += STORIES_PER_READ) {
      const slice = now.slice(start, start + STORIES_PER_READ);
      const cases = await storage.testCases.list({
        storyIds: slice.map((entry) => entry.storyId),
        status: ['draft', 'accepted'],
      });
      const byStory = groupByStory(cases);
      for (const { storyId, fingerprint } of slice) {
        const scored = scoreStory(stories.get(storyId)!, byStory.get(storyId) ?? [], fingerprint);
        cache.set(storyId, scored);
        results.push(scored);
      }
    }
    return { scored: results, pendingStories: stale.length - now.length };
  }

  return { scoreStories };
}

export type QualityCache = ReturnType<typeof createQualityCache>;

function groupByStory(cases: readonly TestCaseRecord[]): Map<string, TestCaseRecord[]> {
  const byStory = new Map<string, TestCaseRecord[]>();
  for (const record of cases) {
    const list = byStory.get(record.storyId);
    if (list) list.push(record);
    else byStory.set(record.storyId, [record]);
  }
  return byStory;
}

function scoreStory(story: StoryRecord, cases: readonly TestCaseRecord[], fingerprint: string): ScoredStory {
  const quality = assessQuality(cases.map(domainTestCase), { story: domainStory(story) });
  const findings = new Map<RuleId, { severity: Severity; count: number }>();
  for (const finding of quality.findings) {
    const entry = findings.get(finding.rule) ?? { severity: finding.severity, count: 0 };
    entry.count += 1;
    findings.set(finding.rule, entry);
  }
  return { fingerprint, scores: quality.cases.map((caseQuality) => caseQuality.score), findings };
}

/** The histogram of case scores (ten buckets) and the findings by rule, most frequent first. */
export function summariseQuality({
  scored,
  pendingStories,
}: ScoredProject): Pick<ProjectDashboard, 'quality' | 'findingsByRule'> {
  const buckets = Array.from({ length: 10 }, (_, index) => ({
    from: index * 10,
    to: index === 9 ? 100 : index * 10 + 9,
    count: 0,
  }));
  let scoredCases = 0;
  let sum = 0;
  const rules = new Map<RuleId, { severity: Severity; count: number }>();
  for (const story of scored) {
    for (const score of story.scores) {
      buckets[Math.min(9, Math.floor(score / 10))]!.count += 1;
      scoredCases += 1;
      sum += score;
    }
    for (const [rule, entry] of story.findings) {
      const total = rules.get(rule) ?? { severity: entry.severity, count: 0 };
      total.count += entry.count;
      rules.set(rule, total);
    }
  }
  const findingsByRule = [...rules.entries()]
    .map(([rule, entry]) => ({ rule, ...entry }))
    .sort((left, right) => right.count - left.count || left.rule.localeCompare(right.rule));
  return {
    quality: {
      buckets,
      scoredCases,
      pendingStories,
      averageScore: scoredCases ? Math.round((sum / scoredCases) * 10) / 10 : null,
    },
    findingsByRule,
  };
}
