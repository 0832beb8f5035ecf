import {
  ExportTargetSchema,
  exportTestCases,
  type ExportBundle,
  type ExportFile,
  type ExportTarget,
  type TestCaseStatus,
} from '../../formats/index.ts';
import type { ProjectRecord, StoryRecord } from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import {
  domainStory,
  domainTestCase,
  requireProject,
  requireStory,
  type WorkspaceContext,
} from './context.ts';

/** Stories read (with their cases) per page; bounds the records held at once while streaming. */
export const EXPORT_STORIES_PER_PAGE = 100;

/**
 * Targets written page by page by `exportCasesTo` (rows or files per story, no numbering across
 * stories). The others (`xray-json`, `xray-csv` whose Test IDs run across the file, `markdown`,
 * `json`) are one document built from every selected case in memory: about 1–3 KB per case, so
 * ~100k cases take a few hundred MB. Use a paged target or filter by story for bigger exports.
 */
export const STREAMED_EXPORT_TARGETS: ReadonlySet<ExportTarget> = new Set([
  'csv',
  'zephyr',
  'testrail',
  'cucumber',
]);

export interface ExportCasesRequest {
  projectName: string;
  /** Only these stories. Default: every story of the project. */
  storyKeys?: string[];
  /** Only cases with these statuses. Default: draft and accepted (rejected cases are left out). */
  statuses?: TestCaseStatus[];
  target: ExportTarget | string;
  /** Jira project key for Xray and Zephyr Scale; default: the prefix of each story key. */
  jiraProjectKey?: string;
  /** Test repository folder / section; default: the project name. */
  folder?: string;
  /** xray-json: the link type to the story; default `Test` (Xray Cloud), `Tests` on Server/DC. */
  xrayLinkType?: string;
  /** cucumber: tag features for Xray Cloud (`@REQ_KEY`) or Server/DC (`@KEY`, the default). */
  xrayTags?: 'cloud' | 'server';
}

export interface ExportSummary {
  target: ExportTarget;
  storyCount: number;
  testCaseCount: number;
  warnings: string[];
}

export interface ExportCasesResult extends ExportSummary {
  files: ExportFile[];
}

/**
 * Receives the export's files. A streamed target calls it several times for the same file name:
 * the first call with `append: false`, later ones with the next rows (no header) and `append: true`.
 */
export type ExportSink = (file: ExportFile, append: boolean) => Promise<void>;

export interface ExportService {
  /** The files in memory (API downloads, small exports). */
  exportCases(request: ExportCasesRequest): Promise<ExportCasesResult>;
  /** Writes through `sink`, page by page for the streamed targets (CLI `--out`). */
  exportCasesTo(
    request: ExportCasesRequest,
    sink: ExportSink,
  ): Promise<ExportSummary & { fileNames: string[] }>;
}

export function createExportService(context: WorkspaceContext): ExportService {
  const service: ExportService = {
    async exportCases(request) {
      const files = new Map<string, ExportFile>();
      const summary = await service.exportCasesTo(request, async (file, append) => {
        const existing = files.get(file.name);
        files.set(
          file.name,
          append && existing ? { ...existing, content: existing.content + file.content } : file,
        );
      });
      return {
        target: summary.target,
        storyCount: summary.storyCount,
        testCaseCount: summary.testCaseCount,
        warnings: summary.warnings,
        files: [...files.values()],
      };
    },

    async exportCasesTo(request, sink) {
      const target = checkTarget(request.target);
      const storage = await context.storage();
      const project = await requireProject(storage, request.projectName);
      const statuses = request.statuses?.length
        ? request.statuses
        : (['draft', 'accepted'] as TestCaseStatus[]);
      const options = {
        ...(request.jiraProjectKey ? { jiraProjectKey: request.jiraProjectKey } : {}),
        ...(request.folder ? { folder: request.folder } : {}),
        ...(request.xrayLinkType ? { xrayLinkType: request.xrayLinkType } : {}),
        ...(request.xrayTags ? { xrayTags: request.xrayTags } : {}),
      };
      const warnings: string[] = [];
      const written = new Set<string>();
      let storyCount = 0;
      let testCaseCount = 0;
      const whole: ExportBundle = { project: { name: project.name }, stories: [] };
      const streamed = STREAMED_EXPORT_TARGETS.has(target);

      for await (const page of bundlePages(storage, project, request.storyKeys, statuses)) {
        storyCount += page.stories.length;
        testCaseCount += page.stories.reduce((sum, entry) => sum + entry.testCases.length, 0);
        if (!streamed) {
          whole.stories.push(...page.stories);
          continue;
        }
        if (page.stories.length === 0) continue;
        const result = exportTestCases(page, target, options);
        warnings.push(...result.warnings);
        for (const file of result.files) {
          const append = written.has(file.name);
          await sink(append ? { ...file, content: withoutHeaderLine(file.content) } : file, append);
          written.add(file.name);
        }
      }
      if (!streamed || written.size === 0) {
        if (streamed && target === 'cucumber') {
          // No story, no feature file: nothing to write.
        } else {
          const result = exportTestCases(streamed ? { ...whole, stories: [] } : whole, target, options);
          warnings.push(...result.warnings);
          for (const file of result.files) {
            await sink(file, false);
            written.add(file.name);
          }
        }
      }
      return { target, storyCount, testCaseCount, warnings, fileNames: [...written] };
    },
  };
  return service;
}

/** Pages of stories (by key) with their selected cases; reads never hold more than one page. */
async function* bundlePages(
  storage: Storage,
  project: ProjectRecord,
  storyKeys: string[] | undefined,
  statuses: TestCaseStatus[],
): AsyncGenerator<ExportBundle> {
  const pageOf = async (stories: StoryRecord[]): Promise<ExportBundle> => ({
    project: { name: project.name },
    stories: await Promise.all(
      stories.map(async (story) => ({
        story: domainStory(story),
        testCases: (await storage.testCases.list({ storyId: story.id, status: statuses })).map(
          domainTestCase,
        ),
      })),
    ),
  });
  if (storyKeys?.length) {
    const stories: StoryRecord[] = [];
    for (const key of storyKeys) stories.push(await requireStory(storage, project, key));
    for (let start = 0; start < stories.length; start += EXPORT_STORIES_PER_PAGE) {
      yield pageOf(stories.slice(start, start + EXPORT_STORIES_PER_PAGE));
    }
    return;
  }
  for (let offset = 0; ; offset += EXPORT_STORIES_PER_PAGE) {
    const stories = await storage.stories.list(project.id, { limit: EXPORT_STORIES_PER_PAGE, offset });
    if (stories.length === 0) return;
    yield pageOf(stories);
    if (stories.length < EXPORT_STORIES_PER_PAGE) return;
  }
}

/** The CSV rows after the header (the header has no line breaks). */
function withoutHeaderLine(content: string): string {
  const end = content.indexOf('\n');
  return end === -1 ? '' : content.slice(end + 1);
}

function checkTarget(target: string): ExportTarget {
  const parsed = ExportTargetSchema.safeParse(target);
  if (!parsed.success) {
    throw new InvalidInputError(`Unknown export target "${target}".`, {
      fix: `Use one of ${ExportTargetSchema.options.join(', ')}.`,
    });
  }
  return parsed.data;
}
