/**
 * API tokens through the workspace's storage (hashed by storage's apiTokens repository).
 * app/workspace has no token service yet, so this is the one place reading `storage().apiTokens`.
 */
import type { Workspace } from '../app/workspace/index.ts';
import type { ApiTokenRecord } from '../core/repositories.ts';
import type { TokenVerifier } from './auth.ts';

export interface TokenService extends TokenVerifier {
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
