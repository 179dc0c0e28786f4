/**
 * Linking an identifier to a person, and merging two records of the same person. Both are
 * explicit operator actions with an audit entry: Steward never merges people on a guess.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import { markConsentChange, markSuppressionChange, suppressAddress } from '../consent/changes.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { restartAllClocks } from '../retention/record-clocks.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { identifierKinds } from './normalize.js';
import { CONTROLLER_TENANT, findSubjectId, markVerified, normaliseAll, resolveSubject } from './subjects.js';

/** Our own data unless the operator names a Provider's partition, acting on its instructions. */
const tenantInput = z.string().max(300).default(CONTROLLER_TENANT);

export const linkIdentifierInput = z.strictObject({
  kind: z.enum(identifierKinds),
  value: z.string().min(1).max(512),
  reason: z.string().trim().min(5, 'must say why the identifier belongs to this person').max(500),
  tenant: tenantInput,
});

/** Refuses a subject that is not in `tenant`, or was merged into another. */
async function liveSubject(tx: Tx, subjectId: string, tenant: string): Promise<void> {
  const row = await tx
    .selectFrom('subjects')
    .select('merged_into')
    .where('id', '=', subjectId)
    .where('tenant', '=', tenant)
    .executeTakeFirst();
  if (row === undefined || row.merged_into !== null) throw notFound(`Subject ${subjectId}`);
}

/** Adds an identifier to a subject; refused when it already belongs to someone else (merge instead). */
export async function linkIdentifier(
  ctx: AppContext,
  actor: Actor,
  subjectId: string,
  raw: z.input<typeof linkIdentifierInput>,
): Promise<{ identifierId: string }> {
  requirePermission(actor, 'subjects:write');
  const input = linkIdentifierInput.parse(raw);
  const [identifier] = normaliseAll(ctx.keys, [{ kind: input.kind, value: input.value }], 'value');
  if (identifier === undefined) throw new Error('unreachable');
  return transaction(ctx.store, async (tx) => {
    const tenant = input.tenant;
    await liveSubject(tx, subjectId, tenant);
    const owner = await findSubjectId(tx, tenant, identifier);
    if (owner !== undefined && owner !== subjectId) {
      throw new AppError(
        'conflict',
        `That ${input.kind} belongs to another subject (${owner}); merge the two if they are the same person.`,
        [{ path: 'value', message: 'belongs to another subject' }],
      );
    }
    // An operator linking it, with a reason, is a decision that it is this person's.
    const resolved = await resolveSubject(tx, ctx, {
      tenant,
      identifiers: [identifier],
      into: subjectId,
      source: 'operator',
      verifiedBy: 'operator',
    });
    if (resolved.subjectId !== subjectId) throw new Error('linked to the wrong subject');
    const identifierId = resolved.identifierIds.get(`${identifier.kind}:${identifier.value}`) ?? '';
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.identifier_linked',
      target: `subject:${subjectId}`,
      purpose: input.reason,
      details: { kind: input.kind, identifier: identifierId },
    });
    return { identifierId };
  });
}

export const confirmIdentifierInput = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(5, 'must say how you know the identifier is this person’s (at least 5 characters)')
    .max(500),
  tenant: tenantInput,
});

/**
 * An operator settles a claim: the identifier, which arrived beside another of the person's, is
 * theirs (they checked it, for example on a call from the number on file). From then on codes
 * and results may go to it.
 */
export async function confirmIdentifier(
  ctx: AppContext,
  actor: Actor,
  subjectId: string,
  identifierId: string,
  raw: z.input<typeof confirmIdentifierInput>,
): Promise<void> {
  requirePermission(actor, 'subjects:write');
  const { reason, tenant } = confirmIdentifierInput.parse(raw);
  await transaction(ctx.store, async (tx) => {
    await liveSubject(tx, subjectId, tenant);
    const found = await tx
      .selectFrom('identifiers')
      .select('id')
      .where('tenant', '=', tenant)
      .where('subject_id', '=', subjectId)
      .where('id', '=', identifierId)
      .executeTakeFirst();
    if (found === undefined) throw notFound(`Identifier ${identifierId} of subject ${subjectId}`);
    await markVerified(tx, ctx, { id: identifierId, tenant }, 'operator');
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.identifier_confirmed',
      target: `subject:${subjectId}`,
      purpose: reason,
      details: { identifier: identifierId },
    });
  });
}

export const mergeSubjectsInput = z.strictObject({
  from: z.uuid('must be a subject id'),
  reason: z.string().trim().min(5, 'must say why these are the same person').max(500),
  tenant: tenantInput,
});

/**
 * Moves everything of `from` to `into`: identifiers, records, lifecycle events, consent events,
 * subscriptions, notice tasks, and brings the records' clocks up to date. `from` is kept as an empty shell pointing at `into`, so earlier references
 * resolve. The stricter state wins: a child, restriction or marketing objection on either
 * record holds for the merged one.
 */
export async function mergeSubjects(
  ctx: AppContext,
  actor: Actor,
  into: string,
  raw: z.input<typeof mergeSubjectsInput>,
): Promise<void> {
  requirePermission(actor, 'subjects:write');
  const input = mergeSubjectsInput.parse(raw);
  if (input.from === into)
    throw new AppError('validation_failed', 'A subject cannot be merged into itself.', [
      { path: 'from', message: 'same as the target' },
    ]);
  await transaction(ctx.store, async (tx) => {
    // Both are looked up in the one partition named: a subject of another is simply not found.
    const { tenant } = input;
    await Promise.all([liveSubject(tx, into, tenant), liveSubject(tx, input.from, tenant)]);
    const subject = (id: string) =>
      tx
        .selectFrom('subjects')
        .selectAll()
        .where('id', '=', id)
        .where('tenant', '=', tenant)
        .executeTakeFirstOrThrow();
    const [target, source] = await Promise.all([subject(into), subject(input.from)]);
    const now = ctx.clock.now().toISOString();
    await tx
      .updateTable('subjects')
      .set({
        child: Math.max(target.child, source.child),
        restricted: Math.max(target.restricted, source.restricted),
        objected_at: target.objected_at ?? source.objected_at,
        jurisdiction: target.jurisdiction ?? source.jurisdiction,
        updated_at: now,
      })
      .where('id', '=', into)
      .where('tenant', '=', tenant)
      .execute();
    for (const table of ['identifiers', 'records', 'lifecycle_events'] as const) {
      await tx
        .updateTable(table)
        .set({ subject_id: into })
        .where('subject_id', '=', input.from)
        .where('tenant', '=', tenant)
        .execute();
    }
    for (const table of ['consent_events', 'subscriptions', 'notice_tasks'] as const) {
      await tx.updateTable(table).set({ subject_id: into }).where('subject_id', '=', input.from).execute();
    }
    await tx
      .updateTable('suppressions')
      .set({ subject_id: into })
      .where('subject_id', '=', input.from)
      .execute();
    await tx
      .updateTable('subjects')
      .set({ merged_into: into, updated_at: now })
      .where('id', '=', input.from)
      .where('tenant', '=', tenant)
      .execute();
    if (target.objected_at === null && source.objected_at !== null) {
      const addresses = await tx
        .selectFrom('identifiers')
        .select('lookup')
        .where('subject_id', '=', into)
        .where('tenant', '=', tenant)
        .where('kind', '=', 'email')
        .execute();
      for (const { lookup } of addresses) {
        await suppressAddress(tx, ctx.clock, {
          lookup,
          declarationId: '*',
          scope: '*',
          reason: 'objected',
          subjectId: into,
        });
      }
    }
    await markSuppressionChange(tx, ctx, null);
    await markConsentChange(tx, ctx, null);
    // Both people's interactions, events and consents now count for every record.
    if (tenant === CONTROLLER_TENANT) await restartAllClocks(tx, ctx, into);
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.merged',
      target: `subject:${into}`,
      purpose: input.reason,
      details: { from: input.from },
    });
  });
}
