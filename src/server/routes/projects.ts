/**
 * Projects: list, create, show with counts, change, remove.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { definedFields } from '../../shared/defined-fields.ts';
import { errors, json, jsonBody } from '../openapi.ts';
import { createRouter } from '../router.ts';
import type { Workspace } from '../../app/index.ts';
import { OkSchema } from '../schemas.ts';
import { CreateProjectSchema, ProjectDetailsSchema, ProjectSchema } from '../workspace-schemas.ts';
import { ProjectParam } from './parameters.ts';

const listProjectsRoute = createRoute({
  method: 'get',
  path: '/projects',
  operationId: 'listProjects',
  tags: ['projects'],
  summary: 'List projects',
  responses: {
    200: json(z.object({ projects: z.array(ProjectSchema) }), 'Projects by name'),
    ...errors(),
  },
});

const createProjectRoute = createRoute({
  method: 'post',
  path: '/projects',
  operationId: 'createProject',
  tags: ['projects'],
  summary: 'Create a project',
  request: { body: jsonBody(CreateProjectSchema) },
  responses: { 201: json(ProjectSchema, 'Created'), ...errors(404, 409) },
});

const getProjectRoute = createRoute({
  method: 'get',
  path: '/projects/{project}',
  operationId: 'getProject',
  tags: ['projects'],
  summary: 'Show a project with its counts',
  request: { params: ProjectParam },
  responses: { 200: json(ProjectDetailsSchema, 'The project'), ...errors(404) },
});

const updateProjectRoute = createRoute({
  method: 'patch',
  path: '/projects/{project}',
  operationId: 'updateProject',
  tags: ['projects'],
  summary: 'Change a project: name, default format, test case rules, default provider',
  request: { params: ProjectParam, body: jsonBody(z.object(CreateProjectSchema.shape).partial()) },
  responses: { 200: json(ProjectSchema, 'Changed'), ...errors(404, 409) },
});

const removeProjectRoute = createRoute({
  method: 'delete',
  path: '/projects/{project}',
  operationId: 'removeProject',
  tags: ['projects'],
  summary: 'Remove a project with its stories, test cases and generations',
  request: { params: ProjectParam },
  responses: { 200: json(OkSchema, 'Removed'), ...errors(404) },
});

export function projectRoutes(workspace: Workspace) {
  return createRouter()
    .openapi(listProjectsRoute, async (c) => c.json({ projects: await workspace.projects.list() }, 200))

    .openapi(createProjectRoute, async (c) =>
      c.json(await workspace.projects.create(definedFields(c.req.valid('json'))), 201),
    )

    .openapi(getProjectRoute, async (c) =>
      c.json(await workspace.projects.show(c.req.valid('param').project), 200),
    )

    .openapi(updateProjectRoute, async (c) =>
      c.json(
        await workspace.projects.update(c.req.valid('param').project, definedFields(c.req.valid('json'))),
        200,
      ),
    )

    .openapi(removeProjectRoute, async (c) => {
      await workspace.projects.remove(c.req.valid('param').project);
      return c.json({ ok: true as const }, 200);
    });
}
