/**
 * The labelled corpus discovery is measured on: schemas of different shapes, each with SQLite
 * DDL, a deterministic generator of realistic rows, and a label for every column, written as a
 * comment after the column in the DDL:
 *
 * ```sql
 * email TEXT NOT NULL UNIQUE,           -- user.contact.email
 * title TEXT,                           -- user.job_title|user.name   (either is right)
 * created_at TEXT NOT NULL              -- -                          (not personal)
 * ```
 *
 * Labelling policy. A column is personal when its value, alone or beside the row's key, tells
 * something about a person that erasure has to remove or mask: identifiers, contact details,
 * names, content they wrote, behaviour, money, place, demographics, credentials, consent choices.
 * - The key of a table of people, and a reference to one, is `user.unique_id`; keys of other rows
 *   (an order's id) and references to them are not personal.
 * - Row timestamps, statuses, flags about the row (`is_default`, `email_verified`), amounts and
 *   product references of an order are not personal: the row is the person's and is erased or kept
 *   whole, but the value alone says nothing.
 * - Contact details of an organisation or a thing (a store's phone, a supplier's bank account) are
 *   not personal; of a named person (a supplier's contact person) they are.
 * - Where a column honestly fits two categories, both are listed and either counts as right.
 */
import Database from 'better-sqlite3';
import { Fake } from './fake.js';

/** Expected categories of a column (any one of them is right), or null when it is not personal. */
export type Label = readonly string[] | null;

export type Rows = Record<string, readonly Record<string, unknown>[]>;

export interface CorpusSchema {
  readonly name: string;
  readonly description: string;
  /** Written after the rules it is scored on, unseen: reported apart from the tuning schemas. */
  readonly heldOut?: boolean;
  /**
   * A held-out schema whose misses were later used to broaden the rules: still reported with the
   * held-out ones, but left out of the untuned figures, which alone say how the rules generalise.
   */
  readonly tunedOn?: boolean;
  readonly ddl: string;
  /** Rows per table, in an order that satisfies the foreign keys. */
  rows(fake: Fake): Rows;
}

/** `table.column` → label, read from the DDL comments. */
export function labelsOf(schema: CorpusSchema): Map<string, Label> {
  const labels = new Map<string, Label>();
  let table: string | undefined;
  for (const line of schema.ddl.split('\n')) {
    const create = /create\s+(?:table|view)\s+"?([^\s"(]+)"?/i.exec(line);
    if (create) {
      table = create[1];
      continue;
    }
    const column = /^\s*"?([^\s",]+)"?\s+[A-Za-z].*--\s*(\S+)\s*$/.exec(line);
    if (column === null || table === undefined) continue;
    const [, name, label] = column;
    labels.set(`${table}.${name}`, label === '-' ? null : label!.split('|'));
  }
  return labels;
}

/** `n` rows from `make(i)`. */
export function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

/** Creates the schema's tables in a new SQLite file and fills them with its rows. */
export function loadIntoSqlite(schema: CorpusSchema, file: string, seed = 20250101): void {
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = OFF');
    db.exec(schema.ddl);
    const rows = schema.rows(new Fake(seed));
    db.transaction(() => {
      for (const [table, list] of Object.entries(rows)) {
        const first = list[0];
        if (first === undefined) continue;
        const columns = Object.keys(first);
        const insert = db.prepare(
          `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        for (const row of list) insert.run(...columns.map((c) => toSqlite(row[c])));
      }
    })();
  } finally {
    db.close();
  }
}

function toSqlite(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}
