/**
 * The structure of a SQLite database from its schema table and pragmas: tables and views, their
 * columns, primary keys (composite included), foreign keys with their ON DELETE rules, unique
 * indexes, triggers, and a row estimate (sqlite_stat1 when ANALYZE ran, otherwise the largest
 * rowid).
 */
import type Database from 'better-sqlite3';
import type { IntrospectedColumn, IntrospectedTable, Introspection } from '../contract.js';
import type { OnDeleteRule } from '../dataset.js';

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

interface ForeignKeyInfo {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_delete: string;
}

interface IndexInfo {
  name: string;
  unique: number;
  origin: string;
  partial: number;
}

const onDelete: Readonly<Record<string, OnDeleteRule>> = {
  CASCADE: 'cascade',
  RESTRICT: 'restrict',
  'SET NULL': 'set_null',
  'SET DEFAULT': 'set_default',
  'NO ACTION': 'no_action',
};

export function introspectSqlite(db: Database.Database, system: string): Introspection {
  const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  const objects = db
    .prepare(
      `SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
    )
    .all() as { name: string; type: 'table' | 'view' }[];
  const hasStats =
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`).get() !==
    undefined;
  const columnsOf = (table: string) =>
    (db.prepare('SELECT * FROM pragma_table_xinfo(?)').all(table) as ColumnInfo[]).filter(
      (c) => c.hidden !== 1,
    );

  const tables = objects.map((o): IntrospectedTable => {
    const info = columnsOf(o.name);
    const columns = info.map((c): IntrospectedColumn => ({
      name: c.name,
      type: c.type,
      nullable: c.notnull === 0 && !(c.pk > 0 && c.type.toUpperCase() === 'INTEGER'),
      ...(c.dflt_value === null ? {} : { default: c.dflt_value }),
    }));
    const primaryKey = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const triggers = (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name`)
        .all(o.name) as {
        name: string;
      }[]
    ).map((t) => t.name);
    if (o.type === 'view')
      return { name: o.name, kind: 'view', columns, primaryKey: [], foreignKeys: [], uniques: [], triggers };

    const fks = db
      .prepare('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq')
      .all(o.name) as ForeignKeyInfo[];
    const byId = new Map<number, ForeignKeyInfo[]>();
    for (const fk of fks) byId.set(fk.id, [...(byId.get(fk.id) ?? []), fk]);
    const foreignKeys = [...byId.values()].map((parts) => {
      const first = parts[0]!;
      const parentKey = columnsOf(first.table)
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      return {
        columns: parts.map((p) => p.from),
        references: { table: first.table, columns: parts.map((p, i) => p.to ?? parentKey[i] ?? '') },
        onDelete: onDelete[first.on_delete.toUpperCase()] ?? 'no_action',
      };
    });

    const uniques: string[][] = [];
    for (const index of db.prepare('SELECT * FROM pragma_index_list(?)').all(o.name) as IndexInfo[]) {
      if (index.unique !== 1 || index.origin === 'pk' || index.partial === 1) continue;
      const names = (
        db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(index.name) as {
          name: string | null;
        }[]
      ).map((c) => c.name);
      if (names.every((n): n is string => n !== null)) uniques.push(names);
    }

    const rows = estimate(db, o.name, hasStats);
    return {
      name: o.name,
      kind: 'table',
      columns,
      primaryKey,
      foreignKeys,
      uniques,
      triggers,
      ...(rows === undefined ? {} : { rows }),
    };
  });
  return { system, kind: 'sqlite', server: `SQLite ${version}`, tables };
}

function estimate(db: Database.Database, table: string, hasStats: boolean): number | undefined {
  if (hasStats) {
    const stat = db.prepare('SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1').get(table) as
      { stat: string } | undefined;
    const n = Number(stat?.stat.split(' ')[0]);
    if (Number.isFinite(n)) return n;
  }
  try {
    const quoted = `"${table.replaceAll('"', '""')}"`;
    const row = db.prepare(`SELECT max(rowid) AS n FROM ${quoted}`).get() as { n: number | null };
    return row.n ?? 0;
  } catch {
    return undefined; // WITHOUT ROWID tables have no rowid to estimate from
  }
}
