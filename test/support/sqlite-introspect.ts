/**
 * A small SQLite introspection and sampler from pragmas, for the discovery bench and tests only:
 * it stands in for the SQLite connector's `introspect()` and `sample()` where that is not at hand.
 */
import Database from 'better-sqlite3';
import type { IntrospectedTable, Introspection } from '../../src/connectors/contract.js';
import type { OnDeleteRule } from '../../src/connectors/dataset.js';

const rules: Readonly<Record<string, OnDeleteRule>> = {
  CASCADE: 'cascade',
  RESTRICT: 'restrict',
  'NO ACTION': 'no_action',
  'SET NULL': 'set_null',
  'SET DEFAULT': 'set_default',
};

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Opens a SQLite file read-only and answers `introspect` and `sample` like a connector. */
export function sqliteSource(file: string): {
  introspect(): Introspection;
  sample(table: { name: string }, column: string, limit: number): string[];
  close(): void;
} {
  const db = new Database(file, { readonly: true });
  return {
    introspect() {
      const objects = db
        .prepare(
          "select name, type from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' order by name",
        )
        .all() as { name: string; type: 'table' | 'view' }[];
      const tables: IntrospectedTable[] = objects.map(({ name, type }) => {
        const columns = db.prepare(`pragma table_xinfo(${q(name)})`).all() as {
          name: string;
          type: string;
          notnull: number;
          dflt_value: string | null;
          pk: number;
          hidden: number;
        }[];
        const fks = db.prepare(`pragma foreign_key_list(${q(name)})`).all() as {
          id: number;
          seq: number;
          table: string;
          from: string;
          to: string | null;
          on_delete: string;
        }[];
        const byId = new Map<number, typeof fks>();
        for (const fk of fks) byId.set(fk.id, [...(byId.get(fk.id) ?? []), fk]);
        const indexes = db.prepare(`pragma index_list(${q(name)})`).all() as {
          name: string;
          unique: number;
          origin: string;
        }[];
        const uniques = indexes
          .filter((i) => i.unique === 1 && i.origin !== 'pk')
          .map((i) =>
            (db.prepare(`pragma index_info(${q(i.name)})`).all() as { name: string }[]).map((c) => c.name),
          );
        const triggers = (
          db.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = ?").all(name) as {
            name: string;
          }[]
        ).map((t) => t.name);
        return {
          name,
          kind: type,
          columns: columns
            .filter((c) => c.hidden === 0)
            .map((c) => ({
              name: c.name,
              type: c.type,
              nullable: c.notnull === 0 && c.pk === 0,
              ...(c.dflt_value !== null ? { default: c.dflt_value } : {}),
            })),
          primaryKey: columns
            .filter((c) => c.pk > 0)
            .sort((a, b) => a.pk - b.pk)
            .map((c) => c.name),
          foreignKeys: [...byId.values()].map((parts) => {
            const sorted = [...parts].sort((a, b) => a.seq - b.seq);
            return {
              columns: sorted.map((p) => p.from),
              references: { table: sorted[0]!.table, columns: sorted.map((p) => p.to ?? 'id') },
              onDelete: rules[sorted[0]!.on_delete] ?? 'no_action',
            };
          }),
          uniques,
          triggers,
        };
      });
      return {
        system: 'corpus',
        kind: 'sqlite',
        server: `SQLite ${db.prepare('select sqlite_version() as v').pluck().get() as string}`,
        tables,
      };
    },
    sample(table, column, limit) {
      return (
        db
          .prepare(`select ${q(column)} as v from ${q(table.name)} where ${q(column)} is not null limit ?`)
          .pluck()
          .all(limit) as unknown[]
      ).map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v)));
    },
    close() {
      db.close();
    },
  };
}
