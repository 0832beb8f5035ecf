import type { Selectable } from 'kysely';
import type {
  ConnectionKind,
  ConnectionRecord,
  ConnectionRepository,
  ConnectionWithSecret,
  StoryIssueRepository,
} from '../../core/connector-repositories.ts';
import { newId } from '../../shared/ids.ts';
import { maskSecret } from '../../shared/secrets.ts';
import { fromJson, toJson, writeTransaction, type StorageContext } from '../context.ts';
import type { ConnectionTable } from '../schema.ts';

export function createConnectionRepository(context: StorageContext): ConnectionRepository {
  const { database } = context;
  const findRow = (name: string) =>
    database.selectFrom('connections').selectAll().where('name', '=', name).executeTakeFirst();

  return {
    async save(connection) {
      // Encrypt before the transaction: resolving the secret key may touch the file system.
      const encrypted =
        connection.secret === undefined || connection.secret === null
          ? connection.secret
          : (await context.secretBox()).encrypt(connection.secret);
      return writeTransaction(context, async (transaction) => {
        const now = context.now();
        const values = {
          kind: connection.kind,
          base_url: connection.baseUrl,
          settings: toJson(connection.settings ?? {}),
          updated_at: now,
          ...(encrypted !== undefined && {
            secret_encrypted: encrypted,
            secret_masked: maskSecret(connection.secret),
          }),
        };
        const updated = await transaction
          .updateTable('connections')
          .set(values)
          .where('name', '=', connection.name)
          .returningAll()
          .executeTakeFirst();
        if (updated) return toConnectionRecord(updated);
        const row: Selectable<ConnectionTable> = {
          id: newId(),
          name: connection.name,
          secret_encrypted: null,
          secret_masked: maskSecret(null),
          created_at: now,
          ...values,
        };
        await transaction.insertInto('connections').values(row).execute();
        return toConnectionRecord(row);
      });
    },

    async get(name) {
      const row = await findRow(name);
      return row && toConnectionRecord(row);
    },

    async getWithSecret(name): Promise<ConnectionWithSecret | undefined> {
      const row = await findRow(name);
      if (!row) return undefined;
      const secret =
        row.secret_encrypted === null ? null : (await context.secretBox()).decrypt(row.secret_encrypted);
      return { ...toConnectionRecord(row), secret };
    },

    async list() {
      const rows = await database.selectFrom('connections').selectAll().orderBy('name').execute();
      return rows.map(toConnectionRecord);
    },

    async remove(name) {
      const result = await database.deleteFrom('connections').where('name', '=', name).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

/** The record as anyone may see it: the encrypted secret never leaves this function. */
function toConnectionRecord(row: Selectable<ConnectionTable>): ConnectionRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ConnectionKind,
    baseUrl: row.base_url,
    settings: fromJson<Record<string, string>>(row.settings, {}),
    hasSecret: row.secret_encrypted !== null,
    secretMasked: row.secret_encrypted === null ? maskSecret(null) : row.secret_masked,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createStoryIssueRepository(context: StorageContext): StoryIssueRepository {
  const { database } = context;
  return {
    async saveMany(records) {
      if (records.length === 0) return;
      await writeTransaction(context, async (transaction) => {
        const now = context.now();
        for (const record of records) {
          await transaction
            .insertInto('story_issues')
            .values({
              story_id: record.storyId,
              issue_id: record.issueId,
              issue_key: record.issueKey,
              site_url: record.siteUrl,
              updated_at: now,
            })
            .onConflict((conflict) =>
              conflict.column('story_id').doUpdateSet({
                issue_id: record.issueId,
                issue_key: record.issueKey,
                site_url: record.siteUrl,
                updated_at: now,
              }),
            )
            .execute();
        }
      });
    },
    async get(storyId) {
      const row = await database
        .selectFrom('story_issues')
        .selectAll()
        .where('story_id', '=', storyId)
        .executeTakeFirst();
      return (
        row && {
          storyId: row.story_id,
          issueId: row.issue_id,
          issueKey: row.issue_key,
          siteUrl: row.site_url,
        }
      );
    },
  };
}
