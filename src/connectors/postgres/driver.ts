/**
 * The PostgreSQL `SqlDriver`: a `pg` Pool whose connections say who they are
 * (`application_name` steward), stop long statements (`statement_timeout`) and speak UTC.
 *
 * Values come back in one stable shape, the same as SQLite's text: `date` as `YYYY-MM-DD`,
 * `timestamp` as ISO 8601 without a zone (`2024-01-15T10:00:00.123456`), `timestamptz` as ISO
 * 8601 in UTC (`…Z`), `time`, `interval` and `numeric` as the server's text, `bigint` as a
 * decimal string, `boolean` as a boolean, `bytea` as a Buffer, `json`/`jsonb` parsed. Text keeps
 * microseconds and never shifts by the machine's time zone, so a key read from a page binds back
 * to the same row.
 *
 * Statements of a fixed shape are prepared, by name, on each connection (`preparedName`): a
 * person's scope compiles to the same text for everyone, and planning it again every time cost
 * more than running it (a partitioned table's pruning above all). Batches of listed keys vary in
 * length and stay unnamed, so a connection holds a bounded number of prepared statements.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { ConnectorError, redactSecrets } from '../contract.js';
import type { Introspection, Row } from '../contract.js';
import type { RunStatement, SqlDriver } from '../sql/driver.js';
import type { PostgresSettings } from './config.js';
import { introspectPostgres } from './introspect.js';
import type { CatalogQuery } from './introspect.js';

/** Quotes an identifier for PostgreSQL: `"` around it, `"` inside doubled. */
export function quotePostgres(name: string): string {
  if (name.includes('\0')) throw new Error('An identifier cannot contain a NUL character');
  return `"${name.replaceAll('"', '""')}"`;
}

/** Statements with more bound values than this (lists of keys) are not prepared. */
const PREPARED_MAX_VALUES = 32;

/**
 * The name a statement is prepared under: a digest of its text and of `generation`, which moves
 * on when the server refuses a prepared plan whose tables changed shape (0A000), so the next use
 * prepares it afresh. Undefined for statements not worth keeping.
 */
function preparedName(text: string, values: number, generation: number): string | undefined {
  if (values === 0 || values > PREPARED_MAX_VALUES) return undefined;
  return `steward_${createHash('sha256').update(`${generation}\0${text}`).digest('hex').slice(0, 32)}`;
}

export interface PostgresDriverOptions {
  readonly system: string;
  /** Schemas besides the default one that the dataset's collections name (introspected too). */
  readonly schemas?: readonly string[];
}

/** Builds the driver; connects lazily, on the first statement. */
export function postgresDriver(settings: PostgresSettings, options: PostgresDriverOptions): SqlDriver {
  const { system } = options;
  const secrets = settings.secrets;
  const startup = [settings.options ?? '', '-c TimeZone=UTC'];
  if (settings.schema !== undefined)
    startup.push(`-c search_path=${escapeOption(quotePostgres(settings.schema))}`);
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: settings.poolSize,
    application_name: 'steward',
    statement_timeout: settings.statementTimeoutMs,
    options: startup.join(' ').trim(),
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  });
  // An idle connection the server drops must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);

  const fail = (error: unknown): never => {
    throw toConnectorError(system, error, secrets);
  };
  let generation = 0;
  const runCatalog =
    (client: pg.Pool | pg.PoolClient): CatalogQuery =>
    async (text, values) => {
      refuseNul(system, values);
      const bound = values.map(bindable);
      const name = preparedName(text, values.length, generation);
      try {
        const result = await client.query(
          name === undefined ? { text, values: bound } : { name, text, values: bound },
        );
        return result.rows as Row[];
      } catch (error) {
        // "cached plan must not change result type": a table changed under a prepared statement.
        if (name !== undefined && (error as { code?: unknown }).code === '0A000') generation += 1;
        return fail(error);
      }
    };
  const run = (client: pg.Pool | pg.PoolClient): RunStatement => runCatalog(client);

  let closed = false;
  const driver: SqlDriver = {
    dialect: 'postgres',
    quote: quotePostgres,
    placeholder: (n) => `$${n}`,
    lockRows: 'FOR UPDATE',
    updateReturning: true,
    changeInWith: true,
    secrets,
    query: run(pool),
    async transaction<T>(work: (run: RunStatement) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        return fail(error);
      }
      let broken: Error | undefined;
      try {
        await run(client)('BEGIN', []);
        const result = await work(run(client));
        await run(client)('COMMIT', []);
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
        }
        throw error;
      } finally {
        // A connection whose rollback failed is discarded rather than returned mid-transaction.
        client.release(broken);
      }
    },
    introspect: (name: string): Promise<Introspection> =>
      introspectPostgres(runCatalog(pool), name, options.schemas ?? []),
    async server() {
      const rows = await run(pool)('SELECT current_setting($1) AS version', ['server_version']);
      return `PostgreSQL ${String(rows[0]?.version ?? '').split(' ')[0]}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  return driver;
}

/** PostgreSQL reads `options` as words split on spaces, with backslash as the escape. */
function escapeOption(value: string): string {
  return value.replace(/[\\ ]/g, (c) => `\\${c}`);
}

/** PostgreSQL text cannot hold U+0000; say so before sending rather than fail on the server. */
function refuseNul(system: string, values: readonly unknown[]): void {
  values.forEach((value, i) => {
    if (typeof value === 'string' && value.includes('\0'))
      throw new ConnectorError(
        system,
        'refused',
        `value $${i + 1} contains a NUL character (U+0000), which PostgreSQL text cannot store; nothing was sent`,
      );
  });
}

function bindable(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

/**
 * A driver error as a `ConnectorError`: classified by SQLSTATE, secrets removed, and for data
 * errors (class 22) only the general part, since their detail quotes the offending value.
 */
export function toConnectorError(system: string, error: unknown, secrets: readonly string[]): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : '';
  let message = typeof e.message === 'string' && e.message !== '' ? e.message : 'unknown error';
  if (
    /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(message)
  )
    return new ConnectorError(system, 'unreachable', 'PostgreSQL did not answer in time');
  if (connectionCodes.has(code) || /Connection terminated/i.test(message))
    return new ConnectorError(
      system,
      'unreachable',
      `PostgreSQL is not reachable (${code || 'connection lost'})`,
    );
  if (code.startsWith('22')) message = message.split(':')[0] ?? message;
  const kind = classify(code);
  const suffix = code !== '' ? ` (SQLSTATE ${code})` : '';
  return new ConnectorError(system, kind, `${redactSecrets(message, secrets)}${suffix}`);
}

/**
 * The kind of failure from its SQLSTATE. A connection the server turns away (login, database,
 * too many clients) is unreachable like a closed port: nothing works until the settings change.
 */
function classify(code: string): ConnectorError['code'] {
  if (code === '57014') return 'timeout';
  if (code.startsWith('28') || code.startsWith('08') || code === '3D000' || code === '53300')
    return 'unreachable';
  if (code === '42501') return 'refused';
  if (['42P01', '42703', '3F000', '42883'].includes(code)) return 'schema_mismatch';
  if (code.startsWith('23')) return 'constraint';
  return 'failed';
}

const TEXT_ARRAY = 1009;
const builtinParser = pg.types.getTypeParser as (oid: number, format?: string) => unknown;
const passText = (text: string): string => text;

/** `2024-01-15 10:00:00.5` → `2024-01-15T10:00:00.5`; BC dates and infinities stay as they are. */
function isoLocal(text: string): string {
  return /^\d{4,}-\d\d-\d\d \d/.test(text) && !text.endsWith(' BC') ? text.replace(' ', 'T') : text;
}

/** `2024-01-15 10:00:00+00` → `2024-01-15T10:00:00Z`; another offset is kept as `+05:30`. */
function isoZoned(text: string): string {
  const m = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::?(\d\d))?(?::?(\d\d))?$/.exec(text);
  if (m === null) return text;
  const [, date, time, hours, minutes, seconds] = m;
  if (hours === '+00' && (minutes ?? '00') === '00' && seconds === undefined) return `${date}T${time}Z`;
  return `${date}T${time}${hours}:${minutes ?? '00'}${seconds !== undefined ? `:${seconds}` : ''}`;
}

type Nested = string | null | Nested[];
const mapNested = (value: Nested, f: (s: string) => unknown): unknown =>
  Array.isArray(value) ? value.map((v) => mapNested(v, f)) : value === null ? null : f(value);

function arrayOf(f: (s: string) => unknown): (text: string) => unknown {
  const parseTextArray = builtinParser(TEXT_ARRAY, 'text') as (text: string) => Nested;
  return (text) => mapNested(parseTextArray(text), f);
}

const textParsers: Record<number, (text: string) => unknown> = {
  1082: passText, // date
  1114: isoLocal, // timestamp
  1184: isoZoned, // timestamptz
  1083: passText, // time
  1266: passText, // timetz
  1186: passText, // interval
  1700: passText, // numeric
  20: passText, // int8
  1182: arrayOf(passText), // date[]
  1115: arrayOf(isoLocal), // timestamp[]
  1185: arrayOf(isoZoned), // timestamptz[]
  1187: arrayOf(passText), // interval[]
  1231: arrayOf(passText), // numeric[]
  1016: arrayOf(passText), // int8[]
};

function typeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (format !== 'binary') {
    const own = textParsers[oid];
    if (own !== undefined) return own;
  }
  return builtinParser(oid, format);
}
