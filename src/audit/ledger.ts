/**
 * The tamper-evident audit ledger (C7.3). Entries are append-only and hash-chained: each entry's
 * hash covers a canonical encoding of its fields and the previous entry's hash, and a one-row
 * head records the last sequence number and hash. Editing, deleting or reordering any entry (or
 * cutting entries off the end) breaks the chain, which `verifyLedger` reports.
 */
import { sql } from 'kysely';
import { canonicalJson, sha256Hex } from '../crypto.js';
import type { Clock } from '../context.js';
import type { Store } from '../store/database.js';
import type { AuditRow } from '../store/schema.js';
import type { Tx } from '../store/transaction.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  /** Who: `operator:<id>`, `api_key:<id>`, `system`, `subject:<ref>`, `public`. */
  readonly actor: string;
  /** What, as `noun.verb`: `policy.published`, `operator.created`. */
  readonly action: string;
  readonly target?: string;
  /** Why, where the action needs a stated purpose (opening a person's data). */
  readonly purpose?: string;
  readonly details?: Record<string, unknown>;
}

function entryHash(row: Omit<AuditRow, 'hash'>): string {
  const fields = {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    purpose: row.purpose,
    details: row.details,
  };
  return sha256Hex(`${canonicalJson(fields)}\n${row.prev_hash}`);
}

/**
 * On PostgreSQL, takes the lock that orders audit appenders, held until the transaction ends.
 * Other append-only logs read by sequence (src/consent/changes.ts) take it before they insert, so
 * their rows commit in sequence order and a reader past row n has missed none before it.
 */
export async function lockAppendOrder(tx: Tx, dialect: Store['dialect']): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7270013)`.execute(tx);
}

/**
 * Appends one entry inside the caller's transaction, so the entry exists if and only if the
 * change it records does. On PostgreSQL an advisory lock orders concurrent appenders.
 */
export async function appendAudit(
  tx: Tx,
  dialect: Store['dialect'],
  clock: Clock,
  entry: AuditEntry,
): Promise<number> {
  await lockAppendOrder(tx, dialect);
  const head = await tx
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  const row: Omit<AuditRow, 'hash'> = {
    seq: (head?.seq ?? 0) + 1,
    at: clock.now().toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    purpose: entry.purpose ?? null,
    details: canonicalJson(entry.details ?? {}),
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(row);
  await tx
    .insertInto('audit_log')
    .values({ ...row, hash })
    .execute();
  if (head === undefined) {
    await tx.insertInto('audit_head').values({ id: 1, seq: row.seq, hash }).execute();
  } else {
    await tx.updateTable('audit_head').set({ seq: row.seq, hash }).where('id', '=', 1).execute();
  }
  return row.seq;
}

export type VerifyResult =
  | { readonly ok: true; readonly entries: number; readonly headHash: string }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly firstBad: { readonly seq: number; readonly reason: string };
    };

/** Walks the whole chain in pages and reports the first entry that does not verify. */
export async function verifyLedger(store: Store, pageSize = 2000): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const bad = (reason: string): VerifyResult => ({
        ok: false,
        entries: expectedSeq - 1,
        firstBad: { seq: row.seq, reason },
      });
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          entries: expectedSeq - 1,
          firstBad: { seq: expectedSeq, reason: `entry #${expectedSeq} is missing` },
        };
      }
      if (row.prev_hash !== prevHash) return bad(`entry #${row.seq} does not follow entry #${row.seq - 1}`);
      if (entryHash(row) !== row.hash) return bad(`entry #${row.seq} was modified after it was written`);
      prevHash = row.hash;
      expectedSeq += 1;
    }
    if (rows.length < pageSize) break;
  }
  const count = expectedSeq - 1;
  const head = await store.db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if ((head?.seq ?? 0) !== count || (head?.hash ?? GENESIS_HASH) !== prevHash) {
    const seq = Math.min(head?.seq ?? 0, count) + 1;
    return {
      ok: false,
      entries: count,
      firstBad: { seq, reason: `entries after #${count} were removed (head says #${head?.seq ?? 0})` },
    };
  }
  return { ok: true, entries: count, headHash: prevHash };
}
