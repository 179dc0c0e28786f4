/**
 * Data Rights Protocol requests over the rights-request core: creating one from a verified
 * message, finding one for the agent that manages it, and revoking one.
 *
 * The agent's word on identity is never enough: the email or phone claim becomes the
 * requester's identifier and the core verifies the person by a code sent to a contact we already
 * hold (C9.6), whatever `email_verified` says. Until then the status is `in_progress` /
 * `need_user_verification` with the request's status page as `user_verification_url`.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../access/actor.js';
import { appendAudit } from '../../audit/ledger.js';
import type { AppContext } from '../../context.js';
import { AppError, forbidden } from '../../errors.js';
import type { Declaration } from '../../policy/schema.js';
import { isUniqueViolation } from '../../store/database.js';
import { transaction } from '../../store/transaction.js';
import type { RequestRow } from '../model.js';
import { closedStatuses, loadRequest } from '../model.js';
import type { SubmitRequestInput } from '../submit-request.js';
import { submitRequest } from '../submit-request.js';
import { withdrawRequest } from '../workflow.js';
import { agentRef } from './agents.js';
import { notifyDrpCallback } from './callback.js';
import type { DrpExercise, DrpRequestMessage, DrpStatus } from './protocol.js';
import { agentRequestKey, answerOf, earlierMessage, recordMessage } from './replay.js';
import { statusOf } from './status.js';

/** Which of our request types a DRP right becomes; the sale rights have none (see `exerciseRight`). */
const requestTypeOf: Record<DrpExercise, 'access' | 'erasure' | null> = {
  access: 'access',
  'access:categories': 'access',
  'access:specific': 'access',
  deletion: 'erasure',
  'sale:opt-out': null,
  'sale:opt-in': null,
};

const controllerOf = (declaration: Declaration): string =>
  declaration.controller.shortName ?? declaration.controller.name;

const noticeUrl = (ctx: Pick<AppContext, 'config'>, declarationId: string): string =>
  `${ctx.config.publicUrl}/privacy/${declarationId}`;

/** The agent as the actor that opens its requests (the agent id is also kept on the request). */
function agentActor(agentId: string): Actor {
  return { kind: 'system', id: agentRef(agentId), name: `DRP agent ${agentId}`, permissions: new Set() };
}

/** Free text for the operator: what the agent asked for, beyond the request type. */
function requestDetails(agentId: string, message: DrpRequestMessage): string {
  const lines = [
    `Data Rights Protocol request from agent ${agentId}: ${message.exercise}` +
      (message.regime === undefined ? ' (voluntary: no regime named)' : ` under ${message.regime}`) +
      '.',
  ];
  if (message.exercise === 'access:categories')
    lines.push('The person asked for the categories of personal information held.');
  if (message.exercise === 'access:specific')
    lines.push('The person asked for the specific pieces of personal information held.');
  if (message.relationships !== undefined && message.relationships.length > 0)
    lines.push(`Relationships the agent hints at: ${message.relationships.join(', ')}.`);
  if (message.power_of_attorney !== undefined) lines.push(`Power of attorney: ${message.power_of_attorney}`);
  return lines.join('\n').slice(0, 5000);
}

/**
 * Creates a request from a message whose envelope has been checked (`businessId` is the
 * declaration id). `messageKey` is the content key of the signed message (`replay.ts`): the
 * same message again, or an `agent-request-id` the agent already used, answers with the first
 * request's status, so neither a replay nor a retried POST opens a second request.
 *
 * The sale rights are answered at once with `denied` / `claim_not_covered`: a declaration has no
 * way to provide for selling personal information (every disclosure must go to a declared
 * recipient, C5.0), so there is nothing to opt out of or into. Such an answer opens no request
 * (there is no person to verify and nothing to do); it is recorded in the audit ledger, and kept
 * as the answer to the same message sent again.
 */
export async function exerciseRight(
  ctx: AppContext,
  agentId: string,
  businessId: string,
  message: DrpRequestMessage,
  messageKey: string,
): Promise<DrpStatus> {
  const agentRequestId = message['agent-request-id'];
  const keys = [messageKey, ...(agentRequestId === undefined ? [] : [agentRequestKey(agentRequestId)])];
  const earlier = await earlierMessage(ctx.store.db, agentId, keys);
  if (earlier !== undefined) return answerOf(ctx, earlier);
  if (agentRequestId !== undefined) {
    // Requests opened before messages were kept.
    const opened = await ctx.store.db
      .selectFrom('requests')
      .selectAll()
      .where('drp_agent_id', '=', agentId)
      .where('drp_agent_request_id', '=', agentRequestId)
      .executeTakeFirst();
    if (opened !== undefined) return statusOf(ctx, opened);
  }
  try {
    return await takeEffect(ctx, agentId, businessId, message, keys);
  } catch (error) {
    // A concurrent send of the same message (or agent-request-id) took effect first.
    const first = isUniqueViolation(error) ? await earlierMessage(ctx.store.db, agentId, keys) : undefined;
    if (first === undefined) throw error;
    return answerOf(ctx, first);
  }
}

async function takeEffect(
  ctx: AppContext,
  agentId: string,
  businessId: string,
  message: DrpRequestMessage,
  keys: readonly string[],
): Promise<DrpStatus> {
  const agentRequestId = message['agent-request-id'];
  const active = ctx.policies.get(businessId);
  if (active === undefined) throw new AppError('forbidden', `"${businessId}" is not in force.`);
  const declaration = active.model.declaration;

  const type = requestTypeOf[message.exercise];
  if (type === null) {
    const now = ctx.clock.now().toISOString();
    const requestId = randomUUID();
    const answer: DrpStatus = {
      request_id: requestId,
      received_at: now,
      ...(agentRequestId === undefined ? {} : { agent_request_id: agentRequestId }),
      status: 'denied',
      reason: 'claim_not_covered',
      processing_details:
        `${controllerOf(declaration)} does not sell personal information: it discloses it only to the ` +
        `recipients listed in its privacy notice (${noticeUrl(ctx, declaration.id)}), so there is no sale to opt ` +
        `${message.exercise === 'sale:opt-out' ? 'out of' : 'into'}.`,
    };
    await transaction(ctx.store, async (tx) => {
      await recordMessage(tx, ctx, agentId, keys, { answer });
      await appendAudit(tx, ctx.store.dialect, ctx.clock, {
        actor: agentRef(agentId),
        action: 'drp.request_denied',
        target: `drp_request:${requestId}`,
        details: { businessId, exercise: message.exercise, reason: 'claim_not_covered', agentRequestId },
      });
    });
    return answer;
  }

  const identifiers: SubmitRequestInput['requester']['identifiers'] = [];
  if (message.email !== undefined) identifiers.push({ kind: 'email', value: message.email });
  if (message.phone_number !== undefined) identifiers.push({ kind: 'phone', value: message.phone_number });
  const receipt = await submitRequest(
    ctx,
    agentActor(agentId),
    {
      declarationId: declaration.id,
      type,
      channel: 'drp',
      requester: { ...(message.name === undefined ? {} : { name: message.name }), identifiers },
      details: requestDetails(agentId, message),
    },
    {
      agentId,
      ...(agentRequestId === undefined ? {} : { agentRequestId }),
      ...(message.status_callback === undefined ? {} : { callback: message.status_callback }),
      record: (tx, requestId) => recordMessage(tx, ctx, agentId, keys, { requestId }),
    },
  );
  return statusOf(ctx, await loadRequest(ctx.store.db, receipt.id));
}

/** The request `requestId` for the agent that manages it; `forbidden` for any other agent. */
export async function agentRequest(ctx: AppContext, agentId: string, requestId: string): Promise<RequestRow> {
  const row = await loadRequest(ctx.store.db, requestId);
  if (row.drp_agent_id !== agentId) throw forbidden('This request is not managed by your agent.');
  return row;
}

/**
 * Revokes (withdraws) a request for the agent that manages it. Revoking a revoked request
 * answers its status again; a request that has already ended otherwise cannot be revoked.
 */
export async function revokeRequest(
  ctx: AppContext,
  agentId: string,
  requestId: string,
  reason: string | undefined,
): Promise<DrpStatus> {
  const row = await agentRequest(ctx, agentId, requestId);
  if (row.status !== 'withdrawn' && closedStatuses.has(row.status)) {
    const current = statusOf(ctx, row);
    throw new AppError(
      'conflict',
      `The request is already ${current.status}${current.reason ? ` (${current.reason})` : ''}; it can no longer be revoked.`,
    );
  }
  await withdrawRequest(ctx, agentRef(agentId), requestId, reason?.trim() || 'revoked by the agent');
  await notifyDrpCallback(ctx, requestId);
  return statusOf(ctx, await loadRequest(ctx.store.db, requestId));
}
