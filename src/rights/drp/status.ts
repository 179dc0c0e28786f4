/**
 * A DRP request's state as the protocol's status object: the answer to create, status and revoke,
 * and the body of status callbacks.
 */
import type { AppContext } from '../../context.js';
import { addDuration } from '../../time.js';
import { languageOf, providerText } from '../emails.js';
import type { RequestRow } from '../model.js';
import { VERIFICATION_WINDOW, currentDeadline } from '../model.js';
import { statusUrl } from '../verify-request.js';
import type { refusalGrounds } from '../workflow.js';
import type { DrpReason, DrpStatus } from './protocol.js';

/** Our refusal grounds (src/rights/workflow.ts) as the protocol's denial reasons. */
const denialReasonOf: Record<(typeof refusalGrounds)[number], DrpReason> = {
  identity_not_verified: 'insuf_verification',
  manifestly_unfounded: 'other',
  excessive: 'too_many_requests',
  exemption: 'claim_not_covered',
  not_covered: 'claim_not_covered',
  other: 'other',
};

/**
 * A request as the protocol's status object. Our states map as follows:
 * received, verifying (not yet verified) → in_progress / need_user_verification;
 * awaiting_review, in_progress → in_progress; completed → fulfilled; refused → denied with the
 * reason for its ground; withdrawn → revoked; expired (the code was never entered) → denied /
 * insuf_verification, which is the protocol's name for a verification that timed out (its
 * `expired` is about the agent's own `expires_at`); routed to a Provider (C1.2) → denied / other,
 * naming the Provider who answers instead.
 */
export function statusOf(ctx: Pick<AppContext, 'config' | 'policies'>, row: RequestRow): DrpStatus {
  const declaration = ctx.policies.get(row.declaration_id)?.model.declaration;
  const base = {
    request_id: row.id,
    received_at: row.received_at,
    expected_by: currentDeadline(row),
    ...(row.drp_agent_request_id === null ? {} : { agent_request_id: row.drp_agent_request_id }),
  };
  switch (row.status) {
    case 'received':
    case 'verifying':
      if (row.verified_at === null)
        return {
          ...base,
          status: 'in_progress',
          reason: 'need_user_verification',
          processing_details:
            'The person must confirm the request with the code we send to a contact address we already hold ' +
            '(an agent’s verification is not enough on its own); they enter it at user_verification_url.',
          user_verification_url: statusUrl(ctx, row.id),
          expires_at: addDuration(new Date(row.received_at), VERIFICATION_WINDOW).toISOString(),
        };
      return { ...base, status: 'in_progress' };
    case 'awaiting_review':
      return {
        ...base,
        status: 'in_progress',
        processing_details: 'A person at the business is reviewing the request.',
      };
    case 'in_progress':
      return { ...base, status: 'in_progress' };
    case 'completed':
      return {
        ...base,
        status: 'fulfilled',
        processing_details:
          row.type === 'access'
            ? 'The answer went to the person through a link sent to the contact address they verified.'
            : 'Done; the person has been told the outcome at the contact address they verified.',
      };
    case 'refused': {
      const outcome = parseOutcome(row.outcome);
      const ground = outcome.ground as keyof typeof denialReasonOf | undefined;
      return {
        ...base,
        status: 'denied',
        reason: (ground !== undefined && denialReasonOf[ground]) || 'other',
        ...(typeof outcome.reasons === 'string' ? { processing_details: outcome.reasons } : {}),
      };
    }
    case 'withdrawn':
      return { ...base, status: 'revoked' };
    case 'expired':
      return {
        ...base,
        status: 'denied',
        reason: 'insuf_verification',
        processing_details: 'The code was not entered in time; the person may make a new request.',
      };
    case 'routed': {
      const provider =
        declaration === undefined || row.service_id === null
          ? undefined
          : providerText(declaration, row.service_id, languageOf(declaration, 'en'));
      return {
        ...base,
        status: 'denied',
        reason: 'other',
        processing_details:
          provider === undefined
            ? 'The request concerns a service we run for another organisation, which answers it.'
            : `${provider.text}${provider.contact ? ` Contact: ${provider.contact}` : ''}`,
      };
    }
  }
}

function parseOutcome(outcome: string | null): Record<string, unknown> {
  if (outcome === null) return {};
  const parsed = JSON.parse(outcome) as unknown;
  return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}
