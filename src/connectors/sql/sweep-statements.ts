/**
 * The statements of a retention sweep (`sweep.ts`), built from the reviewed dataset like every
 * other statement (`statements.ts`): identifiers from the dataset only, values bound.
 *
 * A batch is the next rows in (clock, primary key) order after the cursor whose clock is before
 * the threshold, outside the held rows and, for a deletion, not referenced by a restricting
 * foreign key of the dataset. `clock >= cursor` comes beside the row comparison so that an index
 * on the clock column (best: on clock and key) serves every batch from where the last one ended,
 * and dead rows of earlier batches are never read again.
 *
 * The threshold is compared exactly in each dialect: PostgreSQL casts it to `timestamptz` (a
 * `date` or `timestamp` column compares as midnight or wall time in UTC, the session's zone);
 * MySQL to `DATETIME(6)`; SQLite keeps dates as text, so rows more than a day from the threshold
 * compare as text (ISO 8601 dates sort by date whatever the time or offset that follows) and the
 * few near it through `julianday`, which reads every ISO 8601 form.
 */
import type { FieldValue, Scope, SweepCursor } from '../contract.js';
import type { Dataset, DatasetCollection } from '../dataset.js';
import type { RetentionClock } from '../retention.js';
import type { SqlDriver } from './driver.js';
import type { SetValue, Statement } from './statements.js';
import { selectList, StatementBuilder } from './statements.js';

type Dialect = Pick<SqlDriver, 'quote' | 'placeholder' | 'dialect'>;

/** The column each batch row's clock comes back as. */
export const CLOCK = 'steward_clock';

/** The rows of a sweep: one collection's expired rows, as `sweep.ts` walks them. */
export interface SweepTarget {
  readonly collection: DatasetCollection;
  readonly clock: RetentionClock;
  readonly before: Date;
  readonly cursor?: SweepCursor;
  /** The batch's last row in (clock, key) order, when it is known beforehand (a range batch). */
  readonly upTo?: SweepCursor;
  /** Rows never touched: by key, and the rows in the held persons' scope. */
  readonly held?: { readonly keys: readonly (readonly FieldValue[])[]; readonly scope?: Scope };
  /** A deletion: rows a restricting foreign key of the dataset still points at are left. */
  readonly blockers: readonly Blocker[];
  /** An anonymisation writing only fixed values: rows already holding them are left. */
  readonly unlessAlready?: readonly SetValue[];
}

/** A foreign key that forbids deleting the rows it points at. */
export interface Blocker {
  readonly collection: string;
  readonly field: string;
  /** The field of the swept collection it references. */
  readonly references: string;
}

/** The restricting foreign keys of the dataset pointing at `collection`. */
export function blockersOf(dataset: Dataset, collection: DatasetCollection): Blocker[] {
  return dataset.collections.flatMap((c) =>
    c.fields.flatMap((f) =>
      f.references?.collection === collection.name &&
      (f.references.onDelete === 'restrict' || f.references.onDelete === 'no_action')
        ? [{ collection: c.name, field: f.name, references: f.references.field }]
        : [],
    ),
  );
}

/** Builds the pieces of one sweep statement in the order they appear in its text. */
class SweepBuilder {
  readonly b: StatementBuilder;
  readonly t: string;
  readonly p: string | undefined;

  constructor(
    readonly driver: Dialect,
    dataset: Dataset,
    readonly target: SweepTarget,
    shared?: StatementBuilder,
  ) {
    this.b = shared ?? new StatementBuilder(driver, dataset);
    this.t = this.b.alias();
    this.p = 'through' in target.clock ? this.b.alias() : undefined;
  }

  get key(): readonly string[] {
    return this.target.collection.primaryKey;
  }

  /** The clock column, qualified. */
  get clock(): string {
    return this.b.column(this.p ?? this.t, this.target.clock.field.name);
  }

  from(): string {
    const table = `${this.b.table(this.target.collection.name)} ${this.t}`;
    const c = this.target.clock;
    if (!('through' in c) || this.p === undefined) return table;
    return (
      `${table} JOIN ${this.b.table(c.parent.name)} ${this.p} ` +
      `ON ${this.b.column(this.p, c.parentField)} = ${this.b.column(this.t, c.through.name)}`
    );
  }

  expired(): string {
    const { b, clock } = this;
    const before = this.target.before;
    switch (this.driver.dialect) {
      case 'postgres':
        return `${clock} < CAST(${b.bind(before.toISOString())} AS timestamptz)`;
      case 'mysql':
        return `${clock} < CAST(${b.bind(before.toISOString().replace('T', ' ').replace('Z', '000'))} AS DATETIME(6))`;
      case 'sqlite': {
        const day = (offset: number) =>
          new Date(before.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
        return (
          `${clock} < ${b.bind(day(2))} AND (${clock} < ${b.bind(day(-1))} ` +
          `OR julianday(${clock}) < julianday(${b.bind(before.toISOString())}))`
        );
      }
    }
  }

  /** After the cursor in (clock, key) order (`>`), or up to and including it (`<=`). */
  beside(cursor: SweepCursor, op: '>' | '<='): string {
    const { b, clock } = this;
    const since = `${clock} ${op === '>' ? '>=' : '<='} ${b.bind(cursor.clock)}`;
    const columns = [clock, ...this.key.map((k) => b.column(this.t, k))];
    const values = [cursor.clock, ...cursor.key].map((v) => b.bind(v));
    return `${since} AND (${columns.join(', ')}) ${op} (${values.join(', ')})`;
  }

  /** The held rows' condition (NULL counts as not held), or undefined when nothing is held. */
  private heldRows(): string | undefined {
    const h = this.target.held;
    if (h === undefined) return undefined;
    const { b, t } = this;
    const parts: string[] = [];
    if (h.keys.length > 0) {
      const column = (i: number) => b.column(t, this.key[i]!);
      if (this.key.length === 1)
        parts.push(`${column(0)} IN (${h.keys.map((k) => b.bind(k[0] ?? null)).join(', ')})`);
      else
        parts.push(
          h.keys
            .map((k) => `(${this.key.map((_, i) => `${column(i)} = ${b.bind(k[i] ?? null)}`).join(' AND ')})`)
            .join(' OR '),
        );
    }
    if (h.scope !== undefined) parts.push(b.scope(h.scope, t, this.target.collection.name));
    return parts.length === 0 ? undefined : parts.map((p) => `(${p})`).join(' OR ');
  }

  /** True for held rows (never NULL). */
  held(): string | undefined {
    const rows = this.heldRows();
    return rows === undefined ? undefined : `NOT (${this.b.not(rows)})`;
  }

  notHeld(): string | undefined {
    const rows = this.heldRows();
    return rows === undefined ? undefined : this.b.not(rows);
  }

  /** True for rows a restricting reference still points at. */
  blocked(): string | undefined {
    if (this.target.blockers.length === 0) return undefined;
    const { b, t } = this;
    return this.target.blockers
      .map((x) => {
        const a = b.alias();
        return (
          `EXISTS (SELECT 1 FROM ${b.table(x.collection)} ${a} ` +
          `WHERE ${b.column(a, x.field)} = ${b.column(t, x.references)})`
        );
      })
      .join(' OR ');
  }

  notAlready(): string | undefined {
    const set = this.target.unlessAlready;
    if (set === undefined || set.length === 0) return undefined;
    const { b, t } = this;
    return b.not(
      set
        .map((s) =>
          s.value === null
            ? `${b.column(t, s.field)} IS NULL`
            : `${b.column(t, s.field)} = ${b.bind(s.value)}`,
        )
        .join(' AND '),
    );
  }

  /** Up to and including the row the one-row CTE `bound` names (its columns as `returned()`). */
  upToRow(bound: string): string {
    const { b, clock } = this;
    const of = (column: string) => `(SELECT ${b.quote(column)} FROM ${bound})`;
    const columns = [clock, ...this.key.map((k) => b.column(this.t, k))];
    const values = [CLOCK, ...this.key].map(of);
    return `${clock} <= ${of(CLOCK)} AND (${columns.join(', ')}) <= (${values.join(', ')})`;
  }

  /** The conditions of the rows a batch takes, up to the row `bound` names when given. */
  due(bound?: string): string {
    const parts = [this.expired()];
    if (this.target.cursor !== undefined) parts.push(this.beside(this.target.cursor, '>'));
    if (this.target.upTo !== undefined) parts.push(this.beside(this.target.upTo, '<='));
    if (bound !== undefined) parts.push(this.upToRow(bound));
    const notHeld = this.notHeld();
    if (notHeld !== undefined) parts.push(notHeld);
    const blocked = this.blocked();
    if (blocked !== undefined) parts.push(`NOT (${blocked})`);
    const notAlready = this.notAlready();
    if (notAlready !== undefined) parts.push(notAlready);
    return parts.map((p) => `(${p})`).join(' AND ');
  }

  order(direction = ''): string {
    return [this.clock, ...this.key.map((k) => this.b.column(this.t, k))]
      .map((c) => `${c}${direction}`)
      .join(', ');
  }

  /** The key columns and the clock, as the batch's rows return them. */
  returned(fields: readonly string[] = []): string {
    const columns = [...new Set([...this.key, ...fields])];
    return `${selectList(this.b, this.t, columns)}, ${this.clock} AS ${this.b.quote(CLOCK)}`;
  }

  /** `FOR UPDATE [OF t] SKIP LOCKED`: a row another transaction holds is left for the next run. */
  lock(): string {
    switch (this.driver.dialect) {
      case 'postgres':
        return ` FOR UPDATE OF ${this.t} SKIP LOCKED`;
      case 'mysql':
        return ' FOR UPDATE SKIP LOCKED';
      case 'sqlite':
        return '';
    }
  }
}

/**
 * The next batch, its rows locked until the transaction ends: key, clock and the `fields` a
 * per-row mask needs, in (clock, key) order.
 */
export function sweepBatchStatement(
  driver: Dialect,
  dataset: Dataset,
  target: SweepTarget,
  limit: number,
  fields: readonly string[] = [],
): Statement {
  const s = new SweepBuilder(driver, dataset, target);
  const select = `SELECT ${s.returned(fields)} FROM ${s.from()}`;
  const where = s.due();
  return s.b.done(`${select} WHERE ${where} ORDER BY ${s.order()} LIMIT ${s.b.bind(limit)}${s.lock()}`);
}

/**
 * How a PostgreSQL batch is run. `range` (the default): the batch's last row is found first (an
 * index-only walk of the clock index, no locks), then one DELETE or UPDATE takes every due row up
 * to it, a plain range scan locking exactly the rows it changes. `by-key`: one statement that
 * selects and locks the next rows (`SKIP LOCKED`), then changes them by key (an index look-up per
 * row), the form a clock through a parent always takes. `bench/retention.bench.ts` measures both.
 */
export type PostgresBatch = 'range' | 'by-key';

/**
 * The `n`-th due row after the cursor, ignoring holds and references (the batch's statement
 * applies those), or with `last` the last due row: where a range batch ends.
 */
function boundSelect(
  driver: Dialect,
  dataset: Dataset,
  target: SweepTarget,
  b: StatementBuilder,
  n: number | 'last',
) {
  const { held: _held, unlessAlready: _already, upTo: _upTo, ...plain } = target;
  const s = new SweepBuilder(driver, dataset, { ...plain, blockers: [] }, b);
  const head = `SELECT ${s.returned()} FROM ${s.from()} WHERE ${s.due()} `;
  return n === 'last'
    ? `${head}ORDER BY ${s.order(' DESC')} LIMIT 1`
    : `${head}ORDER BY ${s.order()} LIMIT 1 OFFSET ${b.bind(n - 1)}`;
}

/** `DELETE FROM t` or `UPDATE t SET ...`, over the builder's collection as its alias. */
function changeOf(s: SweepBuilder, change: { readonly set?: readonly SetValue[] }): string {
  const { b, t } = s;
  // `AS`: SQLite takes an alias of the changed table only so.
  const table = `${b.table(s.target.collection.name)} AS ${t}`;
  if (change.set === undefined) return `DELETE FROM ${table}`;
  return `UPDATE ${table} SET ${change.set.map((v) => `${b.quote(v.field)} = ${b.bind(v.value)}`).join(', ')}`;
}

/**
 * PostgreSQL, the default batch in one statement: the `n`-th due row after the cursor is found
 * (an index-only walk of the clock index, ignoring holds and references), then every due row up
 * to it is deleted or set by one range scan that locks exactly the rows it changes. Returns one
 * row, that last row's key and clock with the count changed (`steward_n`), or none when fewer
 * than `n` rows are due (then `postgresRangeStatement` takes the rest). With `keys` (a batch
 * recorded before its COMMIT) it returns that last row (`steward_bound` true) and every changed
 * row's key and clock (`steward_bound` false, in no particular order) instead.
 */
export function postgresBatchStatement(
  driver: Dialect,
  dataset: Dataset,
  target: SweepTarget,
  change: { readonly set?: readonly SetValue[] },
  n: number,
  keys = false,
): Statement {
  const b = new StatementBuilder(driver, dataset);
  const bound = boundSelect(driver, dataset, target, b, n);
  const s = new SweepBuilder(driver, dataset, target, b);
  const changed = changeOf(s, change);
  const where = s.due('k');
  const out = keys
    ? `RETURNING ${s.returned()}) SELECT TRUE AS steward_bound, k.* FROM k UNION ALL SELECT FALSE, d.* FROM d`
    : 'RETURNING 1) SELECT k.*, (SELECT COUNT(*) FROM d) AS steward_n FROM k';
  return b.done(`WITH k AS (${bound}), d AS (${changed} WHERE ${where} ${out}`);
}

/**
 * PostgreSQL: the due rows after the cursor (up to `target.upTo` when set) deleted or set in
 * one statement. Returns, with `keys`, their keys and clocks in order; otherwise one row, the
 * last of them with the count (`steward_n`), or none when nothing was due.
 */
export function postgresRangeStatement(
  driver: Dialect,
  dataset: Dataset,
  target: SweepTarget,
  change: { readonly set?: readonly SetValue[] },
  keys: boolean,
): Statement {
  const s = new SweepBuilder(driver, dataset, target);
  const { b } = s;
  const changed = changeOf(s, change);
  const where = s.due();
  const order = [CLOCK, ...s.key].map((k) => b.quote(k));
  return b.done(
    `WITH d AS (${changed} WHERE ${where} RETURNING ${s.returned()}) ` +
      (keys
        ? `SELECT * FROM d ORDER BY ${order.join(', ')}`
        : `SELECT d.*, COUNT(*) OVER () AS steward_n FROM d ORDER BY ${order.map((o) => `${o} DESC`).join(', ')} LIMIT 1`),
  );
}

/** Where a range batch ends (`boundSelect`), as a statement of its own. */
export function sweepBoundStatement(
  driver: Dialect,
  dataset: Dataset,
  target: SweepTarget,
  n: number | 'last',
): Statement {
  const b = new StatementBuilder(driver, dataset);
  return b.done(boundSelect(driver, dataset, target, b, n));
}

/**
 * SQLite: the due rows up to `target.upTo` deleted or set by one range scan of the clock index;
 * with `keys` it returns their keys (in no particular order), without it nothing (the caller
 * counts with `changes()`: handing every row back costs about a third of a batch).
 */
export function rangeChangeStatement(
  driver: Dialect,
  dataset: Dataset,
  target: SweepTarget,
  change: { readonly set?: readonly SetValue[] },
  keys = true,
): Statement {
  const s = new SweepBuilder(driver, dataset, target);
  const changed = changeOf(s, change);
  const where = s.due();
  const returning = keys ? ` RETURNING ${s.key.map((k) => s.b.quote(k)).join(', ')}` : '';
  return s.b.done(`${changed} WHERE ${where}${returning}`);
}

/**
 * PostgreSQL: one batch as one statement, so its row locks last only as long as it runs. The
 * batch's rows are selected and locked (`SKIP LOCKED`) in a CTE, then deleted or set by key (an
 * index look-up per row, pruned to its partition); the statement returns their keys and clocks
 * in order.
 */
export function postgresSweepStatement(
  driver: Dialect,
  dataset: Dataset,
  target: SweepTarget,
  limit: number,
  change: { readonly set?: readonly SetValue[] },
): Statement {
  const s = new SweepBuilder(driver, dataset, target);
  const { b } = s;
  const select = `SELECT ${s.returned()} FROM ${s.from()}`;
  const where = s.due();
  const batch = `${select} WHERE ${where} ORDER BY ${s.order()} LIMIT ${b.bind(limit)}${s.lock()}`;
  const x = b.alias();
  const match = s.key.map((k) => `${b.column(x, k)} = ${b.column('k', k)}`).join(' AND ');
  const table = `${b.table(target.collection.name)} ${x}`;
  const changed =
    change.set === undefined
      ? `DELETE FROM ${table} USING k WHERE ${match}`
      : `UPDATE ${table} SET ${change.set.map((v) => `${b.quote(v.field)} = ${b.bind(v.value)}`).join(', ')} FROM k WHERE ${match}`;
  const keys = s.key.map((k) => b.column('k', k));
  const out = [...keys, b.column('k', CLOCK)].join(', ');
  return b.done(
    `WITH k AS (${batch}), d AS (${changed} RETURNING ${out}) ` +
      `SELECT * FROM d ORDER BY ${b.quote(CLOCK)}, ${s.key.map((k) => b.quote(k)).join(', ')}`,
  );
}

/** Which expired rows a count takes: those that would go, those held, those blocked. */
export type SweepCount = 'due' | 'held' | 'blocked';

/** The number of expired rows of one kind and, for `due`, the oldest clock among them. */
export function sweepCountStatement(
  driver: Dialect,
  dataset: Dataset,
  target: SweepTarget,
  which: SweepCount,
): Statement {
  const { cursor: _ignored, ...whole } = target;
  const s = new SweepBuilder(driver, dataset, whole);
  const { b } = s;
  const head = `SELECT COUNT(*) AS ${b.quote('n')}, MIN(${s.clock}) AS ${b.quote('oldest')} FROM ${s.from()}`;
  let where: string;
  if (which === 'due') where = s.due();
  else if (which === 'held') where = `(${s.expired()}) AND (${s.held() ?? '1 = 0'})`;
  else {
    const parts = [s.expired()];
    const notHeld = s.notHeld();
    if (notHeld !== undefined) parts.push(notHeld);
    parts.push(s.blocked() ?? '1 = 0');
    where = parts.map((p) => `(${p})`).join(' AND ');
  }
  return b.done(`${head} WHERE ${where}`);
}
