/**
 * The statements the SQL connectors run, built from the reviewed dataset for any `SqlDriver`:
 * identifiers only from the dataset, through `driver.quote`; values only as bound parameters
 * (a read's row limit, a number Steward computed, is written into the text: `limit`); table
 * aliases generated (`t0`, `t1`, ...). A person's scope compiles into one WHERE clause of nested
 * subqueries, so no key list is ever carried between statements except one batch's.
 *
 * Written for the common ground of PostgreSQL, MySQL/MariaDB and SQLite: row-value comparisons
 * for keyset pages, `CASE` for per-row values, `LIMIT`, and no subquery on the table a
 * statement changes (MySQL refuses it), so changes go by bound keys.
 */
import type { FieldValue, Scope } from '../contract.js';
import type { Dataset, DatasetCollection, DatasetField } from '../dataset.js';
import type { SqlDriver } from './driver.js';

export interface Statement {
  readonly text: string;
  readonly values: readonly FieldValue[];
}

type Dialect = Pick<SqlDriver, 'quote' | 'placeholder'> & Partial<Pick<SqlDriver, 'dialect'>>;

/** Builds one statement: collects bound values and hands out aliases. */
export class StatementBuilder {
  private readonly bound: FieldValue[] = [];
  private aliases = 0;

  constructor(
    private readonly driver: Dialect,
    private readonly dataset: Dataset,
  ) {}

  /** A placeholder for `value`. */
  bind(value: FieldValue): string {
    this.bound.push(value);
    return this.driver.placeholder(this.bound.length);
  }

  alias(): string {
    return `t${this.aliases++}`;
  }

  quote(name: string): string {
    return this.driver.quote(name);
  }

  /** The collection's table, schema-qualified when the dataset names its schema. */
  table(collection: string): string {
    const c = this.collection(collection);
    return c.schema === undefined ? this.quote(c.name) : `${this.quote(c.schema)}.${this.quote(c.name)}`;
  }

  column(alias: string, field: string): string {
    return `${alias}.${this.quote(field)}`;
  }

  collection(name: string): DatasetCollection {
    const c = this.dataset.collections.find((x) => x.name === name);
    if (c === undefined) throw new Error(`The dataset has no collection ${name}`);
    return c;
  }

  /** The condition that a row of `collection` (as `alias`) is in `scope`. */
  scope(scope: Scope, alias: string, collection: string): string {
    switch (scope.kind) {
      case 'match': {
        const field = this.collection(collection).fields.find((f) => f.name === scope.field);
        const values = scope.values.flatMap((v) => comparable(field, v));
        if (values.length === 0) return '1 = 0';
        const column = this.column(alias, scope.field);
        // Seeds arrive lower-cased; SQLite's LOWER folds ASCII letters only, enough for the
        // domain and, in practice, the local part of an address.
        const target = scope.caseInsensitive === true ? `LOWER(${column})` : column;
        return values.length === 1
          ? `${target} = ${this.bind(values[0]!)}`
          : `${target} IN (${values.map((v) => this.bind(v)).join(', ')})`;
      }
      case 'child': {
        const a = this.alias();
        return (
          `${this.column(alias, scope.field)} IN (SELECT ${this.column(a, scope.parentField)} ` +
          `FROM ${this.table(scope.parent)} ${a} WHERE ${this.scope(scope.parentScope, a, scope.parent)})`
        );
      }
      case 'parent': {
        const a = this.alias();
        const parts = [
          `${this.column(alias, scope.field)} IN (SELECT ${this.column(a, scope.childField)} ` +
            `FROM ${this.table(scope.child)} ${a} WHERE ${this.scope(scope.childScope, a, scope.child)})`,
        ];
        for (const other of scope.others) {
          const b = this.alias();
          const outside =
            other.scope === undefined ? '' : ` AND ${this.not(this.scope(other.scope, b, other.collection))}`;
          parts.push(
            `NOT EXISTS (SELECT 1 FROM ${this.table(other.collection)} ${b} ` +
              `WHERE ${this.column(b, other.field)} = ${this.column(alias, scope.field)}${outside})`,
          );
        }
        return parts.join(' AND ');
      }
      case 'any':
        return scope.of.map((s) => `(${this.scope(s, alias, collection)})`).join(' OR ');
    }
  }

  /**
   * True when `condition` is not true: NULL counts as false, so a row whose scope test is
   * unknown (a NULL key, an IN over a list holding NULL) is treated as outside the scope.
   */
  not(condition: string): string {
    return `CASE WHEN (${condition}) THEN 1 ELSE 0 END = 0`;
  }

  /** `(k1, k2) > (?, ?)` (or `<`): the keyset position after (before) `key`. */
  keyset(alias: string, primaryKey: readonly string[], key: readonly FieldValue[], op: '>' | '<'): string {
    const columns = primaryKey.map((k) => this.column(alias, k));
    const values = key.map((v) => this.bind(v));
    return columns.length === 1
      ? `${columns[0]} ${op} ${values[0]}`
      : `(${columns.join(', ')}) ${op} (${values.join(', ')})`;
  }

  /** The rows whose primary key is one of `keys` (unqualified columns: for UPDATE and DELETE). */
  keysIn(primaryKey: readonly string[], keys: readonly (readonly FieldValue[])[]): string {
    if (primaryKey.length === 1) {
      const column = this.quote(primaryKey[0]!);
      return `${column} IN (${keys.map((k) => this.bind(k[0] ?? null)).join(', ')})`;
    }
    // MySQL and MariaDB plan a row-value IN list as key look-ups; an OR of thousands of key
    // equalities costs their range optimiser seconds per statement (a 5,000-row batch on a
    // two-column key: 0.5 s against 0.02 s).
    if (this.driver.dialect === 'mysql')
      return `(${primaryKey.map((c) => this.quote(c)).join(', ')}) IN (${keys
        .map((k) => `(${primaryKey.map((_, i) => this.bind(k[i] ?? null)).join(', ')})`)
        .join(', ')})`;
    return keys.map((k) => `(${this.keyIs(primaryKey, k)})`).join(' OR ');
  }

  keyIs(primaryKey: readonly string[], key: readonly FieldValue[]): string {
    return primaryKey
      .map((column, i) => `${this.quote(column)} = ${this.bind(key[i] ?? null)}`)
      .join(' AND ');
  }

  /**
   * A row limit written into the text: a whole number Steward computed (a clamped page size),
   * never a value from outside. SQLite plans with a bound LIMIT's value and so prepares the
   * statement again each time it is bound, which costs more than the page's read.
   */
  limit(n: number): string {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`A row limit must be a whole number, not ${n}`);
    return String(n);
  }

  done(text: string): Statement {
    return { text, values: this.bound };
  }
}

const NUMERIC = /int|serial|numeric|decimal|number|real|float|double/i;
const TEXTUAL = /char|text|clob|string/i;

/**
 * The values worth binding against a field of a known type. MySQL compares a number column with
 * a string by converting the string (`'42abc'` equals 42) and a text column with a number by
 * converting the column: a string that is not a number never matches a numeric column, and a
 * number is compared with a text column as text.
 */
function comparable(field: DatasetField | undefined, value: FieldValue): FieldValue[] {
  const type = field?.type ?? '';
  if (typeof value === 'string' && NUMERIC.test(type) && !TEXTUAL.test(type))
    return /^-?\d{1,30}(\.\d{1,30})?$/.test(value) ? [value] : [];
  if ((typeof value === 'number' || typeof value === 'bigint') && TEXTUAL.test(type)) return [String(value)];
  return [value];
}

/** Columns of a SELECT, each `alias.column AS column`. */
export function selectList(b: StatementBuilder, alias: string, fields: readonly string[]): string {
  return fields.map((f) => `${b.column(alias, f)} AS ${b.quote(f)}`).join(', ');
}

export interface PageQuery {
  readonly collection: DatasetCollection;
  readonly scope: Scope;
  readonly fields: readonly string[];
  readonly after?: readonly FieldValue[];
  /** Rows to fetch (the page size plus one, to know whether a next page exists). */
  readonly limit: number;
  /**
   * Find the page's keys first and join the rows to them, so a database that sorts the person's
   * remaining rows for each page (MariaDB does, through a temporary table) sorts keys only, not
   * wide rows. Elsewhere the join only costs planning and a second index probe per row.
   */
  readonly keysFirst?: boolean;
  /**
   * In no particular order: for a first page that the caller puts in key order itself when it
   * holds all of the person's rows (it asks again in order when they do not fit).
   */
  readonly unordered?: boolean;
}

/** The person's rows in primary-key order, after a key. */
export function pageStatement(driver: Dialect, dataset: Dataset, q: PageQuery): Statement {
  const b = new StatementBuilder(driver, dataset);
  const key = q.collection.primaryKey;
  const inner = b.alias();
  const where = [b.scope(q.scope, inner, q.collection.name)];
  if (q.after !== undefined) where.push(b.keyset(inner, key, q.after, '>'));
  const from = `FROM ${b.table(q.collection.name)} ${inner} WHERE ${where.map((w) => `(${w})`).join(' AND ')}`;
  const order = (alias: string) => `ORDER BY ${key.map((k) => b.column(alias, k)).join(', ')}`;
  if (q.unordered === true)
    return b.done(`SELECT ${selectList(b, inner, q.fields)} ${from} LIMIT ${b.limit(q.limit)}`);
  if (q.keysFirst !== true)
    return b.done(
      `SELECT ${selectList(b, inner, q.fields)} ${from} ${order(inner)} LIMIT ${b.limit(q.limit)}`,
    );
  const keys = `SELECT ${selectList(b, inner, key)} ${from} ${order(inner)} LIMIT ${b.limit(q.limit)}`;
  const t = b.alias();
  const on = key.map((k) => `${b.column(t, k)} = ${b.column('k', k)}`).join(' AND ');
  return b.done(
    `SELECT ${selectList(b, t, q.fields)} FROM (${keys}) k JOIN ${b.table(q.collection.name)} ${t} ON ${on} ${order(t)}`,
  );
}

/** How many of the collection's rows are the person's. */
export function countStatement(
  driver: Dialect,
  dataset: Dataset,
  collection: string,
  scope: Scope,
): Statement {
  const b = new StatementBuilder(driver, dataset);
  const t = b.alias();
  return b.done(
    `SELECT COUNT(*) AS ${b.quote('n')} FROM ${b.table(collection)} ${t} WHERE ${b.scope(scope, t, collection)}`,
  );
}

/**
 * How many of each collection's rows are the person's, in one statement of scalar subqueries:
 * the i-th collection's count is the column `n<i>`.
 */
export function countsStatement(
  driver: Dialect,
  dataset: Dataset,
  scopes: readonly { readonly collection: string; readonly scope: Scope }[],
): Statement {
  const b = new StatementBuilder(driver, dataset);
  const columns = scopes.map(({ collection, scope }, i) => {
    const t = b.alias();
    return `(SELECT COUNT(*) FROM ${b.table(collection)} ${t} WHERE ${b.scope(scope, t, collection)}) AS ${b.quote(`n${i}`)}`;
  });
  return b.done(`SELECT ${columns.join(', ')}`);
}

/** Distinct non-null values of one field of the person's rows. */
export function valuesStatement(
  driver: Dialect,
  dataset: Dataset,
  collection: string,
  scope: Scope,
  field: string,
  limit: number,
): Statement {
  const b = new StatementBuilder(driver, dataset);
  const t = b.alias();
  const column = b.column(t, field);
  return b.done(
    `SELECT DISTINCT ${column} AS ${b.quote('v')} FROM ${b.table(collection)} ${t} ` +
      `WHERE (${b.scope(scope, t, collection)}) AND ${column} IS NOT NULL ORDER BY ${b.quote('v')} LIMIT ${b.limit(limit)}`,
  );
}

/** A field set to one value for every row of a batch. */
export interface SetValue {
  readonly field: string;
  readonly value: FieldValue;
}

/**
 * Output names of the change path's statements, by position, so no dataset name can collide with
 * another: `k0, k1, …` the primary key, `f0, …` fields read for per-row masks, `w0, …` written
 * fields as a change returned them, `d` 1 for a row already holding every set value, `c` 1 for
 * a row the statement changed, `m` the rows in scope when counted.
 */
export const outputName = {
  key: (i: number): string => `k${i}`,
  field: (i: number): string => `f${i}`,
  written: (i: number): string => `w${i}`,
} as const;

export interface BatchQuery {
  readonly collection: DatasetCollection;
  readonly scope: Scope;
  /** Fields whose current values the change needs (per-row masks), as `f0, …`. */
  readonly fields: readonly string[];
  /** Key of the last row of the previous batch: batches walk the key downwards. */
  readonly before?: readonly FieldValue[];
  readonly limit: number;
  /**
   * Rows already holding all these values are flagged (`d` = 1), not left out: they still count as
   * matched, and a second run of the step changes none of them.
   */
  readonly already?: readonly SetValue[];
  /** Only these keys (an in-flight batch settled on resume). */
  readonly keys?: readonly (readonly FieldValue[])[];
  readonly lockRows: string;
}

/**
 * The next batch of the person's rows, newest key first (`k0, …`, `f0, …`, `d`): a self-reference
 * usually points from a later row to an earlier one (a reply to its ticket), so the rows others
 * are found through are changed last.
 */
export function batchStatement(driver: Dialect, dataset: Dataset, q: BatchQuery): Statement {
  const b = new StatementBuilder(driver, dataset);
  return b.done(pickBatch(b, b.alias(), q));
}

/** The SELECT of `batchStatement`, built on `b` (placeholders in the order of the text). */
function pickBatch(b: StatementBuilder, t: string, q: BatchQuery): string {
  const key = q.collection.primaryKey;
  const columns = [
    ...key.map((k, i) => `${b.column(t, k)} AS ${b.quote(outputName.key(i))}`),
    ...q.fields.map((f, i) => `${b.column(t, f)} AS ${b.quote(outputName.field(i))}`),
  ];
  if (q.already !== undefined && q.already.length > 0) {
    const holds = q.already
      .map((s) =>
        s.value === null ? `${b.column(t, s.field)} IS NULL` : `${b.column(t, s.field)} = ${b.bind(s.value)}`,
      )
      .join(' AND ');
    columns.push(`CASE WHEN (${holds}) THEN 1 ELSE 0 END AS ${b.quote('d')}`);
  }
  const where = [b.scope(q.scope, t, q.collection.name)];
  if (q.before !== undefined) where.push(b.keyset(t, key, q.before, '<'));
  if (q.keys !== undefined) where.push(b.keysIn(key, q.keys));
  const order = key.map((k) => `${b.column(t, k)} DESC`).join(', ');
  const lock = q.lockRows === '' ? '' : ` ${q.lockRows}`;
  return (
    `SELECT ${columns.join(', ')} FROM ${b.table(q.collection.name)} ${t} ` +
    `WHERE ${where.map((w) => `(${w})`).join(' AND ')} ORDER BY ${order} LIMIT ${b.bind(q.limit)}${lock}`
  );
}

export interface ChangeBatchQuery extends Omit<BatchQuery, 'fields' | 'already'> {
  /** Delete the batch's rows, or set these values on those not already holding them all. */
  readonly change: { readonly delete: true } | { readonly set: readonly SetValue[] };
  /** Also count the person's rows (`m`), evaluated only when the batch is full: a first batch. */
  readonly countWhenFull?: boolean;
}

/**
 * One batch picked, changed and returned by one statement, for a server whose WITH queries may
 * hold a DELETE or UPDATE (PostgreSQL): one row per picked row, newest key first, with `k0, …`,
 * `c` (1 when changed), `w0, …` (the set values as written) and `m`. Every part of the statement
 * sees the same snapshot, so `m` counts the rows as they were before the change.
 */
export function changeBatchStatement(driver: Dialect, dataset: Dataset, q: ChangeBatchQuery): Statement {
  const b = new StatementBuilder(driver, dataset);
  const key = q.collection.primaryKey;
  const set = 'set' in q.change ? q.change.set : undefined;
  const picked = pickBatch(b, b.alias(), {
    ...q,
    fields: [],
    ...(set === undefined ? {} : { already: set }),
  });
  const k = (i: number) => `${b.quote('k')}.${b.quote(outputName.key(i))}`;
  const c = (name: string) => `${b.quote('c')}.${b.quote(name)}`;
  const joined = key.map((f, i) => `${b.column('x', f)} = ${k(i)}`).join(' AND ');
  const returned = [
    ...key.map((f, i) => `${b.column('x', f)} AS ${b.quote(outputName.key(i))}`),
    `1 AS ${b.quote('c')}`,
    ...(set ?? []).map((s, i) => `${b.column('x', s.field)} AS ${b.quote(outputName.written(i))}`),
  ].join(', ');
  const change =
    set === undefined
      ? `DELETE FROM ${b.table(q.collection.name)} x USING ${b.quote('k')} WHERE ${joined} RETURNING ${returned}`
      : `UPDATE ${b.table(q.collection.name)} x SET ${set.map((s) => `${b.quote(s.field)} = ${b.bind(s.value)}`).join(', ')} ` +
        `FROM ${b.quote('k')} WHERE ${joined} AND ${b.quote('k')}.${b.quote('d')} = 0 RETURNING ${returned}`;
  const out = [
    ...key.map((_, i) => `${k(i)} AS ${b.quote(outputName.key(i))}`),
    `${c('c')} AS ${b.quote('c')}`,
    ...(set ?? []).map((_, i) => `${c(outputName.written(i))} AS ${b.quote(outputName.written(i))}`),
  ];
  if (q.countWhenFull === true) {
    const t = b.alias();
    out.push(
      `CASE WHEN (SELECT COUNT(*) FROM ${b.quote('k')}) >= ${b.bind(q.limit)} THEN (SELECT COUNT(*) FROM ` +
        `${b.table(q.collection.name)} ${t} WHERE ${b.scope(q.scope, t, q.collection.name)}) END AS ${b.quote('m')}`,
    );
  }
  const on = key.map((_, i) => `${c(outputName.key(i))} = ${k(i)}`).join(' AND ');
  return b.done(
    `WITH ${b.quote('k')} AS (${picked}), ${b.quote('c')} AS (${change}) ` +
      `SELECT ${out.join(', ')} FROM ${b.quote('k')} LEFT JOIN ${b.quote('c')} ON ${on} ` +
      `ORDER BY ${key.map((_, i) => `${k(i)} DESC`).join(', ')}`,
  );
}

/** Some fields of the rows with these keys, whoever's they are (a batch's writes read back). */
export function keysStatement(
  driver: Dialect,
  dataset: Dataset,
  collection: DatasetCollection,
  keys: readonly (readonly FieldValue[])[],
  fields: readonly string[],
): Statement {
  const b = new StatementBuilder(driver, dataset);
  const columns = [...new Set([...collection.primaryKey, ...fields])];
  return b.done(
    `SELECT ${columns.map((f) => b.quote(f)).join(', ')} FROM ${b.table(collection.name)} ` +
      `WHERE ${b.keysIn(collection.primaryKey, keys)}`,
  );
}

export function deleteStatement(
  driver: Dialect,
  dataset: Dataset,
  collection: DatasetCollection,
  keys: readonly (readonly FieldValue[])[],
): Statement {
  const b = new StatementBuilder(driver, dataset);
  return b.done(`DELETE FROM ${b.table(collection.name)} WHERE ${b.keysIn(collection.primaryKey, keys)}`);
}

/** Values computed per row for one field, in the order of the batch's keys. */
export interface RowValues {
  readonly field: string;
  readonly values: readonly FieldValue[];
}

/**
 * One UPDATE for a batch: set-based values as such, per-row values as `CASE` on the key. The
 * `ELSE column` branch gives the CASE the column's type (PostgreSQL would otherwise read the
 * bound values as text). With `returning` (a server that supports it), each changed row comes
 * back as `k0, …` and those fields as written, `w0, …`.
 */
export function updateStatement(
  driver: Dialect,
  dataset: Dataset,
  collection: DatasetCollection,
  keys: readonly (readonly FieldValue[])[],
  set: readonly SetValue[],
  perRow: readonly RowValues[],
  returning?: readonly string[],
): Statement {
  const b = new StatementBuilder(driver, dataset);
  const assignments = set.map((s) => `${b.quote(s.field)} = ${b.bind(s.value)}`);
  for (const r of perRow) {
    const column = b.quote(r.field);
    const cases = keys.map(
      (key, i) => `WHEN ${b.keyIs(collection.primaryKey, key)} THEN ${b.bind(r.values[i] ?? null)}`,
    );
    assignments.push(`${column} = CASE ${cases.join(' ')} ELSE ${column} END`);
  }
  const back =
    returning === undefined
      ? ''
      : ` RETURNING ${[
          ...collection.primaryKey.map((k, i) => `${b.quote(k)} AS ${b.quote(outputName.key(i))}`),
          ...returning.map((f, i) => `${b.quote(f)} AS ${b.quote(outputName.written(i))}`),
        ].join(', ')}`;
  return b.done(
    `UPDATE ${b.table(collection.name)} SET ${assignments.join(', ')} WHERE ${b.keysIn(collection.primaryKey, keys)}${back}`,
  );
}

/** A few non-null values of any column, for discovery's classifier. */
export function sampleStatement(
  driver: Dialect,
  table: { readonly name: string; readonly schema?: string },
  column: string,
  limit: number,
): Statement {
  const values: FieldValue[] = [limit];
  const t = driver.quote(table.name);
  const from = table.schema === undefined ? t : `${driver.quote(table.schema)}.${t}`;
  const c = `t0.${driver.quote(column)}`;
  return {
    text: `SELECT ${c} AS ${driver.quote('v')} FROM ${from} t0 WHERE ${c} IS NOT NULL LIMIT ${driver.placeholder(1)}`,
    values,
  };
}
