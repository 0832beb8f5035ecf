/**
 * The dashboard's call to the API, typed off the server's route like `api.ts` (kept here so the
 * dashboard's chunk, loaded on demand, carries it).
 */
import { hc, type InferResponseType } from 'hono/client';
import type { AppType } from '../../../src/server/index.ts';
import { transport } from '../transport.ts';

const projects = hc<AppType>('/', { fetch: transport }).api.projects;
const dashboardRoute = projects[':project'].dashboard.$get;

export type ProjectDashboard = InferResponseType<typeof dashboardRoute, 200>;
export type CoverageState = ProjectDashboard['coverage']['stories'][number]['criteria'][number]['state'];
export type ProviderUsage = ProjectDashboard['tokens']['providers'][number];

/** The figures of a project's dashboard; throws `ApiError` (e.g. 404 for an unknown project). */
export async function loadDashboard(projectName: string): Promise<ProjectDashboard> {
  const response = await dashboardRoute({ param: { project: encodeURIComponent(projectName) } });
  return (await response.json()) as ProjectDashboard;
}
