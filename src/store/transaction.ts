import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Store } from './database.js';
import type { Database } from './schema.js';

export type Tx = Transaction<Database> | Kysely<Database>;

/**
 * Runs `fn` in one transaction. On SQLite it begins IMMEDIATE, taking the write lock up front so
 * a second process waits (busy timeout) instead of failing when it upgrades a read lock.
 */
export async function transaction<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') return store.db.transaction().execute(fn);
  return store.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}
