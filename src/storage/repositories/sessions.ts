import { createHash, randomBytes } from 'node:crypto';
import type { SessionRecord, SessionRepository } from '../../core/repositories.ts';
import type { StorageContext } from '../context.ts';

export function createSessionRepository(context: StorageContext): SessionRepository {
  const { database } = context;

  async function find(sessionId: string): Promise<SessionRecord | undefined> {
    // Joined with the tokens on every lookup: a token revoked by any process ends its sessions.
    const row = await database
      .selectFrom('sessions')
      .innerJoin('api_tokens', 'api_tokens.id', 'sessions.token_id')
      .select(['sessions.token_id', 'sessions.expires_at', 'api_tokens.name'])
      .where('sessions.id_hash', '=', hashSessionId(sessionId))
      .where('sessions.expires_at', '>', context.now())
      .executeTakeFirst();
    return row && { tokenId: row.token_id, tokenName: row.name, expiresAt: row.expires_at };
  }

  return {
    find,

    async create(tokenId, expiresAt) {
      const sessionId = randomBytes(32).toString('base64url');
      const now = context.now();
      await database.deleteFrom('sessions').where('expires_at', '<=', now).execute();
      await database
        .insertInto('sessions')
        .values({
          id_hash: hashSessionId(sessionId),
          token_id: tokenId,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
      const record = await find(sessionId);
      // The token was revoked between its check and this insert (the foreign key refuses it, or the
      // cascade removed the row).
      if (!record) throw new Error('The token of this session no longer exists.');
      return { sessionId, record };
    },

    async remove(sessionId) {
      await database.deleteFrom('sessions').where('id_hash', '=', hashSessionId(sessionId)).execute();
    },

    async removeForToken(tokenId) {
      await database.deleteFrom('sessions').where('token_id', '=', tokenId).execute();
    },
  };
}

/** SHA-256 hex: session ids are 32 random bytes, so a fast unsalted hash is enough. */
function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}
