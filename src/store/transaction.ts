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

interface QueuedWrite {
  readonly fn: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** The most writes one shared transaction takes; the rest wait for the next. */
const GROUP_LIMIT = 256;

/**
 * Group commit: writes that arrive while another transaction runs wait, then share one
 * transaction and one commit. If any of them fails, the group rolls back and each write runs
 * again alone, so a failing write never takes others with it; every write is answered only after
 * its commit, so an acknowledged write is as durable as one committed alone. Under load this turns a commit
 * (and, on PostgreSQL, a round trip and a WAL flush) per write into one per group.
 */
class GroupCommitter {
  private queue: QueuedWrite[] = [];
  private running = false;

  constructor(private readonly store: Store) {}

  submit<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.running) return;
      this.running = true;
      // On SQLite a whole transaction runs within one turn of the event loop, so nothing could
      // join it: starting after the current I/O phase lets requests read in the same phase share it.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, GROUP_LIMIT));
    } finally {
      this.running = false;
    }
  }

  private async commit(group: readonly QueuedWrite[]): Promise<void> {
    if (group.length > 1) {
      const values: unknown[] = [];
      try {
        await transaction(this.store, async (tx) => {
          for (const write of group) values.push(await write.fn(tx));
        });
        group.forEach((write, i) => write.resolve(values[i]));
        return;
      } catch {
        // One write failed and the group rolled back: each write runs again alone, to get its own
        // answer. Failures are rare (input is validated before a write is queued), so this costs
        // less than a savepoint around every write.
      }
    }
    for (const write of group) {
      try {
        write.resolve(await transaction(this.store, write.fn));
      } catch (error) {
        write.reject(error);
      }
    }
  }
}

const committers = new WeakMap<Store, GroupCommitter>();

/**
 * Runs `fn` like `transaction`, but possibly together with other writes in one commit (see
 * GroupCommitter). For short writes that touch only the store: `fn` must not wait on anything
 * else, since the whole group waits for it.
 */
export function groupTransaction<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let committer = committers.get(store);
  if (committer === undefined) committers.set(store, (committer = new GroupCommitter(store)));
  return committer.submit(fn);
}
