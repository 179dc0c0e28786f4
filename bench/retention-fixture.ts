/**
 * The `retention` benchmark's table: website events, one every six seconds from 2025-01-01, ten
 * million of them, the first tenth older than the threshold. Built with set-based SQL
 * (`generate_series` on PostgreSQL, a recursive CTE on SQLite), kept between runs when it is
 * already the right size, and restored after each sweep: the expired rows come back exactly as
 * they were (every value derives from the id), so each measurement deletes the same rows. A new
 * table is restored once too, so every measurement (the raw DELETE and the sweep alike) starts
 * from the same state: expired rows put back after a deletion, vacuumed, checkpointed.
 *
 * On PostgreSQL the table is partitioned by month on its clock, the key is (id, at) as
 * partitioning requires, and an index on (at, id) serves the sweep's keyset order.
 */
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { DatasetInput } from '../src/connectors/dataset.js';

export const SCHEMA = 'steward_bench_retention';
/** Rows generated, and how many of them (the first) have expired at `THRESHOLD`. */
export const ROWS = Number(process.env.STEWARD_BENCH_RETENTION_ROWS ?? 10_000_000);
export const EXPIRED = Math.floor(ROWS / 10);
const EPOCH = Date.parse('2025-01-01T00:00:00Z');
const STEP_S = 6;
/** The clock of row `id`. */
export const clockOf = (id: number) => new Date(EPOCH + (id - 1) * STEP_S * 1000);
/** Rows 1..EXPIRED are before it; the rest at or after. */
export const THRESHOLD = clockOf(EXPIRED + 1);
/** Ids above every generated row, for rows inserted while a sweep runs (removed at the start). */
export const FIRST_EXTRA_ID = ROWS + 1;

/** Bumped when the generated shape changes, so a kept table of an older shape is rebuilt. */
const SHAPE = 1;

const pgColumns = (from: string, to: string) =>
  `select g, timestamptz '2025-01-01' + (g - 1) * interval '${STEP_S} seconds', ` +
  `'u' || (g % 200000) || '@example.com', md5(g::text), '/products/' || (g % 1000) ` +
  `from generate_series(${from}, ${to}) g`;

/** The months the table spans, and one after, as partitions; anything later goes to the default. */
function pgPartitions(): string[] {
  const last = clockOf(ROWS);
  const out: string[] = [];
  for (
    let d = new Date(EPOCH);
    d <= last;
    d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
  ) {
    const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    const name = `events_${d.toISOString().slice(0, 7).replace('-', '_')}`;
    out.push(
      `create table ${SCHEMA}.${name} partition of ${SCHEMA}.events ` +
        `for values from ('${d.toISOString()}') to ('${next.toISOString()}')`,
    );
  }
  out.push(`create table ${SCHEMA}.events_later partition of ${SCHEMA}.events default`);
  return out;
}

/**
 * The table in `SCHEMA`, generated unless a previous run left it with the right size and shape;
 * then made whole again (rows a concurrent-insert run added are removed, expired rows restored).
 * Returns whether it was generated.
 */
export async function ensurePostgresEvents(client: pg.ClientBase): Promise<boolean> {
  const meta = await client
    .query<{ rows: string; shape: number }>(`select rows, shape from ${SCHEMA}.bench_meta`)
    .catch(() => ({ rows: [] }));
  const kept = meta.rows[0];
  if (kept !== undefined && Number(kept.rows) === ROWS && kept.shape === SHAPE) {
    await client.query(`delete from ${SCHEMA}.events where id >= $1`, [FIRST_EXTRA_ID]);
    await restorePostgres(client);
    return false;
  }
  await client.query(`drop schema if exists ${SCHEMA} cascade`);
  await client.query(`create schema ${SCHEMA}`);
  await client.query(
    `create table ${SCHEMA}.events (id bigint not null, at timestamptz not null, email text, ` +
      `visitor text not null, page text not null, primary key (id, at)) partition by range (at)`,
  );
  for (const statement of pgPartitions()) await client.query(statement);
  const chunk = 1_000_000;
  for (let from = 1; from <= ROWS; from += chunk)
    await client.query(
      `insert into ${SCHEMA}.events ${pgColumns(String(from), String(Math.min(ROWS, from + chunk - 1)))}`,
    );
  await client.query(`create index events_at_id on ${SCHEMA}.events (at, id)`);
  await client.query(`create table ${SCHEMA}.bench_meta (rows bigint not null, shape int not null)`);
  await client.query(`insert into ${SCHEMA}.bench_meta values ($1, $2)`, [ROWS, SHAPE]);
  await client.query(`vacuum analyze ${SCHEMA}.events`);
  // Every measurement starts from a restored table, the first one too.
  await restorePostgres(client, true);
  return true;
}

/**
 * Puts back every expired row that is missing (with `again`, every expired row, missing or not),
 * then vacuums what the deletions left.
 */
export async function restorePostgres(client: pg.ClientBase, again = false): Promise<void> {
  const present = await client.query<{ n: string }>(
    `select count(*) as n from ${SCHEMA}.events where at < $1`,
    [THRESHOLD.toISOString()],
  );
  if (!again && Number(present.rows[0]?.n) === EXPIRED) return;
  await client.query(`delete from ${SCHEMA}.events where at < $1`, [THRESHOLD.toISOString()]);
  await client.query(`insert into ${SCHEMA}.events ${pgColumns('1', String(EXPIRED))}`);
  await client.query(`vacuum analyze ${SCHEMA}.events`);
}

export function postgresDataset(): DatasetInput {
  return dataset(['id', 'at'], SCHEMA, 'timestamp with time zone');
}

export function sqliteDataset(): DatasetInput {
  return dataset(['id'], undefined, 'TEXT');
}

function dataset(primaryKey: string[], schema: string | undefined, clockType: string): DatasetInput {
  return {
    steward: 1,
    kind: 'dataset',
    system: 'site',
    reviewed: { by: 'benchmark', on: '2026-12-03' },
    collections: [
      {
        name: 'events',
        ...(schema === undefined ? {} : { schema }),
        primaryKey,
        erasure: { action: 'delete' },
        retention: { rule: 'logs', clock: 'at' },
        fields: [
          { name: 'id', type: 'bigint', nullable: false },
          { name: 'at', type: clockType, nullable: false },
          { name: 'email', type: 'text', category: 'user.contact.email', identity: 'email', mask: 'null' },
          {
            name: 'visitor',
            type: 'text',
            nullable: false,
            category: 'user.device.cookie_id',
            mask: 'fixed',
          },
          {
            name: 'page',
            type: 'text',
            nullable: false,
            category: 'user.behavior.browsing_history',
            mask: 'keep',
          },
        ],
      },
    ],
  };
}

const sqliteRows = (to: number) =>
  `with recursive g(n) as (select 1 union all select n + 1 from g where n < ${to}) ` +
  `insert into events select n, strftime('%Y-%m-%dT%H:%M:%fZ', ${EPOCH / 1000} + (n - 1) * ${STEP_S}, 'unixepoch'), ` +
  `'u' || (n % 200000) || '@example.com', hex(randomblob(16)), '/products/' || (n % 1000) from g`;

/**
 * The SQLite file at `path` (WAL, as an application would keep it), generated unless it already
 * holds the right rows; made whole again like the PostgreSQL table.
 */
export function ensureSqliteEvents(path: string): boolean {
  const db = new SQLite(path);
  try {
    db.pragma('journal_mode = WAL');
    const meta = (() => {
      try {
        return db.prepare('select rows, shape from bench_meta').get() as
          { rows: number; shape: number } | undefined;
      } catch {
        return undefined;
      }
    })();
    if (meta?.rows === ROWS && meta.shape === SHAPE) {
      db.prepare('delete from events where id >= ?').run(FIRST_EXTRA_ID);
      restoreSqlite(db);
      return false;
    }
    db.exec('drop table if exists events; drop table if exists bench_meta');
    db.exec(
      'create table events (id integer primary key, at text not null, email text, visitor text not null, page text not null)',
    );
    db.exec(sqliteRows(ROWS));
    db.exec('create index events_at_id on events (at, id)');
    db.exec('create table bench_meta (rows integer not null, shape integer not null)');
    db.prepare('insert into bench_meta values (?, ?)').run(ROWS, SHAPE);
    db.exec('analyze');
    // Every measurement starts from a restored file, the first one too.
    restoreSqlite(db, true);
    return true;
  } finally {
    db.close();
  }
}

/** Puts back every expired row that is missing (with `again`, every expired row). */
export function restoreSqlite(db: SQLite.Database, again = false): void {
  const present = db
    .prepare('select count(*) as n from events where at < ?')
    .get(THRESHOLD.toISOString()) as {
    n: number;
  };
  if (!again && present.n === EXPIRED) return;
  db.prepare('delete from events where at < ?').run(THRESHOLD.toISOString());
  db.exec(sqliteRows(EXPIRED));
  db.exec('pragma wal_checkpoint(TRUNCATE)');
}
