/**
 * Restriction of processing (Art. 18, C9.10). A restricted subject's data is kept but used for
 * nothing except storage: the suppression check refuses every message to them, click tracking
 * stops, and capture refuses new records (`subject_restricted`). Lifting it requires that the
 * person was told first (Art. 18(3)): `liftRestriction` takes the time they were told and
 * refuses without it, so the request workflow sends the notice (see `restrictionLiftNotice`),
 * then lifts.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import { markSuppressionChange } from '../consent/changes.js';
import type { AppContext } from '../context.js';
import { AppError, notFound, notInForce } from '../errors.js';
import type { SubjectTable } from '../store/schema.js';
import { localise } from '../policy/text.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';

/**
 * The subject a rights request acts on, inside the caller's transaction: a merged record is
 * followed to the one it was merged into. Only our own data is looked in: a subject held as
 * processor is not found, since its requests go to the Provider, who decides (C1.4).
 */
export async function subjectForRequest(tx: Tx, subjectId: string): Promise<SubjectTable> {
  let id = subjectId;
  for (let hops = 0; hops < 20; hops += 1) {
    const row = await tx
      .selectFrom('subjects')
      .selectAll()
      .where('id', '=', id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirst();
    if (row === undefined) throw notFound(`Subject ${subjectId}`);
    if (row.merged_into === null) return row;
    id = row.merged_into;
  }
  throw new Error(`subject ${subjectId}: merge chain too long`);
}

export const restrictInput = z.strictObject({
  subjectId: z.uuid('must be a subject id'),
  requestId: z.string().min(1).max(100).optional(),
});

export interface RestrictResult {
  readonly subjectId: string;
  /** False when the subject was restricted already (nothing changed). */
  readonly changed: boolean;
}

/** Restricts processing of a subject's data. Harmless when repeated. Needs `requests:manage`. */
export async function restrictSubject(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof restrictInput>,
): Promise<RestrictResult> {
  requirePermission(actor, 'requests:manage');
  const input = restrictInput.parse(raw);
  return transaction(ctx.store, async (tx) => {
    const subject = await subjectForRequest(tx, input.subjectId);
    if (subject.restricted === 1) return { subjectId: subject.id, changed: false };
    await tx
      .updateTable('subjects')
      .set({ restricted: 1, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', subject.id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .execute();
    await markSuppressionChange(tx, ctx, subject.id);
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.restricted',
      target: `subject:${subject.id}`,
      details: { request: input.requestId ?? null },
    });
    return { subjectId: subject.id, changed: true };
  });
}

export const liftRestrictionInput = z.strictObject({
  subjectId: z.uuid('must be a subject id'),
  notifiedAt: z.iso
    .datetime({
      message: 'must be the ISO 8601 date-time the person was told the restriction ends',
      offset: true,
    })
    .describe('When the person was told that the restriction will be lifted (Art. 18(3)); required'),
  requestId: z.string().min(1).max(100).optional(),
});

export interface LiftResult {
  readonly subjectId: string;
  /** False when the subject was not restricted (nothing changed). */
  readonly changed: boolean;
}

/**
 * Lifts a restriction. The person must have been told beforehand (Art. 18(3)): `notifiedAt` is
 * required, may not lie in the future, and may not precede the restriction. Needs
 * `requests:manage`.
 *
 * @example
 * const notice = await restrictionLiftNotice(ctx, { subjectId, declarationId });
 * for (const to of notice.to) await sendMail(ctx, { to, kind: 'rights_notice', subject: notice.subject, text: notice.text });
 * await liftRestriction(ctx, actor, { subjectId, notifiedAt: new Date().toISOString(), requestId });
 */
export async function liftRestriction(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof liftRestrictionInput>,
): Promise<LiftResult> {
  requirePermission(actor, 'requests:manage');
  const input = liftRestrictionInput.parse(raw);
  const notifiedAt = new Date(input.notifiedAt);
  if (notifiedAt.getTime() > ctx.clock.now().getTime() + 5 * 60_000) {
    throw new AppError(
      'validation_failed',
      'The person must be told before the restriction is lifted: notifiedAt lies in the future.',
      [{ path: 'notifiedAt', message: 'must not be in the future' }],
    );
  }
  return transaction(ctx.store, async (tx) => {
    const subject = await subjectForRequest(tx, input.subjectId);
    if (subject.restricted === 0) return { subjectId: subject.id, changed: false };
    const restrictedAt = await tx
      .selectFrom('audit_log')
      .select('at')
      .where('target', '=', `subject:${subject.id}`)
      .where('action', '=', 'subject.restricted')
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    if (restrictedAt !== undefined && notifiedAt.toISOString() < restrictedAt.at) {
      throw new AppError(
        'validation_failed',
        `The person was told on ${input.notifiedAt}, before the restriction began (${restrictedAt.at}): tell them that it is being lifted, then lift it.`,
        [{ path: 'notifiedAt', message: 'before the restriction began' }],
      );
    }
    await tx
      .updateTable('subjects')
      .set({ restricted: 0, updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', subject.id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .execute();
    await markSuppressionChange(tx, ctx, subject.id);
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.restriction_lifted',
      target: `subject:${subject.id}`,
      details: { notifiedAt: notifiedAt.toISOString(), request: input.requestId ?? null },
    });
    return { subjectId: subject.id, changed: true };
  });
}

export interface LiftNotice {
  /** The person's email addresses on file; empty when there is none (tell them another way). */
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

/**
 * The message that tells a person their restriction will be lifted (Art. 18(3)), in our words,
 * for the workflow to send before calling `liftRestriction`.
 */
export async function restrictionLiftNotice(
  ctx: AppContext,
  input: { subjectId: string; declarationId: string; reason?: string },
): Promise<LiftNotice> {
  const active = ctx.policies.get(input.declarationId);
  if (active === undefined) throw notInForce(input.declarationId);
  const controller = active.model.declaration.controller;
  const addresses = await ctx.store.db
    .selectFrom('identifiers')
    .select('value')
    .where('subject_id', '=', input.subjectId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('kind', '=', 'email')
    .orderBy('created_at')
    .execute();
  const authority = controller.supervisoryAuthority;
  return {
    to: addresses.flatMap((a) => (a.value === null ? [] : [a.value])),
    subject: `We will stop restricting the use of your data`,
    text: [
      `You asked ${controller.shortName ?? controller.name} to restrict the use of your personal data, and we have done so: since then we have only stored it.`,
      '',
      `We are about to lift that restriction${input.reason ? `: ${input.reason.replace(/\.?$/, '.')}` : '.'} After that we will use your data again for the purposes described in our privacy notice (${localise(active.model.declaration.title, 'en')}).`,
      '',
      'If you disagree, reply to this message or use the contact details in the notice. You may also complain to the supervisory authority:',
      `${authority.name}, ${authority.website}.`,
    ].join('\n'),
  };
}
