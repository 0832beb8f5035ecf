import type { AppSettings } from './settings.ts';
import type { Workspace, WorkspaceOptions } from './workspace/index.ts';

/**
 * Opens the workspace of these settings (`REQASE_DATA_DIR` or `DATABASE_URL`), loading storage,
 * jobs and pg-boss only now: the CLI's quick commands import the app without paying for them.
 *
 * @example
 * const workspace = await loadWorkspace(resolveSettings());
 * try { console.log(await workspace.projects.list()); } finally { await workspace.close(); }
 */
export async function loadWorkspace(
  settings: AppSettings,
  options: WorkspaceOptions = {},
): Promise<Workspace> {
  const { openWorkspace } = await import('./workspace/workspace.ts');
  return openWorkspace(settings, options);
}
