/**
 * Why an operator opens a person's data. Every such read names one of these reasons, with the
 * reference it needs and an optional note, and the audit ledger keeps all three: "xxxxx" is not a
 * reason, and a reason nobody can check against a case is not one either.
 */
import { z } from 'zod';
import type { Tx } from '../store/transaction.js';
import { AppError } from '../errors.js';

export const accessReasons = [
  /** Answering a rights request: the reference is the request's (checked). */
  'handling_request',
  /** A support case: the reference is the ticket. */
  'support_case',
  'fraud_investigation',
  /** Establishing, exercising or defending a legal claim: the reference is the matter. */
  'legal_claim',
  /** Checking that processing follows the policy, on a sample. */
  'audit_sample',
] as const;
export type AccessReason = (typeof accessReasons)[number];

/** Reasons that must name a case (a request's reference for handling_request). */
const needsReference: ReadonlySet<AccessReason> = new Set([
  'handling_request',
  'support_case',
  'legal_claim',
]);

/** The fields of a reason, for inputs that add their own (refine them with referenceCheck). */
export const reasonFields = z.strictObject({
  reason: z.enum(accessReasons, {
    error: `must be one of: ${accessReasons.join(', ')}`,
  }),
  reference: z.string().trim().min(1).max(100).optional(),
  note: z.string().trim().max(500).optional(),
});

/** A reason that may be left out (the request page without what the requester wrote). */
export const optionalReasonInput = reasonFields.partial().superRefine((value, issue) => {
  if (value.reason === undefined && (value.reference !== undefined || value.note !== undefined))
    issue.addIssue({ code: 'custom', path: ['reason'], message: 'say which reason the reference is for' });
  else if (value.reason !== undefined) referenceCheck({ ...value, reason: value.reason }, issue);
});

/** A reason that needs a case names one. */
export function referenceCheck(
  value: { reason: AccessReason; reference?: string | undefined },
  issue: z.RefinementCtx,
): void {
  if (needsReference.has(value.reason) && value.reference === undefined)
    issue.addIssue({
      code: 'custom',
      path: ['reference'],
      message:
        value.reason === 'handling_request'
          ? 'name the request (its reference, such as R-7K2Q9M)'
          : `name the ${value.reason === 'support_case' ? 'case or ticket' : 'matter'}`,
    });
}

/** The reason, as query parameters (`?reason=support_case&reference=T-1042&note=...`). */
export const accessReasonInput = reasonFields.superRefine(referenceCheck);
export type AccessReasonInput = z.input<typeof accessReasonInput>;
export type StatedReason = z.output<typeof accessReasonInput>;

/**
 * Checks what can be checked of a reason: a request named as the reason must exist and, when a
 * subject is opened, concern that subject. Returns the reason as the ledger records it.
 */
export async function checkReason(
  db: Tx,
  stated: StatedReason,
  opening: { subjectId?: string; requestId?: string },
): Promise<{ purpose: string; details: { reference?: string; note?: string } }> {
  if (stated.reason === 'handling_request') {
    const request = await db
      .selectFrom('requests')
      .select(['id', 'subject_id'])
      .where('reference', '=', stated.reference ?? '')
      .executeTakeFirst();
    const concerns =
      request !== undefined &&
      (opening.requestId === undefined || request.id === opening.requestId) &&
      (opening.subjectId === undefined || request.subject_id === opening.subjectId);
    if (!concerns)
      throw new AppError('validation_failed', 'The reason names a request that does not concern this data.', [
        { path: 'reference', message: 'no such request for this person' },
      ]);
  }
  return {
    purpose: stated.reason,
    details: {
      ...(stated.reference !== undefined ? { reference: stated.reference } : {}),
      ...(stated.note ? { note: stated.note } : {}),
    },
  };
}

/** A name as someone without a reason sees it: its first letter. */
export function maskText(text: string): string {
  const first = [...text.trim()][0];
  return first === undefined ? '' : `${first}…`;
}

/**
 * An identifier as someone without a reason sees it: enough to tell two apart at a glance
 * (`j…@e….se`, `…67`), not to learn who it is.
 */
export function maskIdentifier(kind: string, value: string): string {
  if (kind === 'email') {
    const at = value.lastIndexOf('@');
    const domain = value.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    return `${maskText(value.slice(0, Math.max(at, 0)))}@${maskText(domain)}${dot > 0 ? domain.slice(dot) : ''}`;
  }
  if (kind === 'phone') return `…${value.slice(-2)}`;
  return '…';
}
