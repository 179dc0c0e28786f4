/**
 * The SqlDriver over better-sqlite3 for a company's SQLite file. The file must exist (a wrong
 * path never creates an empty database) and is opened on first use, so building a connector
 * never throws and `check()` reports the failure. Only this connection's settings are touched:
 * a busy timeout, and foreign keys enforced so Steward's deletes obey the constraints the schema
 * declares (SQLite leaves them off per connection); the journal mode and the file stay as the
 * company set them.
 *
 * better-sqlite3 is synchronous; statements run one at a time behind a queue, so an awaited
 * transaction is never interleaved with another caller's statements. Changes use
 * `BEGIN IMMEDIATE`, which takes the write lock at once instead of failing at the first write.
 */
import SQLite from 'better-sqlite3';
import type { FieldValue, Row } from '../contract.js';
import type { RunStatement, SqlDriver } from '../sql/driver.js';
import type { SqliteSettings } from './config.js';
import { introspectSqlite } from './introspect.js';

/** How long a statement waits for another process's write lock. */
export const BUSY_TIMEOUT_MS = 5_000;
const STATEMENT_CACHE_SIZE = 200;

export function sqliteDriver(settings: SqliteSettings): SqlDriver {
  let db: SQLite.Database | undefined;
  const cache = new Map<string, SQLite.Statement>();
  let queue: Promise<unknown> = Promise.resolve();

  const open = (): SQLite.Database => {
    if (db === undefined) {
      const opened = new SQLite(settings.path, { fileMustExist: true });
      try {
        opened.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        opened.pragma('foreign_keys = ON');
      } catch (error) {
        opened.close();
        throw error;
      }
      db = opened;
    }
    return db;
  };

  const prepare = (text: string): SQLite.Statement => {
    let statement = cache.get(text);
    if (statement !== undefined) cache.delete(text);
    else {
      statement = open().prepare(text);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(text, statement);
    return statement;
  };

  const execute = (text: string, values: readonly FieldValue[]): Row[] => {
    const statement = prepare(text);
    const bound = values.map(toSqlite);
    if (statement.reader) return statement.all(...bound) as Row[];
    statement.run(...bound);
    return [];
  };

  /** Runs `work` after every earlier call has finished. */
  const exclusive = <T>(work: () => Promise<T> | T): Promise<T> => {
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  };

  const run: RunStatement = (text, values) => exclusive(() => execute(text, values));

  return {
    dialect: 'sqlite',
    quote: (name) => `"${name.replaceAll('"', '""')}"`,
    placeholder: () => '?',
    lockRows: '',
    updateReturning: true,
    changeInWith: false,
    secrets: settings.secrets,
    query: run,
    transaction: <T>(work: (run: RunStatement) => Promise<T>) =>
      exclusive(async () => {
        const connection = open();
        execute('BEGIN IMMEDIATE', []);
        try {
          const result = await work((text, values) => Promise.resolve(execute(text, values)));
          execute('COMMIT', []);
          return result;
        } catch (error) {
          if (connection.inTransaction) execute('ROLLBACK', []);
          throw error;
        }
      }),
    introspect: (system) => exclusive(() => introspectSqlite(open(), system)),
    server: () =>
      exclusive(() => `SQLite ${(open().prepare('SELECT sqlite_version() AS v').get() as { v: string }).v}`),
    close: () =>
      exclusive(() => {
        cache.clear();
        db?.close();
        db = undefined;
      }),
  };
}

/** better-sqlite3 binds numbers, bigints, strings, buffers and null only. */
function toSqlite(value: FieldValue): number | bigint | string | Buffer | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}
