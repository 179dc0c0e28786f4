/**
 * Messages to the requester leave through a durable job enqueued in the same transaction as the
 * step they report: they go out only if the step committed, and a crash after the commit delays
 * them instead of losing them. They go only to the contact the requester proved control of.
 */
import { z } from 'zod';
import { seal, unseal } from '../capture/sealed.js';
import type { AppContext } from '../context.js';
import { defineJob, enqueue } from '../jobs/queue.js';
import type { Tx } from '../store/transaction.js';
import { languageOf, sendCompletionEmail, sendExtensionEmail, sendRefusalEmail } from './emails.js';
import { loadRequest } from './model.js';
import type { RequestClaims } from './own-data-actions.js';
import { answerAddress } from './verify-request.js';

type Message =
  | { kind: 'completed'; summary: readonly string[]; resultUrl?: string; expiresAt?: string; to?: string }
  | { kind: 'refused'; reasons: string }
  | { kind: 'extended'; reasons: string; newDeadline: string };

export const tellRequesterJob = defineJob({
  type: 'rights.tell-requester',
  version: 1,
  payload: z.strictObject({ requestId: z.string(), sealed: z.string() }),
  async handler(ctx, { requestId, sealed }) {
    const row = await loadRequest(ctx.store.db, requestId);
    const message = unseal(ctx.keys.records, sealed) as Message;
    const to =
      (message.kind === 'completed' ? message.to : undefined) ??
      (await answerAddress(ctx.store.db, row))?.value;
    const active = ctx.policies.get(row.declaration_id);
    if (to === undefined || active === undefined) return { sent: false };
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
