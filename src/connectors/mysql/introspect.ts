/**
 * A MySQL or MariaDB database's structure from information_schema: tables and views, columns,
 * primary and unique keys (STATISTICS), foreign keys with their delete rule
 * (KEY_COLUMN_USAGE joined with REFERENTIAL_CONSTRAINTS), triggers, partitions and the storage
 * engine's row estimate. A partitioned table is one table of kind `partitioned`.
 */
import type { IntrospectedColumn, IntrospectedTable, Introspection, Row } from '../contract.js';
import type { OnDeleteRule } from '../dataset.js';

/** Runs one catalog query with bound values. */
export type CatalogQuery = (text: string, values: readonly unknown[]) => Promise<Row[]>;

const onDelete: Record<string, OnDeleteRule> = {
  CASCADE: 'cascade',
  RESTRICT: 'restrict',
  'NO ACTION': 'no_action',
  'SET NULL': 'set_null',
  'SET DEFAULT': 'set_default',
};

const text = (value: unknown): string =>
  typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const list = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

function grouped(rows: Row[], key: (row: Row) => string): Map<string, Row[]> {
  const map = new Map<string, Row[]>();
  for (const row of rows) {
    const k = key(row);
    const found = map.get(k);
    if (found === undefined) map.set(k, [row]);
    else found.push(row);
  }
  return map;
}
const tableKey = (row: Row): string => JSON.stringify([text(row.s), text(row.t)]);

/** Introspects the URL's database and the `schemas` (databases) the dataset names. */
export async function introspectMysql(
  query: CatalogQuery,
  system: string,
  kind: string,
  schemas: readonly string[],
): Promise<Introspection> {
  const [head] = await query('SELECT DATABASE() AS db, VERSION() AS version', []);
  const wanted = [
    ...new Set([...(head?.db !== null && head?.db !== undefined ? [text(head.db)] : []), ...schemas]),
  ];
  const server = serverName(text(head?.version ?? ''));
  if (wanted.length === 0) return { system, kind, server, tables: [] };
  const inSchemas = (column: string) => `${column} IN (${list(wanted.length)})`;

  const [relations, columns, indexes, foreignKeys, triggers, partitions] = await Promise.all([
    query(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_TYPE AS type, TABLE_ROWS AS estimate
       FROM information_schema.TABLES
       WHERE ${inSchemas('TABLE_SCHEMA')} AND TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')
       ORDER BY TABLE_SCHEMA, TABLE_NAME`,
      wanted,
    ),
    query(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS name, COLUMN_TYPE AS type,
              IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra, GENERATION_EXPRESSION AS expr
       FROM information_schema.COLUMNS
       WHERE ${inSchemas('TABLE_SCHEMA')}
       ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
      wanted,
    ),
    query(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, INDEX_NAME AS name, COLUMN_NAME AS col, NON_UNIQUE AS non_unique
       FROM information_schema.STATISTICS
       WHERE ${inSchemas('TABLE_SCHEMA')}
       ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX`,
      wanted,
    ),
    query(
      `SELECT k.TABLE_SCHEMA AS s, k.TABLE_NAME AS t, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col,
              k.REFERENCED_TABLE_SCHEMA AS ref_schema, k.REFERENCED_TABLE_NAME AS ref_table,
              k.REFERENCED_COLUMN_NAME AS ref_col, r.DELETE_RULE AS rule
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
        AND r.TABLE_NAME = k.TABLE_NAME
       WHERE ${inSchemas('k.TABLE_SCHEMA')} AND k.REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      wanted,
    ),
    query(
      `SELECT EVENT_OBJECT_SCHEMA AS s, EVENT_OBJECT_TABLE AS t, TRIGGER_NAME AS name
       FROM information_schema.TRIGGERS
       WHERE ${inSchemas('EVENT_OBJECT_SCHEMA')}
       ORDER BY EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, TRIGGER_NAME`,
      wanted,
    ),
    query(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, PARTITION_NAME AS name, PARTITION_METHOD AS method,
              PARTITION_EXPRESSION AS expr
       FROM information_schema.PARTITIONS
       WHERE ${inSchemas('TABLE_SCHEMA')} AND PARTITION_NAME IS NOT NULL
       ORDER BY TABLE_SCHEMA, TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION`,
      wanted,
    ),
  ]);

  const columnsOf = grouped(columns, tableKey);
  const indexesOf = grouped(indexes, tableKey);
  const keysOf = grouped(foreignKeys, tableKey);
  const triggersOf = grouped(triggers, tableKey);
  const partitionsOf = grouped(partitions, tableKey);

  // Sorted here, by code unit, because the server's order follows each database's collation.
  const byName = (a: Row, b: Row) => compare(text(a.s), text(b.s)) || compare(text(a.t), text(b.t));
  const tables = [...relations].sort(byName).map((relation): IntrospectedTable => {
    const key = tableKey(relation);
    const parts = partitionsOf.get(key) ?? [];
    const isView = text(relation.type) === 'VIEW';
    const tableKind = isView ? 'view' : parts.length > 0 ? 'partitioned' : 'table';
    const byIndex = grouped(indexesOf.get(key) ?? [], (row) => text(row.name));
    const primaryKey = (byIndex.get('PRIMARY') ?? []).map((row) => text(row.col));
    const uniques = [...byIndex]
      .sort(([a], [b]) => compare(a, b))
      .filter(
        ([name, rows]) =>
          name !== 'PRIMARY' && rows.every((r) => Number(r.non_unique) === 0 && r.col !== null),
      )
      .map(([, rows]) => rows.map((row) => text(row.col)));
    const fks = [...grouped(keysOf.get(key) ?? [], (row) => text(row.name))]
      .sort(([a], [b]) => compare(a, b))
      .map(([, rows]) => ({
        columns: rows.map((row) => text(row.col)),
        references: {
          table: text(rows[0]?.ref_table),
          schema: text(rows[0]?.ref_schema),
          columns: rows.map((row) => text(row.ref_col)),
        },
        onDelete: onDelete[text(rows[0]?.rule)] ?? 'no_action',
      }));
    const estimate = relation.estimate;
    return {
      name: text(relation.t),
      schema: text(relation.s),
      kind: tableKind,
      columns: (columnsOf.get(key) ?? []).map(column),
      primaryKey,
      foreignKeys: fks,
      uniques,
      ...(tableKind === 'partitioned'
        ? {
            partitions: {
              by: `${text(parts[0]?.method)} (${text(parts[0]?.expr)})`,
              names: [...new Set(parts.map((p) => text(p.name)))],
            },
          }
        : {}),
      triggers: (triggersOf.get(key) ?? []).map((row) => text(row.name)).sort(compare),
      ...(!isView && estimate !== null && estimate !== undefined ? { rows: Number(estimate) } : {}),
    };
  });
  return { system, kind, server, tables };
}

function column(row: Row): IntrospectedColumn {
  const extra = text(row.extra ?? '');
  const generated = /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.exec(extra);
  // MariaDB shows a nullable column without a default as the text NULL; MySQL as SQL NULL.
  const dflt =
    row.dflt === null || row.dflt === undefined || text(row.dflt) === 'NULL' ? undefined : text(row.dflt);
  const fallback = generated
    ? `GENERATED ALWAYS AS (${text(row.expr ?? '')}) ${generated[1]?.toUpperCase() ?? ''}`
    : /auto_increment/i.test(extra)
      ? 'AUTO_INCREMENT'
      : dflt;
  return {
    name: text(row.name),
    type: text(row.type),
    nullable: text(row.nullable) === 'YES',
    ...(fallback !== undefined ? { default: fallback } : {}),
  };
}

/** `10.11.19-MariaDB-0+deb12u1` → `MariaDB 10.11.19`; `8.0.36` → `MySQL 8.0.36`. */
export function serverName(version: string): string {
  const maria = /(\d+\.\d+\.\d+)-MariaDB/i.exec(version);
  if (maria !== null) return `MariaDB ${maria[1]}`;
  return `MySQL ${/^\d+\.\d+\.\d+/.exec(version)?.[0] ?? version}`;
}
