/**
 * The MySQL/MariaDB `SqlDriver`: a mysql2 Pool of connections that speak UTC and stop long
 * statements. Every statement is a server-side prepared statement (`execute`): values travel
 * apart from the text, and a connection never runs more than one statement per call
 * (`multipleStatements` off).
 *
 * Values come back in one stable shape, matching the PostgreSQL and SQLite drivers: `DATE` as
 * `YYYY-MM-DD`, `DATETIME` and `TIMESTAMP` as ISO 8601 without a zone
 * (`2024-01-15T10:00:00.123456`; `TIMESTAMP` is in UTC, the session's zone, but carries no `Z`
 * because MariaDB refuses one when it is bound back), `BIGINT` and `DECIMAL` as decimal strings
 * (`supportBigNumbers` with `bigNumberStrings`, so an id above 2^53 keeps every digit),
 * `TINYINT(1)` (`BOOLEAN`) as a boolean, `JSON` parsed, binary as a Buffer.
 */
import mysql from 'mysql2/promise';
import type { FieldPacket, Pool, PoolConnection } from 'mysql2/promise';
import { ConnectorError, redactSecrets } from '../contract.js';
import type { Introspection, Row } from '../contract.js';
import type { RunStatement, SqlDriver } from '../sql/driver.js';
import type { MysqlSettings } from './config.js';
import { introspectMysql, serverName } from './introspect.js';
import type { CatalogQuery } from './introspect.js';

/** Quotes an identifier for MySQL: backticks around it, backticks inside doubled. */
export function quoteMysql(name: string): string {
  if (name.includes('\0')) throw new Error('An identifier cannot contain a NUL character');
  return `\`${name.replaceAll('`', '``')}\``;
}

export interface MysqlDriverOptions {
  readonly system: string;
  /** The connector kind reported by introspection: `mysql` or `mariadb`. */
  readonly kind: 'mysql' | 'mariadb';
  /** Databases besides the URL's that the dataset's collections name (introspected too). */
  readonly schemas?: readonly string[];
}

/** Protocol column types: `TINYINT`, and the date-times read as text with a space before the time. */
const TINY = 0x01;
const DATE_TIMES = new Set([0x07, 0x0c, 0x11, 0x12]); // TIMESTAMP, DATETIME, TIMESTAMP2, DATETIME2

/**
 * The rows in Steward's shape: `TINYINT(1)` as booleans, `DATETIME` and `TIMESTAMP` with a `T`.
 * Done on the parsed rows from the columns' metadata rather than by a mysql2 `typeCast`, under
 * which mysql2 parses every field through a wrapper object and a callback (a page of a few
 * rows cost several times the statement's own time).
 */
function normalise(rows: Row[], fields: readonly FieldPacket[] | undefined): Row[] {
  const flags: string[] = [];
  const times: string[] = [];
  for (const f of fields ?? []) {
    if (f.columnType === TINY && f.columnLength === 1) flags.push(f.name);
    else if (f.columnType !== undefined && DATE_TIMES.has(f.columnType)) times.push(f.name);
  }
  if (flags.length === 0 && times.length === 0) return rows;
  for (const row of rows as Record<string, unknown>[]) {
    for (const name of flags) {
      const v = row[name];
      if (v !== null && v !== undefined) row[name] = Number(v) !== 0;
    }
    for (const name of times) {
      const v = row[name];
      if (typeof v === 'string') row[name] = v.replace(' ', 'T');
    }
  }
  return rows;
}

/** Builds the driver; connects lazily, on the first statement. */
export function mysqlDriver(settings: MysqlSettings, options: MysqlDriverOptions): SqlDriver {
  const { system } = options;
  const secrets = settings.secrets;
  const pool: Pool = mysql.createPool({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    database: settings.database,
    connectionLimit: settings.poolSize,
    maxIdle: settings.poolSize,
    idleTimeout: 30_000,
    connectTimeout: 10_000,
    charset: 'UTF8MB4_UNICODE_CI',
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    timezone: 'Z',
    // The server counts prepared statements against one global limit (max_prepared_stmt_count).
    maxPreparedStatements: 200,
    connectAttributes: { program_name: 'steward' },
    ...(settings.ssl === 'true' ? { ssl: { rejectUnauthorized: true } } : {}),
  });
  pool.on('connection', (connection) => {
    // Errors of an idle connection are the pool's to handle; they must not crash the process.
    connection.on('error', () => undefined);
  });

  const fail = (error: unknown): never => {
    throw toConnectorError(system, error, secrets);
  };

  // Session settings, once per physical connection (the server kind is known after the first).
  const ready = new WeakSet<object>();
  let setup: string | undefined;
  async function acquire(): Promise<PoolConnection> {
    let connection: PoolConnection;
    try {
      connection = await pool.getConnection();
    } catch (error) {
      return fail(error);
    }
    const core = connection.connection as object;
    if (ready.has(core)) return connection;
    try {
      if (setup === undefined) {
        const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
        setup = /mariadb/i.test(String(rows[0]?.v))
          ? `SET time_zone = '+00:00', max_statement_time = ${settings.statementTimeoutMs / 1000}`
          : `SET time_zone = '+00:00', max_execution_time = ${settings.statementTimeoutMs}`;
      }
      await connection.query(setup);
      ready.add(core);
      return connection;
    } catch (error) {
      connection.destroy();
      return fail(error);
    }
  }

  const runOn =
    (connection: PoolConnection): CatalogQuery =>
    async (text, values) => {
      try {
        const [result, fields] = await connection.execute(text, values.map(bindable) as never[]);
        return Array.isArray(result) ? normalise(result as Row[], fields) : [];
      } catch (error) {
        // A few statements cannot be prepared; without values the text protocol is as safe.
        if (values.length === 0 && (error as { errno?: unknown }).errno === 1295) {
          try {
            const [result, fields] = await connection.query(text);
            return Array.isArray(result) ? normalise(result as Row[], fields) : [];
          } catch (again) {
            return fail(again);
          }
        }
        return fail(error);
      }
    };

  const runPooled: CatalogQuery = async (text, values) => {
    const connection = await acquire();
    try {
      return await runOn(connection)(text, values);
    } finally {
      connection.release();
    }
  };

  let closed = false;
  const driver: SqlDriver = {
    dialect: 'mysql',
    quote: quoteMysql,
    placeholder: () => '?',
    lockRows: 'FOR UPDATE',
    pageKeysFirst: true,
    updateReturning: false,
    changeInWith: false,
    secrets,
    query: runPooled as RunStatement,
    async transaction<T>(work: (run: RunStatement) => Promise<T>): Promise<T> {
      const connection = await acquire();
      const run = runOn(connection) as RunStatement;
      let broken = false;
      try {
        await run('START TRANSACTION', []);
        const result = await work(run);
        await run('COMMIT', []);
        return result;
      } catch (error) {
        try {
          await connection.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        // A connection whose rollback failed is discarded rather than returned mid-transaction.
        if (broken) connection.destroy();
        else connection.release();
      }
    },
    introspect: (name: string): Promise<Introspection> =>
      introspectMysql(runPooled, name, options.kind, options.schemas ?? []),
    async server() {
      const rows = await runPooled('SELECT VERSION() AS v', []);
      return serverName(String(rows[0]?.v ?? ''));
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  return driver;
}

const LONGLONG_MIN = -(2n ** 63n);
const LONGLONG_MAX = 2n ** 63n - 1n;

/**
 * Integers are bound as BIGINT rather than mysql2's default DOUBLE, which MySQL 8 refuses in
 * `LIMIT ?` and which loses digits past 2^53.
 */
function bindable(value: unknown): unknown {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return mysql.TypedParameter.LONGLONG(value);
  if (typeof value === 'bigint')
    return value >= LONGLONG_MIN && value <= LONGLONG_MAX
      ? mysql.TypedParameter.LONGLONG(value)
      : value.toString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
]);
// Turned away at connection (login, database, host, too many connections): unreachable, like a
// closed port. Refused: the connection works but the server refuses this statement.
const unreachableErrnos = new Set([1044, 1045, 1049, 1040, 1129, 1130, 1698, 1251]);
const refusedErrnos = new Set([1142, 1143, 1227]);
const schemaErrnos = new Set([1146, 1054, 1051, 1305, 1109]);
const constraintErrnos = new Set([1062, 1451, 1452, 1048, 1364, 1216, 1217, 3819, 4025, 1761, 1762]);
const timeoutErrnos = new Set([1969, 3024, 1205, 1317]);

function classify(errno: number | undefined): ConnectorError['code'] {
  if (errno === undefined) return 'failed';
  if (timeoutErrnos.has(errno)) return 'timeout';
  if (unreachableErrnos.has(errno)) return 'unreachable';
  if (refusedErrnos.has(errno)) return 'refused';
  if (schemaErrnos.has(errno)) return 'schema_mismatch';
  if (constraintErrnos.has(errno)) return 'constraint';
  return 'failed';
}

/**
 * A driver error as a `ConnectorError`: classified by error number, secrets removed, and the
 * offending value taken out of messages that quote it (duplicate keys, incorrect values).
 */
export function toConnectorError(system: string, error: unknown, secrets: readonly string[]): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    errno?: unknown;
    message?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : '';
  const errno = typeof e.errno === 'number' ? e.errno : undefined;
  if (code === 'ETIMEDOUT')
    return new ConnectorError(system, 'unreachable', 'the server did not answer in time');
  if (unreachableCodes.has(code))
    return new ConnectorError(system, 'unreachable', `the server is not reachable (${code})`);
  let message = typeof e.message === 'string' && e.message !== '' ? e.message : 'unknown error';
  message = message
    .replace(/^Duplicate entry '.*' for key /s, 'Duplicate entry for key ')
    .replace(/ value: '.*?'( for column |$)/s, ' value$1');
  const kind = classify(errno);
  const suffix = errno !== undefined ? ` (error ${errno}${code !== '' ? ` ${code}` : ''})` : '';
  return new ConnectorError(system, kind, `${redactSecrets(message, secrets)}${suffix}`);
}
