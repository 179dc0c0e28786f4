import type { Clock } from '../context.js';
import type { Tx } from '../store/transaction.js';

/**
 * Records, inside the caller's transaction, that suppression answers for a subject changed
 * (or, with null, that any may have). Every process's suppression index applies it before its
 * next answer.
 */
export async function markSuppressionChange(tx: Tx, clock: Clock, subjectId: string | null): Promise<void> {
  await tx
    .insertInto('suppression_changes')
    .values({ subject_id: subjectId, at: clock.now().toISOString() })
    .execute();
}
