/**
 * The project dashboard: one read with every figure the dashboard page draws.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  createDashboardService,
  ProjectDashboardSchema,
  storedPriceOf,
  type Workspace,
} from '../../app/index.ts';
import { errors, json } from '../openapi.ts';
import { createRouter } from '../router.ts';
import { ProjectParam } from './parameters.ts';

const ProjectDashboardWireSchema = z.object(ProjectDashboardSchema.shape).openapi('ProjectDashboard');

const getProjectDashboardRoute = createRoute({
  method: 'get',
  path: '/projects/{project}/dashboard',
  operationId: 'getProjectDashboard',
  tags: ['projects'],
  summary:
    'A project’s dashboard: coverage matrix (stories × criteria), review progress per day, quality score distribution, findings by rule, tokens and cost per day and provider',
  request: { params: ProjectParam },
  responses: { 200: json(ProjectDashboardWireSchema, 'The dashboard’s figures'), ...errors(404) },
});

/** One dashboard service per server: it keeps each story's quality scores until the story changes. */
export function dashboardRoutes(workspace: Workspace) {
  const dashboard = createDashboardService(workspace);
  return createRouter().openapi(getProjectDashboardRoute, async (c) => {
    // The cost of a provider's tokens comes from the price stored with it (none: "no price set").
    const priceOf = storedPriceOf(await workspace.providers.list());
    const figures = await dashboard.projectDashboard({ projectName: c.req.valid('param').project, priceOf });
    return c.json(figures, 200);
  });
}
