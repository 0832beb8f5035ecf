import type { ExportBundle, ExportOptions, ExportResult, ExportTarget } from './bundle.ts';
import { exportCucumber } from './cucumber.ts';
import { exportGenericCsv, exportJson, exportMarkdown } from './readable.ts';
import { exportTestRail, exportXrayCsv, exportXrayJson, exportZephyr } from './tools.ts';

/**
 * Writes the bundle's test cases in a test management tool's import format or a readable one:
 * `xray-json`, `xray-csv`, `zephyr` (Zephyr Scale CSV), `testrail` (CSV), `cucumber` (one `.feature`
 * per story), `csv`, `markdown`, `json`. Returns the files to write (no I/O here) and warnings for
 * anything that could not be carried over exactly.
 *
 * @example
 * const { files } = exportTestCases({ stories: [{ story, testCases }] }, 'cucumber');
 * for (const file of files) await writeFile(join(outDir, file.name), file.content);
 */
export function exportTestCases(
  bundle: ExportBundle,
  target: ExportTarget,
  options: ExportOptions = {},
): ExportResult {
  const statuses = options.statuses;
  const chosen: ExportBundle = {
    ...(bundle.project ? { project: bundle.project } : {}),
    stories: bundle.stories.map(({ story, testCases }) => ({
      story,
      testCases: statuses
        ? testCases.filter((testCase) => statuses.includes(testCase.status ?? 'draft'))
        : testCases,
    })),
  };
  const warnings: string[] = [];
  switch (target) {
    case 'xray-json':
      return { files: exportXrayJson(chosen, options, warnings), warnings };
    case 'xray-csv':
      return { files: exportXrayCsv(chosen, options, warnings), warnings };
    case 'zephyr':
      return { files: [exportZephyr(chosen, options, warnings)], warnings };
    case 'testrail':
      return { files: exportTestRail(chosen, options, warnings), warnings };
    case 'cucumber':
      return { files: exportCucumber(chosen, warnings, options), warnings };
    case 'csv':
      return { files: [exportGenericCsv(chosen)], warnings };
    case 'markdown':
      return { files: [exportMarkdown(chosen)], warnings };
    case 'json':
      return { files: [exportJson(chosen)], warnings };
  }
}
