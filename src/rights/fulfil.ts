/**
 * Fulfilment as a plan of per-system tasks. A verified, approved request becomes one task per
 * system holding data (today Steward's own data, `steward`; connected systems join the same plan
 * later), each run by a durable job. When every system task is done the request completes: the
 * requester gets a summary (and, for access and portability, a single-use link), and for a
 * rectification, erasure or restriction each declared recipient that received the data gets a
 * notification task, tracked to done (C5.1, Art. 19).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { unseal } from '../capture/sealed.js';
import type { AppContext } from '../context.js';
import { randomToken, sha256Hex } from '../crypto.js';
import { defineJob, enqueue } from '../jobs/queue.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { addDuration } from '../time.js';
import type { RequestRow } from './model.js';
import { loadRequest, moveRequest } from './model.js';
import { ownDataActions } from './own-data-actions.js';
import type { ActionOutcome, RequestClaims } from './own-data-actions.js';
import { tellRequester } from './tell-requester.js';

/** Steward's own data, as a system in a fulfilment plan. */
export const OWN_DATA = 'steward';
/** How long a result link works. */
export const RESULT_LINK_LIFETIME = 'P7D';

const changesData: ReadonlySet<string> = new Set(['rectification', 'erasure', 'restriction']);

export const runTaskJob = defineJob({
  type: 'rights.run-task',
  version: 1,
  payload: z.strictObject({ taskId: z.string() }),
  async handler(ctx, { taskId }) {
    const task = await ctx.store.db
      .selectFrom('request_tasks')
      .selectAll()
      .where('id', '=', taskId)
      .executeTakeFirst();
    if (task === undefined || task.status === 'done' || task.status === 'skipped') return { skipped: true };
    const request = await loadRequest(ctx.store.db, task.request_id);
    if (request.status !== 'in_progress') return { skipped: true, status: request.status };
    const claims = unseal(ctx.keys.records, request.claims) as RequestClaims;
    const action = ownDataActions[request.type];
    if (action === undefined) throw new Error(`No action for request type ${request.type}`);
    const { contact, ...outcome } = await action(ctx, request, claims);
    await transaction(ctx.store, async (tx) => {
      const now = ctx.clock.now().toISOString();
      await tx
        .updateTable('request_tasks')
        .set({
          status: outcome.manual ? 'pending' : 'done',
          result: JSON.stringify(outcome),
          updated_at: now,
          done_at: outcome.manual ? null : now,
          done_by: outcome.manual ? null : 'system',
          note: outcome.manual ? outcome.summary.join(' ') : null,
        })
        .where('id', '=', taskId)
        .execute();
      await completeIfDone(tx, ctx, request.id, contact);
    });
    return { done: !outcome.manual };
  },
});

/** Moves a verified request into fulfilment and plans its tasks. Inside the caller's transaction. */
export async function startFulfilment(
  tx: Tx,
  ctx: AppContext,
  actor: string,
  row: RequestRow,
): Promise<RequestRow> {
  const moved = await moveRequest(tx, ctx, actor, row, 'in_progress', { kind: 'fulfilment_started' });
  const now = ctx.clock.now().toISOString();
  const taskId = randomUUID();
  await tx
    .insertInto('request_tasks')
    .values({
      id: taskId,
      request_id: row.id,
      kind: 'system',
      target: OWN_DATA,
      action: row.type,
      status: 'pending',
      result: null,
      note: null,
      created_at: now,
      updated_at: now,
      done_at: null,
      done_by: null,
    })
    .execute();
  await enqueue(tx, ctx.clock, runTaskJob, { taskId });
  return moved;
}

/**
 * Completes the request once every system task is done: result link, recipient notices,
 * completion email, outcome. Called after each task finishes (by a job or an operator).
 */
export async function completeIfDone(
  tx: Tx,
  ctx: AppContext,
  requestId: string,
  /** Where to send the answer when the verified address no longer exists (after an erasure). */
  contact?: string,
): Promise<boolean> {
  const row = await loadRequest(tx, requestId);
  if (row.status !== 'in_progress') return false;
  const tasks = await tx
    .selectFrom('request_tasks')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('kind', '=', 'system')
    .execute();
  if (tasks.some((t) => t.status !== 'done' && t.status !== 'skipped')) return false;
  const summary = tasks.flatMap(
    (t) => (JSON.parse(t.result ?? '{}') as { summary?: string[] }).summary ?? [],
  );
  const now = ctx.clock.now();

  let resultUrl: string | undefined;
  let expiresAt: string | undefined;
  if ((row.type === 'access' || row.type === 'portability') && row.subject_id !== null) {
    const token = randomToken(32);
    expiresAt = addDuration(now, RESULT_LINK_LIFETIME).toISOString();
    await tx
      .insertInto('result_links')
      .values({
        token_hash: sha256Hex(token),
        request_id: row.id,
        kind: row.type,
        passphrase_hash: null,
        expires_at: expiresAt,
        used_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    resultUrl = `${ctx.config.publicUrl}/privacy-centre/results/${token}`;
  }

  // Art. 19: each recipient of the changed data gets a notification task (worked out by the action).
  const notices: string[] = [];
  for (const task of tasks) {
    const outcome = JSON.parse(task.result ?? '{}') as ActionOutcome;
    for (const recipient of changesData.has(row.type) ? (outcome.recipients ?? []) : []) {
      if (notices.includes(recipient.recipientId)) continue;
      notices.push(recipient.recipientId);
      await tx
        .insertInto('request_tasks')
        .values({
          id: randomUUID(),
          request_id: row.id,
          kind: 'recipient_notice',
          target: recipient.recipientId,
          action: row.type,
          status: 'pending',
          result: null,
          note: `Tell ${recipient.name} of the ${row.type} (${recipient.why}).`,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          done_at: null,
          done_by: null,
        })
        .execute();
    }
  }

  await moveRequest(tx, ctx, 'system', row, 'completed', {
    kind: 'completed',
    details: { recipientsToNotify: notices },
    set: { outcome: JSON.stringify({ summary, recipientsToNotify: notices }) },
  });
  await tellRequester(tx, ctx, row.id, {
    kind: 'completed',
    ...(contact !== undefined ? { to: contact } : {}),
    summary,
    ...(resultUrl !== undefined && expiresAt !== undefined ? { resultUrl, expiresAt } : {}),
  });
  return true;
}
