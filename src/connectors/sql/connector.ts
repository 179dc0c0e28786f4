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
import { ConnectorError, redactSecrets } from '../contract.js';
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
  countStatement,
  deleteStatement,
  keysStatement,
  pageStatement,
  sampleStatement,
  updateStatement,
  valuesStatement,
} from './statements.js';

export const DEFAULT_PAGE = 500;
export const MAX_PAGE = 5_000;
export const DEFAULT_BATCH = 1_000;
const MAX_BATCH = 10_000;
/** Bound values per statement, under every dialect's limit (SQLite's is 32,766). */
const MAX_BOUND = 30_000;
const MAX_SAMPLE = 100;

export interface SqlConnectorOptions {
  /** The kind reported (`mariadb` for a MariaDB system on the MySQL driver); default the dialect. */
  readonly kind?: string;
  /** How a PostgreSQL sweep batch runs (the benchmark compares them); default one statement by key. */
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
  const scopeOf = (seeds: Seeds, collection: string): Scope | undefined =>
    scopeFor(dataset, seeds).get(collection);

  const countIn = async (collection: string, scope: Scope): Promise<number> => {
    const rows = await run(countStatement(driver, dataset, collection, scope));
    return Number(rows[0]?.n ?? 0);
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
      for (const [collection, scope] of scopeFor(dataset, seeds)) {
        const n = await countIn(collection, scope);
        if (n > 0) out.set(collection, n);
      }
      return out;
    },

    async read(seeds, collection, readOptions: ReadOptions = {}): Promise<Page> {
      const c = collectionNamed(collection);
      const fields = readOptions.fields ?? c.fields.map((f) => f.name);
      for (const f of fields) fieldOf(c, f);
      if (readOptions.after !== undefined && readOptions.after.length !== c.primaryKey.length)
        throw refuse(`"after" must hold the ${c.primaryKey.length} key value(s) of "${c.name}"`);
      const scope = scopeOf(seeds, collection);
      if (scope === undefined) return { rows: [] };
      const limit = clamp(readOptions.limit, MAX_PAGE, DEFAULT_PAGE);
      const selected = [...new Set([...c.primaryKey, ...fields])];
      const rows = await run(
        pageStatement(driver, dataset, {
          collection: c,
          scope,
          fields: selected,
          ...(readOptions.after === undefined ? {} : { after: readOptions.after }),
          limit: limit + 1,
        }),
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const projected =
        selected.length === fields.length
          ? page
          : page.map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])) as Row);
      return rows.length > limit && last !== undefined
        ? { rows: projected, next: c.primaryKey.map((k) => last[k] as FieldValue) }
        : { rows: projected };
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

    async change(
      seeds,
      collection,
      action: ChangeAction,
      changeOptions: ChangeOptions = {},
    ): Promise<ChangeResult> {
      const c = collectionNamed(collection);
      const plan = planChange(c, action, refuse, (name) => fieldOf(c, name));
      const scope = scopeOf(seeds, collection);
      if (scope === undefined) return { matched: 0, changed: 0, batches: 0 };
      const resume = changeOptions.resume;
      const matched = resume?.matched ?? (await countIn(collection, scope));
      if (changeOptions.dryRun === true || matched === 0 || plan.nothing)
        return { matched, changed: 0, batches: 0 };

      const perStatement = Math.floor(
        MAX_BOUND /
          (plan.perRow.length * (c.primaryKey.length + 1) + c.primaryKey.length + plan.set.length + 1),
      );
      const batchSize = clamp(changeOptions.batchSize, Math.min(MAX_BATCH, perStatement), DEFAULT_BATCH);
      const written = plan.delete
        ? []
        : [...plan.set.map((s) => s.field), ...plan.perRow.map((p) => p.field.name)];
      /** The digest per key of `written` as the rows hold them now ('' for a row that is gone). */
      const digestsOf = async (
        exec: (s: Statement) => Promise<Row[]>,
        keyList: readonly (readonly FieldValue[])[],
      ): Promise<string[]> => {
        const rows = new Map<string, Row>();
        for (const r of await exec(keysStatement(driver, dataset, c, keyList, written)))
          rows.set(keyText(c.primaryKey.map((k) => r[k] as FieldValue)), r);
        return keyList.map((k) => {
          const r = rows.get(keyText(k));
          return r === undefined ? '' : rowDigest(written.map((f) => r[f]));
        });
      };

      /**
       * One batch in one transaction: the next rows in scope (below `before`, or among `keys`),
       * changed, then `recorded` (the batch's keys, or all of an in-flight batch being settled)
       * handed to `beforeCommit` with what they now hold.
       */
      const applyBatch = (pick: {
        before?: readonly FieldValue[];
        keys?: readonly (readonly FieldValue[])[];
      }) =>
        transaction(driver, fail, async (exec) => {
          const rows = await exec(
            batchStatement(driver, dataset, {
              collection: c,
              scope,
              fields: plan.perRow.map((p) => p.field.name),
              ...pick,
              limit: batchSize,
              ...(plan.unlessAlready === undefined ? {} : { unlessAlready: plan.unlessAlready }),
              lockRows: driver.lockRows,
            }),
          );
          const keyList = rows.map((r) => c.primaryKey.map((k) => r[k] as FieldValue));
          if (keyList.length === 0) return { n: 0, last: undefined };
          if (plan.delete) {
            await exec(deleteStatement(driver, dataset, c, keyList));
          } else {
            const perRow: RowValues[] = plan.perRow.map((p) => ({
              field: p.field.name,
              values: rows.map((r) => maskValue(r[p.field.name] as FieldValue, p.mask, keys, p.field)),
            }));
            await exec(updateStatement(driver, dataset, c, keyList, plan.set, perRow));
          }
          if (changeOptions.beforeCommit !== undefined) {
            const recorded = pick.keys ?? keyList;
            await changeOptions.beforeCommit(
              plan.delete ? { keys: recorded } : { keys: recorded, digests: await digestsOf(exec, recorded) },
              matched,
            );
          }
          return { n: keyList.length, last: keyList[keyList.length - 1] };
        });

      let before = resume?.cursor;
      let changed = resume?.changed ?? 0;
      let batches = 0;
      const inFlight = resume?.inFlight;
      if (inFlight !== undefined && inFlight.keys.length > 0) {
        // The batch the killed job was committing: rows that hold what it wrote (or are gone,
        // for a delete) were committed and are only counted; the rest are changed now.
        const now = await transaction(driver, fail, (exec) => digestsOf(exec, inFlight.keys));
        const pending = inFlight.keys.filter((_, i) =>
          plan.delete ? now[i] !== '' : now[i] !== inFlight.digests?.[i],
        );
        changed += inFlight.keys.length - pending.length;
        if (pending.length > 0) changed += (await applyBatch({ keys: pending })).n;
        batches += 1;
        before = inFlight.keys[inFlight.keys.length - 1]!;
        await changeOptions.onBatch?.({ changed, cursor: before, matched });
      }
      for (;;) {
        const batch = await applyBatch(before === undefined ? {} : { before });
        if (batch.n === 0 || batch.last === undefined) break;
        changed += batch.n;
        batches += 1;
        before = batch.last;
        await changeOptions.onBatch?.({ changed, cursor: before, matched });
        if (batch.n < batchSize) break;
      }
      return { matched, changed, batches };
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
