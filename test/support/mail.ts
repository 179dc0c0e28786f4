/**
 * What a person finds in their mailbox. Tests run without a mail server, so messages wait in the
 * development outbox, whose stored copies have their codes and link tokens removed; the whole
 * message, as delivered, is kept sealed beside it. This reads that, as the recipient would.
 */
import { unseal } from '../../src/capture/sealed.js';
import type { RevealedMessage } from '../../src/consent/mailer.js';
import type { AppContext } from '../../src/context.js';

export interface Delivered extends RevealedMessage {
  readonly id: string;
  readonly to: string;
  readonly kind: string;
  readonly createdAt: string;
}

/** Every message delivered, oldest first, optionally only to one address or of one kind. */
export async function mailbox(
  ctx: Pick<AppContext, 'store' | 'keys'>,
  filter: { to?: string; kind?: string } = {},
): Promise<Delivered[]> {
  const rows = await ctx.store.db
    .selectFrom('outbox')
    .select(['id', 'to_address', 'kind', 'created_at', 'sealed_message'])
    .$if(filter.to !== undefined, (q) => q.where('to_address', '=', filter.to ?? ''))
    .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind ?? ''))
    .orderBy('created_at')
    .execute();
  return rows.map((r) => {
    if (r.sealed_message === null) throw new Error(`message ${r.id} went to a mail server, not the outbox`);
    return {
      id: r.id,
      to: r.to_address,
      kind: r.kind,
      createdAt: r.created_at,
      ...(unseal(ctx.keys.records, r.sealed_message) as RevealedMessage),
    };
  });
}

/** The newest message delivered to the address (of the kind), or undefined. */
export async function lastMessage(
  ctx: Pick<AppContext, 'store' | 'keys'>,
  filter: { to?: string; kind?: string },
): Promise<Delivered | undefined> {
  return (await mailbox(ctx, filter)).at(-1);
}
