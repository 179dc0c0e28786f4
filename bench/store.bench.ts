/**
 * The `store` group: how fast the storage layer can write and read rows, raw and through Kysely,
 * so later figures (consent checks, event ingestion) can be read against what the database
 * itself allows on the same machine.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../src/store/database.js';
import type { EventRow, Report } from './support.js';
import {
  chunks,
  eventRows,
  measure,
  note,
  postgresBenchUrl,
  reachable,
  seededRandom,
  stopwatch,
  withTempDir,
} from './support.js';

export const name = 'store';

/** Rows per transaction for every insert benchmark. */
const TRANSACTION_ROWS = 10_000;
const RAW_SQLITE_INSERT_ROWS = 500_000;
const LOOKUP_TABLE_ROWS = 1_000_000;
const LOOKUPS = 1_000_000;
/**
 * Fewer rows than the raw run, to keep the group within a minute on two cores; the ratio is taken
 * against the raw run's first as many rows. A multiple of `TRANSACTION_ROWS`.
 */
const KYSELY_SQLITE_INSERT_ROWS = 200_000;
/** Rows per multi-row INSERT statement (5 parameters each; both dialects allow far more). */
const KYSELY_ROWS_PER_STATEMENT = 500;
const POSTGRES_INSERT_ROWS = 100_000;
const POSTGRES_ROWS_PER_STATEMENT = 1_000;
const WARMUP_ROWS = 10_000;
const WARMUP_LOOKUPS = 20_000;

const eventTableSql = `create table events (
  id text primary key,
  subject text not null,
  kind text not null,
  at text not null,
  payload text not null
)`;

function openRawSqlite(path: string): SQLite.Database {
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/**
 * Prepared single-row INSERT, one transaction per 10,000 rows. Returns the rate over the first
 * `KYSELY_SQLITE_INSERT_ROWS` rows too: inserts slow down as the random-key index grows, so the
 * Kysely run (which inserts fewer rows) is compared with raw inserts into a table of the same size.
 */
function rawSqliteInsert(dir: string, report: Report): { rate: number; rateAtKyselySize: number } {
  const db = openRawSqlite(join(dir, 'raw-insert.db'));
  try {
    db.exec(eventTableSql);
    const insert = db.prepare('insert into events (id, subject, kind, at, payload) values (?, ?, ?, ?, ?)');
    const insertBatch = db.transaction((batch: readonly EventRow[]) => {
      for (const r of batch) insert.run(r.id, r.subject, r.kind, r.at, r.payload);
    });
    const warmup = eventRows(WARMUP_ROWS);
    for (const batch of chunks(warmup, TRANSACTION_ROWS)) insertBatch(batch);

    const batches = chunks(eventRows(RAW_SQLITE_INSERT_ROWS), TRANSACTION_ROWS);
    const elapsed = stopwatch();
    let inserted = 0;
    let secondsAtKyselySize = Number.NaN;
    for (const batch of batches) {
      insertBatch(batch);
      inserted += batch.length;
      if (inserted === KYSELY_SQLITE_INSERT_ROWS) secondsAtKyselySize = elapsed();
    }
    const seconds = elapsed();
    const stored = db.prepare('select count(*) from events').pluck().get() as number;
    if (stored !== WARMUP_ROWS + RAW_SQLITE_INSERT_ROWS)
      throw new Error(`expected all rows, found ${stored}`);
    const rate = RAW_SQLITE_INSERT_ROWS / seconds;
    report('raw_sqlite_insert_rows_per_s', rate, 'rows/s');
    // The baseline for the Kysely ratio: the same number of rows into a table of the same size.
    const rateAtKyselySize = KYSELY_SQLITE_INSERT_ROWS / secondsAtKyselySize;
    report(
      `raw_sqlite_insert_first_${KYSELY_SQLITE_INSERT_ROWS / 1000}k_rows_per_s`,
      rateAtKyselySize,
      'rows/s',
    );
    return { rate, rateAtKyselySize };
  } finally {
    db.close();
  }
}

/** Prepared point lookups by a unique text key over 1,000,000 rows, keys drawn at random. */
async function rawSqliteLookup(dir: string, report: Report): Promise<void> {
  const db = openRawSqlite(join(dir, 'raw-lookup.db'));
  try {
    db.exec('create table lookup (key text not null unique, value text not null)');
    const keys = Array.from({ length: LOOKUP_TABLE_ROWS }, () => randomUUID());
    // Filled in key order, which builds the index by appending: setup, not the figure, so quick.
    const insert = db.prepare('insert into lookup (key, value) values (?, ?)');
    const fill = db.transaction((batch: readonly string[]) => {
      for (const key of batch) insert.run(key, `value of ${key}`);
    });
    for (const batch of chunks([...keys].sort(), 100_000)) fill(batch);

    const random = seededRandom(20261125);
    const pick = () => keys[Math.floor(random() * LOOKUP_TABLE_ROWS)]!;
    const warmup = Array.from({ length: WARMUP_LOOKUPS }, pick);
    const picks = Array.from({ length: LOOKUPS }, pick);
    const lookup = db.prepare('select value from lookup where key = ?').pluck();
    for (const key of warmup) lookup.get(key);

    let found = 0;
    const seconds = await measure(() => {
      for (const key of picks) if (lookup.get(key) !== undefined) found += 1;
    });
    if (found !== LOOKUPS) throw new Error(`expected every lookup to hit, ${found} of ${LOOKUPS} did`);
    report('raw_sqlite_lookup_per_s', LOOKUPS / seconds, 'lookups/s');
  } finally {
    db.close();
  }
}

/** The same event rows through Steward's store: Kysely, multi-row VALUES, 10,000-row transactions. */
async function kyselySqliteInsert(dir: string, report: Report, rawRate: number): Promise<void> {
  const store = await openStore(`sqlite:${join(dir, 'kysely-insert.db')}`);
  try {
    const db = store.db.withTables<{ bench_events: EventRow }>();
    await db.schema
      .createTable('bench_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    const insertAll = async (rows: readonly EventRow[]) => {
      for (const batch of chunks(rows, TRANSACTION_ROWS)) {
        await db.transaction().execute(async (trx) => {
          for (const statement of chunks(batch, KYSELY_ROWS_PER_STATEMENT))
            await trx.insertInto('bench_events').values(statement).execute();
        });
      }
    };
    await insertAll(eventRows(WARMUP_ROWS));

    const rows = eventRows(KYSELY_SQLITE_INSERT_ROWS);
    const seconds = await measure(() => insertAll(rows));
    const rate = KYSELY_SQLITE_INSERT_ROWS / seconds;
    report('kysely_sqlite_insert_rows_per_s', rate, 'rows/s');
    report('ratio_to_raw_sqlite_insert', rate / rawRate);
  } finally {
    await store.close();
  }
}

/** Multi-row INSERT through node-postgres in a throwaway schema, 10,000-row transactions. */
async function rawPostgresInsert(report: Report): Promise<void> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const client = new pg.Client({ connectionString: postgresBenchUrl });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
    await client.query(`set search_path = ${schema}`);
    await client.query(eventTableSql);
    const statementFor = (count: number) =>
      `insert into events (id, subject, kind, at, payload) values ${Array.from(
        { length: count },
        (_, r) => `($${r * 5 + 1}, $${r * 5 + 2}, $${r * 5 + 3}, $${r * 5 + 4}, $${r * 5 + 5})`,
      ).join(', ')}`;
    const insertAll = async (rows: readonly EventRow[]) => {
      for (const batch of chunks(rows, TRANSACTION_ROWS)) {
        await client.query('begin');
        for (const statement of chunks(batch, POSTGRES_ROWS_PER_STATEMENT)) {
          await client.query(
            statementFor(statement.length),
            statement.flatMap((r) => [r.id, r.subject, r.kind, r.at, r.payload]),
          );
        }
        await client.query('commit');
      }
    };
    await insertAll(eventRows(WARMUP_ROWS));

    const rows = eventRows(POSTGRES_INSERT_ROWS);
    const seconds = await measure(() => insertAll(rows));
    const stored = await client.query<{ n: string }>('select count(*) as n from events');
    if (Number(stored.rows[0]?.n) !== WARMUP_ROWS + POSTGRES_INSERT_ROWS)
      throw new Error(`expected all rows, found ${stored.rows[0]?.n}`);
    report('raw_postgres_insert_rows_per_s', POSTGRES_INSERT_ROWS / seconds, 'rows/s');
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

export async function run(report: Report): Promise<void> {
  await withTempDir(async (dir) => {
    const raw = rawSqliteInsert(dir, report);
    await rawSqliteLookup(dir, report);
    await kyselySqliteInsert(dir, report, raw.rateAtKyselySize);
  });
  if (await reachable(postgresBenchUrl)) {
    await rawPostgresInsert(report);
  } else {
    const { hostname, port } = new URL(postgresBenchUrl);
    note(`skipping raw_postgres_insert_rows_per_s: PostgreSQL at ${hostname}:${port} is not reachable`);
  }
}
