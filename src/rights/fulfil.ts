/**
 * Fulfilment: a verified, approved request moves into progress and its work is planned across
 * Steward's own data and every connected system (src/execution/), each step a durable job. When
 * every step is done the request completes (`completeIfDone`): the requester gets a summary per
 * system (and, for access and portability, a single-use link), and for a rectification, erasure
 * or restriction each declared recipient of a system that held the data gets a notification
 * task, tracked to done (C5.1, Art. 19).
 */
import type { AppContext } from '../context.js';
import { schedulePlan } from '../execution/run-step.js';
import type { Tx } from '../store/transaction.js';
import type { RequestRow } from './model.js';
import { moveRequest } from './model.js';

export { completeIfDone, RESULT_LINK_LIFETIME } from '../execution/complete.js';

/** Moves a verified request into fulfilment and queues its planning. Inside the caller's transaction. */
export async function startFulfilment(
  tx: Tx,
  ctx: AppContext,
  actor: string,
  row: RequestRow,
): Promise<RequestRow> {
  const moved = await moveRequest(tx, ctx, actor, row, 'in_progress', { kind: 'fulfilment_started' });
  await schedulePlan(tx, ctx, row.id);
  return moved;
}
