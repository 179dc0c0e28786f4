/**
 * The connector contract for any relational database behind a `SqlDriver`: PostgreSQL,
 * MySQL/MariaDB and SQLite share this one implementation and differ only in their drivers.
 *
 * Every call recomputes the person's scope from the seeds (`scope.ts`) and compiles it into the
 * statement (`statements.ts`). Reads are keyset pages on the primary key. A change walks the
 * person's rows in batches, each in one short transaction: select the next keys (locked), then
 * delete or update exactly those keys. Progress is kept by key, so a batch loop ends even when a
 * change leaves rows in scope; masked identity values no longer match, so running the whole
 * erasure again changes nothing.
 *
 * Rows that stay in scope after a per-row mask (a kept collection's hashed fields) would be
 * masked again by a second run, so a job resumes instead: `onBatch` gives the cursor to record,
 * `beforeCommit` lets it record the batch in flight (keys and digests of what was written), and
 * `resume` continues below the cursor after settling that batch row by row.
 */
import type {
  ChangeAction,
  ChangeOptions,
  ChangeResult,
  CheckResult,
  Connector,
  FieldValue,
  Introspection,
  MaskKeys,
  Page,
  ReadOptions,
  Row,
  Scope,
  Seeds,
} from '../contract.js';
import { ConnectorError, redactSecrets, TooLargeTogether } from '../contract.js';
import { createHash } from 'node:crypto';
import type { Dataset, DatasetCollection, DatasetField, Mask } from '../dataset.js';
import { isSetBased, maskValue, setValue } from '../masking.js';
import { scopeFor } from '../scope.js';
import type { SqlDriver } from './driver.js';
import { sweepCollection } from './sweep.js';
import type { PostgresBatch } from './sweep-statements.js';
import type { RowValues, SetValue, Statement } from './statements.js';
import {
  batchStatement,
  changeBatchStatement,
  countStatement,
  countsStatement,
  deleteStatement,
  keysStatement,
  outputName,
  pageStatement,
  sampleStatement,
  updateStatement,
  valuesStatement,
} from './statements.js';

/** Runs one statement: on the pool, or on the connection of a transaction. */
type Exec = (statement: Statement) => Promise<Row[]>;

export const DEFAULT_PAGE = 500;
export const MAX_PAGE = 5_000;
export const DEFAULT_BATCH = 1_000;
const MAX_BATCH = 10_000;
/** Bound values per statement, under every dialect's limit (SQLite's is 32,766). */
const MAX_BOUND = 30_000;
const MAX_SAMPLE = 100;
/** Most values a parent's rows may hold for a walk of pages to bind them instead of its subquery. */
const RESOLVE_VALUES = 1_000;
/** Most values bound in all in one walk's resolved scope. */
const RESOLVE_BUDGET = 10_000;

interface PagePlan {
  readonly c: DatasetCollection;
  /** Fields returned. */
  readonly fields: readonly string[];
  /** Fields selected: the key too, for the next page. */
  readonly selected: readonly string[];
  readonly limit: number;
  /** A one-column key: its name, and whether the dataset declares it an integer type. */
  readonly integerKey?: { readonly name: string; readonly declared: boolean };
}

/** Integer types, whose text values (BIGINT as a string) sort as their numbers. */
const INTEGER =
  /^(?!.*(char|text|clob|string))(.*int.*|.*serial.*|number\(\d+\)|numeric\(\d+\)|decimal\(\d+\))$/i;

/**
 * `rows` in the order of their integer key, or undefined when a key is not an integer (or is an
 * integer's text in a column not declared an integer type, which may sort as text).
 */
function inIntegerOrder(
  rows: Row[],
  key: { readonly name: string; readonly declared: boolean },
): Row[] | undefined {
  if (rows.length <= 1) return rows;
  const keyed: { readonly n: bigint; readonly row: Row }[] = [];
  for (const row of rows) {
    const v = row[key.name];
    if (typeof v === 'number' && Number.isSafeInteger(v)) keyed.push({ n: BigInt(v), row });
    else if (typeof v === 'bigint') keyed.push({ n: v, row });
    else if (typeof v === 'string' && key.declared && /^-?\d{1,40}$/.test(v))
      keyed.push({ n: BigInt(v), row });
    else return undefined;
  }
  keyed.sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  return keyed.map((k) => k.row);
}

export interface SqlConnectorOptions {
  /** The kind reported (`mariadb` for a MariaDB system on the MySQL driver); default the dialect. */
  readonly kind?: string;
  /** How a PostgreSQL sweep batch runs (the benchmark compares them); default `range`. */
  readonly postgresBatch?: PostgresBatch;
}

/** A connector over `driver` for the reviewed `dataset` of one system. */
export function sqlConnector(
  driver: SqlDriver,
  dataset: Dataset,
  keys: MaskKeys,
  system: string,
  options: SqlConnectorOptions = {},
): Connector {
  const fail = (error: unknown): ConnectorError => toConnectorError(system, error, driver.secrets);
  const refuse = (message: string) => new ConnectorError(system, 'refused', message);
  const run = async (statement: Statement): Promise<Row[]> => {
    try {
      return await driver.query(statement.text, statement.values);
    } catch (error) {
      throw fail(error);
    }
  };

  const collectionNamed = (name: string): DatasetCollection => {
    const c = dataset.collections.find((x) => x.name === name);
    if (c === undefined) throw refuse(`the dataset has no collection "${name}"`);
    return c;
  };
  const fieldOf = (c: DatasetCollection, name: string): DatasetField => {
    const f = c.fields.find((x) => x.name === name);
    if (f === undefined) throw refuse(`collection "${c.name}" has no field "${name}" in the dataset`);
    return f;
  };
  // A seeds object's scopes, computed on its first use: a scope depends on the dataset and the
  // seeds alone (which are read-only), and is kept no longer than the caller keeps the seeds.
  const scopes = new WeakMap<Seeds, ReadonlyMap<string, Scope>>();
  const scopesOf = (seeds: Seeds): ReadonlyMap<string, Scope> => {
    let known = scopes.get(seeds);
    if (known === undefined) {
      known = scopeFor(dataset, seeds);
      scopes.set(seeds, known);
    }
    return known;
  };
  const scopeOf = (seeds: Seeds, collection: string): Scope | undefined => scopesOf(seeds).get(collection);

  const countIn = async (collection: string, scope: Scope, exec: Exec = run): Promise<number> => {
    const rows = await exec(countStatement(driver, dataset, collection, scope));
    return Number(rows[0]?.n ?? 0);
  };

  /** A read's collection, fields and page size, checked once. */
  const pageQuery = (collection: string, readOptions: ReadOptions): PagePlan => {
    const c = collectionNamed(collection);
    const fields = readOptions.fields ?? c.fields.map((f) => f.name);
    for (const f of fields) fieldOf(c, f);
    if (readOptions.after !== undefined && readOptions.after.length !== c.primaryKey.length)
      throw refuse(`"after" must hold the ${c.primaryKey.length} key value(s) of "${c.name}"`);
    const key = c.primaryKey.length === 1 ? c.fields.find((f) => f.name === c.primaryKey[0]) : undefined;
    return {
      c,
      fields,
      selected: [...new Set([...c.primaryKey, ...fields])],
      limit: clamp(readOptions.limit, MAX_PAGE, DEFAULT_PAGE),
      ...(key === undefined
        ? {}
        : { integerKey: { name: key.name, declared: INTEGER.test(key.type ?? '') } }),
    };
  };

  const readPage = async (
    q: PagePlan,
    scope: Scope,
    after: readonly FieldValue[] | undefined,
  ): Promise<Page> => {
    const statement = (unordered: boolean) =>
      pageStatement(driver, dataset, {
        collection: q.c,
        scope,
        fields: q.selected,
        ...(after === undefined ? {} : { after }),
        limit: q.limit + 1,
        keysFirst: driver.pageKeysFirst === true,
        unordered,
      });
    // A first page most often holds all of the person's rows: read without ORDER BY (a sort the
    // server sets up for every statement, often a temporary table on MariaDB) and put in key
    // order here, when the key's order is known to be that of its integers.
    let rows: Row[] | undefined;
    if (after === undefined && q.integerKey !== undefined) {
      const all = await run(statement(true));
      if (all.length <= q.limit) rows = inIntegerOrder(all, q.integerKey);
    }
    rows ??= await run(statement(false));
    const page = rows.length > q.limit ? rows.slice(0, q.limit) : rows;
    const last = page[page.length - 1];
    const projected =
      q.selected.length === q.fields.length
        ? page
        : page.map((r) => Object.fromEntries(q.fields.map((f) => [f, r[f]])) as Row);
    return rows.length > q.limit && last !== undefined
      ? { rows: projected, next: q.c.primaryKey.map((k) => last[k] as FieldValue) }
      : { rows: projected };
  };

  /**
   * `scope` with the collections above it looked up once: each `child` whose parent's rows hold
   * few values becomes a `match` on those values. A page of a person with a million events is
   * then a range of the key among the rows of one customer id, which the planner can estimate
   * from its statistics, instead of a subquery it plans as if it held any customer (PostgreSQL
   * then walks and sorts all of the person's rows again for every page). A parent with more
   * values than `RESOLVE_VALUES` (or past the walk's `RESOLVE_BUDGET`) stays a subquery. Values
   * are those of the moment the walk resolves them; its first page reads the scope as it is.
   */
  const resolveScope = (root: Scope, rootCollection: string): Promise<Scope> => {
    const done = new Map<Scope, Promise<Scope>>();
    let budget = RESOLVE_BUDGET;
    const resolve = (scope: Scope, collection: string): Promise<Scope> => {
      let known = done.get(scope);
      if (known === undefined) {
        known = resolveNode(scope, collection);
        done.set(scope, known);
      }
      return known;
    };
    const resolveNode = async (scope: Scope, collection: string): Promise<Scope> => {
      switch (scope.kind) {
        case 'match':
          return scope;
        case 'any': {
          const of: Scope[] = [];
          for (const s of scope.of) of.push(await resolve(s, collection));
          return { kind: 'any', of };
        }
        case 'parent': {
          const childScope = await resolve(scope.childScope, scope.child);
          const others: (typeof scope.others)[number][] = [];
          for (const o of scope.others)
            others.push(o.scope === undefined ? o : { ...o, scope: await resolve(o.scope, o.collection) });
          return { ...scope, childScope, others };
        }
        case 'child': {
          const parentScope = await resolve(scope.parentScope, scope.parent);
          const most = Math.min(RESOLVE_VALUES, budget);
          if (most > 0) {
            const rows = await run(
              valuesStatement(driver, dataset, scope.parent, parentScope, scope.parentField, most + 1),
            );
            if (rows.length <= most) {
              budget -= rows.length;
              return { kind: 'match', field: scope.field, values: rows.map((r) => r.v as FieldValue) };
            }
          }
          return { ...scope, parentScope };
        }
      }
    };
    return resolve(root, rootCollection);
  };

  /**
   * A change of one collection: in batches of their own short transactions, or (`within`, for
   * `together`) as one batch at most on the caller's transaction.
   */
  const changeIn = async (
    within: Exec | undefined,
    seeds: Seeds,
    collection: string,
    action: ChangeAction,
    changeOptions: ChangeOptions = {},
  ): Promise<ChangeResult> => {
    const c = collectionNamed(collection);
    const plan = planChange(c, action, refuse, (name) => fieldOf(c, name));
    const scope = scopeOf(seeds, collection);
    if (scope === undefined) return { matched: 0, changed: 0, batches: 0 };
    const resume = changeOptions.resume;
    if (within !== undefined && resume !== undefined)
      throw refuse('a change made together with others starts afresh: resume it on its own');
    if (changeOptions.dryRun === true || plan.nothing)
      return {
        matched: resume?.matched ?? (await countIn(collection, scope, within)),
        changed: 0,
        batches: 0,
      };
    const inFlight =
      resume?.inFlight !== undefined && resume.inFlight.keys.length > 0 ? resume.inFlight : undefined;
    // The rows in scope when the step first started: as the job recorded them, else counted now
    // when a resumed walk no longer starts at the top, else told by the first batch.
    let matched =
      resume?.matched ??
      (resume?.cursor === undefined && inFlight === undefined ? undefined : await countIn(collection, scope));

    const perStatement = Math.floor(
      MAX_BOUND /
        (plan.perRow.length * (c.primaryKey.length + 1) + c.primaryKey.length + plan.set.length + 1),
    );
    const batchSize = clamp(changeOptions.batchSize, Math.min(MAX_BATCH, perStatement), DEFAULT_BATCH);
    const written = plan.delete
      ? []
      : [...plan.set.map((s) => s.field), ...plan.perRow.map((p) => p.field.name)];
    const keyOf = (r: Row): FieldValue[] => c.primaryKey.map((_, i) => r[outputName.key(i)] as FieldValue);
    const digestOf = (r: Row): string => rowDigest(written.map((_, i) => r[outputName.written(i)]));
    /** The digest per key of `written` as the rows hold them now ('' for a row that is gone). */
    const digestsOf = async (
      exec: (s: Statement) => Promise<Row[]>,
      keyList: readonly (readonly FieldValue[])[],
      lock = false,
    ): Promise<string[]> => {
      const rows = new Map<string, Row>();
      const read = keysStatement(driver, dataset, c, keyList, written);
      const statement =
        lock && driver.lockRows !== '' ? { ...read, text: `${read.text} ${driver.lockRows}` } : read;
      for (const r of await exec(statement))
        rows.set(keyText(c.primaryKey.map((k) => r[k] as FieldValue)), r);
      return keyList.map((k) => {
        const r = rows.get(keyText(k));
        return r === undefined ? '' : rowDigest(written.map((f) => r[f]));
      });
    };
    // Deletes and set-based writes are picked, changed and returned by one statement where the
    // server allows it; per-row masks need the rows' values first, and so does MySQL.
    const oneStatement = driver.changeInWith && plan.perRow.length === 0;
    const recording = changeOptions.beforeCommit !== undefined;

    /**
     * One batch on `exec`: the next rows in scope (below `before`, or among `keys`) picked and
     * changed, except those already holding what a set-based change writes; then the changed
     * keys (or all of an in-flight batch being settled) handed to `beforeCommit` with what they
     * now hold. A first batch smaller than the batch size is every row in scope, so only a
     * full one is counted, inside the same transaction and before its change.
     */
    const batchOn = async (
      exec: (s: Statement) => Promise<Row[]>,
      pick: { before?: readonly FieldValue[]; keys?: readonly (readonly FieldValue[])[] },
    ): Promise<{ picked: number; changed: number; last?: FieldValue[] }> => {
      const counting = matched === undefined;
      let picked: Row[];
      let changedKeys: FieldValue[][];
      let digests: string[] | undefined;
      if (oneStatement) {
        picked = await exec(
          changeBatchStatement(driver, dataset, {
            collection: c,
            scope,
            ...pick,
            limit: batchSize,
            change: plan.delete ? { delete: true } : { set: plan.set },
            countWhenFull: counting,
            lockRows: driver.lockRows,
          }),
        );
        if (counting) matched = picked.length < batchSize ? picked.length : Number(picked[0]?.m ?? 0);
        const done = picked.filter((r) => r.c !== null && r.c !== undefined);
        changedKeys = done.map(keyOf);
        if (!plan.delete) digests = done.map(digestOf);
      } else {
        picked = await exec(
          batchStatement(driver, dataset, {
            collection: c,
            scope,
            fields: plan.perRow.map((p) => p.field.name),
            ...pick,
            limit: batchSize,
            ...(plan.unlessAlready === undefined ? {} : { already: plan.unlessAlready }),
            lockRows: driver.lockRows,
          }),
        );
        if (counting)
          matched =
            picked.length < batchSize
              ? picked.length
              : Number((await exec(countStatement(driver, dataset, collection, scope)))[0]?.n ?? 0);
        const todo = picked.filter((r) => Number(r.d ?? 0) !== 1);
        changedKeys = todo.map(keyOf);
        if (changedKeys.length > 0 && plan.delete) {
          await exec(deleteStatement(driver, dataset, c, changedKeys));
        } else if (changedKeys.length > 0) {
          const perRow: RowValues[] = plan.perRow.map((p, i) => ({
            field: p.field.name,
            values: todo.map((r) => maskValue(r[outputName.field(i)] as FieldValue, p.mask, keys, p.field)),
          }));
          const returning = recording && driver.updateReturning ? written : undefined;
          const back = await exec(
            updateStatement(driver, dataset, c, changedKeys, plan.set, perRow, returning),
          );
          if (returning !== undefined) {
            const byKey = new Map(back.map((r) => [keyText(keyOf(r)), digestOf(r)]));
            digests = changedKeys.map((k) => byKey.get(keyText(k)) ?? '');
          }
        }
      }
      if (changedKeys.length > 0 && changeOptions.beforeCommit !== undefined) {
        const recorded = pick.keys ?? changedKeys;
        await changeOptions.beforeCommit(
          plan.delete
            ? { keys: recorded }
            : {
                keys: recorded,
                digests:
                  pick.keys === undefined && digests !== undefined
                    ? digests
                    : await digestsOf(exec, recorded),
              },
          matched ?? 0,
        );
      }
      const lastRow = picked[picked.length - 1];
      return {
        picked: picked.length,
        changed: changedKeys.length,
        ...(lastRow === undefined ? {} : { last: keyOf(lastRow) }),
      };
    };
    // One statement without a record to write needs no transaction of its own.
    const applyBatch = (pick: { before?: readonly FieldValue[] }) =>
      within !== undefined
        ? batchOn(within, pick)
        : oneStatement && !recording
          ? batchOn(run, pick)
          : transaction(driver, fail, (exec) => batchOn(exec, pick));

    let before = resume?.cursor;
    let changed = resume?.changed ?? 0;
    let batches = 0;
    if (inFlight !== undefined) {
      // The batch the killed job was committing: rows that hold what it wrote (or are gone,
      // for a delete) were committed and are only counted; the rest are changed now, in the
      // same transaction as the reading.
      changed += await transaction(driver, fail, async (exec) => {
        // Locking: a worker whose lease lapsed while it committed this batch is waited for.
        const now = await digestsOf(exec, inFlight.keys, true);
        const pending = inFlight.keys.filter((_, i) =>
          plan.delete ? now[i] !== '' : now[i] !== inFlight.digests?.[i],
        );
        const redone = pending.length === 0 ? 0 : (await batchOn(exec, { keys: pending })).changed;
        return inFlight.keys.length - pending.length + redone;
      });
      batches += 1;
      before = inFlight.keys[inFlight.keys.length - 1]!;
      await changeOptions.onBatch?.({ changed, cursor: before, matched: matched ?? 0 });
    }
    for (;;) {
      const batch = await applyBatch(before === undefined ? {} : { before });
      // Together with others, a change is one batch: a full one may not be all of it.
      if (within !== undefined && batch.picked >= batchSize) throw new TooLargeTogether(system, collection);
      if (batch.last === undefined) break;
      before = batch.last;
      if (batch.changed > 0) {
        changed += batch.changed;
        batches += 1;
        await changeOptions.onBatch?.({ changed, cursor: before, matched: matched ?? 0 });
      }
      if (batch.picked < batchSize) break;
    }
    return { matched: matched ?? 0, changed, batches };
  };

  return {
    system,
    kind: options.kind ?? driver.dialect,
    capabilities: {
      read: true,
      delete: true,
      mask: true,
      update: true,
      restrict: true,
      introspect: true,
      sweep: true,
    },
    dataset,

    async check(): Promise<CheckResult> {
      const started = performance.now();
      try {
        await driver.query('SELECT 1', []);
        const server = await driver.server();
        return { ok: true, server, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        return { ok: false, error: fail(error).message };
      }
    },

    async introspect(): Promise<Introspection> {
      try {
        return await driver.introspect(system);
      } catch (error) {
        throw fail(error);
      }
    },

    async sample(table, column, limit) {
      const names = [table.name, column, ...(table.schema === undefined ? [] : [table.schema])];
      if (names.some((name) => name.length === 0 || name.includes('\0')))
        throw refuse('a table, schema or column name is empty or holds a NUL character');
      const n = clamp(limit, MAX_SAMPLE, 5);
      const rows = await run(sampleStatement(driver, table, column, n));
      return rows.flatMap((r) => {
        const text = asText(r.v);
        return text === undefined ? [] : [text];
      });
    },

    async count(seeds) {
      const out = new Map<string, number>();
      const all = [...scopesOf(seeds)].map(([collection, scope]) => ({ collection, scope }));
      if (all.length === 0) return out;
      const combined = countsStatement(driver, dataset, all);
      if (combined.values.length <= MAX_BOUND) {
        const row = (await run(combined))[0] ?? {};
        all.forEach(({ collection }, i) => {
          const n = Number(row[`n${i}`] ?? 0);
          if (n > 0) out.set(collection, n);
        });
        return out;
      }
      for (const { collection, scope } of all) {
        const n = await countIn(collection, scope);
        if (n > 0) out.set(collection, n);
      }
      return out;
    },

    async read(seeds, collection, readOptions: ReadOptions = {}): Promise<Page> {
      const q = pageQuery(collection, readOptions);
      const scope = scopeOf(seeds, collection);
      if (scope === undefined) return { rows: [] };
      return readPage(q, scope, readOptions.after);
    },

    async *pages(seeds, collection, readOptions: ReadOptions = {}): AsyncGenerator<Page> {
      const q = pageQuery(collection, readOptions);
      let scope = scopeOf(seeds, collection);
      if (scope === undefined) {
        yield { rows: [] };
        return;
      }
      let after = readOptions.after;
      if (after === undefined) {
        const first = await readPage(q, scope, undefined);
        yield first;
        if (first.next === undefined) return;
        after = first.next;
      }
      scope = await resolveScope(scope, collection);
      for (;;) {
        const page = await readPage(q, scope, after);
        yield page;
        if (page.next === undefined) return;
        after = page.next;
      }
    },

    async values(seeds, collection, field, limit) {
      const c = collectionNamed(collection);
      fieldOf(c, field);
      const scope = scopeOf(seeds, collection);
      if (scope === undefined) return [];
      const n = clamp(limit, MAX_PAGE, DEFAULT_PAGE);
      const rows = await run(valuesStatement(driver, dataset, collection, scope, field, n));
      return rows.map((r) => r.v as FieldValue);
    },

    change: (seeds, collection, action, changeOptions) =>
      changeIn(undefined, seeds, collection, action, changeOptions),

    async together(work, togetherOptions = {}) {
      // The caller's own errors (a lost lease in `beforeCommit`) go back as they were thrown.
      let callers: unknown;
      try {
        return await driver.transaction(async (runStatement) => {
          const exec: Exec = async (st) => {
            try {
              return await runStatement(st.text, st.values);
            } catch (error) {
              throw fail(error);
            }
          };
          try {
            const value = await work({
              change: (seeds, collection, action, changeOptions) =>
                changeIn(exec, seeds, collection, action, changeOptions),
            });
            await togetherOptions.beforeCommit?.();
            return value;
          } catch (error) {
            callers = error;
            throw error;
          }
        });
      } catch (error) {
        if (error === callers || error instanceof TooLargeTogether) throw error;
        throw fail(error);
      }
    },

    sweep: (collection, sweepOptions) =>
      sweepCollection(
        {
          driver,
          dataset,
          keys,
          system,
          run,
          transaction: (work) => transaction(driver, fail, work),
          ...(options.postgresBatch === undefined ? {} : { postgresBatch: options.postgresBatch }),
        },
        collection,
        sweepOptions,
      ),

    async close() {
      await driver.close();
    },
  };
}

interface ChangePlan {
  readonly delete: boolean;
  /** Values written to every row of a batch. */
  readonly set: readonly SetValue[];
  /** Masks computed per row from the current value. */
  readonly perRow: readonly { readonly field: DatasetField; readonly mask: Mask }[];
  /** When every write is set-based: rows already holding the values are skipped. */
  readonly unlessAlready?: readonly SetValue[];
  /** Nothing to write (every field kept). */
  readonly nothing: boolean;
}

function planChange(
  c: DatasetCollection,
  action: ChangeAction,
  refuse: (message: string) => ConnectorError,
  fieldOf: (name: string) => DatasetField,
): ChangePlan {
  const writable = (name: string): DatasetField => {
    const f = fieldOf(name);
    if (c.primaryKey.includes(name))
      throw refuse(`"${c.name}.${name}" is part of the primary key: delete the rows or change another field`);
    return f;
  };
  switch (action.action) {
    case 'delete':
      return { delete: true, set: [], perRow: [], nothing: false };
    case 'restrict': {
      if (c.restriction === undefined)
        throw refuse(
          `collection "${c.name}" declares no restriction field: restriction is a task for a person`,
        );
      const set = [{ field: c.restriction.field, value: c.restriction.value }];
      return { delete: false, set, perRow: [], unlessAlready: set, nothing: false };
    }
    case 'update': {
      const set = action.values.map((v) => ({ field: writable(v.field).name, value: v.value }));
      return { delete: false, set, perRow: [], unlessAlready: set, nothing: set.length === 0 };
    }
    case 'mask': {
      const set: SetValue[] = [];
      const perRow: { field: DatasetField; mask: Mask }[] = [];
      for (const m of action.fields) {
        const f = writable(m.field);
        if (m.mask === 'keep') continue;
        if (m.mask === 'null' && f.nullable === false)
          throw refuse(`"${c.name}.${f.name}" is NOT NULL: mask it with another strategy than null`);
        if (isSetBased(m.mask)) set.push({ field: f.name, value: setValue(m.mask) });
        else perRow.push({ field: f, mask: m.mask });
      }
      const unless = perRow.length === 0 ? { unlessAlready: set } : {};
      return { delete: false, set, perRow, ...unless, nothing: set.length === 0 && perRow.length === 0 };
    }
  }
}

/** A key as text, to match keys read back with keys recorded (numbers may come back as text). */
const keyText = (key: readonly FieldValue[]): string => JSON.stringify(key.map((v) => canonical(v)));

/** SHA-256 of written values as the driver reads them: stable across runs of one driver. */
const rowDigest = (values: readonly unknown[]): string =>
  createHash('sha256')
    .update(JSON.stringify(values.map((v) => canonical(v))))
    .digest('hex');

function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | bigint | boolean);
}

/** Runs `work` in one transaction, errors turned into ConnectorErrors. */
async function transaction<T>(
  driver: SqlDriver,
  fail: (error: unknown) => ConnectorError,
  work: (exec: (s: Statement) => Promise<Row[]>) => Promise<T>,
): Promise<T> {
  try {
    return await driver.transaction((runStatement) => work((s) => runStatement(s.text, s.values)));
  } catch (error) {
    throw fail(error);
  }
}

/** A whole number from 1 to `max`; `fallback` when none is given (or it is not a number). */
function clamp(value: number | undefined, max: number, fallback: number): number {
  const n = value === undefined || !Number.isFinite(value) ? fallback : Math.floor(value);
  return Math.max(1, Math.min(max, n));
}

function asText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | bigint | boolean);
}

/** Error codes and message patterns of the three dialects' drivers, by kind of failure (first match wins). */
const FAILURES: readonly (readonly [ConnectorError['code'], RegExp])[] = [
  [
    'unreachable',
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EAI_AGAIN|getaddrinfo|28P01|28000|3D000|ER_ACCESS_DENIED|ER_DBACCESS_DENIED|ER_BAD_DB|SQLITE_CANTOPEN|unable to open|cannot open database|directory does not exist|password authentication|access denied|database "[^"]*" does not exist|unknown database/i,
  ],
  [
    'refused',
    /42501|ER_TABLEACCESS_DENIED|ER_COLUMNACCESS_DENIED|permission denied|SQLITE_READONLY|readonly database/i,
  ],
  [
    'schema_mismatch',
    /42703|42P01|3F000|ER_BAD_FIELD|ER_NO_SUCH_TABLE|no such (column|table)|(column|relation|table|schema) "?[^"]*"? does not exist|unknown column|doesn't exist/i,
  ],
  [
    'constraint',
    /\b23\d{3}\b|ER_ROW_IS_REFERENCED|ER_NO_REFERENCED_ROW|ER_DUP_ENTRY|SQLITE_CONSTRAINT|constraint|foreign key/i,
  ],
  ['timeout', /57014|55P03|ER_LOCK_WAIT_TIMEOUT|SQLITE_BUSY|ETIMEDOUT|timeout|timed out|database is locked/i],
];

/**
 * A driver's error as a ConnectorError: a code from the kind of failure, the message stripped of
 * the connection's secrets (the URL, its password, any `user:password@`).
 */
export function toConnectorError(system: string, error: unknown, secrets: readonly string[]): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const text = `${typeof code === 'string' ? code : ''} ${raw}`;
  const kind = FAILURES.find(([, pattern]) => pattern.test(text))?.[0] ?? 'failed';
  return new ConnectorError(system, kind, redactSecrets(raw || 'the database failed', secrets));
}
