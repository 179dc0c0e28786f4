/**
 * Fulfilment: a verified, approved request moves into progress and its work is planned across
 * Steward's own data and every connected system (src/execution/), each step a durable job. When
 * every step is done the request completes (`completeIfDone`): the requester gets a summary per
 * system (and, for access and portability, a single-use link), and for a rectification, erasure
 * or restriction each declared recipient of a system that held the data gets a notification
 * task, tracked to done (C5.1, Art. 19).
 */
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { schedulePlan } from '../execution/run-step.js';
import { defineJob } from '../jobs/queue.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import type { RequestRow } from './model.js';
import { addRequestEvent, loadRequest, moveRequest } from './model.js';

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

/**
 * The job that carried out a request as one task per system before requests were planned as
 * steps. A version from before the engine left such jobs pending for requests in progress, and
 * one still running beside this version during an upgrade may enqueue more. Each is taken up
 * here: the old task is closed as replaced and the request is planned like any other (planning
 * is idempotent), so a request in flight across the upgrade completes instead of waiting forever.
 */
export const legacyRunTaskJob = defineJob({
  type: 'rights.run-task',
  version: 1,
  payload: z.strictObject({ taskId: z.string() }),
  handler: (ctx, { taskId }) =>
    transaction(ctx.store, async (tx) => {
      const task = await tx
        .selectFrom('request_tasks')
        .selectAll()
        .where('id', '=', taskId)
        .executeTakeFirst();
      if (task === undefined || task.kind !== 'system' || task.status === 'done' || task.status === 'skipped')
        return { skipped: true };
      const request = await loadRequest(tx, task.request_id);
      if (request.status !== 'in_progress') return { skipped: true, status: request.status };
      const now = ctx.clock.now().toISOString();
      await tx
        .updateTable('request_tasks')
        .set({
          status: 'skipped',
          note: "Replaced by the request's plan of steps across every system.",
          done_at: now,
          done_by: 'system',
          updated_at: now,
        })
        .where('id', '=', taskId)
        .execute();
      await addRequestEvent(tx, ctx, {
        requestId: request.id,
        actor: 'system',
        kind: 'replanned',
        details: { why: 'per_system_task_replaced', task: taskId },
      });
      await schedulePlan(tx, ctx, request.id);
      return { planned: request.id };
    }),
});
