/**
 * The API: one sub-app per resource, mounted in one chain so the chain's type (`AppType`) lists
 * every route with its input and output. Add a route to its resource's file; add a resource by
 * writing `routes/<resource>.ts` (a function returning `createRouter().openapi(…)…`) and mounting
 * it below.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Schema } from 'hono';
import type { TokenService, Workspace } from '../../app/index.ts';
import type { SessionStore } from '../auth.ts';
import type { ServerEnv } from '../context.ts';
import type { ServerDependencies } from '../dependencies.ts';
import { createRouter } from '../router.ts';
import { checkRoutes } from './check.ts';
import { connectorRoutes } from './connectors.ts';
import { dashboardRoutes } from './dashboard.ts';
import { exportRoutes } from './export.ts';
import { generationRoutes } from './generate.ts';
import { jobRoutes } from './jobs.ts';
import { projectRoutes } from './projects.ts';
import { providerRoutes } from './providers.ts';
import { projectQualityRoutes, qualityRoutes } from './quality.ts';
import { storyRoutes } from './stories.ts';
import { systemRoutes, type SystemRouteOptions } from './system.ts';
import { testCaseHistoryRoutes } from './test-case-history.ts';
import { testCaseRoutes } from './test-cases.ts';
import { tokenRoutes } from './tokens.ts';

export interface ApiRoutesOptions {
  dependencies: ServerDependencies;
  system: SystemRouteOptions;
  sessions: SessionStore;
  /** The stored workspace and its API tokens; absent: the workspace routes are not served. */
  workspace?: { workspace: Workspace; tokens: TokenService } | undefined;
}

/**
 * Every route of the API, relative to `/api`.
 *
 * @example
 * app.route('/api', apiRoutes({ dependencies, system, sessions, workspace }));
 */
export function apiRoutes(options: ApiRoutesOptions) {
  const { dependencies, sessions, workspace } = options;
  return createRouter()
    .route('/', systemRoutes(options.system))
    .route('/', generationRoutes(dependencies))
    .route('/', checkRoutes(dependencies))
    .route('/', qualityRoutes({ dependencies, ...(workspace ? { workspace: workspace.workspace } : {}) }))
    .route(
      '/',
      whenServed(workspace, (served) => projectQualityRoutes(served.workspace)),
    )
    .route(
      '/',
      whenServed(workspace, (served) => projectRoutes(served.workspace)),
    )
    .route(
      '/',
      whenServed(workspace, (served) => storyRoutes(served.workspace)),
    )
    .route(
      '/',
      whenServed(workspace, (served) => testCaseRoutes(served.workspace)),
    )
    .route(
      '/',
      whenServed(workspace, (served) => testCaseHistoryRoutes(served.workspace)),
    )
    .route(
      '/',
      whenServed(workspace, (served) => exportRoutes(served.workspace)),
    )
    .route(
      '/',
      whenServed(workspace, (served) => providerRoutes(served.workspace, dependencies)),
    )
    .route(
      '/',
      whenServed(workspace, (served) => tokenRoutes(served.tokens, sessions)),
    )
    .route(
      '/',
      whenServed(workspace, (served) => jobRoutes({ workspace: served.workspace })),
    )
    .route(
      '/',
      whenServed(workspace, (served) => connectorRoutes({ workspace: served.workspace })),
    )
    .route(
      '/',
      whenServed(workspace, (served) => dashboardRoutes(served.workspace)),
    );
}

/** The routes of the whole server as mounted under `/api`: what `hc<AppType>` reads. */
export function mountApi(app: OpenAPIHono<ServerEnv>, options: ApiRoutesOptions) {
  return app.route('/api', apiRoutes(options));
}

/**
 * The workspace's sub-app when the server has a workspace; else an empty one typed alike, so the
 * type of the API (what the web app is checked against) always lists the workspace routes.
 */
function whenServed<Served, Routes extends OpenAPIHono<ServerEnv, Schema, '/'>>(
  served: Served | undefined,
  build: (served: Served) => Routes,
): Routes {
  return served === undefined ? (createRouter() as Routes) : build(served);
}

/** The type of the composed server: every route under `/api` with its input and output (`hc<AppType>`). */
export type AppType = ReturnType<typeof mountApi>;
