import type { Storage } from '../../storage/index.ts';
import { requireProject } from '../workspace/context.ts';
import { coverageMatrix } from './coverage-matrix.ts';
import { createQualityCache, MAX_STORIES_SCORED_PER_READ, summariseQuality } from './quality-distribution.ts';
import type { ProjectDashboard } from './schema.ts';
import { tokenCost, type PriceOf } from './token-cost.ts';

export interface DashboardRequest {
  projectName: string;
  /** The price of a provider's tokens; default: none set for any provider. */
  priceOf?: PriceOf;
}

export interface DashboardServiceOptions {
  /**
   * Stories whose quality is computed per read at most; the rest are reported as pending and
   * scored by the next reads. Default: 100.
   */
  maxStoriesScoredPerRead?: number;
}

export interface DashboardService {
  /** Throws a `NotFoundError` for an unknown project. */
  projectDashboard(request: DashboardRequest): Promise<ProjectDashboard>;
}

/**
 * The project dashboard's figures: coverage matrix, review progress, score distribution, findings
 * by rule, tokens and cost. Keep one service per process: it caches each story's quality scores
 * until the story or its cases change, and scores at most `maxStoriesScoredPerRead` stories per
 * read (`quality.pendingStories` counts the rest).
 *
 * @example
 * const dashboard = createDashboardService(workspace);
 * await dashboard.projectDashboard({ projectName: 'Shop', priceOf: () => ({ input: 2.5, output: 10 }) });
 */
export function createDashboardService(
  source: { storage(): Promise<Storage> },
  options: DashboardServiceOptions = {},
): DashboardService {
  const qualityCache = createQualityCache();
  const limit = options.maxStoriesScoredPerRead ?? MAX_STORIES_SCORED_PER_READ;
  return {
    async projectDashboard({ projectName, priceOf = () => undefined }) {
      const storage = await source.storage();
      const project = await requireProject(storage, projectName);
      const [stories, coverage, reviewProgress, usage, fingerprints] = await Promise.all([
        storage.stories.list(project.id),
        storage.testCases.listCoverage({ projectId: project.id }),
        storage.projectStatistics.reviewActivity(project.id),
        storage.projectStatistics.generationUsage(project.id),
        storage.projectStatistics.caseFingerprints(project.id),
      ]);
      const storiesById = new Map(stories.map((story) => [story.id, story]));
      const scored = await qualityCache.scoreStories(storage, storiesById, fingerprints, limit);
      return {
        project: project.name,
        coverage: coverageMatrix(stories, coverage),
        reviewProgress,
        ...summariseQuality(scored),
        tokens: tokenCost(usage, priceOf),
      };
    },
  };
}
