import {
  PostgresDialect,
  sql,
  type ColumnMetadata,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type Kysely,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';

/**
 * Kysely's PostgreSQL introspector (used by the `Migrator` to see whether its tables exist)
 * reads every schema of the database and calls name-based functions such as
 * `has_schema_privilege(nspname, …)`, which fail with "schema … does not exist" when another
 * session drops a schema meanwhile (parallel test runs, other apps sharing the database).
 * This one only looks at the schemas of the search path and uses no name lookups.
 */
class SearchPathIntrospector implements DatabaseIntrospector {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(private readonly database: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<SchemaMetadata>`select nspname as name from pg_catalog.pg_namespace
      where nspname = any(current_schemas(false)) order by nspname`.execute(this.database);
    return rows;
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const { rows } = await sql<{
      schema: string;
      table: string;
      kind: string;
      column: string;
      data_type: string;
      not_null: boolean;
      has_default: boolean;
    }>`select n.nspname as schema, c.relname as table, c.relkind as kind, a.attname as column,
        t.typname as data_type, a.attnotnull as not_null, a.atthasdef as has_default
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid
      join pg_catalog.pg_type t on t.oid = a.atttypid
      where c.relkind in ('r', 'v', 'p') and n.nspname = any(current_schemas(false))
        and a.attnum >= 0 and not a.attisdropped
      order by n.nspname, c.relname, a.attnum`.execute(this.database);
    const tables = new Map<
      string,
      { name: string; schema: string; isView: boolean; columns: ColumnMetadata[] }
    >();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && row.table.startsWith('kysely_migration')) continue;
      const id = `${row.schema}.${row.table}`;
      let table = tables.get(id);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.kind === 'v', columns: [] };
        tables.set(id, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.data_type,
        isAutoIncrementing: false,
        isNullable: !row.not_null,
        hasDefaultValue: row.has_default,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

/** Kysely's PostgreSQL dialect with the search-path-only introspector. */
export class SearchPathPostgresDialect extends PostgresDialect {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override createIntrospector(database: Kysely<any>): DatabaseIntrospector {
    return new SearchPathIntrospector(database);
  }
}
