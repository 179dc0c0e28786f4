/**
 * Data Rights Protocol agents we trust. An operator adds an agent with the Ed25519 verify key
 * it publishes in the DRP agent directory (out of band; the directory is not fetched). The agent
 * then sets up its pairwise bearer token with a signed message (`POST /v1/agent/{agent-id}`);
 * only the token's SHA-256 is stored. Pairing again replaces the token: one token per agent and
 * installation, as the protocol asks agents to use one token per domain.
 */
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import { actorRef, requirePermission } from '../../access/actor.js';
import { appendAudit } from '../../audit/ledger.js';
import type { AppContext } from '../../context.js';
import { randomToken, sha256Hex } from '../../crypto.js';
import { AppError, notFound } from '../../errors.js';
import type { DrpAgentTable } from '../../store/schema.js';
import { isUniqueViolation } from '../../store/database.js';
import { transaction } from '../../store/transaction.js';
import { checkEnvelope, normaliseVerifyKey, openSigned, verifyKeyObject } from './protocol.js';
import { contentKey, recordMessage } from './replay.js';

/** Tokens we issue start with this, so the API-key hook (`Bearer stw_…`) never mistakes one. */
const TOKEN_PREFIX = 'drp_';

export const addAgentInput = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'use the id from the DRP agent directory (letters, digits, _ . -)'),
  verifyKey: z
    .string()
    .refine(
      (k) => normaliseVerifyKey(k) !== undefined,
      'must be a 32-byte Ed25519 verify key in base64 (or hex)',
    ),
});
export type AddAgentInput = z.input<typeof addAgentInput>;

/** What operators see of an agent; never the token hash. */
export interface DrpAgentView {
  readonly id: string;
  readonly verifyKey: string;
  readonly addedBy: string;
  readonly addedAt: string;
  readonly pairedAt: string | null;
  readonly revokedAt: string | null;
}

const view = (row: DrpAgentTable): DrpAgentView => ({
  id: row.id,
  verifyKey: row.verify_key,
  addedBy: row.added_by,
  addedAt: row.added_at,
  pairedAt: row.paired_at,
  revokedAt: row.revoked_at,
});

/** The actor string for an agent's own steps on timelines and in the audit ledger. */
export const agentRef = (agentId: string): string => `drp_agent:${agentId}`;

/**
 * Trusts an agent. Adding a revoked agent again trusts it anew with the key given (it must pair
 * again); adding an agent that is already trusted is a conflict: revoke it first to change its key.
 *
 * @example
 * await addDrpAgent(ctx, hostActor(), { id: 'CR_AA_DRP_ID_001', verifyKey: 'm0Yf…=' });
 */
export async function addDrpAgent(ctx: AppContext, actor: Actor, raw: AddAgentInput): Promise<DrpAgentView> {
  requirePermission(actor, 'drp:manage');
  const input = addAgentInput.parse(raw);
  const verifyKey = normaliseVerifyKey(input.verifyKey)!;
  const now = ctx.clock.now().toISOString();
  return transaction(ctx.store, async (tx) => {
    const existing = await tx
      .selectFrom('drp_agents')
      .selectAll()
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (existing !== undefined && existing.revoked_at === null)
      throw new AppError(
        'conflict',
        `Agent ${input.id} is already trusted; revoke it first to change its key.`,
        [{ path: 'id', message: 'already trusted' }],
      );
    const row: DrpAgentTable = {
      id: input.id,
      verify_key: verifyKey,
      token_hash: null,
      added_by: actorRef(actor),
      added_at: now,
      paired_at: null,
      revoked_at: null,
    };
    if (existing === undefined) await tx.insertInto('drp_agents').values(row).execute();
    else await tx.updateTable('drp_agents').set(row).where('id', '=', input.id).execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'drp.agent_added',
      target: `drp_agent:${input.id}`,
      details: { verifyKey },
    });
    return view(row);
  });
}

export async function listDrpAgents(ctx: AppContext, actor: Actor): Promise<DrpAgentView[]> {
  requirePermission(actor, 'drp:manage');
  const rows = await ctx.store.db.selectFrom('drp_agents').selectAll().orderBy('id').execute();
  return rows.map(view);
}

/** Stops trusting an agent: its token stops working at once and it cannot pair again. */
export async function revokeDrpAgent(ctx: AppContext, actor: Actor, id: string): Promise<DrpAgentView> {
  requirePermission(actor, 'drp:manage');
  const now = ctx.clock.now().toISOString();
  return transaction(ctx.store, async (tx) => {
    const row = await tx.selectFrom('drp_agents').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound(`DRP agent ${id}`);
    if (row.revoked_at !== null) return view(row);
    const revoked = { ...row, token_hash: null, revoked_at: now };
    await tx
      .updateTable('drp_agents')
      .set({ token_hash: null, revoked_at: now })
      .where('id', '=', id)
      .execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'drp.agent_revoked',
      target: `drp_agent:${id}`,
    });
    return view(revoked);
  });
}

/**
 * The businesses (declaration ids) that take DRP requests: declarations in force whose
 * `rights.channels` list `drp`.
 */
export function isDrpBusiness(ctx: Pick<AppContext, 'policies'>, businessId: string): boolean {
  return ctx.policies.get(businessId)?.model.declaration.rights.channels.includes('drp') ?? false;
}

export type PairResult =
  { readonly ok: true; readonly agentId: string; readonly token: string } | { readonly ok: false };

/**
 * Pairwise key set-up: verifies the agent's signed message with its stored key and the same
 * envelope checks as a request (the `agent-id` inside must be the one in the path), then issues
 * a fresh token. Every failure is the same `{ ok: false }`: the protocol answers them all with a
 * bare 403, and the reason goes to the log only.
 */
export async function pairDrpAgent(ctx: AppContext, agentId: string, body: unknown): Promise<PairResult> {
  const agent = await ctx.store.db
    .selectFrom('drp_agents')
    .selectAll()
    .where('id', '=', agentId)
    .executeTakeFirst();
  const refuse = (why: string): PairResult => {
    ctx.log.info({ agent: agentId, why }, 'DRP pairing refused');
    return { ok: false };
  };
  if (agent === undefined) return refuse('unknown_agent');
  if (agent.revoked_at !== null) return refuse('revoked');
  const opened = openSigned(body, verifyKeyObject(agent.verify_key));
  if (!opened.ok) return refuse(opened.failure);
  const envelope = checkEnvelope(opened.message, {
    agentId,
    isOurBusiness: (id) => isDrpBusiness(ctx, id),
    now: ctx.clock.now(),
  });
  if (!envelope.ok) return refuse(envelope.failure);

  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const now = ctx.clock.now().toISOString();
  let paired: boolean;
  try {
    paired = await transaction(ctx.store, async (tx) => {
      // A pairing message issues one token: the same message again (a replay within its validity)
      // would replace the agent's token and hand a working one to whoever holds the message.
      await recordMessage(tx, ctx, agentId, [contentKey('pair', opened.message)], {});
      // Re-read inside the transaction: an operator may have revoked the agent meanwhile.
      const updated = await tx
        .updateTable('drp_agents')
        .set({ token_hash: sha256Hex(token), paired_at: now })
        .where('id', '=', agentId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      await appendAudit(tx, ctx.store.dialect, ctx.clock, {
        actor: agentRef(agentId),
        action: 'drp.agent_paired',
        target: `drp_agent:${agentId}`,
        details: { businessId: envelope.businessId },
      });
      return true;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse('replayed');
    throw error;
  }
  return paired ? { ok: true, agentId, token } : refuse('revoked');
}

/** The trusted agent an `Authorization: Bearer drp_…` header belongs to, if any. */
export async function authenticateDrpAgent(
  ctx: Pick<AppContext, 'store'>,
  authorization: string | undefined,
): Promise<DrpAgentTable | undefined> {
  const match = /^Bearer (drp_[A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '');
  if (match === null) return undefined;
  return ctx.store.db
    .selectFrom('drp_agents')
    .selectAll()
    .where('token_hash', '=', sha256Hex(match[1]!))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
