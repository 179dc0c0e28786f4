import { randomUUID } from 'node:crypto';
import { lockAppendOrder } from '../audit/ledger.js';
import type { AppContext, Clock } from '../context.js';
import type { SuppressionTable } from '../store/schema.js';
import type { Tx } from '../store/transaction.js';

/**
 * Records, inside the caller's transaction, that suppression answers for a subject changed
 * (or, with null, that any may have). Every process's suppression index (src/consent/suppression.ts)
 * reads past the last row it applied before its next answer, so rows must become visible in
 * sequence order: on PostgreSQL the audit lock is taken before the row's number, and a writer that
 * numbers after another commits after it.
 */
export async function markSuppressionChange(
  tx: Tx,
  ctx: Pick<AppContext, 'clock' | 'store'>,
  subjectId: string | null,
): Promise<void> {
  await lockAppendOrder(tx, ctx.store.dialect);
  await tx
    .insertInto('suppression_changes')
    .values({ subject_id: subjectId, at: ctx.clock.now().toISOString() })
    .execute();
}

/**
 * Records, inside the caller's transaction, that what a subject's consent tokens allow changed
 * (its cookie-category consents), or with null that anyone's may have (erasure, merge). Every
 * process's token cache (src/web/choices.ts) reads past the last row it applied before it answers
 * from memory, so a withdrawal in one process holds in all of them from its commit on.
 */
export async function markConsentChange(
  tx: Tx,
  ctx: Pick<AppContext, 'clock' | 'store'>,
  subjectId: string | null,
): Promise<void> {
  await lockAppendOrder(tx, ctx.store.dialect);
  await tx
    .insertInto('consent_changes')
    .values({ subject_id: subjectId, at: ctx.clock.now().toISOString() })
    .execute();
}

/**
 * Whether housekeeping removed change rows a reader has not applied: the row it applied last
 * (`applied`, 0 before any) is no longer the first of those read from it on. A store whose first
 * row was never numbered 1 (a rolled-back insert on PostgreSQL) costs one rebuild, nothing more.
 */
export function changesLost(applied: number, read: readonly { seq: number | string }[]): boolean {
  const first = read[0];
  if (first === undefined) return applied > 0;
  return Number(first.seq) > Math.max(applied, 1);
}

/**
 * Adds a suppression entry for an address (by its keyed hash); harmless when it exists. Scope
 * `*` covers every marketing communication; declaration `*` covers every declaration.
 */
export async function suppressAddress(
  tx: Tx,
  clock: Clock,
  entry: {
    lookup: string;
    declarationId: string;
    scope: string;
    reason: SuppressionTable['reason'];
    subjectId: string | null;
  },
): Promise<void> {
  await tx
    .insertInto('suppressions')
    .values({
      id: randomUUID(),
      lookup: entry.lookup,
      declaration_id: entry.declarationId,
      scope: entry.scope,
      reason: entry.reason,
      subject_id: entry.subjectId,
      created_at: clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['lookup', 'declaration_id', 'scope']).doNothing())
    .execute();
}
