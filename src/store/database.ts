/**
 * Opens the store: SQLite (embedded default, a file, WAL) or PostgreSQL, chosen by URL, and runs
 * pending migrations. Every query passes the tenant guard (tenant-guard.ts), which refuses one on
 * a partitioned table that does not name its tenant. Everything else talks to `Store.db` through Kysely and stays dialect-blind,
 * except the few places that ask `store.dialect` for a dialect-specific statement.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { MigrationProvider, SqliteDatabase } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations.js';
import type { Database } from './schema.js';
import { tenantGuard } from './tenant-guard.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * The largest value an `integer` column holds on both dialects (PostgreSQL's is 32-bit): numbers
 * from input that are compared with such a column are bounded by it, or PostgreSQL refuses the query.
 */
export const MAX_STORED_INTEGER = 2_147_483_647;

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** PostgreSQL only: the schema Steward's tables live in. */
  readonly schema?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL only: the schema to use (created if missing). Lets tests run side by side. */
  readonly schema?: string;
  readonly poolSize?: number;
}

/**
 * `sqlite:PATH`, `sqlite::memory:` or `postgres://...`. A PostgreSQL URL may name the schema to
 * use with `?schema=NAME`, so several installations can share one database.
 */
export async function openStore(url: string, options: OpenOptions = {}): Promise<Store> {
  let store: Store;
  if (url.startsWith('sqlite:')) {
    store = openSqlite(url.slice('sqlite:'.length));
  } else {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? options.schema;
    parsed.searchParams.delete('schema');
    store = await openPostgres(parsed.toString(), { ...options, ...(schema ? { schema } : {}) });
  }
  await migrate(store);
  return store;
}

function openSqlite(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
    plugins: [tenantGuard],
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 compiles a statement on every `prepare`, and Kysely prepares each query it runs.
 * The same few hundred statements run over and over, so compiled ones are kept and the least
 * recently used dropped past the limit. Safe because Kysely holds the one connection exclusively
 * while a statement runs, so a cached statement is never re-entered while it iterates.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement !== undefined) {
        cache.delete(text);
      } else {
        statement = database.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Store> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`Bad schema name ${schema}`);
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists ${schema}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [tenantGuard] });
  return { db, dialect: 'postgres', schema: schema ?? 'public', close: () => db.destroy() };
}

/** Runs pending migrations; safe to call from several processes at once (Kysely locks). */
export async function migrate(store: Store): Promise<string[]> {
  // Kysely looks for its own tables in every schema unless told which one is ours.
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations(store.dialect)) };
  const migrator = new Migrator({
    db: store.db,
    provider,
    ...(store.schema !== undefined ? { migrationTableSchema: store.schema } : {}),
  });
  // Before it narrows to our schema, Kysely's migrator lists the tables of every schema; a schema
  // another process drops during that listing fails it with "relation … does not exist" (42P01)
  // or "schema … does not exist" (3F000).
  // Nothing was migrated then, so the run is simply tried again.
  for (let attempt = 1; ; attempt += 1) {
    const { error, results } = await migrator.migrateToLatest();
    if (error === undefined)
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    const code = (error as { code?: string }).code;
    const vanished = (code === '42P01' || code === '3F000') && (results ?? []).length === 0;
    if (!vanished || attempt === 3) throw error instanceof Error ? error : new Error(String(error));
  }
}

/** Round-trip check for /healthz. */
export async function ping(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}

/** True when an error is a unique-constraint violation, in either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: string };
  return (
    e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
