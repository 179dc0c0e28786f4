/**
 * The `retention` group: a retention sweep through the connector contract on a table of ten
 * million website events, one tenth of them expired (`retention-fixture.ts`), beside a raw
 * `DELETE ... WHERE at < threshold` of the same rows in the same run.
 *
 * - `retention_rows_deleted_per_s` (PostgreSQL, partitioned by month) and `_sqlite`: the
 *   sweep's deletion rate with its defaults (range batches of 5,000, no in-flight recording);
 *   `retention_ratio_to_raw_delete` (and `_sqlite`): that rate over the raw statement's. The raw
 *   DELETE and the sweep take turns (`ROUNDS` of each), each on the table restored to the same
 *   state (expired rows put back, vacuumed, checkpointed); a rate is rows over the rounds' time.
 * - Other PostgreSQL batch forms (`PostgresBatch`) and sizes, each on the next `SAMPLE` expired
 *   rows, with their slowest batch: `retention_rows_deleted_per_s_range_1000`, `_range_10000`,
 *   `_by_key` (select and lock with `SKIP LOCKED`, then delete by key: the form a clock through
 *   a parent uses), `_recorded` (the default with `beforeCommit`, as a resumable job records the
 *   batch in flight), and `_range_async_commit` (the default with `synchronous_commit=off` in the
 *   system's URL). SQLite: `retention_rows_deleted_per_s_sqlite_recorded`.
 * - `retention_max_lock_ms`: the longest a batch held its locks (first statement to COMMIT) while
 *   single-row inserts into the same table kept going on another connection;
 *   `retention_concurrent_insert_ratio`: their rate during the sweep over their rate alone
 *   (measured for `BASELINE_S` before and again after the sweep).
 *
 * The threshold comes from `expiredBefore` like a real sweep's. The tables are kept between
 * runs (PostgreSQL schema `steward_bench_retention`, SQLite file in the temporary directory) and
 * made whole again before each measurement. `STEWARD_BENCH_RETENTION_ROWS` sets another size,
 * `STEWARD_BENCH_RETENTION_ROUNDS` another number of turns (default 3).
 */
import { mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Connector, MaskKeys, SweepCursor, SweepResult } from '../src/connectors/contract.js';
import { datasetSchema } from '../src/connectors/dataset.js';
import { parsePostgresSettings } from '../src/connectors/postgres/config.js';
import { postgresDriver } from '../src/connectors/postgres/driver.js';
import { sqlConnector } from '../src/connectors/sql/connector.js';
import type { PostgresBatch } from '../src/connectors/sql/sweep-statements.js';
import { createSqliteConnector } from '../src/connectors/sqlite/index.js';
import { expiredBefore } from '../src/retention/clocks.js';
import {
  ensurePostgresEvents,
  ensureSqliteEvents,
  EXPIRED,
  FIRST_EXTRA_ID,
  postgresDataset,
  restorePostgres,
  restoreSqlite,
  ROWS,
  SCHEMA,
  sqliteDataset,
  THRESHOLD,
} from './retention-fixture.js';
import type { Report } from './support.js';
import { note, postgresBenchUrl, reachable, stopwatch } from './support.js';

export const name = 'retention';

const KEYS: MaskKeys = { hash: Buffer.alloc(32, 7) };
const SYSTEM = 'site';
/** Turns of raw DELETE and sweep, each on a restored table. */
const ROUNDS = Math.max(1, Number(process.env.STEWARD_BENCH_RETENTION_ROUNDS ?? 3));
/** Rows each other batch form is measured on (six forms fit in the expired rows). */
const SAMPLE = Math.min(100_000, Math.floor(EXPIRED / 6));
/** How long the inserts run alone, for their baseline rate. */
const BASELINE_S = 5;
/** A `beforeCommit` that takes the batch's keys as a job would, without writing them anywhere. */
const RECORD = { beforeCommit: () => undefined } as const;

/**
 * The sweep's threshold as a rule of 600 days from collection gives it a millisecond before the
 * fixture's first unexpired row turns 600 days old.
 */
function threshold(): Date {
  const now = new Date(THRESHOLD.getTime() + 600 * 86_400_000 - 1);
  const before = expiredBefore({ duration: 'P600D' }, now);
  if (before.getTime() !== THRESHOLD.getTime()) throw new Error('the fixture and the clock disagree');
  return before;
}

export async function run(report: Report): Promise<void> {
  const before = threshold();
  note(`retention: ${ROWS} rows, ${EXPIRED} expired, threshold ${before.toISOString()}`);
  if (await reachable(postgresBenchUrl)) await runPostgres(report, before);
  else note('PostgreSQL is not reachable: its figures are skipped');
  await runSqlite(report, before);
}

async function runPostgres(report: Report, before: Date): Promise<void> {
  const client = new pg.Client({ connectionString: postgresBenchUrl });
  await client.connect();
  try {
    const generated = stopwatch();
    if (await ensurePostgresEvents(client)) note(`PostgreSQL table generated in ${generated().toFixed(0)} s`);
    const fresh = async () => {
      await restorePostgres(client);
      await client.query('checkpoint');
    };
    const dataset = datasetSchema.parse(postgresDataset());
    const connect = (batch?: PostgresBatch, asyncCommit = false) =>
      sqlConnector(
        postgresDriver(parsePostgresSettings({ system: SYSTEM, url: benchUrl(asyncCommit) }), {
          system: SYSTEM,
          schemas: [SCHEMA],
        }),
        dataset,
        KEYS,
        SYSTEM,
        batch === undefined ? {} : { postgresBatch: batch },
      );

    const raws: Measured[] = [];
    const sweeps: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await fresh();
      const rawElapsed = stopwatch();
      const raw = await client.query(`delete from ${SCHEMA}.events where at < $1`, [before.toISOString()]);
      raws.push({ rows: raw.rowCount ?? 0, seconds: rawElapsed() });
      if (raw.rowCount !== EXPIRED) throw new Error(`the raw delete removed ${raw.rowCount} rows`);

      await fresh();
      sweeps.push(await timedSweep(connect(), before));
      noteRound('PostgreSQL', round, raws, sweeps);
    }
    reportPair(report, '', raws, sweeps);

    // The other batch forms and sizes, each over the next SAMPLE expired rows; a batch's time is
    // taken between two progress reports.
    await fresh();
    let resume: { swept: number; cursor?: SweepCursor } = { swept: 0 };
    for (const [label, batch, batchSize, extra] of [
      ['range_1000', 'range', 1_000, {}],
      ['range_10000', 'range', 10_000, {}],
      ['recorded', 'range', 5_000, RECORD],
      ['by_key', 'by-key', 1_000, {}],
      ['range_async_commit', 'range', 5_000, { asyncCommit: true }],
    ] as const) {
      const other = connect(batch, 'asyncCommit' in extra);
      const from = resume.swept;
      const target = from + SAMPLE;
      const stop = new Error('sample swept');
      const elapsed = stopwatch();
      let last = 0;
      let slowest = 0;
      try {
        await other.sweep('events', {
          before,
          action: 'delete',
          batchSize,
          resume,
          ...('beforeCommit' in extra ? { beforeCommit: extra.beforeCommit } : {}),
          onBatch: (p) => {
            const now = elapsed();
            slowest = Math.max(slowest, now - last);
            last = now;
            if (p.cursor !== undefined) resume = { swept: p.swept, cursor: p.cursor };
            if (p.swept >= target) throw stop;
          },
        });
      } catch (error) {
        if (error !== stop) throw error;
      } finally {
        await other.close();
      }
      if (resume.swept === from) {
        note(`${label}: no expired rows were left for its sample`);
        continue;
      }
      report(`retention_rows_deleted_per_s_${label}`, (resume.swept - from) / last, 'rows/s');
      report(`retention_slowest_batch_ms_${label}`, slowest * 1000, 'ms');
    }

    await fresh();
    await concurrentInserts(report, before, connect);
    await client.query(`delete from ${SCHEMA}.events where id >= $1`, [FIRST_EXTRA_ID]);
  } finally {
    await client.end();
  }
}

/** A whole sweep with the connector's defaults, timed and checked, then the connector closed. */
async function timedSweep(connector: Connector, before: Date): Promise<Measured> {
  try {
    const elapsed = stopwatch();
    const result = await connector.sweep('events', { before, action: 'delete' });
    const measured = { rows: result.swept, seconds: elapsed(), slowestMs: result.slowestBatchMs };
    checkSwept(result);
    return measured;
  } finally {
    await connector.close();
  }
}

/** One timed deletion: rows, seconds, and for a sweep its slowest batch. */
interface Measured {
  readonly rows: number;
  readonly seconds: number;
  readonly slowestMs?: number;
}

const rateOf = (runs: readonly Measured[]) =>
  runs.reduce((n, r) => n + r.rows, 0) / runs.reduce((t, r) => t + r.seconds, 0);

function noteRound(
  where: string,
  round: number,
  raws: readonly Measured[],
  sweeps: readonly Measured[],
): void {
  const raw = raws[round]!;
  const swept = sweeps[round]!;
  note(
    `${where} round ${round + 1}: raw DELETE ${raw.seconds.toFixed(2)} s, sweep ${swept.seconds.toFixed(2)} s ` +
      `(ratio ${(raw.seconds / swept.seconds).toFixed(2)}), load ${loadavg()[0]!.toFixed(2)}`,
  );
}

/** The raw rate, the sweep's rate, their ratio and the slowest batch of every round. */
function reportPair(
  report: Report,
  suffix: string,
  raws: readonly Measured[],
  sweeps: readonly Measured[],
): void {
  const rawRate = rateOf(raws);
  const rate = rateOf(sweeps);
  report(`retention_raw_delete_rows_per_s${suffix}`, rawRate, 'rows/s');
  report(`retention_rows_deleted_per_s${suffix}`, rate, 'rows/s');
  report(`retention_ratio_to_raw_delete${suffix}`, rate / rawRate);
  report(`retention_slowest_batch_ms${suffix}`, Math.max(...sweeps.map((r) => r.slowestMs ?? 0)), 'ms');
}

/**
 * The server's URL; with `asyncCommit` its sessions do not wait for the WAL flush of each COMMIT
 * (a setting a company may put in the system's URL: a server crash can then undo the last
 * batches' deletions, which the next sweep repeats).
 */
function benchUrl(asyncCommit: boolean): string {
  if (!asyncCommit) return postgresBenchUrl;
  const url = new URL(postgresBenchUrl);
  url.searchParams.set('options', '-c synchronous_commit=off');
  return url.toString();
}

function checkSwept(result: SweepResult): void {
  if (result.swept !== EXPIRED) throw new Error(`the sweep removed ${result.swept} rows, not ${EXPIRED}`);
}

/** Single-row inserts into the events table on their own connection until `stop` says so. */
async function insertLoop(
  stop: { done: boolean },
  next: { id: number },
): Promise<{ readonly count: number; readonly slowestMs: number }> {
  const client = new pg.Client({ connectionString: postgresBenchUrl });
  await client.connect();
  let count = 0;
  let slowestMs = 0;
  try {
    while (!stop.done) {
      const id = next.id++;
      const elapsed = stopwatch();
      await client.query(
        `insert into ${SCHEMA}.events (id, at, email, visitor, page) values ($1, now(), $2, $3, '/checkout')`,
        [id, `new${id}@example.com`, `visitor-${id}`],
      );
      slowestMs = Math.max(slowestMs, elapsed() * 1000);
      count += 1;
    }
  } finally {
    await client.end();
  }
  return { count, slowestMs };
}

/** Single-row inserts alone for `BASELINE_S`: their rate. */
async function insertsAlone(next: { id: number }): Promise<number> {
  const alone = { done: false };
  const clock = stopwatch();
  const loop = insertLoop(alone, next);
  await sleep(BASELINE_S * 1000);
  alone.done = true;
  return (await loop).count / clock();
}

async function concurrentInserts(report: Report, before: Date, connect: () => Connector): Promise<void> {
  const next = { id: FIRST_EXTRA_ID };
  const baselineBefore = await insertsAlone(next);

  const connector = connect();
  const during = { done: false };
  const sweepClock = stopwatch();
  const inserts = insertLoop(during, next);
  let result: SweepResult;
  try {
    result = await connector.sweep('events', { before, action: 'delete' });
  } finally {
    during.done = true;
    await connector.close();
  }
  const seconds = sweepClock();
  const { count, slowestMs } = await inserts;
  checkSwept(result);
  const baselineAfter = await insertsAlone(next);
  const baselineRate = (baselineBefore + baselineAfter) / 2;
  note(
    `inserts alone ${baselineBefore.toFixed(0)}/s before the sweep, ${baselineAfter.toFixed(0)}/s after; ` +
      `load ${loadavg()[0]!.toFixed(2)}`,
  );
  report('retention_max_lock_ms', result.slowestBatchMs, 'ms');
  report('retention_rows_deleted_per_s_with_inserts', EXPIRED / seconds, 'rows/s');
  report('retention_inserts_per_s_alone', baselineRate, 'rows/s');
  report('retention_inserts_per_s_during_sweep', count / seconds, 'rows/s');
  report('retention_concurrent_insert_ratio', count / seconds / baselineRate);
  report('retention_slowest_insert_during_sweep_ms', slowestMs, 'ms');
}

async function runSqlite(report: Report, before: Date): Promise<void> {
  const dir = join(tmpdir(), 'steward-bench-retention');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events-${ROWS}.db`);
  const generated = stopwatch();
  if (ensureSqliteEvents(path)) note(`SQLite file generated in ${generated().toFixed(0)} s (${path})`);

  const connectSqlite = () =>
    createSqliteConnector(
      { system: SYSTEM, url: `sqlite:${path}` },
      datasetSchema.parse(sqliteDataset()),
      KEYS,
    );
  const restore = () => {
    const db = new SQLite(path);
    try {
      restoreSqlite(db);
    } finally {
      db.close();
    }
  };
  const raws: Measured[] = [];
  const sweeps: Measured[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    restore();
    // As the connector opens the file: the journal mode it has (WAL), synchronous at its default.
    const db = new SQLite(path);
    try {
      const elapsed = stopwatch();
      const raw = db.prepare('delete from events where at < ?').run(before.toISOString());
      raws.push({ rows: raw.changes, seconds: elapsed() });
      if (raw.changes !== EXPIRED) throw new Error(`the raw delete removed ${raw.changes} rows`);
    } finally {
      db.close();
    }
    restore();
    sweeps.push(await timedSweep(connectSqlite(), before));
    noteRound('SQLite', round, raws, sweeps);
  }
  reportPair(report, '_sqlite', raws, sweeps);

  // The default batches recording each batch's keys, on the first SAMPLE expired rows.
  restore();
  const recorded = connectSqlite();
  try {
    const stop = new Error('sample swept');
    const elapsed = stopwatch();
    let last = 0;
    let swept = 0;
    await recorded
      .sweep('events', {
        before,
        action: 'delete',
        ...RECORD,
        onBatch: (p) => {
          last = elapsed();
          swept = p.swept;
          if (p.swept >= SAMPLE) throw stop;
        },
      })
      .catch((error: unknown) => {
        if (error !== stop) throw error;
      });
    report('retention_rows_deleted_per_s_sqlite_recorded', swept / last, 'rows/s');
  } finally {
    await recorded.close();
  }
  restore();
}
