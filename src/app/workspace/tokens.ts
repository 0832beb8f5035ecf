/**
 * API tokens for the HTTP API and `reqase token`, through the workspace's storage: tokens are
 * shown once at creation and stored only as a hash (storage's apiTokens repository).
 */
import type { ApiTokenRecord } from '../../core/repositories.ts';
import type { Workspace } from './workspace.ts';

export interface TokenService {
  /** The token's id and name when it is known and not revoked (updates its last use). */
  verify(token: string): Promise<{ id: string; name: string } | undefined>;
  create(name: string): Promise<{ record: ApiTokenRecord; token: string }>;
  list(): Promise<ApiTokenRecord[]>;
  /** False when absent. */
  remove(id: string): Promise<boolean>;
}

export function workspaceTokens(workspace: Workspace): TokenService {
  const tokens = async () => (await workspace.storage()).apiTokens;
  return {
    async verify(token) {
      const record = await (await tokens()).verify(token);
      return record && { id: record.id, name: record.name };
    },
    async create(name) {
      return (await tokens()).create(name);
    },
    async list() {
      return (await tokens()).list();
    },
    async remove(id) {
      return (await tokens()).remove(id);
    },
  };
}
