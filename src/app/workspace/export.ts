import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  ExportTargetSchema,
  exportTestCases,
  XRAY_MAX_TESTS_PER_FILE,
  type ExportBundle,
  type ExportFile,
  type ExportOptions,
  type ExportResult,
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
 * Cases rendered at once, about (whole stories: a slice holds at least one). Reading and rendering
 * run without I/O in between, so a large export would hold the server's event loop for its whole
 * length: the export gives it a turn between slices (`eventLoopTurns`).
 */
const CASES_PER_SLICE = 100;

/** Work between two turns of the event loop, at most about this long (one unit may run over). */
const SLICE_MS = 5;

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
      const target = summary.target;
      return {
        target,
        storyCount: summary.storyCount,
        testCaseCount: summary.testCaseCount,
        warnings: summary.warnings,
        files: inSingleRenderOrder(target, [...files.values()]),
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
      const turn = eventLoopTurns();

      for await (const page of bundleSlices(storage, project, request.storyKeys, statuses, turn)) {
        await turn();
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
          const result = await renderWhole(
            streamed ? { ...whole, stories: [] } : whole,
            target,
            options,
            turn,
          );
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

/**
 * Slices of stories (by key) with their selected cases, about `CASES_PER_SLICE` cases each, read a
 * story at a time with a turn of the event loop between reads; reads never hold more than one page
 * of stories. The streamed targets write rows or files per story, so rendering slices gives the
 * same rows as rendering pages.
 */
async function* bundleSlices(
  storage: Storage,
  project: ProjectRecord,
  storyKeys: string[] | undefined,
  statuses: TestCaseStatus[],
  turn: () => Promise<void>,
): AsyncGenerator<ExportBundle> {
  let slice: ExportBundle['stories'] = [];
  let sliceCases = 0;
  for await (const story of selectedStories(storage, project, storyKeys)) {
    await turn();
    const testCases = (await storage.testCases.list({ storyId: story.id, status: statuses })).map(
      domainTestCase,
    );
    slice.push({ story: domainStory(story), testCases });
    sliceCases += testCases.length;
    if (sliceCases >= CASES_PER_SLICE) {
      yield { project: { name: project.name }, stories: slice };
      slice = [];
      sliceCases = 0;
    }
  }
  if (slice.length > 0) yield { project: { name: project.name }, stories: slice };
}

/** The stories named (in the order given), else every story of the project by key, a page at a time. */
async function* selectedStories(
  storage: Storage,
  project: ProjectRecord,
  storyKeys: string[] | undefined,
): AsyncGenerator<StoryRecord> {
  if (storyKeys?.length) {
    const stories: StoryRecord[] = [];
    for (const key of storyKeys) stories.push(await requireStory(storage, project, key));
    yield* stories;
    return;
  }
  for (let offset = 0; ; offset += EXPORT_STORIES_PER_PAGE) {
    const stories = await storage.stories.list(project.id, { limit: EXPORT_STORIES_PER_PAGE, offset });
    yield* stories;
    if (stories.length < EXPORT_STORIES_PER_PAGE) return;
  }
}

/**
 * A function to await between units of work: it gives the event loop a turn (`setImmediate`, so
 * waiting I/O runs) once `SLICE_MS` have passed since the previous turn, and returns at once before.
 */
function eventLoopTurns(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await nextTurn();
    since = performance.now();
  };
}

/**
 * A whole-document target rendered at once, except `xray-json`: its tests are independent of each
 * other, so each file of `XRAY_MAX_TESTS_PER_FILE` tests is rendered `CASES_PER_SLICE` tests at a
 * time with turns of the event loop between them, and named as one render names its files.
 */
async function renderWhole(
  whole: ExportBundle,
  target: ExportTarget,
  options: ExportOptions,
  turn: () => Promise<void>,
): Promise<ExportResult> {
  const total = whole.stories.reduce((sum, entry) => sum + entry.testCases.length, 0);
  if (target !== 'xray-json' || total <= CASES_PER_SLICE) return exportTestCases(whole, target, options);
  const files: ExportFile[] = [];
  const warnings: string[] = [];
  for (const part of partsOfCases(whole, XRAY_MAX_TESTS_PER_FILE)) {
    const pieces: string[] = [];
    let rendered: ExportFile | undefined;
    for (const piece of partsOfCases(part, CASES_PER_SLICE)) {
      const result = exportTestCases(piece, target, options);
      warnings.push(...result.warnings);
      rendered = result.files[0]!;
      pieces.push(rendered.content);
      await turn();
    }
    const name = total <= XRAY_MAX_TESTS_PER_FILE ? rendered!.name : `xray-tests-${files.length + 1}.json`;
    files.push({ ...rendered!, name, content: joinedJsonArrays(pieces) });
  }
  return { files, warnings };
}

/**
 * Non-empty JSON arrays, each written as `JSON.stringify(items, null, 2) + '\n'`, as one such
 * array of all their items: that text is `[\n`, the items (each indented) joined by `,\n`, then
 * `\n]\n`, so the parts' items are joined the same way — byte for byte one render of them all.
 */
function joinedJsonArrays(arrays: readonly string[]): string {
  if (arrays.length === 1) return arrays[0]!;
  return `[\n${arrays.map((array) => array.slice(2, -3)).join(',\n')}\n]\n`;
}

/** The bundle cut into bundles of `size` cases (the last may hold fewer), stories split where needed. */
function* partsOfCases(bundle: ExportBundle, size: number): Generator<ExportBundle> {
  let stories: ExportBundle['stories'] = [];
  let count = 0;
  for (const { story, testCases } of bundle.stories) {
    for (let start = 0; start < testCases.length;) {
      const taken = testCases.slice(start, start + size - count);
      stories.push({ story, testCases: taken });
      count += taken.length;
      start += taken.length;
      if (count === size) {
        yield { ...bundle, stories };
        stories = [];
        count = 0;
      }
    }
  }
  if (count > 0) yield { ...bundle, stories };
}

/**
 * The files in the order one render of the whole export gives them: rendered in slices, a
 * TestRail export whose first slice held only BDD cases would otherwise list its BDD file first.
 */
function inSingleRenderOrder(target: ExportTarget, files: ExportFile[]): ExportFile[] {
  if (target !== 'testrail') return files;
  const rank = (file: ExportFile) => (file.name === 'testrail-steps.csv' ? 0 : 1);
  return [...files].sort((left, right) => rank(left) - rank(right));
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
