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

/** Browser sessions opened with an API token, kept in the workspace's database. */
export interface SessionService {
  /** Opens a session for `lifetimeMilliseconds`; the clear session id is returned once (only its hash is stored). */
  open(tokenId: string, lifetimeMilliseconds: number): Promise<{ sessionId: string; tokenName: string }>;
  /** The session's token when the session exists, has not expired and its token is not revoked. */
  find(sessionId: string): Promise<{ tokenId: string; tokenName: string } | undefined>;
  close(sessionId: string): Promise<void>;
  /** Ends every session of a token (revoking the token does it too). */
  closeForToken(tokenId: string): Promise<void>;
}

/**
 * Sessions in the database rather than in one server's memory: revoking a token from any process
 * (`reqase token revoke`, the API) ends its sessions, a restart keeps them, and every server on
 * the same database shares them.
 *
 * @example
 * const sessions = workspaceSessions(workspace);
 * const { sessionId } = await sessions.open(tokenId, 12 * 60 * 60 * 1000);
 */
export function workspaceSessions(workspace: Workspace, now: () => number = Date.now): SessionService {
  const sessions = async () => (await workspace.storage()).sessions;
  return {
    async open(tokenId, lifetimeMilliseconds) {
      const expiresAt = new Date(now() + lifetimeMilliseconds).toISOString();
      const { sessionId, record } = await (await sessions()).create(tokenId, expiresAt);
      return { sessionId, tokenName: record.tokenName };
    },
    async find(sessionId) {
      const record = await (await sessions()).find(sessionId);
      return record && { tokenId: record.tokenId, tokenName: record.tokenName };
    },
    async close(sessionId) {
      await (await sessions()).remove(sessionId);
    },
    async closeForToken(tokenId) {
      await (await sessions()).removeForToken(tokenId);
    },
  };
}
