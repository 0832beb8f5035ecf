import type { OpenAPIHono } from '@hono/zod-openapi';
import type { SessionStore } from '../auth.ts';
import type { ServerEnv } from '../context.ts';
import type { ServerDependencies } from '../dependencies.ts';

/** The stored workspace's services (filled in when app/workspace is available). */
export interface WorkspaceRoutesOptions {
  workspace: unknown;
}

export function registerWorkspaceRoutes(
  _app: OpenAPIHono<ServerEnv>,
  _options: WorkspaceRoutesOptions & { sessions: SessionStore; dependencies: ServerDependencies },
): void {}
