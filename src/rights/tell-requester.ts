/**
 * Messages to the requester leave through a durable job enqueued in the same transaction as the
 * step they report: they go out only if the step committed, and a crash after the commit delays
 * them instead of losing them. They go only to the contact the requester proved control of.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { seal, unseal } from '../capture/sealed.js';
import type { AppContext } from '../context.js';
import { defineJob, enqueue } from '../jobs/queue.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import {
  languageOf,
  sendCompletionEmail,
  sendConditionsEmail,
  sendExtensionEmail,
  sendRefusalEmail,
} from './emails.js';
import { addRequestEvent, loadRequest } from './model.js';
import type { RequestClaims } from './own-data-actions.js';
import { answerAddress } from './verify-request.js';

type Message =
  | { kind: 'completed'; summary: readonly string[]; resultUrl?: string; expiresAt?: string; to?: string }
  | { kind: 'refused'; reasons: string }
  | { kind: 'extended'; reasons: string; newDeadline: string }
  /** Part of an erasure waits for, or is refused under, a condition of a purpose (one line each). */
  | { kind: 'conditions'; lines: readonly string[]; dueAt: string; to?: string };

const noticeName: Record<Message['kind'], string> = {
  completed: 'answer',
  refused: 'refusal with its reasons and the right to complain',
  extended: 'extension notice with its reasons',
  conditions: 'notice that part of the erasure waits or is refused, and why',
};

/** A request the company's site opened for a signed-in account (verified by its session). */
async function viaAccount(ctx: AppContext, row: { id: string; channel: string }): Promise<boolean> {
  if (row.channel !== 'api') return false;
  const events = await ctx.store.db
    .selectFrom('request_events')
    .select('details')
    .where('request_id', '=', row.id)
    .where('kind', '=', 'verified')
    .execute();
  return events.some((e) => e.details !== null && e.details.includes('"account_session"'));
}

export const tellRequesterJob = defineJob({
  type: 'rights.tell-requester',
  version: 1,
  payload: z.strictObject({ requestId: z.string(), sealed: z.string() }),
  async handler(ctx, { requestId, sealed }) {
    const row = await loadRequest(ctx.store.db, requestId);
    const message = unseal(ctx.keys.records, sealed) as Message;
    const to =
      (message.kind === 'completed' || message.kind === 'conditions' ? message.to : undefined) ??
      (await answerAddress(ctx.store.db, ctx, row))?.value;
    const active = ctx.policies.get(row.declaration_id);
    if (active === undefined) return { sent: false };
    if (to === undefined && (await viaAccount(ctx, row))) {
      // Opened by the company's site for a signed-in user: the site shows the answer to the
      // account (src/rights/account-requests.ts), so no one has to send it.
      await transaction(ctx.store, (tx) =>
        addRequestEvent(tx, ctx, {
          requestId: row.id,
          actor: 'system',
          kind: 'answer_for_account',
          details: { message: message.kind },
        }),
      );
      return { sent: false, task: false };
    }
    if (to === undefined) {
      // No address the requester proved control of (a letter or call that an operator
      // verified): a person answers by the channel the request came in, tracked as a task.
      await transaction(ctx.store, async (tx) => {
        const now = ctx.clock.now().toISOString();
        await tx
          .insertInto('request_tasks')
          .values({
            id: randomUUID(),
            request_id: row.id,
            kind: 'manual',
            target: 'requester',
            action: `tell_${message.kind}`,
            status: 'pending',
            result: null,
            note: `No verified email address: send the ${noticeName[message.kind]} to the requester by ${row.channel === 'post' ? 'post' : row.channel === 'phone' ? 'phone, and confirm it in writing' : 'the channel they used'}, then close this task.`,
            created_at: now,
            updated_at: now,
            done_at: null,
            done_by: null,
          })
          .execute();
        await addRequestEvent(tx, ctx, {
          requestId: row.id,
          actor: 'system',
          kind: 'manual_answer_needed',
          details: { message: message.kind },
        });
      });
      return { sent: false, task: true };
    }
    const declaration = active.model.declaration;
    const claims = unseal(ctx.keys.records, row.claims) as RequestClaims;
    const base = {
      to,
      declaration,
      lang: languageOf(declaration, claims.language),
      reference: row.reference,
      type: row.type,
    };
    if (message.kind === 'completed') await sendCompletionEmail(ctx, { ...base, ...message });
    else if (message.kind === 'refused') await sendRefusalEmail(ctx, { ...base, ...message });
    else if (message.kind === 'conditions') await sendConditionsEmail(ctx, { ...base, ...message });
    else await sendExtensionEmail(ctx, { ...base, ...message });
    return { sent: true };
  },
});

/** Queues a message to the requester inside the caller's transaction (sealed: it may hold a link). */
export async function tellRequester(
  tx: Tx,
  ctx: Pick<AppContext, 'clock' | 'keys'>,
  requestId: string,
  message: Message,
): Promise<void> {
  await enqueue(tx, ctx.clock, tellRequesterJob, { requestId, sealed: seal(ctx.keys.records, message) });
}
