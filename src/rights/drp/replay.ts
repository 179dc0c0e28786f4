/**
 * A signed DRP message takes effect once. Whoever holds a signed body (a log, a proxy, a retrying
 * agent) can send it again until its `expires-at`, so every message that took effect is kept by
 * agent and a hash of its content: the canonical JSON of what was signed, so the same content
 * re-encoded (base64 line breaks, key order, spacing) or signed again is the same message. A
 * request message sent again answers with the request it opened, a pairing message issues no
 * second token, a revoke message acts only on the request it was first sent for. An
 * `agent-request-id` is the agent's own key for "the same request" across fresh messages, and is
 * kept the same way, in the transaction that opens the request, so concurrent sends open one.
 */
import type { AppContext } from '../../context.js';
import { canonicalJson, sha256Hex } from '../../crypto.js';
import { AppError } from '../../errors.js';
import type { DrpMessageTable } from '../../store/schema.js';
import type { Tx } from '../../store/transaction.js';
import { loadRequest } from '../model.js';
import type { DrpStatus } from './protocol.js';
import { statusOf } from './status.js';

export type SignedKind = 'create' | 'pair' | 'revoke';

/** The key of a signed message's content. */
export function contentKey(kind: SignedKind, message: Record<string, unknown>): string {
  return `${kind}:${sha256Hex(canonicalJson(message))}`;
}

/** The key of an agent's own request id. */
export const agentRequestKey = (agentRequestId: string): string => `agent-request:${agentRequestId}`;

/** The first of `keys` that already took effect for `agentId`, if any. */
export async function earlierMessage(
  db: Tx,
  agentId: string,
  keys: readonly string[],
): Promise<DrpMessageTable | undefined> {
  if (keys.length === 0) return undefined;
  return db
    .selectFrom('drp_messages')
    .selectAll()
    .where('agent_id', '=', agentId)
    .where('key', 'in', keys)
    .orderBy('received_at')
    .executeTakeFirst();
}

/**
 * Records that the messages under `keys` took effect, inside the transaction of the effect. A key
 * taken already fails the transaction with a unique violation (concurrent senders wait for the
 * first on PostgreSQL, and are serialised on SQLite), so the effect happens once.
 */
export async function recordMessage(
  tx: Tx,
  ctx: Pick<AppContext, 'clock'>,
  agentId: string,
  keys: readonly string[],
  effect: { readonly requestId?: string; readonly answer?: DrpStatus },
): Promise<void> {
  const receivedAt = ctx.clock.now().toISOString();
  await tx
    .insertInto('drp_messages')
    .values(
      keys.map((key) => ({
        agent_id: agentId,
        key,
        request_id: effect.requestId ?? null,
        answer: effect.answer === undefined ? null : JSON.stringify(effect.answer),
        received_at: receivedAt,
      })),
    )
    .execute();
}

/** What a message that took effect answers again: its request's status now, or its answer then. */
export async function answerOf(
  ctx: Pick<AppContext, 'config' | 'policies' | 'store'>,
  earlier: DrpMessageTable,
): Promise<DrpStatus> {
  if (earlier.request_id !== null) return statusOf(ctx, await loadRequest(ctx.store.db, earlier.request_id));
  return JSON.parse(earlier.answer ?? '{}') as DrpStatus;
}

/**
 * Binds a signed revoke message to the request it is first sent for; the same message sent for
 * another request is refused. Claimed before the revocation runs, so two concurrent uses on two
 * requests cannot both pass.
 *
 * @throws AppError `forbidden` when the message was sent for another request before.
 */
export async function bindRevoke(
  ctx: Pick<AppContext, 'clock' | 'store'>,
  agentId: string,
  key: string,
  requestId: string,
): Promise<void> {
  await ctx.store.db
    .insertInto('drp_messages')
    .values({
      agent_id: agentId,
      key,
      request_id: requestId,
      answer: null,
      received_at: ctx.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.columns(['agent_id', 'key']).doNothing())
    .execute();
  const bound = await earlierMessage(ctx.store.db, agentId, [key]);
  if (bound?.request_id !== requestId)
    throw new AppError(
      'forbidden',
      'This signed revoke message was already used for another request; sign a new one for this request.',
    );
}
