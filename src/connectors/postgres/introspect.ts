/**
 * A PostgreSQL database's structure from pg_catalog (information_schema hides partitions and
 * internal triggers, and has no row estimates). A partitioned table is one table of kind
 * `partitioned` with its partitions listed under it: its partitions are storage, read through
 * the parent, and never reported as tables of their own.
 */
import type { IntrospectedColumn, IntrospectedTable, Introspection, Row } from '../contract.js';
import type { OnDeleteRule } from '../dataset.js';

/** Runs one catalog query; values may be arrays (bound as PostgreSQL arrays). */
export type CatalogQuery = (text: string, values: readonly unknown[]) => Promise<Row[]>;

const onDelete: Record<string, OnDeleteRule> = {
  a: 'no_action',
  r: 'restrict',
  c: 'cascade',
  n: 'set_null',
  d: 'set_default',
};

const RELATIONS = `
SELECT c.oid AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS relkind,
       pg_catalog.pg_get_partkeydef(pt.partrelid) AS partkey,
       CASE WHEN c.relkind = 'p' THEN (
         SELECT CASE WHEN bool_or(l.reltuples >= 0) THEN sum(greatest(l.reltuples, 0)) END
         FROM pg_catalog.pg_partition_tree(c.oid) tree
         JOIN pg_catalog.pg_class l ON l.oid = tree.relid
         WHERE tree.isleaf)
       WHEN c.relkind IN ('r', 'm', 'f') AND c.reltuples >= 0 THEN c.reltuples END::float8 AS estimate
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid
WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"`;

const COLUMNS = `
SELECT a.attrelid AS oid, a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS notnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS expr,
       a.attidentity AS identity, a.attgenerated AS generated
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const attnames = (rel: string, keys: string, limit = '') => `ARRAY(
  SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY k(num, pos)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.num ${limit}
  ORDER BY k.pos)`;

// Constraints cloned onto partitions, or onto a table for each partition it references, have a
// parent constraint (conparentid): only the declared one is reported.
const CONSTRAINTS = `
SELECT con.conrelid AS oid, con.contype AS type, con.confdeltype AS ondelete,
       ${attnames('con.conrelid', 'con.conkey')} AS columns,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       ${attnames('con.confrelid', 'con.confkey')} AS ref_columns
FROM pg_catalog.pg_constraint con
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'f') AND con.conparentid = 0
ORDER BY con.conrelid, con.conname COLLATE "C"`;

// Unique indexes that back no constraint; partial and expression indexes are not a column list.
const UNIQUE_INDEXES = `
SELECT i.indrelid AS oid, ${attnames('i.indrelid', 'i.indkey::int2[]', 'WHERE k.pos <= i.indnkeyatts')} AS columns
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = ANY($1::oid[]) AND i.indisunique AND NOT i.indisprimary
  AND i.indpred IS NULL AND i.indexprs IS NULL
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY i.indrelid, ic.relname COLLATE "C"`;

const TRIGGERS = `
SELECT t.tgrelid AS oid, t.tgname AS name
FROM pg_catalog.pg_trigger t
WHERE t.tgrelid = ANY($1::oid[]) AND NOT t.tgisinternal
ORDER BY t.tgrelid, t.tgname COLLATE "C"`;

const PARTITIONS = `
SELECT i.inhparent AS oid, c.relname AS name
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = ANY($1::oid[]) AND c.relispartition
ORDER BY i.inhparent, c.relname COLLATE "C"`;

const text = (value: unknown): string => (typeof value === 'string' ? value : String(value));
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.map(text) : []);

function byOid(rows: Row[]): Map<number, Row[]> {
  const map = new Map<number, Row[]>();
  for (const row of rows) {
    const oid = Number(row.oid);
    const list = map.get(oid);
    if (list === undefined) map.set(oid, [row]);
    else list.push(row);
  }
  return map;
}

/**
 * Introspects the connection's current schema (its search_path's first, else `public`) and the
 * `schemas` the dataset names.
 */
export async function introspectPostgres(
  query: CatalogQuery,
  system: string,
  schemas: readonly string[],
): Promise<Introspection> {
  const [head] = await query(
    `SELECT coalesce(current_schema(), 'public') AS schema, current_setting('server_version') AS version`,
    [],
  );
  const wanted = [...new Set([text(head?.schema ?? 'public'), ...schemas])];
  const relations = await query(RELATIONS, [wanted]);
  const oids = relations.map((r) => Number(r.oid));
  const [columns, constraints, uniqueIndexes, triggers, partitions] = await Promise.all(
    [COLUMNS, CONSTRAINTS, UNIQUE_INDEXES, TRIGGERS, PARTITIONS].map(async (q) =>
      byOid(await query(q, [oids])),
    ),
  );

  const tables = relations.map((relation): IntrospectedTable => {
    const oid = Number(relation.oid);
    const own = (map: Map<number, Row[]> | undefined) => map?.get(oid) ?? [];
    const cons = own(constraints);
    const uniques: string[][] = [];
    const seen = new Set<string>();
    for (const list of [
      ...cons.filter((c) => c.type === 'u').map((c) => texts(c.columns)),
      ...own(uniqueIndexes).map((u) => texts(u.columns)),
    ]) {
      const key = JSON.stringify(list);
      if (list.length > 0 && !seen.has(key)) {
        seen.add(key);
        uniques.push(list);
      }
    }
    const relkind = text(relation.relkind);
    const kind = relkind === 'p' ? 'partitioned' : relkind === 'v' || relkind === 'm' ? 'view' : 'table';
    const estimate = relation.estimate;
    return {
      name: text(relation.name),
      schema: text(relation.schema),
      kind,
      columns: own(columns).map(column),
      primaryKey: texts(cons.find((c) => c.type === 'p')?.columns),
      foreignKeys: cons
        .filter((c) => c.type === 'f')
        .map((c) => ({
          columns: texts(c.columns),
          references: { table: text(c.ref_table), schema: text(c.ref_schema), columns: texts(c.ref_columns) },
          onDelete: onDelete[text(c.ondelete)] ?? 'no_action',
        })),
      uniques,
      ...(kind === 'partitioned'
        ? {
            partitions: {
              by: typeof relation.partkey === 'string' ? relation.partkey : '',
              names: own(partitions).map((p) => text(p.name)),
            },
          }
        : {}),
      triggers: own(triggers).map((t) => text(t.name)),
      ...(typeof estimate === 'number' ? { rows: Math.round(estimate) } : {}),
    };
  });
  return {
    system,
    kind: 'postgres',
    server: `PostgreSQL ${text(head?.version ?? '').split(' ')[0] ?? ''}`,
    tables,
  };
}

function column(row: Row): IntrospectedColumn {
  const expr = typeof row.expr === 'string' ? row.expr : undefined;
  const identity = row.identity === 'a' ? 'ALWAYS' : row.identity === 'd' ? 'BY DEFAULT' : undefined;
  const generated = row.generated === 's';
  const fallback =
    identity !== undefined
      ? `GENERATED ${identity} AS IDENTITY`
      : generated && expr !== undefined
        ? `GENERATED ALWAYS AS (${expr}) STORED`
        : expr;
  return {
    name: text(row.name),
    type: text(row.type),
    nullable: row.notnull !== true,
    ...(fallback !== undefined ? { default: fallback } : {}),
  };
}
