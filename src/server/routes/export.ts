/**
 * Export: a project's test cases as one file, or a .zip of the files a target gives.
 */
import { createRoute } from '@hono/zod-openapi';
import { errors } from '../openapi.ts';
import { zipInSlices } from '../export-archive.ts';
import { createRouter } from '../router.ts';
import type { Workspace } from '../../app/index.ts';
import { ExportQuerySchema, TestCaseStatusSchema } from '../workspace-schemas.ts';
import { optionalList, ProjectParam } from './parameters.ts';

const exportTestCasesRoute = createRoute({
  method: 'get',
  path: '/projects/{project}/export',
  operationId: 'exportTestCases',
  tags: ['export'],
  summary: 'Download test cases as Xray, Zephyr Scale, TestRail, Cucumber, CSV, Markdown or JSON',
  description:
    'One file is sent as it is (Content-Disposition: attachment). A target giving several files is sent as one ' +
    '.zip of them (Cucumber: one .feature per story; xray-json: files of at most 1,000 tests; xray-csv: the CSV ' +
    'and its importer configuration; testrail: step cases and BDD cases apart); give `story=KEY` for a single ' +
    '.feature file.',
  request: { params: ProjectParam, query: ExportQuerySchema },
  responses: {
    200: {
      description: 'The exported file, or a .zip of the files (attachment)',
      content: { '*/*': { schema: { type: 'string' } } },
    },
    ...errors(404),
  },
});

export function exportRoutes(workspace: Workspace) {
  return createRouter().openapi(exportTestCasesRoute, async (c) => {
    const { project } = c.req.valid('param');
    const query = c.req.valid('query');
    const statuses = optionalList(query.status)?.map((status) => TestCaseStatusSchema.parse(status));
    const storyKeys = optionalList(query.story);
    const result = await workspace.exports.exportCases({
      projectName: project,
      target: query.to,
      ...(storyKeys ? { storyKeys } : {}),
      ...(statuses ? { statuses } : {}),
      ...(query.jiraProjectKey ? { jiraProjectKey: query.jiraProjectKey } : {}),
      ...(query.folder ? { folder: query.folder } : {}),
      ...(query.xrayLinkType ? { xrayLinkType: query.xrayLinkType } : {}),
      ...(query.xrayTags ? { xrayTags: query.xrayTags } : {}),
    });
    c.header('X-Export-Test-Cases', String(result.testCaseCount));
    c.header('X-Export-Stories', String(result.storyCount));
    const single = result.files.length === 1 ? result.files[0] : undefined;
    if (single) {
      c.header(
        'Content-Type',
        single.mediaType.includes('charset') ? single.mediaType : `${single.mediaType}; charset=utf-8`,
      );
      c.header('Content-Disposition', attachment(single.name));
      return c.body(single.content, 200);
    }
    const archive = await zipInSlices(result.files);
    c.header('Content-Type', 'application/zip');
    c.header('Content-Disposition', attachment(`${safeName(project)}-${query.to}.zip`));
    return c.body(archive, 200);
  });
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';
}

/** `attachment; filename="…"; filename*=UTF-8''…` with the name made safe for the header. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
