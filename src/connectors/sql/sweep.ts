/**
 * Retention sweeps for the SQL connectors: a collection's expired rows deleted or anonymised in
 * batches by its clock column (`sweep-statements.ts`), never a held row.
 *
 * Each batch locks only its own rows, and only while it runs. On PostgreSQL a batch is one
 * statement (find where the batch ends by the clock index, delete or set every due row up to it;
 * with a clock through a parent, select and lock the next rows with `SKIP LOCKED` and change them
 * by key), so its locks last exactly as long as that statement; on MySQL/MariaDB and SQLite, and
 * wherever a mask is computed per row, a batch is one short transaction: select (locked), change
 * by key, commit. Holds are asked for before every batch, so a hold placed during a sweep is
 * honoured from the next batch on.
 *
 * Progress is the (clock, key) cursor of the last batch: a killed sweep goes on from the cursor
 * its job recorded. With `beforeCommit` the batch in flight is recorded too and settled on
 * resume, so counts stay exact: deleted rows are gone, fixed-value anonymisation is visible in
 * the row, and rows anonymised with random values are simply walked (and counted) again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  FieldValue,
  HeldRows,
  MaskKeys,
  Row,
  Seeds,
  SweepCursor,
  SweepOptions,
  SweepResult,
} from '../contract.js';
import { ConnectorError } from '../contract.js';
import type { Dataset, DatasetCollection, DatasetField, Mask } from '../dataset.js';
import { isSetBased, maskValue, setValue } from '../masking.js';
import { anonymiseMasks, identifyingLeft, retentionClock } from '../retention.js';
import type { RetentionClock } from '../retention.js';
import { scopeFor } from '../scope.js';
import type { SqlDriver } from './driver.js';
import type { RowValues, SetValue, Statement } from './statements.js';
import { deleteStatement, keysStatement, updateStatement } from './statements.js';
import type { PostgresBatch, SweepCount, SweepTarget } from './sweep-statements.js';
import {
  blockersOf,
  CLOCK,
  postgresBatchStatement,
  postgresRangeStatement,
  postgresSweepStatement,
  rangeChangeStatement,
  sweepBatchStatement,
  sweepBoundStatement,
  sweepCountStatement,
} from './sweep-statements.js';

const DEFAULT_BATCH = 5_000;
const MAX_BATCH = 10_000;
/** Batches sized by time: the bounds, and how long each should hold its locks. */
const MIN_TIMED_BATCH = 1_000;
const MAX_TIMED_BATCH = 50_000;
const DEFAULT_BATCH_MS = 50;
/** How long a sweep waits for due rows other transactions hold before leaving them as busy. */
const DEFAULT_LOCK_WAIT_MS = 5_000;
/** Bound values per statement, under every dialect's limit (SQLite's is 32,766). */
const MAX_BOUND = 30_000;
/** Held keys a sweep binds into each batch; more is a sign the caller should pass persons. */
const MAX_HELD_KEYS = 10_000;

type Exec = (statement: Statement) => Promise<Row[]>;

/** What a sweep needs of its connector. */
export interface SweepContext {
  readonly driver: SqlDriver;
  readonly dataset: Dataset;
  readonly keys: MaskKeys;
  readonly system: string;
  /** Runs one statement on its own; errors as ConnectorErrors. */
  readonly run: Exec;
  /** Runs `work` in one transaction; errors as ConnectorErrors. */
  transaction<T>(work: (exec: Exec) => Promise<T>): Promise<T>;
  /** PostgreSQL: how a batch runs (`bench/retention.bench.ts` measures both); default `range`. */
  readonly postgresBatch?: PostgresBatch;
}

interface SweepPlan {
  readonly collection: DatasetCollection;
  readonly clock: RetentionClock;
  /** Values written to every row of a batch (anonymise). */
  readonly set: readonly SetValue[];
  /** Masks computed per row (anonymise). */
  readonly perRow: readonly { readonly field: DatasetField; readonly mask: Mask }[];
}

/** Deletes or anonymises the expired rows of `name`: the contract's `sweep` for SQL systems. */
export async function sweepCollection(
  ctx: SweepContext,
  name: string,
  options: SweepOptions,
): Promise<SweepResult> {
  const refuse = (message: string) => new ConnectorError(ctx.system, 'refused', message);
  const plan = planSweep(ctx.dataset, name, options, refuse);
  const { collection: c } = plan;
  const pk = c.primaryKey;
  const anonymise = options.action === 'anonymise';
  const perRowBinds = plan.perRow.length * (pk.length + 1);
  // Statements that bind every key of their batch cap it below the dialects' bound-value limit.
  const bindCap = Math.floor(MAX_BOUND / (pk.length + perRowBinds + 1));
  const timed = options.batchSize === undefined;
  const largest = Math.max(
    1,
    Math.min(timed ? (options.beforeCommit === undefined ? MAX_TIMED_BATCH : MAX_BATCH) : MAX_BATCH, bindCap),
  );
  let batchSize = Math.max(1, Math.min(Math.floor(options.batchSize ?? DEFAULT_BATCH), largest));
  const batchMs = Math.max(1, options.batchMs ?? DEFAULT_BATCH_MS);
  /**
   * After a full batch that took `ms` with its locks held: the next one's size, so that it takes
   * about `batchMs` (at most twice or half the last, within the bounds). Fixed sizes stay.
   */
  const resize = (ms: number) => {
    if (!timed) return;
    const factor = Math.min(2, Math.max(0.5, batchMs / Math.max(ms, 0.1)));
    batchSize = Math.max(
      Math.min(MIN_TIMED_BATCH, largest),
      Math.min(largest, Math.round(batchSize * factor)),
    );
  };
  const base: SweepTarget = {
    collection: c,
    clock: plan.clock,
    before: options.before,
    blockers: anonymise ? [] : blockersOf(ctx.dataset, c),
    ...(anonymise && plan.perRow.length === 0 ? { unlessAlready: plan.set } : {}),
  };
  const heldNow = async (): Promise<SweepTarget['held']> =>
    heldTarget(ctx.dataset, c, (await options.held?.()) ?? {}, refuse);
  const count = async (target: SweepTarget, which: SweepCount) => {
    const row = (await ctx.run(sweepCountStatement(ctx.driver, ctx.dataset, target, which)))[0];
    return { n: Number(row?.n ?? 0), oldest: (row?.oldest ?? null) as FieldValue };
  };
  const withHeld = (held: SweepTarget['held'], cursor?: SweepCursor): SweepTarget => ({
    ...base,
    ...(held === undefined ? {} : { held }),
    ...(cursor === undefined ? {} : { cursor }),
  });
  /** The expired rows left for a hold, and (a deletion) those others still refer to. */
  const leftOver = async (target: SweepTarget) => ({
    held: target.held === undefined ? 0 : (await count(target, 'held')).n,
    blocked: target.blockers.length === 0 ? 0 : (await count(target, 'blocked')).n,
  });

  if (options.dryRun === true) {
    const target = withHeld(await heldNow());
    const due = await count(target, 'due');
    return {
      action: options.action,
      swept: due.n,
      ...(await leftOver(target)),
      batches: 0,
      ...(due.oldest === null ? {} : { oldest: due.oldest }),
      slowestBatchMs: 0,
    };
  }
  const cursorOf = (row: Row): SweepCursor => ({
    clock: row[CLOCK] as FieldValue,
    key: pk.map((k) => row[k] as FieldValue),
  });
  const keyOf = (row: Row) => pk.map((k) => row[k] as FieldValue);

  /** A committed batch: how many rows it changed, where the next one starts, whether it was the last. */
  interface Batch {
    readonly count: number;
    readonly cursor?: SweepCursor;
    readonly last: boolean;
  }
  const recordInFlight = async (keys: readonly (readonly FieldValue[])[], batchCursor: SweepCursor) => {
    if (options.beforeCommit !== undefined && keys.length > 0)
      await options.beforeCommit({ keys, cursor: batchCursor });
  };
  const fromRows = (rows: readonly Row[]): Batch => {
    const last = rows[rows.length - 1];
    return {
      count: rows.length,
      ...(last === undefined ? {} : { cursor: cursorOf(last) }),
      last: rows.length < batchSize,
    };
  };
  const mode = ctx.postgresBatch ?? 'range';
  const onPostgres = ctx.driver.dialect === 'postgres' && plan.perRow.length === 0;
  const change = anonymise ? { set: plan.set } : {};

  /** PostgreSQL: a transaction whose settings last only as long as it does. */
  const postgresTransaction = <T>(work: (exec: Exec) => Promise<T>) =>
    ctx.transaction(async (exec) => {
      // A look-up per row over many partitions is estimated dear enough to be compiled, which
      // takes longer than running the batch.
      await exec({ text: 'SET LOCAL jit = off', values: [] });
      return work(exec);
    });

  /** One statement that selects, locks (skipping rows others hold) and changes the next rows. */
  const lockedBatch = (target: SweepTarget): Promise<Batch> => {
    const statement = postgresSweepStatement(ctx.driver, ctx.dataset, target, batchSize, change);
    return postgresTransaction(async (exec) => {
      const rows = await exec(statement);
      const batch = fromRows(rows);
      if (batch.cursor !== undefined) await recordInFlight(rows.map(keyOf), batch.cursor);
      return batch;
    });
  };

  /**
   * PostgreSQL: every due row up to the batch's last, by one range scan. Without `beforeCommit`
   * the batch is one statement on its own (its locks last as long as it runs); with it, the same
   * statement also returns the changed rows' keys, inside a transaction that commits after them.
   */
  const rangeBatch = async (target: SweepTarget): Promise<Batch> => {
    const tail = async (exec: Exec, keys: boolean): Promise<Batch> => {
      const rows = await exec(postgresRangeStatement(ctx.driver, ctx.dataset, target, change, keys));
      const last = rows[rows.length - 1];
      if (last === undefined) return { count: 0, last: true };
      if (keys) await recordInFlight(rows.map(keyOf), cursorOf(last));
      return { count: keys ? rows.length : Number(last.steward_n), cursor: cursorOf(last), last: true };
    };
    if (options.beforeCommit === undefined) {
      const row = (
        await ctx.run(postgresBatchStatement(ctx.driver, ctx.dataset, target, change, batchSize))
      )[0];
      if (row !== undefined) return { count: Number(row.steward_n), cursor: cursorOf(row), last: false };
      // Fewer than a batch are due: all of them.
      return tail(ctx.run, false);
    }
    return ctx.transaction(async (exec) => {
      const rows = await exec(
        postgresBatchStatement(ctx.driver, ctx.dataset, target, change, batchSize, true),
      );
      const end = rows.find((r) => r.steward_bound === true);
      if (end === undefined) return tail(exec, true);
      const changed = rows.filter((r) => r.steward_bound !== true);
      const upTo = cursorOf(end);
      await recordInFlight(changed.map(keyOf), upTo);
      return { count: changed.length, cursor: upTo, last: false };
    });
  };

  /**
   * SQLite: the batch's last row found (an index-only walk of the clock index), then every due
   * row up to it changed by one range scan, in one transaction (SQLite has one writer).
   */
  const sqliteRangeBatch = (target: SweepTarget): Promise<Batch> =>
    ctx.transaction(async (exec) => {
      const bound = async (n: number | 'last') =>
        (await exec(sweepBoundStatement(ctx.driver, ctx.dataset, target, n)))[0];
      const nth = await bound(batchSize);
      const end = nth ?? (await bound('last'));
      if (end === undefined) return { count: 0, last: true };
      const upTo = cursorOf(end);
      const last = nth === undefined;
      const statement = (keys: boolean) =>
        rangeChangeStatement(ctx.driver, ctx.dataset, { ...target, upTo }, change, keys);
      if (options.beforeCommit === undefined) {
        await exec(statement(false));
        const changed = (await exec({ text: 'SELECT changes() AS n', values: [] }))[0];
        return { count: Number(changed?.n ?? 0), cursor: upTo, last };
      }
      const rows = await exec(statement(true));
      await recordInFlight(rows.map(keyOf), upTo);
      return { count: rows.length, cursor: upTo, last };
    });

  /** Select (locked) and change by key in one transaction: MySQL/MariaDB, SQLite, per-row masks. */
  const keyedBatch = (target: SweepTarget): Promise<Batch> =>
    (ctx.driver.dialect === 'postgres' ? postgresTransaction : ctx.transaction)(async (exec) => {
      const fields = plan.perRow.map((p) => p.field.name);
      const rows = await exec(sweepBatchStatement(ctx.driver, ctx.dataset, target, batchSize, fields));
      const batch = fromRows(rows);
      if (batch.cursor === undefined) return batch;
      const keyList = rows.map(keyOf);
      if (!anonymise) await exec(deleteStatement(ctx.driver, ctx.dataset, c, keyList));
      else {
        const perRow: RowValues[] = plan.perRow.map((p) => ({
          field: p.field.name,
          values: rows.map((r) => maskValue(r[p.field.name] as FieldValue, p.mask, ctx.keys, p.field)),
        }));
        await exec(updateStatement(ctx.driver, ctx.dataset, c, keyList, plan.set, perRow));
      }
      await recordInFlight(keyList, batch.cursor);
      return batch;
    });

  /** One batch, changed and committed. */
  const ownClock = !('through' in plan.clock);
  const runBatch = (target: SweepTarget): Promise<Batch> => {
    if (ctx.driver.dialect === 'sqlite' && plan.perRow.length === 0 && ownClock)
      return sqliteRangeBatch(target);
    if (!onPostgres) return keyedBatch(target);
    if (mode === 'range' && ownClock) return rangeBatch(target);
    return lockedBatch(target);
  };

  let swept = options.resume?.swept ?? 0;
  let cursor = options.resume?.cursor;
  const inFlight = options.resume?.inFlight;
  if (inFlight !== undefined && inFlight.keys.length > 0) {
    // The batch a killed job was committing: rows it visibly finished are counted now; the
    // walk below goes on from the cursor before it and takes whatever it did not finish.
    const fields = base.unlessAlready?.map((s) => s.field) ?? [];
    // A locking read in a transaction of its own: if the worker that wrote the entry is still
    // committing that batch (its lease lapsed mid-batch), this waits for its COMMIT or ROLLBACK
    // instead of counting rows it is about to remove as left.
    const read = keysStatement(ctx.driver, ctx.dataset, c, inFlight.keys, fields);
    const locking =
      ctx.driver.lockRows === '' ? read : { ...read, text: `${read.text} ${ctx.driver.lockRows}` };
    const present = await ctx.transaction((exec) => exec(locking));
    let done = 0;
    if (!anonymise) done = inFlight.keys.length - present.length;
    else if (base.unlessAlready !== undefined) {
      const holds = (r: Row) =>
        base.unlessAlready!.every((s) =>
          s.value === null ? r[s.field] === null : String(r[s.field]) === String(s.value),
        );
      done = present.filter(holds).length;
    }
    if (done > 0) {
      swept += done;
      // Every row of the batch finished: the walk goes on after it.
      if (done === inFlight.keys.length) cursor = inFlight.cursor;
      await options.onBatch?.({ swept, batches: 0, ...(cursor === undefined ? {} : { cursor }) });
    }
  }

  if (anonymise && plan.set.length === 0 && plan.perRow.length === 0) {
    // Nothing to write: no personal field outside the keys, or every one kept.
    const target = withHeld(await heldNow());
    return { action: options.action, swept, ...(await leftOver(target)), batches: 0, slowestBatchMs: 0 };
  }

  // Batches that lock with SKIP LOCKED pass over rows another transaction holds (the
  // application's own, or a superseded worker's about to roll back): after the walk, due rows
  // still there were skipped so. The walk starts again from the top while they stay, waiting a
  // little longer each time, up to `lockWaitMs`; what is still locked then is reported as `busy`.
  // (Rows anonymised by per-row masks stay due to a count, so such a sweep cannot tell.)
  const skipsLocked =
    ctx.driver.dialect !== 'sqlite' &&
    (!onPostgres || mode === 'by-key' || !ownClock) &&
    (!anonymise || base.unlessAlready !== undefined);
  const waitUntil = performance.now() + Math.max(0, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  let wait = 10;
  let batches = 0;
  let slowest = 0;
  let held: SweepTarget['held'];
  let busy = 0;
  for (;;) {
    held = await heldNow();
    const started = performance.now();
    const batch = await runBatch(withHeld(held, cursor));
    const took = performance.now() - started;
    slowest = Math.max(slowest, took);
    if (batch.cursor !== undefined) {
      swept += batch.count;
      batches += 1;
      cursor = batch.cursor;
      await options.onBatch?.({ swept, cursor, batches });
      if (!batch.last) {
        resize(took);
        continue;
      }
    }
    if (!skipsLocked) break;
    busy = (await count(withHeld(held), 'due')).n;
    if (busy === 0 || performance.now() + wait > waitUntil) break;
    await sleep(wait);
    wait = Math.min(wait * 2, 500);
    cursor = undefined;
  }
  return {
    action: options.action,
    swept,
    ...(busy > 0 ? { busy } : {}),
    ...(await leftOver(withHeld(held))),
    batches,
    ...(cursor === undefined ? {} : { cursor }),
    slowestBatchMs: Math.round(slowest * 100) / 100,
  };
}

/** The collection's clock and what an anonymisation writes, or a refusal that says why not. */
function planSweep(
  dataset: Dataset,
  name: string,
  options: SweepOptions,
  refuse: (message: string) => ConnectorError,
): SweepPlan {
  const c = dataset.collections.find((x) => x.name === name);
  if (c === undefined) throw refuse(`the dataset has no collection "${name}"`);
  if (!(options.before instanceof Date) || Number.isNaN(options.before.getTime()))
    throw refuse('the sweep threshold ("before") is not a valid time');
  if (options.action !== 'delete' && options.action !== 'anonymise')
    throw refuse('a sweep deletes or anonymises ("action": delete | anonymise)');
  const clock = retentionClock(dataset, c);
  if (clock === undefined) {
    const r = c.retention;
    throw refuse(
      r !== undefined && 'with' in r
        ? `the rows of "${c.name}" go with the rows "${r.with}" references (ON DELETE CASCADE): sweep that collection`
        : `collection "${c.name}" has no retention entry in the dataset`,
    );
  }
  if ('problem' in clock) throw refuse(clock.problem);
  if (options.action === 'delete') return { collection: c, clock, set: [], perRow: [] };

  const left = identifyingLeft(dataset, c);
  if (left.length > 0)
    throw refuse(
      `anonymising "${c.name}" would leave identifying values in ${left
        .map((l) =>
          l.reason === 'key' ? `${l.field} (a key or link)` : `${l.field} (mask ${JSON.stringify(l.mask)})`,
        )
        .join(', ')}: mask them with null, fixed or random, or delete the rows`,
    );
  const set: SetValue[] = [];
  const perRow: { field: DatasetField; mask: Mask }[] = [];
  for (const m of anonymiseMasks(dataset, c)) {
    const f = c.fields.find((x) => x.name === m.field)!;
    if (m.mask === 'null' && f.nullable === false)
      throw refuse(`"${c.name}.${f.name}" is NOT NULL: mask it with another strategy than null`);
    if (isSetBased(m.mask)) set.push({ field: f.name, value: setValue(m.mask) });
    else perRow.push({ field: f, mask: m.mask });
  }
  return { collection: c, clock, set, perRow };
}

/** The held rows as a batch excludes them: the keys, and the held persons' scope in one. */
function heldTarget(
  dataset: Dataset,
  c: DatasetCollection,
  held: HeldRows,
  refuse: (message: string) => ConnectorError,
): SweepTarget['held'] {
  const keys = held.keys ?? [];
  if (keys.length > MAX_HELD_KEYS)
    throw refuse(`at most ${MAX_HELD_KEYS} held keys per sweep: hold whole persons instead`);
  if (keys.some((k) => k.length !== c.primaryKey.length))
    throw refuse(`a held key must hold the ${c.primaryKey.length} key value(s) of "${c.name}"`);
  const persons = held.persons ?? [];
  // One scope for every held person: a row shared only among held persons counts as held.
  const merged: Seeds = {
    identities: persons.flatMap((p) => p.identities),
    linked: persons.flatMap((p) => p.linked ?? []),
  };
  const scope = persons.length === 0 ? undefined : scopeFor(dataset, merged).get(c.name);
  if (keys.length === 0 && scope === undefined) return undefined;
  return { keys, ...(scope === undefined ? {} : { scope }) };
}
