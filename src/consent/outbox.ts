/**
 * Reading the outbox back. The stored copies hold no secrets (see mailer.ts), yet they still
 * name people and what was sent to them, so every read is a permission (`outbox:read`) and an
 * audit entry. The whole message of the development outbox, codes and links included, is the
 * personal `outbox:reveal` permission of the first administrator, audited one message at a time.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import { unseal } from '../capture/sealed.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { transaction } from '../store/transaction.js';
import type { RevealedMessage } from './mailer.js';

export const listOutboxInput = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  to: z.string().max(320).optional(),
});

export interface OutboxMessageView {
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  /** The text with its secrets removed; empty once SMTP accepted the message. */
  readonly text: string;
  readonly html: string | null;
  readonly headers: Record<string, string>;
  readonly kind: string;
  readonly communication: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
  readonly transport: string;
  readonly error: string | null;
  readonly digest: string | null;
  /** Whether the whole message is kept (development outbox) for someone with outbox:reveal. */
  readonly revealable: boolean;
}

/** Messages Steward built, newest first, as kept: without their secrets. The read is audited. */
export async function listOutbox(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof listOutboxInput>,
): Promise<OutboxMessageView[]> {
  requirePermission(actor, 'outbox:read');
  const input = listOutboxInput.parse(raw);
  const rows = await ctx.store.db
    .selectFrom('outbox')
    .select([
      'id',
      'to_address',
      'from_address',
      'subject',
      'text_body',
      'html_body',
      'headers',
      'kind',
      'communication_id',
      'created_at',
      'sent_at',
      'transport',
      'error',
      'body_digest',
    ])
    .select((eb) => eb('sealed_message', 'is not', null).as('revealable'))
    .$if(input.to !== undefined, (q) => q.where('to_address', '=', input.to ?? ''))
    .orderBy('created_at', 'desc')
    .limit(input.limit)
    .execute();
  await transaction(ctx.store, (tx) =>
    appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'outbox.read',
      target: 'outbox',
      details: { messages: rows.length, ...(input.to !== undefined ? { filteredByAddress: true } : {}) },
    }),
  );
  return rows.map((r) => ({
    id: r.id,
    to: r.to_address,
    from: r.from_address,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    headers: JSON.parse(r.headers) as Record<string, string>,
    kind: r.kind,
    communication: r.communication_id,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    transport: r.transport,
    error: r.error,
    digest: r.body_digest,
    revealable: Boolean(r.revealable),
  }));
}

/** One whole message of the development outbox, secrets included; each read is audited. */
export async function revealMessage(ctx: AppContext, actor: Actor, id: string): Promise<RevealedMessage> {
  requirePermission(actor, 'outbox:reveal');
  return transaction(ctx.store, async (tx) => {
    const row = await tx
      .selectFrom('outbox')
      .select(['sealed_message'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw notFound(`Message ${id}`);
    if (row.sealed_message === null)
      throw new AppError(
        'conflict',
        'Only messages of the development outbox are kept whole; this one went to a mail server.',
      );
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'outbox.revealed',
      target: `outbox:${id}`,
    });
    return unseal(ctx.keys.records, row.sealed_message) as RevealedMessage;
  });
}
