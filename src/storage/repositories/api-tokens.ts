import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ApiTokenRecord, ApiTokenRepository } from '../../core/repositories.ts';
import { newId } from '../../shared/ids.ts';
import { writeTransaction, type StorageContext } from '../context.ts';
import type { ApiTokenTable } from '../schema.ts';

/** Prefix of every API token, so a leaked one is recognisable (e.g. by secret scanners). */
const TOKEN_PREFIX = 'rql_';

export function createApiTokenRepository(context: StorageContext): ApiTokenRepository {
  const { database } = context;

  return {
    async create(name) {
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const row = {
        id: newId(),
        name,
        token_hash: hashToken(token),
        created_at: context.now(),
        last_used_at: null,
      };
      await database.insertInto('api_tokens').values(row).execute();
      return { record: toApiTokenRecord(row), token };
    },

    async verify(token) {
      const row = await database
        .updateTable('api_tokens')
        .set({ last_used_at: context.now() })
        .where('token_hash', '=', hashToken(token))
        .returningAll()
        .executeTakeFirst();
      return row && toApiTokenRecord(row);
    },

    async list() {
      const rows = await database
        .selectFrom('api_tokens')
        .selectAll()
        .orderBy('created_at')
        .orderBy('name')
        .execute();
      return rows.map(toApiTokenRecord);
    },

    async remove(id) {
      // Its sessions go with it (the foreign key cascades too; this does not rely on it).
      return writeTransaction(context, async (transaction) => {
        await transaction.deleteFrom('sessions').where('token_id', '=', id).execute();
        const result = await transaction.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },
  };
}

/** SHA-256 hex: tokens are long random strings, so a fast hash is enough (no salt needed). */
function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function toApiTokenRecord(row: Selectable<ApiTokenTable>): ApiTokenRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}
