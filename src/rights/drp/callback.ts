/**
 * Status callbacks: when a DRP request changes state, its status object is POSTed to the
 * `status_callback` the agent gave. Delivery is a durable job, so a slow or absent agent never
 * holds up the change, and a failed delivery is retried with the queue's back-off. The job sends
 * the request's status as it is when the job runs, so whatever order retries land in, the agent
 * ends with the latest state. Callbacks go only where personal data may (`outbound.ts`): a
 * paired agent is trusted with requests, not with reaching into this network.
 */
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Events } from '../../events.js';
import { defineJob, enqueue } from '../../jobs/queue.js';
import type { Tx } from '../../store/transaction.js';
import { loadRequest, requestMoved } from '../model.js';
import { destinationProblem, OutboundError, postTo } from '../outbound.js';
import { bytesBody } from '../sized-body.js';
import { statusOf } from './status.js';
import { callbackAllowed } from './protocol.js';

/** How long an agent has to answer a callback before the attempt counts as failed. */
export const CALLBACK_TIMEOUT_MS = 10_000;

/** Register in src/worker-jobs.ts so workers deliver callbacks. */
export const drpCallbackJob = defineJob({
  type: 'rights.drp-callback',
  version: 1,
  payload: z.strictObject({ requestId: z.string().min(1) }),
  // With the queue's doubling back-off (capped at an hour) this keeps trying for about two hours.
  maxAttempts: 12,
  async handler(ctx, { requestId }) {
    const row = await loadRequest(ctx.store.db, requestId);
    if (row.drp_callback === null) return { sent: false };
    const url = callbackAllowed(row.drp_callback) ? new URL(row.drp_callback) : undefined;
    const problem =
      url === undefined ? 'not_https' : destinationProblem(url, ctx.config.transmitAllowedHosts)?.code;
    if (url === undefined || problem !== undefined) {
      ctx.log.warn({ request: row.reference, problem }, 'DRP status callback URL refused');
      return { sent: false, refused: true };
    }
    const status = statusOf(ctx, row);
    let answer: number;
    try {
      answer = await postTo(url, {
        headers: { 'content-type': 'application/json' },
        body: bytesBody(Buffer.from(JSON.stringify(status))),
        timeoutMs: CALLBACK_TIMEOUT_MS,
        allowedHosts: ctx.config.transmitAllowedHosts,
      });
    } catch (error) {
      // A name that resolves to a private address is refused for good; anything else is retried.
      if (error instanceof OutboundError && error.reason === 'private_address') {
        ctx.log.warn({ request: row.reference }, 'DRP status callback refused: not a public address');
        return { sent: false, refused: true };
      }
      throw error;
    }
    // The protocol says to discard the agent's answer.
    if (answer < 200 || answer >= 300) throw new Error(`the status callback answered HTTP ${answer}`);
    return { sent: true, status: status.status, reason: status.reason ?? null };
  },
});

/**
 * Queues a status callback for a request, if an agent asked for callbacks on it; call after a
 * state change, passing the change's transaction so the callback is queued if and only if the
 * change commits. One job per request, protocol state and deadline (an extension is news to the
 * agent too): a second call for the same state (say, from both the workflow and the revoke route)
 * queues nothing more. Returns whether a job was queued. Every `moveRequest` calls it through
 * `subscribeDrpCallbacks`.
 *
 * @example
 * await withdrawRequest(ctx, agentRef(agentId), requestId, reason);
 * await notifyDrpCallback(ctx, requestId); // queues nothing more: the withdrawal's move did
 */
export async function notifyDrpCallback(
  ctx: AppContext,
  requestId: string,
  tx: Tx = ctx.store.db,
): Promise<boolean> {
  const row = await loadRequest(tx, requestId);
  if (row.drp_agent_id === null || row.drp_callback === null) return false;
  const status = statusOf(ctx, row);
  await enqueue(
    tx,
    ctx.clock,
    drpCallbackJob,
    { requestId },
    { id: `drp-callback:${requestId}:${status.status}:${status.reason ?? ''}:${status.expected_by ?? ''}` },
  );
  return true;
}

/**
 * Queues a status callback whenever a request from an agent changes, in the change's own
 * transaction. Called once per context, at the composition root (src/app.ts).
 */
export function subscribeDrpCallbacks(events: Events): void {
  events.subscribe(requestMoved, async (tx, { ctx, request }) => {
    if (request.drp_agent_id !== null) await notifyDrpCallback(ctx, request.id, tx);
  });
}
